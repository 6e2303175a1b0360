import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { allocateRefund, type PaidTender } from '../../../src/main/core/sale/refund-allocation';
import { unwrap } from '../../helpers/station';
import { coreCaller, count, failure, openSaleStation, PRODUCTS, type SaleFixture } from './fixture';

let fx: SaleFixture | undefined;
afterEach(() => {
  fx?.cleanup();
  fx = undefined;
});

describe('completed sales are immutable', () => {
  it('refuses any change to a completed sale, its lines and payments, in SQL and in the service', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    unwrap(await till('sale:add-tender', { tender: 'cash', amount: 1200 }));
    const sale = unwrap(await till('sale:complete', {}));
    const db = station.db;
    const attempts: [string, unknown[]][] = [
      ['UPDATE sales SET total = 1 WHERE id = ?', [sale.id]],
      ["UPDATE sales SET status = 'open' WHERE id = ?", [sale.id]],
      ['DELETE FROM sales WHERE id = ?', [sale.id]],
      ['UPDATE sale_lines SET unit_price = 1 WHERE sale_id = ?', [sale.id]],
      ['UPDATE sale_lines SET voided = 1, voided_at = ? WHERE sale_id = ?', ['x', sale.id]],
      ['DELETE FROM sale_lines WHERE sale_id = ?', [sale.id]],
      ['UPDATE payments SET amount = 1 WHERE sale_id = ?', [sale.id]],
      ['DELETE FROM payments WHERE sale_id = ?', [sale.id]],
      ['UPDATE stock_movements SET delta_milli = 5', []],
      ['DELETE FROM stock_movements', []],
      ['UPDATE receipt_counters SET last_seq = last_seq + 5', []],
      ['UPDATE receipt_counters SET last_seq = last_seq - 1', []],
    ];
    for (const [sql, params] of attempts) {
      expect(() => db.prepare(sql).run(...params), sql).toThrow(/immutable|never|append-only|forward/);
    }
    expect(() =>
      db
        .prepare(
          `INSERT INTO sale_lines (id, sale_id, position, product_id, name_zh, name_en, unit, tax_rate_id, tax_rate_ppm,
             qty_milli, qty_source, stock_qty_milli, list_price, unit_price, added_by, created_at, updated_at)
           VALUES ('x', ?, 9, 'p', 'n', 'n', 'piece', 't', 0, 1000, 'count', 1000, 1, 1, ?, 'now', 'now')`,
        )
        .run(sale.id, fx!.cashierId),
    ).toThrow(/immutable/);
    expect(unwrap(await till('sale:get', { ref: sale.id }))).toEqual(sale);
    // The service has no open sale to change: the completed one is out of reach of every cart call.
    expect(failure(await till('sale:void-line', { lineId: sale.lines[0]!.id })).code).toBe('not_found');
    expect(failure(await till('sale:complete', {})).code).toBe('not_found');
  });
});

describe('receipt numbers', () => {
  it('are gapless per station and series, even when completions fail in between', async () => {
    fx = await openSaleStation();
    const { station, cashierId } = fx;
    const cashier = coreCaller(station, cashierId, 'cashier');
    const { cart, checkout } = station.sales;
    for (let i = 0; i < 40; i++) {
      cart.scan(cashier, PRODUCTS.gum.barcode);
      checkout.startTender(cashier);
      if (i % 7 === 3) {
        // Short tender: the completion fails and must not take a number.
        await checkout.addTender(cashier, { tender: 'cash', amount: 100 });
        expect(() => checkout.complete(cashier)).toThrow(/do not cover/);
        await checkout.addTender(cashier, { tender: 'cash', amount: 100 });
      } else {
        await checkout.addTender(cashier, { tender: 'cash', amount: 199 });
      }
      checkout.complete(cashier);
    }
    const numbers = station.db
      .prepare("SELECT receipt_no FROM sales WHERE status = 'completed' ORDER BY receipt_seq")
      .pluck()
      .all() as string[];
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => `S-${String(i + 1).padStart(6, '0')}`));
    expect(count(station, "SELECT last_seq FROM receipt_counters WHERE series = 'S'")).toBe(40);
  });

  it('has query plans that use the indexes for the hot lookups', async () => {
    fx = await openSaleStation();
    const plan = (sql: string) =>
      (fx!.station.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    expect(
      plan(
        "SELECT * FROM sales WHERE station_id = 'x' AND kind = 'sale' AND status IN ('open', 'tendering')",
      ),
    ).toMatch(/USING INDEX sales_current/);
    expect(plan("SELECT * FROM sales WHERE station_id = 'x' AND receipt_no = 'S-000001'")).toMatch(
      /USING INDEX sales_receipt_no/,
    );
    expect(
      plan(
        "SELECT * FROM sales WHERE station_id = 'x' AND series = 'S' AND receipt_seq IS NOT NULL ORDER BY receipt_seq DESC LIMIT 1",
      ),
    ).toMatch(/USING INDEX sales_receipt_seq/);
    expect(
      plan(
        "SELECT * FROM sales s WHERE s.status = 'completed' AND s.completed_at >= '' AND s.completed_at < '9' ORDER BY s.completed_at DESC",
      ),
    ).toMatch(/USING INDEX sales_completed_at/);
    expect(plan("SELECT * FROM sale_lines WHERE sale_id = 'x' ORDER BY position")).toMatch(
      /USING INDEX sale_lines_position/,
    );
  });
});

describe('refund allocation (pure)', () => {
  const tenders = fc
    .array(
      fc.record({
        type: fc.constantFrom('cash' as const, 'card' as const, 'external' as const),
        net: fc.integer({ min: 0, max: 50_000 }),
      }),
      { minLength: 1, maxLength: 5 },
    )
    .map((list): PaidTender[] => list.map((t, i) => ({ paymentId: `p${i}`, ...t })));

  it('gives back exactly what each tender kept over any sequence of partial refunds, never more', () => {
    fc.assert(
      fc.property(
        tenders,
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(1, 5, 10, 50),
        (paid, cuts, increment) => {
          const capacity = paid.reduce((a, t) => a + t.net, 0);
          // Split the capacity into consecutive refunds at random points.
          const points = [...new Set(cuts.map((c) => (capacity === 0 ? 0 : c % (capacity + 1))))].sort(
            (a, b) => a - b,
          );
          const steps = [...points, capacity];
          const given = new Map<string, number>();
          let before = 0;
          let owedSoFar = 0;
          let paidSoFar = 0;
          for (const point of steps) {
            const { parts, cashOwed, cashPaid } = allocateRefund(paid, before, point - before, increment);
            expect(parts.reduce((a, p) => a + p.owed, 0)).toBe(point - before);
            // Each refund is within one coin of its share, and the running total within half a coin.
            expect(Math.abs(cashPaid - cashOwed)).toBeLessThanOrEqual(increment);
            owedSoFar += cashOwed;
            paidSoFar += cashPaid;
            expect(Math.abs(paidSoFar - owedSoFar) * 2).toBeLessThanOrEqual(increment);
            for (const p of parts) {
              expect(p.pay).toBeGreaterThanOrEqual(0);
              given.set(p.paymentId, (given.get(p.paymentId) ?? 0) + p.pay);
            }
            before = point;
          }
          const cashKept = paid.filter((t) => t.type === 'cash').reduce((a, t) => a + t.net, 0);
          const lastCash = paid.filter((t) => t.type === 'cash').at(-1);
          for (const t of paid) {
            const expected = t.type === 'cash' ? (t === lastCash ? cashKept : 0) : t.net;
            expect(given.get(t.paymentId) ?? 0).toBe(expected);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses to give back more than was paid', () => {
    expect(() => allocateRefund([{ paymentId: 'a', type: 'cash', net: 100 }], 60, 50, 1)).toThrow(/exceeds/);
  });
});
