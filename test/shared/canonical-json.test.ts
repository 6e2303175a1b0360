import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/shared/sync/canonical-json';

/** Every permutation of an object's own keys, rebuilt in that order (nested values untouched). */
function permutations(value: Record<string, unknown>): Record<string, unknown>[] {
  const keys = Object.keys(value);
  const orders: string[][] = [];
  const walk = (prefix: string[], rest: string[]) => {
    if (rest.length === 0) orders.push(prefix);
    rest.forEach((k, i) => walk([...prefix, k], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  walk([], keys);
  return orders.map((order) => Object.fromEntries(order.map((k) => [k, value[k]])));
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives one text for every key order of the same value (sorted input takes the fast path)', () => {
    const value = { sale: { id: 'x', total: 12, lines: [{ qty: 1, plu: '7' }] }, stationId: 's', at: 't' };
    const texts = new Set(permutations(value).map((v) => canonicalJson(v)));
    expect(texts.size).toBe(1);
    const [text] = [...texts];
    // The canonical text parses back to a value that is already in order, and maps to itself.
    expect(canonicalJson(JSON.parse(text!))).toBe(text);
  });

  it('is stable for integer-like keys, which V8 always lists first in numeric order', () => {
    const a = canonicalJson({ '10': 'ten', '9': 'nine', b: 1 });
    const b = canonicalJson(JSON.parse('{"b":1,"9":"nine","10":"ten"}'));
    expect(a).toBe(b);
    expect(JSON.parse(a)).toEqual({ '10': 'ten', '9': 'nine', b: 1 });
  });

  it('escapes control characters, so a record separator never appears raw in the text', () => {
    const text = canonicalJson({ note: 'a\u001eb\u0000c' });
    expect(text).not.toContain('\u001e');
    expect(JSON.parse(text)).toEqual({ note: 'a\u001eb\u0000c' });
  });

  it('writes primitives, arrays and undefined like JSON, undefined as null', () => {
    expect(canonicalJson([1, 'a', true, null])).toBe('[1,"a",true,null]');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});
