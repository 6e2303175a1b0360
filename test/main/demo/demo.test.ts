import { afterEach, describe, expect, it } from 'vitest';
import {
  buildDemoCatalog,
  DEMO_CATEGORIES,
  DEMO_FIXED_PRODUCTS,
  DEMO_PRODUCT_COUNT,
  DEMO_SETTINGS,
  DEMO_STAFF,
  DEMO_TAX_RATES,
  demoUuid,
  seedDemo,
} from '../../../src/main/core/demo';
import { isValidGtin, toGtin14 } from '../../../src/shared/domain/barcode';
import { auditHash, GENESIS_HASH, type AuditRow } from '../../../src/main/core/journal';
import { connect, openTestStation, TEST_SETUP, unwrap, type TestStation } from '../../helpers/station';

const opened: TestStation[] = [];
afterEach(() => {
  for (const ts of opened.splice(0)) ts.cleanup();
});

function station(): TestStation {
  const ts = openTestStation();
  opened.push(ts);
  return ts;
}

function count(ts: TestStation, table: string): number {
  // Table names come from this file, never from input.
  return ts.station.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('demo catalog', () => {
  const catalog = buildDemoCatalog();

  it('is deterministic, ids included', () => {
    expect(buildDemoCatalog()).toEqual(catalog);
    expect(demoUuid('product:Banana')).toBe(demoUuid('product:Banana'));
    expect(demoUuid('product:Banana')).toMatch(UUID);
  });

  it(`has ${DEMO_PRODUCT_COUNT} products, the fixed ones first`, () => {
    expect(catalog).toHaveLength(DEMO_PRODUCT_COUNT);
    const fixed = Object.values(DEMO_FIXED_PRODUCTS);
    expect(catalog.slice(0, fixed.length).map((p) => p.nameEn)).toEqual(fixed.map((p) => p.nameEn));
    expect(DEMO_FIXED_PRODUCTS.highlighter.ean13).toBe('4006381333931');
  });

  it('covers every category and tax rate', () => {
    expect(new Set(catalog.map((p) => p.category))).toEqual(new Set(DEMO_CATEGORIES.map((c) => c.code)));
    expect(new Set(catalog.map((p) => p.tax))).toEqual(new Set(DEMO_TAX_RATES.map((t) => t.code)));
  });

  it('gives every product names, initials, a price above cost and a unique id', () => {
    for (const p of catalog) {
      expect(p.nameZh.trim()).not.toBe('');
      expect(p.nameEn.trim()).not.toBe('');
      expect(p.pinyinInitials).toMatch(/^[a-z0-9]+$/);
      expect(p.id).toMatch(UUID);
      expect(Number.isSafeInteger(p.price) && p.price > 0).toBe(true);
      expect(Number.isSafeInteger(p.cost) && p.cost > 0 && p.cost < p.price).toBe(true);
    }
    expect(new Set(catalog.map((p) => p.id)).size).toBe(catalog.length);
  });

  it('gives packaged goods valid, unique EAN-13s (China 690–695, one German example) and loose goods PLUs', () => {
    const codes = catalog.flatMap((p) => (p.ean13 ? [p.ean13] : []));
    expect(codes.length).toBeGreaterThan(200);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(isValidGtin(code)).toBe(true);
      if (code !== '4006381333931') expect(code).toMatch(/^69[0-5]/);
    }
    const plus = catalog.flatMap((p) => (p.plu ? [p.plu] : []));
    expect(new Set(plus).size).toBe(plus.length);
    for (const p of catalog) {
      expect(p.ean13 !== null || p.plu !== null).toBe(true);
      if (p.unit === 'kg') {
        expect(p.category).toBe('fresh');
        expect(p.plu).toMatch(/^\d{4}$/);
        expect(p.ean13).toBeNull();
      }
    }
    expect(catalog.filter((p) => p.unit === 'kg').length).toBeGreaterThan(20);
  });
});

describe('seedDemo', () => {
  it('sets up the demo store in one go', async () => {
    const ts = station();
    const result = await seedDemo(ts.station);
    expect(result).toEqual({
      seeded: true,
      staff: DEMO_STAFF.length,
      taxRates: 4,
      categories: DEMO_CATEGORIES.length,
      products: DEMO_PRODUCT_COUNT,
      barcodes: result.barcodes,
    });
    expect(count(ts, 'products')).toBe(DEMO_PRODUCT_COUNT);
    expect(count(ts, 'barcodes')).toBe(result.barcodes);
    expect(count(ts, 'users')).toBe(DEMO_STAFF.length);

    const status = unwrap(await connect(ts.station, 'c1')('app:status', {}));
    expect(status).toMatchObject({ ...DEMO_SETTINGS, setupRequired: false, session: null });
  });

  it('stores valid barcodes as GTIN-14 keys and complete product rows', async () => {
    const ts = station();
    await seedDemo(ts.station);
    const codes = ts.station.db.prepare<[], { code: string }>('SELECT code FROM barcodes').all();
    for (const { code } of codes) {
      expect(code).toMatch(/^0\d{13}$/);
      expect(isValidGtin(code.slice(1))).toBe(true);
    }
    const incomplete = ts.station.db
      .prepare<[], { n: number }>(
        `SELECT count(*) AS n FROM products
         WHERE name_zh = '' OR name_en = '' OR pinyin_initials = '' OR category_id IS NULL OR cost >= price`,
      )
      .get()!.n;
    expect(incomplete).toBe(0);
  });

  it('has the fixed products under their codes, with their prices and tax rates', async () => {
    const ts = station();
    await seedDemo(ts.station);
    const byBarcode = ts.station.db.prepare<
      [string],
      { name_en: string; price: number; rate_ppm: number; unit: string }
    >(
      `SELECT p.name_en, p.price, t.rate_ppm, p.unit FROM barcodes b
       JOIN products p ON p.id = b.product_id JOIN tax_rates t ON t.id = p.tax_rate_id WHERE b.code = ?`,
    );
    expect(byBarcode.get(toGtin14(DEMO_FIXED_PRODUCTS.cola.ean13) ?? '')).toEqual({
      name_en: 'Coca-Cola 330ml',
      price: 300,
      rate_ppm: 130_000,
      unit: 'piece',
    });
    expect(byBarcode.get('04006381333931')?.name_en).toBe(DEMO_FIXED_PRODUCTS.highlighter.nameEn);
    expect(byBarcode.get(toGtin14(DEMO_FIXED_PRODUCTS.milk.ean13) ?? '')?.rate_ppm).toBe(90_000);

    const byPlu = ts.station.db.prepare<
      [string],
      { name_zh: string; unit: string; price: number; rate_ppm: number }
    >(
      'SELECT p.name_zh, p.unit, p.price, t.rate_ppm FROM products p JOIN tax_rates t ON t.id = p.tax_rate_id WHERE p.plu = ?',
    );
    expect(byPlu.get(DEMO_FIXED_PRODUCTS.banana.plu)).toEqual({
      name_zh: '香蕉',
      unit: 'kg',
      price: 690,
      rate_ppm: 90_000,
    });
    expect(byPlu.get(DEMO_FIXED_PRODUCTS.tomato.plu)?.rate_ppm).toBe(0);
    expect(byPlu.get(DEMO_FIXED_PRODUCTS.parcelFee.plu)?.rate_ppm).toBe(60_000);
  });

  it('lets every demo staff member sign in with the documented PIN, and not with another', async () => {
    const ts = station();
    await seedDemo(ts.station);
    const call = connect(ts.station, 'till');
    const users = unwrap(await call('auth:users', {}));
    expect(users.map((u) => u.name).sort()).toEqual(DEMO_STAFF.map((s) => s.name).sort());
    for (const member of DEMO_STAFF) {
      const user = users.find((u) => u.name === member.name)!;
      const session = unwrap(await call('auth:sign-in', { userId: user.id, pin: member.pin }));
      expect(session.user).toMatchObject({ name: member.name, role: member.role });
    }
    const cashier = users.find((u) => u.role === 'cashier')!;
    expect(await call('auth:sign-in', { userId: cashier.id, pin: '9999' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_pin' },
    });
  });

  it('writes its audit rows on an intact hash chain', async () => {
    const ts = station();
    await seedDemo(ts.station);
    const rows = ts.station.db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').all();
    expect(rows.map((r) => r.action)).toEqual([
      'station.setup_completed',
      'staff.created',
      'staff.created',
      'staff.created',
      'staff.created',
      'catalog.demo_seeded',
      'shift.opened',
    ]);
    let prev = GENESIS_HASH;
    for (const row of rows) {
      expect(row.prev_hash).toBe(prev);
      expect(auditHash(row)).toBe(row.hash);
      prev = row.hash;
    }
    // Every audit row is queued, plus the demo drawer's `shift.opened` event.
    expect(count(ts, 'outbox')).toBe(rows.length + 1);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const ts = station();
    await seedDemo(ts.station);
    const tables = [
      'products',
      'barcodes',
      'users',
      'tax_rates',
      'categories',
      'audit_log',
      'outbox',
      'settings',
    ];
    const before = tables.map((t) => count(ts, t));
    expect((await seedDemo(ts.station)).seeded).toBe(false);
    expect(tables.map((t) => count(ts, t))).toEqual(before);
  });

  it('survives a restart: seeding the reopened station does nothing', async () => {
    const first = station();
    await seedDemo(first.station);
    first.station.close();
    const reopened = openTestStation({ dataDir: first.dataDir });
    try {
      expect((await seedDemo(reopened.station)).seeded).toBe(false);
      expect(count(reopened, 'products')).toBe(DEMO_PRODUCT_COUNT);
    } finally {
      reopened.station.close();
    }
  });

  it('leaves a station that a person set up alone', async () => {
    const ts = station();
    unwrap(await connect(ts.station, 'c1')('setup:complete', TEST_SETUP));
    expect((await seedDemo(ts.station)).seeded).toBe(false);
    expect(count(ts, 'products')).toBe(0);
    expect(count(ts, 'users')).toBe(1);
    expect(ts.station.settings.get('storeName')).toBe(TEST_SETUP.storeName);
  });

  it('writes nothing when any part fails (one transaction)', async () => {
    const ts = station();
    // A category row with the id the demo will use makes its INSERT fail half-way through the seeding.
    ts.station.db
      .prepare(
        "INSERT INTO categories (id, name_zh, name_en, updated_at) VALUES (?, '占位', 'Placeholder', '2026-01-01')",
      )
      .run(demoUuid('category:frozen'));
    await expect(seedDemo(ts.station)).rejects.toThrow();
    expect(ts.station.setup.isSetUp()).toBe(false);
    expect(ts.station.settings.get('storeName')).toBeNull();
    for (const table of ['users', 'tax_rates', 'products', 'barcodes', 'audit_log', 'outbox']) {
      expect(count(ts, table)).toBe(0);
    }
    expect(count(ts, 'categories')).toBe(1);
  });
});
