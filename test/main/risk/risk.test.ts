import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RISK_RULES, type RiskRules } from '../../../src/shared/ipc/channels/risk';
import { unwrap } from '../../helpers/station';
import { count, failure, PRODUCTS, requestIdOf, SUPERVISOR_PIN, type SaleFixture } from '../sale/fixture';
import { openShiftStation, sell } from '../shift/helpers';

let fx: SaleFixture;
afterEach(() => fx.cleanup());

const { cola, bread, gum } = PRODUCTS;
const ADMIN_PIN = '135790';

async function setRules(patch: Partial<RiskRules>): Promise<void> {
  unwrap(await fx.admin('risk:set-rules', { ...DEFAULT_RISK_RULES, ...patch }));
}

function alerts(
  rule?: string,
): { rule: string; details: string; shift_id: string | null; user_id: string | null }[] {
  const rows = fx.station.db
    .prepare('SELECT rule, details, shift_id, user_id FROM risk_alerts ORDER BY rowid')
    .all() as { rule: string; details: string; shift_id: string | null; user_id: string | null }[];
  return rule === undefined ? rows : rows.filter((r) => r.rule === rule);
}

/** Voids the last line of the open cart as the cashier, with the supervisor's PIN. */
async function cashierVoidsLastLine(): Promise<void> {
  const { till } = fx;
  const cart = unwrap(await till('sale:current', {}));
  const line = cart!.lines.filter((l) => !l.voided).at(-1)!;
  const requestId = requestIdOf(await till('sale:void-line', { lineId: line.id }));
  unwrap(
    await till('sale:void-line', {
      lineId: line.id,
      approval: { requestId, supervisorId: fx.supervisorId, pin: SUPERVISOR_PIN },
    }),
  );
}

describe('risk rules', () => {
  it('ship enabled with sensible defaults, and only managers change them', async () => {
    fx = await openShiftStation();
    const rules = unwrap(await fx.sup('risk:rules', {}));
    expect(rules).toEqual(DEFAULT_RISK_RULES);
    expect(Object.values(rules).every((r) => r.enabled)).toBe(true);
    expect(failure(await fx.sup('risk:set-rules', rules))).toMatchObject({ code: 'permission_denied' });
    expect(
      failure(
        await fx.admin('risk:set-rules', {
          ...rules,
          discounts: { enabled: true, mode: 'alert', maxBp: 20_000 },
        }),
      ),
    ).toMatchObject({ code: 'bad_input' });
    expect(failure(await fx.till('risk:alerts', { include: 'open' }))).toMatchObject({
      code: 'permission_denied',
    });
  });

  it('line voids: one alert when a shift goes over the limit; supervisors see it until acknowledged', async () => {
    fx = await openShiftStation();
    await setRules({ lineVoids: { enabled: true, mode: 'alert', max: 2 } });
    const { till, sup } = fx;
    unwrap(await till('shift:open', { float: { total: 0 } }));
    for (let i = 0; i < 5; i++) unwrap(await till('sale:scan', { code: cola.barcode }));
    await cashierVoidsLastLine();
    await cashierVoidsLastLine();
    expect(alerts()).toEqual([]);
    await cashierVoidsLastLine();
    await cashierVoidsLastLine();
    const fired = alerts('lineVoids');
    expect(fired).toHaveLength(1);
    expect(JSON.parse(fired[0]!.details)).toMatchObject({ count: 3, max: 2, event: 'sale.line_voided' });
    expect(fired[0]!.user_id).toBe(fx.cashierId);
    expect(fired[0]!.shift_id).not.toBeNull();
    expect(count(fx.station, "SELECT count(*) FROM audit_log WHERE action = 'risk.alert'")).toBe(1);

    const open = unwrap(await sup('risk:alerts', { include: 'open' }));
    expect(open).toMatchObject([{ rule: 'lineVoids', userName: '王芳', details: { count: 3 } }]);
    expect(unwrap(await sup('risk:acknowledge', { ids: [open[0]!.id] }))).toEqual({ acknowledged: 1 });
    expect(unwrap(await sup('risk:alerts', { include: 'open' }))).toEqual([]);
    expect(unwrap(await sup('risk:alerts', { include: 'all' }))).toMatchObject([
      { rule: 'lineVoids', acknowledgedBy: '李主管' },
    ]);
    // Acknowledged once: the row cannot be changed again.
    expect(() => fx.station.db.prepare('UPDATE risk_alerts SET acknowledged_by = ?').run(fx.adminId)).toThrow(
      /acknowledged/,
    );
  });

  it('line voids in approve mode: over the limit even a supervisor needs a second person', async () => {
    fx = await openShiftStation();
    await setRules({ lineVoids: { enabled: true, mode: 'approve', max: 1 } });
    const { sup } = fx;
    unwrap(await sup('sale:scan', { code: cola.barcode }));
    const cart = unwrap(await sup('sale:scan', { code: gum.barcode }));
    unwrap(await sup('sale:void-line', { lineId: cart.lines[1]!.id }));
    const denied = await sup('sale:void-line', { lineId: cart.lines[0]!.id });
    expect(failure(denied)).toMatchObject({
      code: 'permission_denied',
      action: 'ask_supervisor',
      details: { riskRule: 'lineVoids', overridable: true },
    });
    // Not by themself …
    const requestId = requestIdOf(denied);
    expect(
      failure(
        await sup('sale:void-line', {
          lineId: cart.lines[0]!.id,
          approval: { requestId, supervisorId: fx.supervisorId, pin: SUPERVISOR_PIN },
        }),
      ),
    ).toMatchObject({ code: 'permission_denied' });
    // … but with another person's PIN.
    const again = requestIdOf(await sup('sale:void-line', { lineId: cart.lines[0]!.id }));
    const voided = unwrap(
      await sup('sale:void-line', {
        lineId: cart.lines[0]!.id,
        approval: { requestId: again, supervisorId: fx.adminId, pin: ADMIN_PIN },
      }),
    );
    expect(voided.lines.every((l) => l.voided)).toBe(true);
    expect(alerts('lineVoids')).toHaveLength(1);
  });

  it('post-voids: over the per-shift limit, and right after payment', async () => {
    fx = await openShiftStation();
    await setRules({ postVoids: { enabled: true, mode: 'alert', max: 1 } });
    fx.setSettings({ idleLockSeconds: 3600 });
    const { till, sup } = fx;
    unwrap(await till('shift:open', { float: { total: 0 } }));
    const first = await sell(till, [cola.barcode], [{ tender: 'cash', amount: 350 }]);
    fx.advance(10 * 60_000);
    unwrap(await sup('sale:post-void', { saleId: first.id }));
    // Ten minutes later: not "right after payment" (default 5), and the first post-void is within the limit.
    expect(alerts()).toEqual([]);

    const second = await sell(till, [bread.barcode], [{ tender: 'cash', amount: 1200 }]);
    fx.advance(2 * 60_000);
    unwrap(await sup('sale:post-void', { saleId: second.id }));
    expect(alerts().map((a) => a.rule)).toEqual(['postVoids', 'quickPostVoid']);
    expect(JSON.parse(alerts('quickPostVoid')[0]!.details)).toMatchObject({ minutes: 2, limit: 5 });
  });

  it('refunds without receipt: above an amount, and more than a count per shift', async () => {
    fx = await openShiftStation();
    await setRules({ refundsWithoutReceipt: { enabled: true, mode: 'alert', maxAmount: 1000, maxCount: 2 } });
    const { till, sup } = fx;
    unwrap(await till('shift:open', { float: { total: 10_000 } }));
    const refund = (productId: string) =>
      sup('refund:create-without-receipt', { items: [{ productId, qtyMilli: 1000 }], tender: 'cash' });
    unwrap(await refund(cola.id)); // 3.50
    unwrap(await refund(gum.id)); // 1.99
    expect(alerts()).toEqual([]);
    unwrap(await refund(bread.id)); // 12.00: over ¥10.00, and the third of the shift
    const fired = alerts('refundsWithoutReceipt').map(
      (a) => JSON.parse(a.details) as Record<string, unknown>,
    );
    expect(fired).toMatchObject([
      { amount: 1200, maxAmount: 1000 },
      { count: 3, maxCount: 2 },
    ]);
  });

  it('discounts above the limit (percent or amount)', async () => {
    fx = await openShiftStation();
    const { sup } = fx;
    const cart = unwrap(await sup('sale:scan', { code: bread.barcode }));
    const lineId = cart.lines[0]!.id;
    unwrap(await sup('sale:discount-line', { lineId, discount: { type: 'percent', bp: 3000 } }));
    expect(alerts()).toEqual([]);
    unwrap(await sup('sale:discount-line', { lineId, discount: { type: 'amount', amount: 500 } })); // 41.66 %
    unwrap(await sup('sale:discount-line', { lineId, discount: { type: 'none' } }));
    unwrap(await sup('sale:discount-order', { discount: { type: 'percent', bp: 5000 } }));
    expect(alerts('discounts').map((a) => JSON.parse(a.details) as Record<string, unknown>)).toMatchObject([
      { bp: 4166, maxBp: 3000, event: 'sale.line_discount_set' },
      { bp: 5000, event: 'sale.order_discount_set' },
    ]);
  });

  it('price overrides below cost are held for a second person by default', async () => {
    fx = await openShiftStation();
    const { sup, station } = fx;
    station.db.prepare('UPDATE products SET cost = 300 WHERE id = ?').run(cola.id);
    const cart = unwrap(await sup('sale:scan', { code: cola.barcode }));
    const lineId = cart.lines[0]!.id;
    // Above cost: the supervisor's own right is enough.
    unwrap(await sup('sale:override-price', { lineId, unitPrice: 320 }));
    expect(alerts()).toEqual([]);
    const denied = await sup('sale:override-price', { lineId, unitPrice: 250 });
    expect(failure(denied)).toMatchObject({ details: { riskRule: 'priceBelowCost' } });
    const overridden = unwrap(
      await sup('sale:override-price', {
        lineId,
        unitPrice: 250,
        approval: { requestId: requestIdOf(denied), supervisorId: fx.adminId, pin: ADMIN_PIN },
      }),
    );
    expect(overridden.lines[0]!.unitPrice).toBe(250);
    expect(
      alerts('priceBelowCost').map((a) => JSON.parse(a.details) as Record<string, unknown>),
    ).toMatchObject([{ price: 250, cost: 300, productId: cola.id }]);
  });

  it('no-sale drawer opens: more than the limit in a shift', async () => {
    fx = await openShiftStation();
    await setRules({ noSales: { enabled: true, max: 1 } });
    const { till, station } = fx;
    unwrap(await till('shift:open', { float: { total: 0 } }));
    // The drawer service writes this audit row when it opens the drawer without a sale (src/main/core/devices).
    const noSale = () =>
      station.db.transaction(() =>
        station.journal.audit({
          at: new Date(),
          userId: fx.supervisorId,
          action: 'drawer.no_sale',
          details: { reason: 'change' },
        }),
      )();
    noSale();
    expect(alerts()).toEqual([]);
    noSale();
    noSale();
    expect(alerts('noSales').map((a) => JSON.parse(a.details) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ count: 2, max: 1 }),
    ]);
  });

  it('refunds to another tender than the sale was paid with', async () => {
    fx = await openShiftStation();
    const { till, station } = fx;
    unwrap(await till('shift:open', { float: { total: 10_000 } }));
    const sale = await sell(till, [bread.barcode], [{ tender: 'wechat', amount: 1200, reference: 'WX' }]);
    // Checkout refunds to the original tenders: no alert.
    unwrap(
      await till('refund:create', {
        saleId: sale.id,
        lines: [{ lineId: sale.lines[0]!.id, qtyMilli: 1000 }],
      }),
    );
    expect(alerts()).toEqual([]);

    // A refund document paid out in cash against the WeChat sale (what a cash fallback would write), completed
    // with its audit row in one transaction: the rule reads the document's payments.
    const sale2 = await sell(till, [bread.barcode], [{ tender: 'wechat', amount: 1200, reference: 'WX2' }]);
    const refundId = randomUUID();
    const at = new Date().toISOString();
    station.db.transaction(() => {
      station.db
        .prepare(
          `INSERT INTO sales (id, kind, status, station_id, series, original_sale_id, cashier_id, currency, tax_mode,
             tax_rounding, cash_increment, created_at, updated_at)
           VALUES (?, 'refund', 'tendering', ?, 'R', ?, ?, 'CNY', 'inclusive', 'per_line', 1, ?, ?)`,
        )
        .run(refundId, station.id, sale2.id, fx.cashierId, at, at);
      station.db
        .prepare(
          `INSERT INTO payments (id, sale_id, position, tender_code, tender_type, amount, status, created_by, created_at, updated_at)
           VALUES (?, ?, 1, 'cash', 'cash', -1200, 'approved', ?, ?, ?)`,
        )
        .run(randomUUID(), refundId, fx.cashierId, at, at);
      station.journal.audit({
        at: new Date(),
        userId: fx.cashierId,
        action: 'refund.completed',
        details: { documentId: refundId, receiptNo: 'R-000099', originalSaleId: sale2.id, total: -1200 },
      });
    })();
    expect(
      alerts('refundToOtherTender').map((a) => JSON.parse(a.details) as Record<string, unknown>),
    ).toMatchObject([{ documentId: refundId, tenders: ['cash'] }]);
  });

  it('rolls an alert back with the event that raised it', async () => {
    fx = await openShiftStation();
    await setRules({ noSales: { enabled: true, max: 0 } });
    const { station } = fx;
    expect(() =>
      station.db.transaction(() => {
        station.journal.audit({
          at: new Date(),
          userId: fx.supervisorId,
          action: 'drawer.no_sale',
          details: {},
        });
        throw new Error('the drawer action failed');
      })(),
    ).toThrow(/drawer action failed/);
    expect(alerts()).toEqual([]);
    expect(
      count(station, "SELECT count(*) FROM audit_log WHERE action IN ('drawer.no_sale', 'risk.alert')"),
    ).toBe(0);
  });
});
