/**
 * A set-up station for the sale tests: real SQLite in a temp dir, an admin, a supervisor and a cashier signed in
 * on their own connections, and a small catalog written straight into the 0002 tables.
 */
import { randomUUID } from 'node:crypto';
import type { Caller as CoreCaller } from '../../../src/main/core/auth/auth-service';
import { ManualClock } from '../../../src/main/core/clock';
import type { PaymentTerminal, TerminalOutcome } from '../../../src/main/core/sale/payment-terminal';
import type { Station } from '../../../src/main/core/station';
import { gs1CheckDigit, toGtin14 } from '../../../src/shared/domain/barcode';
import type { ErrorData, Result } from '../../../src/shared/domain/errors';
import type { Money } from '../../../src/shared/domain/money';
import { permissionsOf, type Role } from '../../../src/shared/domain/permissions';
import type { Settings } from '../../../src/main/core/settings';
import type { SaleView } from '../../../src/shared/ipc/channels/sale';
import { connect, openTestStation, TEST_SETUP, unwrap, type Caller } from '../../helpers/station';

export const SUPERVISOR_PIN = '2580';
export const CASHIER_PIN = '1111';

export const ean13 = (body12: string): string => body12 + String(gs1CheckDigit(body12));

export interface TestProduct {
  id: string;
  barcode: string | null;
  plu: string;
  price: number;
  unit: 'piece' | 'kg';
  ratePpm: number;
}

/** Prices in fen; tax-inclusive (TEST_SETUP is CNY, inclusive). */
export const PRODUCTS = {
  cola: {
    id: randomUUID(),
    barcode: ean13('690123456789'),
    plu: '101',
    price: 350,
    unit: 'piece',
    ratePpm: 130_000,
  },
  bread: {
    id: randomUUID(),
    barcode: ean13('690123456790'),
    plu: '102',
    price: 1200,
    unit: 'piece',
    ratePpm: 90_000,
  },
  gum: {
    id: randomUUID(),
    barcode: ean13('690123456791'),
    plu: '103',
    price: 199,
    unit: 'piece',
    ratePpm: 130_000,
  },
  apples: { id: randomUUID(), barcode: null, plu: '10001', price: 800, unit: 'kg', ratePpm: 90_000 },
} satisfies Record<string, TestProduct>;

/** In-store labels per the default China layout: 20–27 price in fen, 28–29 weight in grams, item = PLU. */
export const priceLabel = (plu: string, fen: number) =>
  ean13(`20${plu.padStart(5, '0')}${String(fen).padStart(5, '0')}`);
export const weightLabel = (plu: string, grams: number) =>
  ean13(`28${plu.padStart(5, '0')}${String(grams).padStart(5, '0')}`);

function insertCatalog(station: Station): void {
  const at = '2026-01-01T00:00:00.000Z';
  const db = station.db;
  db.transaction(() => {
    const rates = new Map<number, string>();
    for (const p of Object.values(PRODUCTS)) {
      if (!rates.has(p.ratePpm)) {
        const id = randomUUID();
        rates.set(p.ratePpm, id);
        db.prepare(
          'INSERT INTO tax_rates (id, code, name_zh, name_en, rate_ppm, active, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?)',
        ).run(
          id,
          `VAT${p.ratePpm}`,
          `增值税${p.ratePpm / 10_000}%`,
          `VAT ${p.ratePpm / 10_000}%`,
          p.ratePpm,
          at,
        );
      }
    }
    for (const [key, p] of Object.entries(PRODUCTS)) {
      db.prepare(
        `INSERT INTO products (id, plu, name_zh, name_en, unit, price, cost, tax_rate_id, active, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, NULL, ?, 1, ?)`,
      ).run(p.id, p.plu, `商品${key}`, key, p.unit, p.price, rates.get(p.ratePpm), at);
      if (p.barcode)
        db.prepare('INSERT INTO barcodes (code, product_id) VALUES (?, ?)').run(toGtin14(p.barcode), p.id);
    }
  })();
}

/** A card terminal that answers from a script (test only: production never simulates an approval). */
export class ScriptedTerminal implements PaymentTerminal {
  readonly calls: {
    kind: 'pay' | 'refund' | 'status';
    amount: number;
    reference: string;
    original?: string;
  }[] = [];
  private readonly script: TerminalOutcome[] = [];
  private seq = 0;

  then(...outcomes: TerminalOutcome[]): this {
    this.script.push(...outcomes);
    return this;
  }
  private next(): TerminalOutcome {
    this.seq += 1;
    return (
      this.script.shift() ?? { status: 'approved', approvalCode: `AUTH${String(this.seq).padStart(4, '0')}` }
    );
  }
  requestPayment(amount: Money, reference: string): Promise<TerminalOutcome> {
    this.calls.push({ kind: 'pay', amount, reference });
    return Promise.resolve(this.next());
  }
  requestRefund(amount: Money, reference: string, original: string): Promise<TerminalOutcome> {
    this.calls.push({ kind: 'refund', amount, reference, original });
    return Promise.resolve(this.next());
  }
  /** What a status query answers per payment id (unset: no request known). */
  readonly statusOf = new Map<string, TerminalOutcome>();
  checkStatus(reference: string): Promise<TerminalOutcome | null> {
    this.calls.push({ kind: 'status', amount: 0, reference });
    return Promise.resolve(this.statusOf.get(reference) ?? null);
  }
}

export interface SaleFixture {
  station: Station;
  dataDir: string;
  admin: Caller;
  /** The cashier's connection (role cashier: sale.operate, refund.with_receipt). */
  till: Caller;
  /** The supervisor's own connection. */
  sup: Caller;
  adminId: string;
  cashierId: string;
  supervisorId: string;
  events: SaleView[];
  setSettings(values: Partial<Settings>): void;
  /** Moves the station's clock forward. */
  advance(ms: number): void;
  cleanup(): void;
}

export async function openSaleStation(dataDir?: string): Promise<SaleFixture> {
  const clock = new ManualClock();
  const test = openTestStation(dataDir === undefined ? { clock } : { dataDir, clock });
  const { station } = test;
  const admin = connect(station, 'admin');
  const adminSession = unwrap(await admin('setup:complete', TEST_SETUP));
  const sup = unwrap(
    await admin('staff:create', { name: '李主管', role: 'supervisor', pin: SUPERVISOR_PIN }),
  );
  const cashier = unwrap(await admin('staff:create', { name: '王芳', role: 'cashier', pin: CASHIER_PIN }));
  insertCatalog(station);
  // Checkout is tested without drawer accountability; the shift tests (test/main/shift) cover cash and shifts.
  station.db.transaction(() =>
    station.shifts.config.set({ ...station.shifts.config.get(), requireShiftForCash: false }, new Date()),
  )();
  const till = connect(station, 'till');
  unwrap(await till('auth:sign-in', { userId: cashier.id, pin: CASHIER_PIN }));
  const supConn = connect(station, 'sup');
  unwrap(await supConn('auth:sign-in', { userId: sup.id, pin: SUPERVISOR_PIN }));
  const events: SaleView[] = [];
  station.events.on((e) => {
    if (e.name === 'sale:changed' && e.payload.cart) events.push(e.payload.cart);
  });
  return {
    station,
    dataDir: test.dataDir,
    admin,
    till,
    sup: supConn,
    adminId: adminSession.user.id,
    cashierId: cashier.id,
    supervisorId: sup.id,
    events,
    advance: (ms) => clock.advance(ms),
    setSettings: (values) => station.db.transaction(() => station.settings.set(values, new Date()))(),
    cleanup: test.cleanup,
  };
}

/** A core-level caller (for the crash child and direct service calls). */
export function coreCaller(station: Station, userId: string, role: Role): CoreCaller {
  const name = station.auth.users.get(userId)?.name ?? '';
  return {
    connectionId: `core-${userId}`,
    user: { id: userId, name, role },
    permissions: new Set(permissionsOf(role)),
    locked: false,
  };
}

export function failure(r: Result<unknown>): ErrorData {
  if (r.ok) throw new Error(`expected a failure, got ok: ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

/** The approval request id a permission_denied answer carries. */
export function requestIdOf(r: Result<unknown>): string {
  const error = failure(r);
  if (error.code !== 'permission_denied')
    throw new Error(`expected permission_denied, got ${error.code}: ${error.message}`);
  const id = error.details?.approvalRequestId;
  if (typeof id !== 'string') throw new Error('permission_denied without an approvalRequestId');
  return id;
}

export function count(station: Station, sql: string, ...params: unknown[]): number {
  return station.db
    .prepare(sql)
    .pluck()
    .get(...params) as number;
}
