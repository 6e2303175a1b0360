import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../../src/shared/ipc/channels/reports';
import { unwrap } from '../../helpers/station';
import { count, failure, PRODUCTS, weightLabel, type SaleFixture } from '../sale/fixture';
import { openShiftStation, sell } from '../shift/helpers';

let fx: SaleFixture;
afterEach(() => fx.cleanup());

const { cola, bread, gum, apples } = PRODUCTS;

/**
 * A scripted day (prices tax-inclusive, cash rounded to ¥0.10):
 *   float ¥500.00
 *   A  2 cola + 1 gum = 8.99, cash 10.00 → payable 9.00 (rounding +0.01), change 1.00
 *   B  bread 12.00 (+ a gum line voided by the supervisor), WeChat 5.00 + cash 7.00
 *   C  1.250 kg apples 10.00, −10 % line discount = 9.00, Alipay 9.00
 *   R  return of 1 cola from A: cash −3.50
 *   V  post-void of C (the last sale): Alipay −9.00
 *   D  3 gum = 5.97, cash 6.00 (rounding +0.03)
 *   an open sale of 1 cola voided whole (3.50); paid-out 10.00
 */
async function scriptedDay(): Promise<{ A: string; C: string }> {
  const { till, sup } = fx;
  fx.setSettings({ cashIncrement: 10 });
  unwrap(await till('shift:open', { float: { total: 50_000 } }));

  const A = await sell(till, [cola.barcode, cola.barcode, gum.barcode], [{ tender: 'cash', amount: 1000 }]);
  expect(A.totals).toMatchObject({ total: 899, payable: 900, change: 100 });

  unwrap(await till('sale:scan', { code: bread.barcode }));
  const withGum = unwrap(await till('sale:scan', { code: gum.barcode }));
  unwrap(await sup('sale:void-line', { lineId: withGum.lines[1]!.id }));
  const B = await sell(
    till,
    [],
    [
      { tender: 'wechat', amount: 500, reference: 'WX-B' },
      { tender: 'cash', amount: 700 },
    ],
  );
  expect(B.totals).toMatchObject({ total: 1200, payable: 1200 });

  const applesCart = unwrap(await till('sale:scan', { code: weightLabel(apples.plu, 1250) }));
  unwrap(
    await sup('sale:discount-line', {
      lineId: applesCart.lines[0]!.id,
      discount: { type: 'percent', bp: 1000 },
    }),
  );
  const C = await sell(till, [], [{ tender: 'alipay', amount: 900, reference: 'ALI-C' }]);
  expect(C.totals).toMatchObject({ total: 900, discountTotal: 100 });

  const colaLine = A.lines.find((l) => l.productId === cola.id)!;
  const R = unwrap(
    await till('refund:create', { saleId: A.id, lines: [{ lineId: colaLine.id, qtyMilli: 1000 }] }),
  );
  expect(R.totals).toMatchObject({ total: -350, payable: -350 });
  const V = unwrap(await sup('sale:post-void', { saleId: C.id, reason: 'wrong customer' }));
  expect(V.totals.total).toBe(-900);

  const D = await sell(till, [gum.barcode, gum.barcode, gum.barcode], [{ tender: 'cash', amount: 600 }]);
  expect(D.totals).toMatchObject({ total: 597, payable: 600 });

  unwrap(await till('sale:scan', { code: cola.barcode }));
  unwrap(await sup('sale:void', { reason: 'customer left' }));
  unwrap(await till('shift:cash-movement', { kind: 'paid_out', amount: 1000, reason: 'stamps' }));
  return { A: A.id, C: C.id };
}

/** The figures of the scripted day, worked out by hand (tax per line, inclusive, half away from zero). */
function expectDayFigures(report: Report): void {
  expect(report.sales).toEqual({ count: 4, gross: 899 + 1200 + 1000 + 597, discounts: 100, net: 3596 });
  expect(report.returns).toEqual({ count: 1, amount: -350 });
  expect(report.postVoids).toEqual({ count: 1, amount: -900 });
  expect(report.net).toBe(3596 - 350 - 900);
  expect(report.rounding).toBe(4);
  expect(report.discounts).toEqual({ count: 1, amount: 100 });
  expect(report.lineVoids).toEqual({ count: 1, amount: 199 });
  expect(report.voidedSales).toEqual({ count: 1, amount: 350 });
  expect(report.noSales).toBe(0);
  // 9 %: bread 12.00 (tax 0.99); apples 9.00 (0.74) sold and post-voided. 13 %: A's cola 7.00 (0.81) and gum
  // 1.99 (0.23), D's gum 5.97 (0.69), the returned cola −3.50 (half of 0.81 = 0.405 → 0.41).
  expect(report.taxes).toEqual([
    { taxRatePpm: 90_000, base: 1101, tax: 99, total: 1200 },
    { taxRatePpm: 130_000, base: 795 + 528 - 309, tax: 104 + 69 - 41, total: 899 + 597 - 350 },
  ]);
  expect(report.tax).toBe(99 + 132);
  expect(report.tenders).toEqual([
    { tender: 'alipay', type: 'external', count: 2, amount: 0 },
    { tender: 'cash', type: 'cash', count: 4, amount: 900 + 700 - 350 + 600 },
    { tender: 'wechat', type: 'external', count: 1, amount: 500 },
  ]);
  // What the tenders took is the net plus the cash rounding, to the fen.
  expect(report.tenders.reduce((a, t) => a + t.amount, 0)).toBe(report.net + report.rounding);
  expect(report.cash).toMatchObject({
    openingFloats: 50_000,
    takings: 1850,
    paidIn: 0,
    paidOut: 1000,
    drops: 0,
    expected: 50_000 + 1850 - 1000,
  });
  expect(report.movements).toMatchObject([{ kind: 'paid_out', amount: 1000, reason: 'stamps' }]);
  const byName = new Map(report.cashiers.map((c) => [c.name, c]));
  expect(byName.get('王芳')).toMatchObject({
    sales: 4,
    returns: 1,
    postVoids: 0,
    lineVoids: 0,
    net: 3596 - 350,
  });
  expect(byName.get('李主管')).toMatchObject({ sales: 0, returns: 0, postVoids: 1, lineVoids: 1, net: -900 });
}

describe('X and Z reports', () => {
  it('add up a scripted day exactly, X repeatably and Z once, closing the day', async () => {
    fx = await openShiftStation();
    const { till, sup, station } = fx;
    await scriptedDay();

    // X: repeatable, changes nothing but its own audit row.
    const x1 = unwrap(await sup('report:x', {}));
    expect(x1).toMatchObject({ kind: 'X', zNumber: null, currency: 'CNY', cash: { counted: null } });
    expectDayFigures(x1);
    const x2 = unwrap(await sup('report:x', {}));
    expect({ ...x2, to: x1.to }).toEqual(x1);
    expect(x1.shifts).toMatchObject([{ userName: '王芳', openingFloat: 50_000, countedCash: null }]);
    // Cashiers do not see reports.
    expect(failure(await till('report:x', {}))).toMatchObject({ code: 'permission_denied' });

    // Z waits for the drawer to be counted.
    expect(failure(await sup('report:z', {}))).toMatchObject({
      code: 'conflict',
      details: { reason: 'shift_open' },
    });
    unwrap(await till('shift:close', { cash: { total: 50_850 } }));

    // A cart started before the Z (not being paid) does not stop it, and lands in the next day.
    unwrap(await till('sale:scan', { code: bread.barcode }));
    const z1 = unwrap(await sup('report:z', {}));
    expect(z1).toMatchObject({ kind: 'Z', zNumber: 1, cash: { expected: 50_850, counted: 50_850 } });
    expectDayFigures(z1);
    expect(z1.shifts).toMatchObject([{ expectedCash: 50_850, countedCash: 50_850, difference: 0 }]);
    expect(count(station, "SELECT count(*) FROM outbox WHERE type = 'report.z'")).toBe(1);
    expect(count(station, "SELECT count(*) FROM audit_log WHERE action = 'report.z'")).toBe(1);

    // Once per business day: nothing happened since, so there is no day to close.
    expect(failure(await sup('report:z', {}))).toMatchObject({
      code: 'conflict',
      details: { reason: 'day_closed' },
    });

    // The next sale is in the next business day.
    unwrap(await till('shift:open', { float: { total: 10_000 } }));
    unwrap(await till('sale:start-tender', {}));
    unwrap(await till('sale:add-tender', { tender: 'cash', amount: 1200 }));
    unwrap(await till('sale:complete', {}));
    const x3 = unwrap(await sup('report:x', {}));
    expect(x3.businessDayId).not.toBe(z1.businessDayId);
    expect(x3).toMatchObject({
      sales: { count: 1, net: 1200 },
      returns: { count: 0 },
      lineVoids: { count: 0 },
      cash: { openingFloats: 10_000, takings: 1200, expected: 11_200 },
    });
    unwrap(await till('shift:close', { cash: { total: 11_200 } }));
    const z2 = unwrap(await sup('report:z', {}));
    expect(z2.zNumber).toBe(2);

    // Stored as built: the list, and a Z fetched again is the same report.
    expect(unwrap(await sup('report:z-list', {})).map((z) => [z.zNumber, z.net])).toEqual([
      [2, 1200],
      [1, 2346],
    ]);
    expect(unwrap(await sup('report:z-get', { zNumber: 1 }))).toEqual(z1);
    expect(failure(await sup('report:z-get', { zNumber: 3 }))).toMatchObject({ code: 'not_found' });
  });

  it('numbers Z reports without gaps and keeps closed days final, in SQL too', async () => {
    fx = await openShiftStation();
    const { till, sup, station } = fx;
    unwrap(await till('sale:scan', { code: cola.barcode }));
    unwrap(await till('sale:start-tender', {}));
    unwrap(await till('sale:add-tender', { tender: 'wechat', amount: 350, reference: 'WX' }));
    unwrap(await till('sale:complete', {}));
    const z = unwrap(await sup('report:z', {}));
    expect(z.zNumber).toBe(1);
    const db = station.db;
    expect(() => db.prepare('UPDATE business_days SET z_report = ? WHERE z_number = 1').run('{}')).toThrow(
      /final/,
    );
    expect(() => db.prepare('DELETE FROM business_days').run()).toThrow(/never deleted/);
    // A day can only close with the next number.
    db.prepare(
      "INSERT INTO business_days (id, station_id, opened_at, audit_seq_from) VALUES ('d2', ?, '2026-01-16T00:00:00Z', 0)",
    ).run(station.id);
    expect(() =>
      db
        .prepare(
          "UPDATE business_days SET closed_at = 'x', closed_by = ?, z_number = 3, audit_seq_to = 0, z_report = '{}' WHERE id = 'd2'",
        )
        .run(fx.adminId),
    ).toThrow(/gapless/);
  });

  it('prints a Z report as a print document (queued for the receipt printer)', async () => {
    fx = await openShiftStation();
    const { till, sup, station } = fx;
    expect(failure(await sup('report:print', { kind: 'Z' }))).toMatchObject({ code: 'not_found' });
    unwrap(await till('shift:open', { float: { total: 20_000 } }));
    await sell(till, [cola.barcode], [{ tender: 'cash', amount: 500 }]);
    unwrap(await till('shift:close', { cash: { total: 20_350 } }));
    unwrap(await sup('report:z', {}));

    const printed = unwrap(await sup('report:print', { kind: 'Z' }));
    const { document } = printed;
    expect(document).toMatchObject({ kind: 'report', ref: 'z:1', title: 'Z 0001', cut: true });
    const text = document.blocks.map((b) =>
      b.kind === 'columns' ? `${b.left}|${b.right}` : b.kind === 'text' ? b.text : b.kind,
    );
    expect(text).toContain('Z 报表（日结）');
    expect(text).toContain('Z 序号|0001');
    expect(text).toContain('销售 1笔|3.50');
    expect(text).toContain('应有现金|203.50');
    expect(text).toContain('实点现金|203.50');
    // The station's print queue took it (the worker prints it when a printer is attached).
    expect(printed.printed).toBe(true);
    expect(count(station, "SELECT count(*) FROM print_jobs WHERE kind = 'report' AND ref = 'z:1'")).toBe(1);
    // The X report prints in the store's language too.
    station.setLocale('en', null);
    const x = unwrap(await sup('report:print', { kind: 'X' }));
    expect(x.document.blocks).toContainEqual({
      kind: 'text',
      text: 'X REPORT (mid-day)',
      align: 'center',
      bold: true,
      size: 2,
    });
  });
});
