import { afterEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../helpers/station';
import {
  CASHIER_PIN,
  count,
  failure,
  openSaleStation,
  PRODUCTS,
  requestIdOf,
  SUPERVISOR_PIN,
  type SaleFixture,
} from './fixture';

let fx: SaleFixture;
afterEach(() => fx.cleanup());

async function twoLines() {
  unwrap(await fx.till('sale:scan', { code: PRODUCTS.bread.barcode }));
  const cart = unwrap(await fx.till('sale:scan', { code: PRODUCTS.cola.barcode }));
  return { bread: cart.lines[0]!.id, cola: cart.lines[1]!.id };
}

describe('permission-gated cart changes with supervisor approval', () => {
  it('asks for a supervisor, refuses a wrong PIN, records the approval bound to the action and amount', async () => {
    fx = await openSaleStation();
    const { till, station, supervisorId } = fx;
    const { bread } = await twoLines();
    const tenPercent = { type: 'percent', bp: 1000 } as const;

    const denied = await till('sale:discount-line', { lineId: bread, discount: tenPercent });
    expect(failure(denied)).toMatchObject({
      code: 'permission_denied',
      action: 'ask_supervisor',
      details: { permission: 'sale.discount', overridable: true, amount: 120 },
    });
    const requestId = requestIdOf(denied);

    const wrong = await till('sale:discount-line', {
      lineId: bread,
      discount: tenPercent,
      approval: { requestId, supervisorId, pin: '9999' },
    });
    expect(failure(wrong)).toMatchObject({ code: 'wrong_pin' });
    expect(count(station, "SELECT count(*) FROM audit_log WHERE action = 'approval.pin_failed'")).toBe(1);
    expect(count(station, 'SELECT discount_value FROM sale_lines WHERE id = ?', bread)).toBeNull();

    // The request survives a wrong PIN, so the supervisor can retype it.
    const cart = unwrap(
      await till('sale:discount-line', {
        lineId: bread,
        discount: tenPercent,
        approval: { requestId, supervisorId, pin: SUPERVISOR_PIN },
      }),
    );
    expect(cart.lines[0]).toMatchObject({ discount: tenPercent, amounts: { discount: 120, total: 1080 } });
    const row = station.db.prepare('SELECT * FROM approvals').get() as Record<string, unknown>;
    expect(row).toMatchObject({
      request_id: requestId,
      permission: 'sale.discount',
      action: 'line.discount',
      supervisor_id: supervisorId,
      requested_by: fx.cashierId,
      target_id: bread,
      amount: 120,
    });
    expect(count(station, 'SELECT discount_approval_id FROM sale_lines WHERE id = ?', bread) as unknown).toBe(
      row.id,
    );
    expect(count(station, "SELECT count(*) FROM audit_log WHERE action = 'approval.granted'")).toBe(1);
    expect(count(station, "SELECT count(*) FROM audit_log WHERE action = 'sale.line_discount_set'")).toBe(1);
  });

  it('refuses to replay an approval for another line, another amount, or a second time', async () => {
    fx = await openSaleStation();
    const { till, supervisorId, station } = fx;
    const { bread, cola } = await twoLines();
    const ten = { type: 'percent', bp: 1000 } as const;
    const requestId = requestIdOf(await till('sale:discount-line', { lineId: bread, discount: ten }));
    const approval = { requestId, supervisorId, pin: SUPERVISOR_PIN };

    // Another line with the same approval: refused, with a fresh request for THAT action.
    const otherLine = await till('sale:discount-line', { lineId: cola, discount: ten, approval });
    expect(requestIdOf(otherLine)).not.toBe(requestId);
    // Another amount on the same line: refused.
    expect(
      failure(
        await till('sale:discount-line', {
          lineId: bread,
          discount: { type: 'percent', bp: 5000 },
          approval,
        }),
      ),
    ).toMatchObject({
      code: 'permission_denied',
    });
    // Another kind of action: refused.
    expect(failure(await till('sale:void-line', { lineId: bread, approval }))).toMatchObject({
      code: 'permission_denied',
    });
    expect(count(station, 'SELECT count(*) FROM approvals')).toBe(0);

    // The action it was given for: accepted once …
    unwrap(await till('sale:discount-line', { lineId: bread, discount: ten, approval }));
    // … and not a second time, not even for the same action.
    unwrap(await till('sale:discount-line', { lineId: bread, discount: { type: 'none' } }));
    expect(
      failure(await till('sale:discount-line', { lineId: bread, discount: ten, approval })),
    ).toMatchObject({
      code: 'permission_denied',
    });
    expect(count(station, 'SELECT count(*) FROM approvals')).toBe(1);
  });

  it('only accepts approvers who hold the permission themselves, and locks a supervisor out after wrong PINs', async () => {
    fx = await openSaleStation();
    const { till, admin, cashierId, supervisorId } = fx;
    const { bread } = await twoLines();
    const other = unwrap(await admin('staff:create', { name: '张三', role: 'cashier', pin: '3333' }));
    const requestId = requestIdOf(await till('sale:void-line', { lineId: bread }));
    expect(
      failure(
        await till('sale:void-line', {
          lineId: bread,
          approval: { requestId, supervisorId: other.id, pin: '3333' },
        }),
      ),
    ).toMatchObject({
      code: 'permission_denied',
    });
    expect(
      failure(
        await till('sale:void-line', {
          lineId: bread,
          approval: { requestId, supervisorId: cashierId, pin: CASHIER_PIN },
        }),
      ),
    ).toMatchObject({
      code: 'permission_denied',
    });
    for (let i = 0; i < 4; i++) {
      expect(
        failure(
          await till('sale:void-line', { lineId: bread, approval: { requestId, supervisorId, pin: '0000' } }),
        ).code,
      ).toBe('wrong_pin');
    }
    expect(
      failure(
        await till('sale:void-line', { lineId: bread, approval: { requestId, supervisorId, pin: '0000' } }),
      ).code,
    ).toBe('user_locked_out');
    expect(
      failure(
        await till('sale:void-line', {
          lineId: bread,
          approval: { requestId, supervisorId, pin: SUPERVISOR_PIN },
        }),
      ).code,
    ).toBe('user_locked_out');
  });

  it('gates voids, quantity decreases, price overrides and order discounts the same way', async () => {
    fx = await openSaleStation();
    const { till, supervisorId, station } = fx;
    const { bread, cola } = await twoLines();
    const approve = (requestId: string) => ({ requestId, supervisorId, pin: SUPERVISOR_PIN });

    // Raising a quantity is selling more: no approval. Lowering it takes goods off: approval.
    unwrap(await till('sale:set-quantity', { lineId: cola, qtyMilli: 3000 }));
    let r = await till('sale:set-quantity', { lineId: cola, qtyMilli: 1000 });
    expect(failure(r).details).toMatchObject({ permission: 'sale.void_line', amount: 700 });
    unwrap(
      await till('sale:set-quantity', { lineId: cola, qtyMilli: 1000, approval: approve(requestIdOf(r)) }),
    );

    r = await till('sale:override-price', { lineId: bread, unitPrice: 999 });
    expect(failure(r).details).toMatchObject({ permission: 'sale.price_override', amount: 999 });
    let cart = unwrap(
      await till('sale:override-price', { lineId: bread, unitPrice: 999, approval: approve(requestIdOf(r)) }),
    );
    expect(cart.lines[0]).toMatchObject({ unitPrice: 999, listPrice: 1200, priceOverridden: true });
    // Back to the list price needs nobody.
    cart = unwrap(await till('sale:override-price', { lineId: bread, unitPrice: 1200 }));
    expect(cart.lines[0]).toMatchObject({ unitPrice: 1200, priceOverridden: false });

    r = await till('sale:discount-order', { discount: { type: 'amount', amount: 155 } });
    expect(failure(r).details).toMatchObject({ permission: 'sale.discount', amount: 155 });
    cart = unwrap(
      await till('sale:discount-order', {
        discount: { type: 'amount', amount: 155 },
        approval: approve(requestIdOf(r)),
      }),
    );
    expect(cart.totals).toMatchObject({ orderDiscount: 155, total: 1550 - 155 });
    // The engine refuses a discount above the value it applies to, approved or not.
    expect(
      failure(await fx.sup('sale:discount-order', { discount: { type: 'amount', amount: 99_999 } })),
    ).toMatchObject({
      code: 'bad_input',
    });

    r = await till('sale:void-line', { lineId: cola });
    cart = unwrap(await till('sale:void-line', { lineId: cola, approval: approve(requestIdOf(r)) }));
    expect(cart.lines[1]).toMatchObject({ voided: true, voidedBy: fx.cashierId });

    r = await till('sale:void', {});
    expect(failure(r).details).toMatchObject({ permission: 'sale.void_line' });
    expect(unwrap(await till('sale:void', { approval: approve(requestIdOf(r)) })).status).toBe('voided');
    expect(count(station, 'SELECT count(*) FROM approvals')).toBe(5);
    expect(station.db.prepare('SELECT action FROM approvals ORDER BY at, rowid').pluck().all()).toEqual([
      'line.reduce_quantity',
      'line.price_override',
      'order.discount',
      'line.void',
      'sale.void',
    ]);
  });

  it('lets a supervisor discount without an approval step', async () => {
    fx = await openSaleStation();
    const cart = unwrap(await fx.sup('sale:scan', { code: PRODUCTS.bread.barcode }));
    const after = unwrap(
      await fx.sup('sale:discount-line', {
        lineId: cart.lines[0]!.id,
        discount: { type: 'amount', amount: 200 },
      }),
    );
    expect(after.totals.total).toBe(1000);
    expect(count(fx.station, 'SELECT count(*) FROM approvals')).toBe(0);
  });
});
