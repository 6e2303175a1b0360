import { afterEach, describe, expect, it } from 'vitest';
import { computeTotals, type Discount } from '../../../src/shared/domain/totals';
import { money } from '../../../src/shared/domain/money';
import type { SaleView } from '../../../src/shared/ipc/channels/sale';
import { unwrap } from '../../helpers/station';
import {
  count,
  ean13,
  failure,
  openSaleStation,
  priceLabel,
  PRODUCTS,
  ScriptedTerminal,
  weightLabel,
  type SaleFixture,
} from './fixture';

let fx: SaleFixture;
afterEach(() => fx.cleanup());

const discount = (d: SaleView['orderDiscount']): Discount | undefined =>
  d === null ? undefined : d.type === 'percent' ? d : { type: 'amount', amount: money(d.amount) };

/** The engine's answer for the cart's active lines, computed independently of the service. */
function expectedTotals(cart: SaleView) {
  return computeTotals({
    lines: cart.lines
      .filter((l) => !l.voided)
      .map((l) => ({
        qtyMilli: l.qtyMilli,
        unitPrice: money(l.unitPrice),
        taxRatePpm: l.taxRatePpm,
        discount: discount(l.discount),
      })),
    orderDiscount: discount(cart.orderDiscount),
    taxMode: cart.taxMode,
    rounding: cart.taxRounding,
    cashIncrement: cart.cashIncrement,
    payments: cart.payments
      .filter((p) => p.status === 'approved')
      .map((p) => ({ type: p.type, amount: money(p.amount) })),
  });
}

describe('a sale from first scan to receipt', () => {
  it('scans, weighs, tenders cash with change and commits everything in one go', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    expect(unwrap(await till('sale:current', {}))).toBeNull();

    unwrap(await till('sale:scan', { code: PRODUCTS.cola.barcode, qtyMilli: 3000 })); // 3 × cola
    unwrap(await till('sale:add-product', { productId: PRODUCTS.bread.id, qtyMilli: 1000 }));
    unwrap(await till('sale:scan', { code: weightLabel(PRODUCTS.apples.plu, 1250) })); // 1.250 kg
    let cart = unwrap(await till('sale:scan', { code: priceLabel(PRODUCTS.apples.plu, 1234) })); // label ¥12.34

    expect(cart.lines.map((l) => [l.nameEn, l.qtyMilli, l.qtySource, l.unitPrice])).toEqual([
      ['cola', 3000, 'count', 350],
      ['bread', 1000, 'count', 1200],
      ['apples', 1250, 'barcode_weight', 800],
      ['apples', 1000, 'barcode_price', 1234],
    ]);
    // 10.50 + 12.00 + 10.00 + 12.34
    expect(cart.totals.total).toBe(4484);
    expect(cart.totals).toMatchObject({
      total: expectedTotals(cart).total,
      taxTotal: expectedTotals(cart).taxTotal,
    });

    // Not paid yet: completion is refused and nothing is numbered.
    expect(failure(await till('sale:complete', {}))).toMatchObject({ code: 'conflict' });
    unwrap(await till('sale:start-tender', {}));
    // The cart is frozen while paying.
    expect(failure(await till('sale:scan', { code: PRODUCTS.gum.barcode }))).toMatchObject({
      code: 'conflict',
    });
    cart = unwrap(await till('sale:add-tender', { tender: 'cash', amount: 5000 }));
    expect(cart.totals).toMatchObject({ remaining: 0, change: 516 });

    const done = unwrap(await till('sale:complete', {}));
    expect(done).toMatchObject({ status: 'completed', receiptNo: 'S-000001', cashierName: '王芳' });
    expect(done.totals).toMatchObject({ total: 4484, paid: 5000, change: 516 });
    expect(done.payments[0]).toMatchObject({ tender: 'cash', amount: 5000, change: 516, status: 'approved' });
    expect(done.lines.every((l) => l.amounts !== null)).toBe(true);
    expect(done.lines.reduce((a, l) => a + (l.amounts?.total ?? 0), 0)).toBe(4484);
    expect(unwrap(await till('sale:current', {}))).toBeNull();

    // Stock: what left the shelf (the price label of a weighed item derives its weight: 12.34 / 8.00 per kg).
    const moves = station.db
      .prepare('SELECT product_id, delta_milli FROM stock_movements WHERE sale_id = ? ORDER BY rowid')
      .all(done.id);
    expect(moves).toEqual([
      { product_id: PRODUCTS.cola.id, delta_milli: -3000 },
      { product_id: PRODUCTS.bread.id, delta_milli: -1000 },
      { product_id: PRODUCTS.apples.id, delta_milli: -1250 },
      { product_id: PRODUCTS.apples.id, delta_milli: -1543 },
    ]);
    // Outbox row with the full document, and the audit row, from the same transaction.
    const outbox = station.db
      .prepare("SELECT payload FROM outbox WHERE type = 'sale.completed'")
      .pluck()
      .all() as string[];
    expect(outbox).toHaveLength(1);
    const payload = JSON.parse(outbox[0]!) as { document: SaleView; stationId: string };
    expect(payload.stationId).toBe(station.id);
    expect(payload.document).toMatchObject({ id: done.id, receiptNo: 'S-000001', totals: { total: 4484 } });
    expect(payload.document.lines).toHaveLength(4);
    expect(
      count(
        station,
        "SELECT count(*) FROM audit_log WHERE action = 'sale.completed' AND json_extract(details, '$.saleId') = ?",
        done.id,
      ),
    ).toBe(1);
    // The customer display got every change, ending with the change due.
    expect(fx.events.at(-1)).toMatchObject({ status: 'completed', totals: { change: 516 } });
    // Reprint: the same document by receipt number.
    expect(unwrap(await till('sale:get', { ref: 's-000001' }))).toEqual(done);
  });

  it('refuses bad scans with the right error and writes nothing', async () => {
    fx = await openSaleStation();
    const { till } = fx;
    expect(failure(await till('sale:scan', { code: ean13('690999999999') }))).toMatchObject({
      code: 'not_found',
    });
    const misread = PRODUCTS.cola.barcode.slice(0, 12) + String((Number(PRODUCTS.cola.barcode[12]) + 1) % 10);
    expect(failure(await till('sale:scan', { code: misread }))).toMatchObject({
      code: 'bad_input',
      action: 'scan_again',
    });
    expect(failure(await till('sale:scan', { code: PRODUCTS.apples.plu }))).toMatchObject({
      code: 'bad_input',
      details: { reason: 'weight_required' },
    });
    expect(
      failure(await till('sale:add-product', { productId: PRODUCTS.cola.id, qtyMilli: 1500 })),
    ).toMatchObject({
      code: 'bad_input',
      details: { reason: 'whole_pieces' },
    });
    expect(
      failure(await till('sale:scan', { code: weightLabel(PRODUCTS.apples.plu, 500), qtyMilli: 2000 })),
    ).toMatchObject({
      code: 'bad_input',
    });
    // A refused first scan does not even start a sale.
    expect(count(fx.station, 'SELECT count(*) FROM sales')).toBe(0);
  });

  it('adds a weighed item by typed weight, changes quantities and voids lines as a supervisor', async () => {
    fx = await openSaleStation();
    const { sup } = fx;
    let cart = unwrap(await sup('sale:add-product', { productId: PRODUCTS.apples.id, qtyMilli: 1500 }));
    expect(cart.totals.total).toBe(1200);
    cart = unwrap(await sup('sale:scan', { code: PRODUCTS.gum.barcode }));
    const gum = cart.lines[1]!;
    cart = unwrap(await sup('sale:set-quantity', { lineId: gum.id, qtyMilli: 4000 }));
    expect(cart.totals.total).toBe(1200 + 4 * 199);
    cart = unwrap(await sup('sale:void-line', { lineId: gum.id }));
    expect(cart.lines[1]).toMatchObject({ voided: true, amounts: null });
    expect(cart.totals.total).toBe(1200);
    // The voided line is kept, with who and when.
    expect(cart.lines).toHaveLength(2);
    expect(cart.lines[1]!.voidedBy).toBe(fx.supervisorId);
    expect(failure(await sup('sale:void-line', { lineId: gum.id }))).toMatchObject({ code: 'conflict' });
    // A weight label's quantity cannot be retyped.
    cart = unwrap(await sup('sale:scan', { code: weightLabel(PRODUCTS.apples.plu, 700) }));
    const labelled = cart.lines[2]!;
    expect(failure(await sup('sale:set-quantity', { lineId: labelled.id, qtyMilli: 2000 }))).toMatchObject({
      code: 'conflict',
    });
  });
});

describe('tenders', () => {
  it('refuses to complete when the tenders are short, and says how much is missing', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    unwrap(await till('sale:add-tender', { tender: 'cash', amount: 1000 }));
    expect(failure(await till('sale:complete', {}))).toMatchObject({
      code: 'conflict',
      details: { reason: 'tender_short', remaining: 200 },
    });
    expect(count(station, "SELECT count(*) FROM sales WHERE status = 'completed'")).toBe(0);
    expect(count(station, 'SELECT count(*) FROM receipt_counters')).toBe(0);
    unwrap(await till('sale:add-tender', { tender: 'cash', amount: 200 }));
    expect(unwrap(await till('sale:complete', {})).receiptNo).toBe('S-000001');
  });

  it('splits cash and a wallet payment; the wallet needs its reference and cannot exceed what is left', async () => {
    fx = await openSaleStation();
    const { till } = fx;
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:scan', { code: PRODUCTS.cola.barcode })); // 15.50
    unwrap(await till('sale:start-tender', {}));
    unwrap(await till('sale:add-tender', { tender: 'cash', amount: 500 }));
    expect(failure(await till('sale:add-tender', { tender: 'wechat', amount: 1050 }))).toMatchObject({
      code: 'bad_input',
      details: { reason: 'reference_required' },
    });
    expect(
      failure(await till('sale:add-tender', { tender: 'wechat', amount: 1100, reference: 'WX1' })),
    ).toMatchObject({
      code: 'bad_input',
      details: { remaining: 1050 },
    });
    expect(failure(await till('sale:add-tender', { tender: 'bitcoin', amount: 100 }))).toMatchObject({
      code: 'bad_input',
    });
    unwrap(
      await till('sale:add-tender', { tender: 'wechat', amount: 1050, reference: '4200001234202601150001' }),
    );
    const done = unwrap(await till('sale:complete', {}));
    expect(done.payments.map((p) => [p.tender, p.type, p.amount, p.reference])).toEqual([
      ['cash', 'cash', 500, null],
      ['wechat', 'external', 1050, '4200001234202601150001'],
    ]);
    expect(done.totals).toMatchObject({ paidCash: 500, paidNonCash: 1050, change: 0, payable: 1550 });
  });

  it('applies cash rounding to cash only (0.10 CNY)', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    fx.setSettings({ cashIncrement: 10 });
    station.sales.attachTerminal(new ScriptedTerminal());
    // 12.00 + 1.99 = 13.99
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:scan', { code: PRODUCTS.gum.barcode }));
    let cart = unwrap(await till('sale:start-tender', {}));
    expect(cart.totals).toMatchObject({
      total: 1399,
      dueCash: 1400,
      payable: 1399,
      cashRoundingAdjustment: 0,
    });
    cart = unwrap(await till('sale:add-tender', { tender: 'cash', amount: 2000 }));
    expect(cart.totals).toMatchObject({ payable: 1400, cashRoundingAdjustment: 1, change: 600 });
    const cash = unwrap(await till('sale:complete', {}));
    expect(cash).toMatchObject({ totals: { total: 1399, payable: 1400, change: 600 } });
    expect(count(station, 'SELECT rounding FROM sales WHERE id = ?', cash.id)).toBe(1);

    // The same basket by card pays the exact amount.
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:scan', { code: PRODUCTS.gum.barcode }));
    unwrap(await till('sale:start-tender', {}));
    cart = unwrap(await till('sale:add-tender', { tender: 'card', amount: 1399 }));
    expect(cart.totals).toMatchObject({ remaining: 0, cashRoundingAdjustment: 0, payable: 1399 });
    expect(unwrap(await till('sale:complete', {})).totals.payable).toBe(1399);

    // Card first, cash for the rest: only the cash part is rounded (13.99 − 5.00 = 8.99 → 9.00).
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:scan', { code: PRODUCTS.gum.barcode }));
    unwrap(await till('sale:start-tender', {}));
    unwrap(await till('sale:add-tender', { tender: 'card', amount: 500 }));
    // Cash no coin can make (8.99 with 0.10 the smallest coin) is refused, not rounded again and again.
    expect(await till('sale:add-tender', { tender: 'cash', amount: 899 })).toMatchObject({
      ok: false,
      error: { code: 'bad_input', details: { reason: 'cash_increment', increment: 10 } },
    });
    cart = unwrap(await till('sale:add-tender', { tender: 'cash', amount: 900 }));
    expect(cart.totals).toMatchObject({ remaining: 0, payable: 1400, cashRoundingAdjustment: 1 });
    expect(unwrap(await till('sale:complete', {})).receiptNo).toBe('S-000003');
  });

  it('has no card payments without a terminal, and never pretends one approved', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    expect(unwrap(await till('sale:config', {}))).toMatchObject({ cardTerminal: false, currency: 'CNY' });
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    expect(failure(await till('sale:add-tender', { tender: 'card', amount: 1200 }))).toMatchObject({
      code: 'device_offline',
      message: 'No payment terminal configured',
    });
    expect(count(station, 'SELECT count(*) FROM payments')).toBe(0);
  });

  it('records a declined card, takes another, and refunds a removed card payment on the terminal', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    const terminal = new ScriptedTerminal().then({ status: 'declined', reason: 'insufficient funds' });
    station.sales.attachTerminal(terminal);
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    expect(failure(await till('sale:add-tender', { tender: 'card', amount: 1200 }))).toMatchObject({
      code: 'payment_declined',
      action: 'try_another_card',
    });
    let cart = unwrap(await till('sale:current', {}))!;
    expect(cart.payments.map((p) => p.status)).toEqual(['declined']);
    expect(cart.totals.remaining).toBe(1200);

    cart = unwrap(await till('sale:add-tender', { tender: 'card', amount: 700 }));
    const card = cart.payments[1]!;
    expect(card).toMatchObject({
      status: 'approved',
      approvalCode: expect.stringMatching(/^AUTH/) as string,
    });
    expect(terminal.calls[1]).toMatchObject({ kind: 'pay', amount: 700, reference: card.id });
    // Cancelling the tender is refused while a card payment stands; removing it refunds it on the terminal.
    expect(failure(await till('sale:cancel-tender', {}))).toMatchObject({ code: 'conflict' });
    cart = unwrap(await till('sale:remove-tender', { paymentId: card.id }));
    expect(terminal.calls[2]).toMatchObject({ kind: 'refund', amount: 700, original: card.approvalCode! });
    expect(cart.payments.map((p) => p.status)).toEqual(['declined', 'removed']);
    expect(cart.totals.remaining).toBe(1200);

    // Cash can be removed, and cancelling the tender takes cash off and reopens the cart.
    cart = unwrap(await till('sale:add-tender', { tender: 'cash', amount: 100 }));
    cart = unwrap(await till('sale:remove-tender', { paymentId: cart.payments[2]!.id }));
    unwrap(await till('sale:add-tender', { tender: 'cash', amount: 100 }));
    cart = unwrap(await till('sale:cancel-tender', {}));
    expect(cart.status).toBe('open');
    expect(cart.payments.every((p) => p.status !== 'approved')).toBe(true);
    unwrap(await till('sale:scan', { code: PRODUCTS.gum.barcode }));
  });
});

describe('park, recall, void and restart', () => {
  it('parks and recalls sales, and refuses to recall over a cart with items', async () => {
    fx = await openSaleStation();
    const { till } = fx;
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    const first = unwrap(await till('sale:park', { note: 'forgot wallet' }));
    fx.advance(60_000);
    expect(first).toMatchObject({ note: 'forgot wallet', lineCount: 1, total: 1200, cashierName: '王芳' });
    expect(unwrap(await till('sale:current', {}))).toBeNull();
    unwrap(await till('sale:scan', { code: PRODUCTS.cola.barcode }));
    expect(failure(await till('sale:recall', { saleId: first.id }))).toMatchObject({ code: 'conflict' });
    unwrap(await till('sale:park', {}));
    expect(unwrap(await till('sale:parked', {})).map((p) => p.total)).toEqual([1200, 350]);
    const recalled = unwrap(await till('sale:recall', { saleId: first.id }));
    expect(recalled).toMatchObject({ id: first.id, status: 'open', note: 'forgot wallet' });
    expect(unwrap(await till('sale:parked', {}))).toHaveLength(1);
    expect(failure(await till('sale:recall', { saleId: first.id }))).toMatchObject({ code: 'not_found' });
  });

  it('queues the void of an emptied cart that a recall replaces, like any other void', async () => {
    fx = await openSaleStation();
    const { sup, station } = fx;
    unwrap(await sup('sale:scan', { code: PRODUCTS.bread.barcode }));
    const parked = unwrap(await sup('sale:park', {}));
    // A second cart whose only line is voided: empty, but a document with a voided line on it.
    const cart = unwrap(await sup('sale:scan', { code: PRODUCTS.cola.barcode }));
    unwrap(await sup('sale:void-line', { lineId: cart.lines[0]!.id }));
    unwrap(await sup('sale:recall', { saleId: parked.id }));
    expect(count(station, 'SELECT status FROM sales WHERE id = ?', cart.id) as unknown).toBe('voided');
    expect(
      count(
        station,
        "SELECT count(*) FROM outbox WHERE type = 'sale.voided' AND json_extract(payload, '$.document.id') = ?",
        cart.id,
      ),
    ).toBe(1);
    expect(
      count(
        station,
        "SELECT count(*) FROM audit_log WHERE action = 'sale.voided' AND json_extract(details, '$.saleId') = ?",
        cart.id,
      ),
    ).toBe(1);
  });

  it('keeps the open sale, its tenders and its parked sales across a restart', async () => {
    fx = await openSaleStation();
    unwrap(await fx.till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await fx.till('sale:park', {}));
    unwrap(await fx.till('sale:scan', { code: PRODUCTS.cola.barcode, qtyMilli: 2000 }));
    unwrap(await fx.till('sale:start-tender', {}));
    const before = unwrap(await fx.till('sale:add-tender', { tender: 'cash', amount: 500 }));
    // Close the station as if the process ended, and open the same folder again.
    fx.station.close();
    const again = await reopen(fx.dataDir);
    const after = unwrap(await again.till('sale:current', {}));
    expect(after).toEqual({ ...before, cashierName: before.cashierName });
    expect(unwrap(await again.till('sale:parked', {}))).toHaveLength(1);
    unwrap(await again.till('sale:add-tender', { tender: 'cash', amount: 200 }));
    expect(unwrap(await again.till('sale:complete', {}))).toMatchObject({
      receiptNo: 'S-000001',
      totals: { change: 0 },
    });
    again.station.close();
  });

  it('voids a whole sale, keeping it on record with its lines', async () => {
    fx = await openSaleStation();
    const { sup, station } = fx;
    unwrap(await sup('sale:scan', { code: PRODUCTS.bread.barcode }));
    const voided = unwrap(await sup('sale:void', { reason: 'customer left' }));
    expect(voided).toMatchObject({ status: 'voided', reason: 'customer left' });
    expect(unwrap(await sup('sale:current', {}))).toBeNull();
    expect(count(station, 'SELECT count(*) FROM sale_lines WHERE sale_id = ?', voided.id)).toBe(1);
    expect(count(station, "SELECT count(*) FROM outbox WHERE type = 'sale.voided'")).toBe(1);
  });
});

/** Opens an existing data folder again and signs the cashier in (the station was set up before). */
async function reopen(dataDir: string) {
  const { openTestStation, connect } = await import('../../helpers/station');
  const test = openTestStation({ dataDir });
  const till = connect(test.station, 'till2');
  const cashier = test.station.auth.users.list().find((u) => u.role === 'cashier')!;
  unwrap(await till('auth:sign-in', { userId: cashier.id, pin: '1111' }));
  return { station: test.station, till };
}
