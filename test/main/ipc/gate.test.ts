import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/main/core/clock';
import { Station } from '../../../src/main/core/station';
import { Gate, type Handlers } from '../../../src/main/ipc/gate';
import { CHANNELS, contract } from '../../../src/shared/ipc/contract';
import { ERROR_CODES, type Result } from '../../../src/shared/domain/errors';
import { PERMISSIONS } from '../../../src/shared/domain/permissions';

let station: Station;
let dir: string;
const ADMIN = 'admin-conn';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-gate-'));
  station = Station.open({
    dataDir: dir,
    migrationsDir: path.resolve('migrations'),
    version: 'test',
    clock: new ManualClock(),
  });
  station.gate.registerConnection(ADMIN);
  const r = await station.gate.handle(ADMIN, 'setup:complete', {
    storeName: 'Gate Test',
    currency: 'USD',
    locale: 'en',
    taxMode: 'exclusive',
    adminName: 'Admin',
    adminPin: '2468',
  });
  expect(r.ok).toBe(true);
});
afterAll(() => {
  station.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every row of every table, so a test can assert that a rejected call wrote nothing. */
function snapshot(): string {
  const tables = station.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  // Table names come from sqlite_master, not from input; identifiers cannot be bound parameters.
  return JSON.stringify(tables.map((t) => [t, station.db.prepare(`SELECT * FROM "${t}"`).all()]));
}

function expectTypedError(r: Result<unknown>, code?: string) {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(ERROR_CODES).toContain(r.error.code);
  expect(typeof r.error.message).toBe('string');
  expect(JSON.stringify(r.error)).not.toMatch(/\n\s+at |SQLITE|node_modules/);
  if (code) expect(r.error.code).toBe(code);
}

describe('the gate', () => {
  it('rejects an unknown channel', async () => {
    expectTypedError(await station.gate.handle(ADMIN, 'shell:exec', {}), 'unknown_channel');
    expectTypedError(await station.gate.handle(ADMIN, '__proto__', {}), 'unknown_channel');
    expectTypedError(await station.gate.handle(ADMIN, 'toString', {}), 'unknown_channel');
    expectTypedError(await station.gate.handle(ADMIN, 42, {}), 'unknown_channel');
  });

  it('rejects a caller that is not a window or connection we created', async () => {
    expectTypedError(await station.gate.handle('stranger', 'app:status', {}), 'forbidden');
    station.gate.registerConnection('temp');
    expect((await station.gate.handle('temp', 'app:status', {})).ok).toBe(true);
    station.gate.unregisterConnection('temp');
    expectTypedError(await station.gate.handle('temp', 'app:status', {}), 'forbidden');
  });

  it('rejects input that does not parse, with the issues but without echoing the input', async () => {
    const r = await station.gate.handle(ADMIN, 'staff:create', {
      name: 'x',
      role: 'owner',
      pin: '12',
      extra: 1,
    });
    expectTypedError(r, 'bad_input');
    if (!r.ok) {
      const issues = (r.error.details as { issues: { path: string }[] }).issues;
      expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['role', 'pin']));
    }
  });

  it('rejects a connection without a session on a permission channel', async () => {
    station.gate.registerConnection('anon');
    expectTypedError(await station.gate.handle('anon', 'staff:list', {}), 'unauthenticated');
  });

  it('turns a handler crash into a typed error without a stack trace', async () => {
    const errors: unknown[] = [];
    const boom = () => {
      throw new Error('secret internals at /home/x/file.ts:1');
    };
    const sqlBoom = () => {
      throw Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const handlers = { 'app:status': boom, 'auth:users': sqlBoom } as unknown as Handlers;
    const gate = new Gate(handlers, station.auth, { logger: { error: (_m, e) => errors.push(e) } });
    gate.registerConnection('c');
    const r = await gate.handle('c', 'app:status', {});
    expectTypedError(r, 'internal');
    expect(JSON.stringify(r)).not.toContain('secret');
    expectTypedError(await gate.handle('c', 'auth:users', {}), 'storage_error');
    expect(errors).toHaveLength(2);
  });

  it('refuses handler output that does not match the contract', async () => {
    const handlers = { 'app:status': () => ({ version: 1 }) } as unknown as Handlers;
    const gate = new Gate(handlers, station.auth, { logger: { error: () => undefined } });
    gate.registerConnection('c');
    expectTypedError(await gate.handle('c', 'app:status', {}), 'internal');
  });
});

describe('every channel', () => {
  it('declares an explicit access level', () => {
    for (const name of CHANNELS) {
      const access = contract[name].access as string;
      expect(['public', 'session', 'signed_in', ...PERMISSIONS], name).toContain(access);
    }
  });

  const huge = 'x'.repeat(2_000_000);
  const hostile: [string, unknown][] = [
    ['undefined', undefined],
    ['null', null],
    ['number', 42],
    ['NaN', NaN],
    ['string', 'hello'],
    ['huge string', huge],
    ['array', []],
    ['huge array', new Array(200_000).fill(1)],
    ['extra key', { unexpected: true }],
    ['__proto__ key', JSON.parse('{"__proto__": {"admin": true}}')],
    ['constructor key', { constructor: { prototype: { polluted: true } } }],
    ['deep nesting', JSON.parse('['.repeat(5000) + ']'.repeat(5000))],
  ];

  it.each(CHANNELS)('%s: hostile input → bad_input, no crash, database unchanged', async (channel) => {
    const before = snapshot();
    const shape = (contract[channel].input as unknown as { shape: Record<string, unknown> }).shape;
    const keys = Object.keys(shape);
    const cases = [...hostile];
    // For each declared field: wrong types, NaN, infinities, huge values, objects where scalars belong.
    for (const key of keys) {
      for (const bad of [
        NaN,
        Infinity,
        -1e308,
        huge,
        ['a'],
        { nested: 1 },
        null,
        true,
        JSON.parse('{"__proto__":1}') as unknown,
      ]) {
        cases.push([`field ${key}`, { [key]: bad }]);
      }
    }
    if (keys.length === 0) cases.push(['any key on an empty input', { a: 1 }]);
    for (const [label, input] of cases) {
      const r = await station.gate.handle(ADMIN, channel, input);
      expect(r.ok, `${channel} accepted ${label}`).toBe(false);
      expectTypedError(r, 'bad_input');
    }
    expect(snapshot()).toBe(before);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('survives arbitrary generated input on every channel', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CHANNELS),
        fc.anything({ withNullPrototype: true, withBigInt: true }),
        async (channel, input) => {
          const before = snapshot();
          const r = await station.gate.handle(ADMIN, channel, input);
          if (!r.ok) {
            expect(ERROR_CODES).toContain(r.error.code);
            expect(snapshot()).toBe(before);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
