import { afterEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../helpers/station';
import {
  CASHIER_PIN,
  count,
  failure,
  PRODUCTS,
  requestIdOf,
  SUPERVISOR_PIN,
  type SaleFixture,
} from '../sale/fixture';
import { openShiftStation, sell } from './helpers';

let fx: SaleFixture;
afterEach(() => fx.cleanup());

const cola = PRODUCTS.cola.barcode;
const bread = PRODUCTS.bread.barcode;

describe('drawer shifts', () => {
  it('takes no cash without an open shift, but wallets still sell', async () => {
    fx = await openShiftStation();
    const { till } = fx;
    unwrap(await till('sale:scan', { code: cola }));
    unwrap(await till('sale:start-tender', {}));
    expect(failure(await till('sale:add-tender', { tender: 'cash', amount: 350 }))).toMatchObject({
      code: 'conflict',
      details: { reason: 'shift_required' },
    });
    unwrap(await till('sale:add-tender', { tender: 'wechat', amount: 350, reference: 'WX1' }));
    const done = unwrap(await till('sale:complete', {}));
    // Tied to the business day, not to a shift (there is none).
    const row = fx.station.db
      .prepare('SELECT shift_id, business_day_id FROM sales WHERE id = ?')
      .get(done.id) as {
      shift_id: string | null;
      business_day_id: string | null;
    };
    expect(row.shift_id).toBeNull();
    expect(row.business_day_id).not.toBeNull();
  });

  it('opens with a counted float, moves cash, refuses sign-out, and closes blind with an approved difference', async () => {
    fx = await openShiftStation();
    const { till, station } = fx;

    // Opening float by denomination: 2 × ¥100 + 2 × ¥50 = ¥300. An unknown note is a typo, not money.
    expect(failure(await till('shift:open', { float: { denominations: { n30: 1 } } }))).toMatchObject({
      code: 'bad_input',
      details: { reason: 'unknown_denomination' },
    });
    const opened = unwrap(await till('shift:open', { float: { denominations: { n100: 2, n50: 2 } } }));
    expect(opened).toMatchObject({
      status: 'open',
      openingFloat: 30_000,
      userName: '王芳',
      expectedCash: null,
    });
    expect(failure(await fx.sup('shift:open', { float: { total: 0 } }))).toMatchObject({
      code: 'conflict',
      details: { reason: 'shift_already_open' },
    });

    // A cash sale with change (¥10.50 paid with ¥20), a WeChat sale (¥12.00).
    const cash = await sell(till, [cola, cola, cola], [{ tender: 'cash', amount: 2000 }]);
    expect(cash.totals.change).toBe(950);
    await sell(till, [bread], [{ tender: 'wechat', amount: 1200, reference: 'WX2' }]);
    unwrap(
      await till('shift:cash-movement', { kind: 'paid_in', amount: 5000, reason: 'coins from the bank' }),
    );
    unwrap(await till('shift:cash-movement', { kind: 'paid_out', amount: 1500, reason: 'window cleaner' }));
    const state = unwrap(
      await till('shift:cash-movement', { kind: 'drop', amount: 20_000, reason: 'to the safe' }),
    );
    expect(state.movements.map((m) => [m.kind, m.amount])).toEqual([
      ['paid_in', 5000],
      ['paid_out', 1500],
      ['drop', 20_000],
    ]);
    // Blind: what the cashier sees before counting says nothing about what the drawer should hold.
    const current = unwrap(await till('shift:current', {}));
    expect(current.shift).toMatchObject({ expectedCash: null, countedCash: null, tenders: null });
    expect(current.denominations.map((d) => d.id)).toContain('c050');
    expect(current.mayClose).toBe(true);

    // The cashier cannot sign out of an open drawer.
    expect(failure(await till('auth:sign-out', {}))).toMatchObject({
      code: 'conflict',
      details: { reason: 'shift_open' },
    });

    // Expected: 300.00 float + 10.50 cash + 50.00 in − 15.00 out − 200.00 dropped = 145.50. Counted 140.00.
    const short = await till('shift:close', { cash: { denominations: { n100: 1, n20: 2 } } });
    const requestId = requestIdOf(short);
    expect(failure(short)).toMatchObject({
      action: 'ask_supervisor',
      details: { permission: 'shift.manage', approvalFor: 'shift.close_difference', amount: -550 },
    });
    // The refused count is on the record, and the shift is still open.
    expect(count(station, "SELECT count(*) FROM audit_log WHERE action = 'shift.count_refused'")).toBe(1);
    expect(unwrap(await till('shift:current', {})).shift?.status).toBe('open');

    // The approval is bound to this difference: a recount with another total cannot use it.
    const approval = { requestId, supervisorId: fx.supervisorId, pin: SUPERVISOR_PIN };
    expect(failure(await till('shift:close', { cash: { total: 13_900 }, approval }))).toMatchObject({
      code: 'permission_denied',
    });
    // The cashier's own PIN is no supervisor's.
    const again = requestIdOf(await till('shift:close', { cash: { total: 14_000 } }));
    expect(
      failure(
        await till('shift:close', {
          cash: { total: 14_000 },
          approval: { requestId: again, supervisorId: fx.cashierId, pin: CASHIER_PIN },
        }),
      ),
    ).toMatchObject({ code: 'permission_denied' });

    const third = requestIdOf(await till('shift:close', { cash: { denominations: { n100: 1, n20: 2 } } }));
    const closed = unwrap(
      await till('shift:close', {
        cash: { denominations: { n100: 1, n20: 2 } },
        approval: { requestId: third, supervisorId: fx.supervisorId, pin: SUPERVISOR_PIN },
      }),
    );
    expect(closed).toMatchObject({
      status: 'closed',
      expectedCash: 14_550,
      countedCash: 14_000,
      difference: -550,
      approvedBy: '李主管',
    });
    expect(closed.tenders).toEqual([
      { tender: 'cash', type: 'cash', expected: 14_550, counted: 14_000, difference: -550 },
      { tender: 'card', type: 'card', expected: 0, counted: null, difference: null },
      { tender: 'wechat', type: 'external', expected: 1200, counted: null, difference: null },
      { tender: 'alipay', type: 'external', expected: 0, counted: null, difference: null },
    ]);
    const approvalRow = station.db
      .prepare(
        "SELECT action, amount, target_id, supervisor_id FROM approvals WHERE action = 'shift.close_difference'",
      )
      .get();
    expect(approvalRow).toEqual({
      action: 'shift.close_difference',
      amount: -550,
      target_id: closed.id,
      supervisor_id: fx.supervisorId,
    });
    // One transaction wrote the close, its audit row and its outbox row (with the shift's documents).
    const outbox = JSON.parse(
      station.db.prepare("SELECT payload FROM outbox WHERE type = 'shift.closed'").pluck().get() as string,
    ) as { documentIds: string[] };
    expect(outbox.documentIds).toHaveLength(2);
    expect(count(station, "SELECT count(*) FROM audit_log WHERE action = 'shift.closed'")).toBe(1);
    expect(
      count(station, "SELECT count(*) FROM outbox WHERE type IN ('shift.opened', 'cash.movement')"),
    ).toBe(4);
    expect(count(station, 'SELECT count(*) FROM sales WHERE shift_id = ?', closed.id)).toBe(2);
    // A closed shift is final, in SQL too.
    expect(() =>
      station.db.prepare('UPDATE shifts SET counted_cash = 14550 WHERE id = ?').run(closed.id),
    ).toThrow(/final/);

    // Closed: the cashier may sign out now, and cash is refused again until the next shift.
    expect(unwrap(await till('auth:sign-out', {}))).toBeNull();
  });

  it('closes without approval within the threshold; only the owner or a supervisor may close', async () => {
    fx = await openShiftStation();
    const { till, sup, admin } = fx;
    unwrap(await till('shift:open', { float: { total: 10_000 } }));
    await sell(till, [cola], [{ tender: 'cash', amount: 350 }]);

    // A second cashier on another connection can neither move cash in nor close another's drawer.
    const other = unwrap(await admin('staff:create', { name: '赵六', role: 'cashier', pin: '4321' }));
    const { connect } = await import('../../helpers/station');
    const till2 = connect(fx.station, 'till2');
    unwrap(await till2('auth:sign-in', { userId: other.id, pin: '4321' }));
    expect(failure(await till2('shift:close', { cash: { total: 10_350 } }))).toMatchObject({
      code: 'permission_denied',
      details: { overridable: false },
    });
    expect(unwrap(await till2('shift:current', {})).mayClose).toBe(false);

    // ¥1.00 short is within the ¥5.00 default threshold: no supervisor needed. A supervisor may close it.
    const closed = unwrap(await sup('shift:close', { cash: { total: 10_250 } }));
    expect(closed).toMatchObject({
      expectedCash: 10_350,
      countedCash: 10_250,
      difference: -100,
      approvedBy: null,
    });
  });

  it('refuses to close while a sale is being paid, and keeps the threshold and denominations configurable', async () => {
    fx = await openShiftStation();
    const { till, admin } = fx;
    unwrap(await till('shift:open', { float: { total: 0 } }));
    unwrap(await till('sale:scan', { code: cola }));
    unwrap(await till('sale:start-tender', {}));
    expect(failure(await till('shift:close', { cash: { total: 0 } }))).toMatchObject({
      details: { reason: 'sale_in_progress' },
    });
    unwrap(await till('sale:cancel-tender', {}));

    const config = unwrap(await admin('shift:config', {}));
    expect(config.denominations.USD?.map((d) => d.value)).toContain(25);
    expect(failure(await till('shift:set-config', { ...config, differenceThreshold: 0 }))).toMatchObject({
      code: 'permission_denied',
    });
    unwrap(await admin('shift:set-config', { ...config, differenceThreshold: 0 }));
    // Now any difference needs a supervisor, even one fen.
    expect(failure(await till('shift:close', { cash: { total: 1 } }))).toMatchObject({
      code: 'permission_denied',
    });
    expect(unwrap(await till('shift:close', { cash: { total: 0 } })).difference).toBe(0);
  });
});
