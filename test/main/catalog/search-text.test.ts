import { describe, expect, it } from 'vitest';
import { barcodeKey, tryBarcodeKey } from '../../../src/main/core/catalog/barcode-key';
import { uuidv7 } from '../../../src/main/core/catalog/ids';
import { pinyinInitials } from '../../../src/main/core/catalog/pinyin';
import {
  DuplicateTracker,
  prepareProduct,
  type PreparedProduct,
} from '../../../src/main/core/catalog/product-input';
import {
  buildSearchMatch,
  SEARCH_ID_RANGE,
  searchColumns,
  searchIdBase,
  searchTokens,
} from '../../../src/main/core/catalog/search-text';
import { IdSchema } from '../../../src/shared/ipc/schemas';

describe('pinyin initials', () => {
  it('reads characters in context and keeps Latin letters and digits', () => {
    expect(pinyinInitials('可口可乐 330ml')).toBe('kkkl330ml');
    expect(pinyinInitials('可乐')).toBe('kl');
    expect(pinyinInitials('重庆小面')).toBe('cqxm');
    expect(pinyinInitials('鸡蛋（散装）')).toBe('jdsz');
    expect(pinyinInitials('ＡＢＣ１２３ Coca-Cola')).toBe('abc123cocacola');
  });
});

describe('search tokens', () => {
  it('makes every CJK character a token and keeps Latin words whole', () => {
    expect(searchTokens('可口可乐 330ml')).toEqual(['可', '口', '可', '乐', '330ml']);
    expect(searchTokens("Lay's Coca-Cola")).toEqual(['lay', 's', 'coca', 'cola']);
    expect(searchTokens('ＣＯＬＡ，可乐！')).toEqual(['cola', '可', '乐']);
  });

  it('indexes pinyin as pairs and every "starts with" key', () => {
    const columns = searchColumns('可口可乐', 'Coca-Cola', 'kkkl', '1001');
    expect(columns.zh).toBe('可 口 可 乐');
    expect(columns.py).toBe('kk kk kl l');
    expect(columns.hd).not.toContain('cocac');
    const keys = columns.hd.split(' ').map((key) => key.replace(/^\u01c2/, ''));
    expect(columns.hd.split(' ').every((key) => key.startsWith('\u01c2'))).toBe(true);
    expect(keys).toEqual(
      expect.arrayContaining(['可', '可口', '可口可乐', 'c', 'coca', 'k', 'kkkl', '1', '100', '1001']),
    );
  });

  it('ranks shorter names into lower search ids', () => {
    expect(searchIdBase('可乐', '')).toBeLessThan(searchIdBase('可口可乐', ''));
    expect(searchIdBase('', 'Cola')).toBe(4 * SEARCH_ID_RANGE);
    expect(Number.isSafeInteger(searchIdBase('长'.repeat(5000), '') + SEARCH_ID_RANGE)).toBe(true);
  });
});

describe('query → MATCH expression', () => {
  it('searches Chinese substrings, pinyin pairs and name starts', () => {
    const match = buildSearchMatch('可乐')!;
    expect(match.all).toContain('{zh en} : "可 乐"');
    expect(match.head).toBe('(hd : "\u01c2可乐")');
    expect(buildSearchMatch('kkl')!.all).toContain('py : "kk kl"');
  });

  it('never lets user text become FTS5 syntax', () => {
    for (const hostile of [
      '"',
      'a" OR "b',
      'NEAR(a b)',
      '*',
      '^',
      'col:x',
      '{zh}:a',
      'a AND',
      '(((',
      'a - b',
    ]) {
      const match = buildSearchMatch(hostile);
      if (match === null) continue;
      // Only our own quotes remain: every quoted string is letters/digits separated by spaces.
      for (const quoted of match.all.match(/"[^"]*"/g) ?? []) expect(quoted).toMatch(/^"[\p{L}\p{N} ]*"$/u);
    }
    expect(buildSearchMatch('  !!! ')).toBeNull();
  });

  it('uses at most six terms', () => {
    const match = buildSearchMatch('a1 b2 c3 d4 e5 f6 g7 h8')!;
    expect(match.all.split(' AND ')).toHaveLength(6);
  });
});

describe('barcode keys', () => {
  it('stores every GTIN as its GTIN-14 and plain codes as given', () => {
    expect(barcodeKey('036000291452')).toBe('00036000291452');
    expect(barcodeKey('0036000291452')).toBe('00036000291452');
    expect(barcodeKey('4006381333931')).toBe('04006381333931');
    expect(barcodeKey('96385074')).toBe('00000096385074');
    expect(barcodeKey(' A-100 ')).toBe('A-100');
    expect(barcodeKey('12345')).toBe('12345');
  });

  it('refuses a wrong check digit and unscannable text', () => {
    expect(tryBarcodeKey('4006381333932')).toEqual({
      ok: false,
      reason: expect.stringContaining('check digit') as unknown,
    });
    expect(tryBarcodeKey('has space').ok).toBe(false);
    expect(tryBarcodeKey('').ok).toBe(false);
    expect(() => barcodeKey('036000291453')).toThrow(RangeError);
  });
});

describe('product checks', () => {
  const base = { plu: '1', nameZh: '可乐', price: 300, taxCode: 'VAT13' };

  it('accepts a minimal product and computes its keys', () => {
    const p = prepareProduct({ ...base, barcodes: ['036000291452', '0036000291452'] }, 2) as PreparedProduct;
    expect(p.barcodes).toEqual(['00036000291452']);
    expect(p.pinyinInitials).toBe('kl');
    expect(p.unit).toBe('piece');
  });

  it.each([
    [{ ...base, nameZh: 'x'.repeat(121) }, 'name longer'],
    [{ ...base, price: -1 }, 'price'],
    [{ ...base, price: 1.5 }, 'price'],
    [{ ...base, cost: Number.NaN }, 'cost'],
    [{ ...base, plu: 'a b' }, 'PLU'],
    [{ ...base, plu: null }, 'needs a PLU or a barcode'],
    [{ ...base, barcodes: ['4006381333932'] }, 'check digit'],
    [{ ...base, taxCode: '' }, 'tax code'],
    [{ ...base, nameZh: 'bad \uFFFD' }, 'UTF-8'],
  ])('rejects %j', (input, reason) => {
    expect(prepareProduct(input, 7)).toEqual({ line: 7, reason: expect.stringContaining(reason) as unknown });
  });

  it('finds a PLU or barcode used twice, naming the first line', () => {
    const tracker = new DuplicateTracker();
    const a = prepareProduct({ ...base, barcodes: ['4006381333931'] }, 2) as PreparedProduct;
    const b = prepareProduct({ ...base, plu: '2', barcodes: ['4006381333931'] }, 3) as PreparedProduct;
    const c = prepareProduct({ ...base, barcodes: [] }, 4) as PreparedProduct;
    expect(tracker.claim(a)).toBeNull();
    expect(tracker.claim(b)).toBe('barcode 04006381333931 already on line 2');
    expect(tracker.claim(c)).toBe('PLU 1 already on line 2');
  });
});

describe('ids', () => {
  it('makes valid, time-ordered UUIDv7s', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(IdSchema.safeParse(a).success).toBe(true);
    expect(a[14]).toBe('7');
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 2000 }, () => uuidv7())).size).toBe(2000);
  });
});
