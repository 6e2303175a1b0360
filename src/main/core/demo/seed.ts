import { randomUUID } from 'node:crypto';
import { permissionsOf, type Role } from '../../../shared/domain/permissions';
import type { Caller } from '../auth/auth-service';
import { hashPin } from '../auth/pin-hash';
import type { Station } from '../station';
import { DEMO_CATEGORIES, DEMO_TAX_RATES } from './catalog-data';
import { buildDemoCatalog, DEMO_SEED, demoUuid } from './demo-catalog';
import { barcodeKey } from '../catalog/barcode-key';

export interface DemoStaffMember {
  name: string;
  role: Role;
  pin: string;
}

/**
 * The demo store's staff and their PINs. Demo only: these PINs are public, so `seedDemo` never runs on a
 * station that is already set up, and a real shop starts with first-run setup instead.
 */
export const DEMO_STAFF = [
  { name: '王芳 Wang Fang', role: 'cashier', pin: '1111' },
  { name: '李强 Li Qiang', role: 'supervisor', pin: '2222' },
  { name: '张伟 Zhang Wei', role: 'manager', pin: '3333' },
  { name: '陈静 Chen Jing', role: 'technician', pin: '4444' },
  { name: 'Admin', role: 'admin', pin: '9999' },
] as const satisfies readonly DemoStaffMember[];

export const DEMO_SETTINGS = {
  storeName: '示例便利店 Demo Mart',
  currency: 'CNY',
  locale: 'zh-CN',
  taxMode: 'inclusive',
} as const;

/** The demo drawer's opening float: ¥500 in notes and coins (src/main/core/shift denominations). */
export const DEMO_FLOAT = { denominations: { n100: 3, n50: 2, n10: 5, c100: 40, c050: 20 } } as const;

function demoCaller(member: { id: string; name: string; role: Role }): Caller {
  return {
    connectionId: 'demo-seed',
    user: { id: member.id, name: member.name, role: member.role },
    permissions: new Set(permissionsOf(member.role)),
    locked: false,
  };
}

export interface SeedDemoResult {
  /** False when the station was already set up (nothing was written). */
  seeded: boolean;
  staff: number;
  taxRates: number;
  categories: number;
  products: number;
  barcodes: number;
}

const NOT_SEEDED: SeedDemoResult = {
  seeded: false,
  staff: 0,
  taxRates: 0,
  categories: 0,
  products: 0,
  barcodes: 0,
};

/**
 * Turns a station that has not been set up into the demo convenience store: settings, staff, tax rates,
 * categories and about 300 products, in ONE transaction with its audit rows. A station that is already set up
 * (by a person or by an earlier demo run) is left untouched, so running it twice changes nothing.
 */
export async function seedDemo(station: Station): Promise<SeedDemoResult> {
  if (station.setup.isSetUp()) return NOT_SEEDED;
  // scrypt is slow on purpose and async: hash before the (synchronous) transaction.
  const staff = await Promise.all(
    DEMO_STAFF.map(async (member) => ({ ...member, id: randomUUID(), pinHash: await hashPin(member.pin) })),
  );
  const admin = staff.find((s) => s.role === 'admin');
  if (!admin) throw new Error('The demo staff needs an administrator');
  const products = buildDemoCatalog();
  const now = station.clock.now();
  const at = now.toISOString();
  const { db, journal, settings } = station;

  const insertTax = db.prepare(
    'INSERT INTO tax_rates (id, code, name_zh, name_en, rate_ppm, active, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?)',
  );
  const insertCategory = db.prepare(
    'INSERT INTO categories (id, name_zh, name_en, updated_at) VALUES (?, ?, ?, ?)',
  );
  const insertProduct = db.prepare(
    `INSERT INTO products (id, plu, name_zh, name_en, pinyin_initials, category_id, unit, price, cost, tax_rate_id, active, updated_at)
     VALUES (@id, @plu, @nameZh, @nameEn, @pinyinInitials, @categoryId, @unit, @price, @cost, @taxRateId, 1, @at)`,
  );
  const insertBarcode = db.prepare('INSERT INTO barcodes (code, product_id) VALUES (?, ?)');

  const taxId = (code: string) => demoUuid(`tax:${code}`);
  const categoryId = (code: string) => demoUuid(`category:${code}`);

  const seed = db.transaction((): SeedDemoResult => {
    // Checked again inside the transaction: a person may have finished setup while the PINs were hashed.
    if (station.setup.isSetUp()) return NOT_SEEDED;
    settings.set({ ...DEMO_SETTINGS, setupCompletedAt: at }, now);
    for (const member of staff) station.auth.insertUser(member.id, member.name, member.role, member.pinHash);
    for (const t of DEMO_TAX_RATES) insertTax.run(taxId(t.code), t.code, t.nameZh, t.nameEn, t.ratePpm, at);
    for (const c of DEMO_CATEGORIES) insertCategory.run(categoryId(c.code), c.nameZh, c.nameEn, at);
    let barcodes = 0;
    for (const p of products) {
      insertProduct.run({
        id: p.id,
        plu: p.plu,
        nameZh: p.nameZh,
        nameEn: p.nameEn,
        pinyinInitials: p.pinyinInitials,
        categoryId: categoryId(p.category),
        unit: p.unit,
        price: p.price,
        cost: p.cost,
        taxRateId: taxId(p.tax),
        at,
      });
      if (p.ean13 !== null) {
        insertBarcode.run(barcodeKey(p.ean13), p.id);
        barcodes += 1;
      }
    }
    const result: SeedDemoResult = {
      seeded: true,
      staff: staff.length,
      taxRates: DEMO_TAX_RATES.length,
      categories: DEMO_CATEGORIES.length,
      products: products.length,
      barcodes,
    };
    journal.audit({
      at: now,
      userId: admin.id,
      action: 'station.setup_completed',
      details: { ...DEMO_SETTINGS, adminName: admin.name, demo: true },
    });
    for (const member of staff) {
      if (member === admin) continue;
      journal.audit({
        at: now,
        userId: admin.id,
        action: 'staff.created',
        details: { staffId: member.id, name: member.name, role: member.role, demo: true },
      });
    }
    journal.audit({
      at: now,
      userId: admin.id,
      action: 'catalog.demo_seeded',
      details: {
        seed: DEMO_SEED,
        taxRates: result.taxRates,
        categories: result.categories,
        products: result.products,
        barcodes,
      },
    });
    // The demo cashier's drawer is open with a counted ¥500 float, so the demo sells cash at once.
    const cashier = staff.find((s) => s.role === 'cashier');
    if (cashier) station.shifts.open(demoCaller(cashier), { denominations: { ...DEMO_FLOAT.denominations } });
    return result;
  });

  try {
    return seed();
  } catch (err) {
    settings.invalidate();
    throw err;
  }
}
