import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogRepo } from '../../../src/main/core/catalog/catalog-repo';
import { buildSearchMatch } from '../../../src/main/core/catalog/search-text';
import { unwrap } from '../../helpers/station';
import { addProducts, openCatalogStation, queryPlan, type CatalogStation } from './helpers';

let t: CatalogStation;

const PRODUCTS = [
  { plu: '1001', nameZh: '可口可乐 330ml', nameEn: 'Coca-Cola 330ml' },
  { plu: '1002', nameZh: '百事可乐', nameEn: 'Pepsi Cola' },
  { plu: '1003', nameZh: '乐事薯片 原味', nameEn: "Lay's Potato Chips" },
  { plu: '2001', nameZh: '可乐', nameEn: 'Cola' },
  { plu: '2002', nameZh: '可乐鸡翅', nameEn: 'Cola Chicken Wings' },
  { plu: '3001', nameZh: '快乐水', nameEn: 'Happy Water' },
  { plu: '4001', nameZh: '农夫山泉', nameEn: 'Nongfu Spring' },
  { plu: '5001', nameZh: '', nameEn: 'Oreo Cookies' },
];

const names = (items: { nameZh: string; nameEn: string }[]) => items.map((p) => p.nameZh || p.nameEn);
const search = (query: string, options?: { limit?: number; offset?: number }) =>
  t.station.catalog.search(query, options);

beforeAll(async () => {
  t = await openCatalogStation();
  addProducts(
    t.station,
    PRODUCTS.map((p) => ({ ...p, price: 500, taxCode: 'VAT13' })),
  );
  addProducts(t.station, [
    {
      plu: '9009',
      barcodes: ['4006381333931'],
      nameZh: '停售可乐',
      nameEn: 'Old Cola',
      price: 1,
      taxCode: 'VAT13',
      active: false,
    },
  ]);
});
afterAll(() => t.cleanup());

describe('search', () => {
  it('finds any part of a Chinese name, one character or more', () => {
    expect(names(search('乐').items)).toEqual(
      expect.arrayContaining(['可口可乐 330ml', '百事可乐', '乐事薯片 原味', '可乐', '可乐鸡翅', '快乐水']),
    );
    expect(names(search('可乐').items).sort()).toEqual(
      ['可乐', '可乐鸡翅', '可口可乐 330ml', '百事可乐'].sort(),
    );
    expect(names(search('山泉').items)).toEqual(['农夫山泉']);
  });

  it('finds Chinese names by pinyin initials', () => {
    expect(names(search('kl').items)).toEqual(
      expect.arrayContaining(['可乐', '可口可乐 330ml', '百事可乐', '快乐水']),
    );
    expect(names(search('kkkl').items)).toEqual(['可口可乐 330ml']);
    expect(names(search('KL').items)).toContain('可乐');
    expect(names(search('nfsq').items)).toEqual(['农夫山泉']);
  });

  it('finds English words by prefix, and several terms together', () => {
    expect(names(search('coca').items)).toEqual(['可口可乐 330ml']);
    expect(names(search('cola').items).sort()).toEqual(
      ['可乐', '可乐鸡翅', '可口可乐 330ml', '百事可乐'].sort(),
    );
    expect(names(search('cook').items)).toEqual(['Oreo Cookies']);
    expect(names(search('cola wing').items)).toEqual(['可乐鸡翅']);
    expect(names(search('可乐 330').items)).toEqual(['可口可乐 330ml']);
  });

  it('finds a PLU exactly or by its first digits', () => {
    expect(names(search('2002').items)).toEqual(['可乐鸡翅']);
    expect(names(search('100').items).sort()).toEqual(['乐事薯片 原味', '可口可乐 330ml', '百事可乐'].sort());
  });

  it('ranks exact PLU, then names starting with the query (shortest first), then the rest', () => {
    // "可乐" and "可乐鸡翅" start with the query; the others only contain it.
    expect(names(search('可乐').items).slice(0, 2)).toEqual(['可乐', '可乐鸡翅']);
    // A PLU typed in full comes before everything else.
    const byPlu = search('1001').items;
    expect(byPlu[0]?.plu).toBe('1001');
    // Names starting with "c": Cola (English), 可乐 initials "kl" do not; shortest name first.
    expect(names(search('c').items)[0]).toBe('可乐');
  });

  it('finds a barcode typed into the search box', () => {
    addProducts(t.station, [
      { barcodes: ['036000291452'], nameZh: '测试条码', nameEn: 'Barcode Test', price: 1, taxCode: 'VAT13' },
    ]);
    expect(names(search('0036000291452').items)).toEqual(['测试条码']);
  });

  it('leaves inactive products out', () => {
    expect(names(search('停售').items)).toEqual([]);
    expect(names(search('4006381333931').items)).toEqual([]);
  });

  it('returns nothing for an empty or unsearchable query', () => {
    expect(search('')).toEqual({ items: [], hasMore: false });
    expect(search(' ,.!? ')).toEqual({ items: [], hasMore: false });
    expect(search('"*^:()').items).toEqual([]);
  });

  it('pages through tiers without gaps or repeats', () => {
    addProducts(
      t.station,
      Array.from({ length: 37 }, (_, i) => ({
        plu: `70${String(i).padStart(2, '0')}`,
        // Some start with 测试 (first tier), some only contain it; lengths vary.
        nameZh: i % 3 === 0 ? `测试商品${'甲'.repeat(i % 5)}${i}` : `新${'乙'.repeat(i % 4)}测试${i}`,
        nameEn: `Paging ${i}`,
        price: 100,
        taxCode: 'VAT13',
      })),
    );
    const all = search('测试', { limit: 50 }).items.map((p) => p.id);
    expect(all).toHaveLength(38); // 37 + "测试条码"
    const paged: string[] = [];
    for (let offset = 0; ; offset += 7) {
      const page = search('测试', { limit: 7, offset });
      paged.push(...page.items.map((p) => p.id));
      expect(page.hasMore).toBe(offset + 7 < 38);
      if (!page.hasMore) break;
    }
    expect(paged).toEqual(all);
    const names38 = search('测试', { limit: 50 }).items.map((p) => p.nameZh);
    const firstTier = names38.filter((n) => n.startsWith('测试'));
    expect(names38.slice(0, firstTier.length)).toEqual(firstTier);
  });

  it('caps limit and offset', () => {
    expect(search('测试', { limit: 500 }).items.length).toBeLessThanOrEqual(50);
    expect(search('测试', { offset: 1e9 }).items).toEqual([]);
  });
});

describe('search index upkeep', () => {
  it('follows products written by anyone, through the triggers', () => {
    const db = t.station.db;
    const tax = db.prepare("SELECT id FROM tax_rates WHERE code = 'VAT13'").pluck().get() as string;
    // Like the demo seeder: a plain INSERT, not through the catalog.
    db.prepare(
      `INSERT INTO products (id, plu, name_zh, name_en, pinyin_initials, unit, price, tax_rate_id, updated_at)
       VALUES ('01890a5d-ac96-774b-bcce-b302099a8057', 'X1', '冰红茶', 'Iced Tea', 'bhc', 'piece', 350, ?, 'now')`,
    ).run(tax);
    expect(names(search('红茶').items)).toEqual(['冰红茶']);
    expect(names(search('bhc').items)).toEqual(['冰红茶']);

    db.prepare("UPDATE products SET name_zh = '冰绿茶', pinyin_initials = 'blc' WHERE plu = 'X1'").run();
    expect(names(search('红茶').items)).toEqual([]);
    expect(names(search('绿茶').items)).toEqual(['冰绿茶']);

    db.prepare("UPDATE products SET active = 0 WHERE plu = 'X1'").run();
    expect(names(search('绿茶').items)).toEqual([]);
    db.prepare("UPDATE products SET active = 1 WHERE plu = 'X1'").run();
    expect(names(search('绿茶').items)).toEqual(['冰绿茶']);

    db.prepare("DELETE FROM products WHERE plu = 'X1'").run();
    expect(names(search('绿茶').items)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM product_search_pending').pluck().get()).toBe(0);
  });

  it('keeps one index row per product after renames through the catalog', () => {
    addProducts(t.station, [{ plu: 'R1', nameZh: '旧名字', nameEn: 'Old Name', price: 1, taxCode: 'VAT13' }]);
    addProducts(t.station, [
      { plu: 'R1', nameZh: '新名字很长很长', nameEn: 'New Name', price: 1, taxCode: 'VAT13' },
    ]);
    expect(names(search('旧名').items)).toEqual([]);
    expect(names(search('名字').items)).toEqual(['新名字很长很长']);
    const products = t.station.db
      .prepare('SELECT count(*) FROM products WHERE active = 1')
      .pluck()
      .get() as number;
    const indexed = t.station.db
      .prepare('SELECT count(*) FROM product_search WHERE product_search MATCH ?')
      .pluck()
      .get('hd : "\u01c2r1"');
    expect(indexed).toBe(1);
    expect(
      t.station.db.prepare('SELECT count(*) FROM product_search_ids').pluck().get(),
    ).toBeGreaterThanOrEqual(products);
  });
});

describe('query plans', () => {
  it('searches through the FTS index and reads the page by primary keys', () => {
    const repo = new CatalogRepo(t.station.db);
    expect(queryPlan(t.station, repo.searchPage.source)).toMatch(/SCAN product_search VIRTUAL TABLE INDEX/);
    expect(queryPlan(t.station, repo.bySearchId.source)).toMatch(
      /SEARCH s USING INTEGER PRIMARY KEY \(rowid=\?\)/,
    );
    expect(queryPlan(t.station, repo.bySearchId.source)).not.toMatch(/\bSCAN\b/);
    expect(queryPlan(t.station, repo.productIdsByPlu.source)).toMatch(
      /SEARCH p USING INDEX sqlite_autoindex_products_2 \(plu=\?\)/,
    );
    expect(queryPlan(t.station, repo.barcodeOwners.source)).toMatch(/SEARCH b USING PRIMARY KEY \(code=\?\)/);
  });

  it('keeps the pending queue the outer loop (not a scan of every product)', () => {
    const plan = queryPlan(t.station, new CatalogRepo(t.station.db).pendingBatch.source);
    expect(plan).toMatch(/^SCAN q/);
    expect(plan).toMatch(/SEARCH p USING INDEX sqlite_autoindex_products_1 \(id=\?\)/);
  });

  it('builds MATCH expressions SQLite accepts for odd input', () => {
    for (const q of [
      'a',
      'ab',
      'abc',
      '可',
      '可乐3',
      'coca-c',
      '1',
      '１２３',
      'é',
      'x y z',
      'a'.repeat(30),
      '可'.repeat(12),
    ]) {
      const match = buildSearchMatch(q)!;
      expect(() => t.station.catalog.search(q)).not.toThrow();
      expect(match.all.length).toBeGreaterThan(0);
    }
  });
});

describe('through the gate', () => {
  it('returns a page of summaries', async () => {
    const r = unwrap(await t.admin('catalog:search', { query: '可乐', limit: 2 }));
    expect(r.items).toHaveLength(2);
    expect(r.hasMore).toBe(true);
    expect(r.items[0]).toMatchObject({ nameZh: '可乐', price: 500, taxCode: 'VAT13', taxRatePpm: 130_000 });
  });

  it('refuses a limit above 50 and unknown keys', async () => {
    expect((await t.admin('catalog:search', { query: 'x', limit: 51 })).ok).toBe(false);
    expect((await t.admin('catalog:search', { query: 'x', extra: 1 } as never)).ok).toBe(false);
  });
});
