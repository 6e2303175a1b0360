import { afterEach, describe, expect, it } from 'vitest';
import type { SaleView } from '../../../src/shared/ipc/channels/sale';
import { unwrap, type Caller } from '../../helpers/station';
import {
  count,
  failure,
  openSaleStation,
  priceLabel,
  PRODUCTS,
  requestIdOf,
  ScriptedTerminal,
  SUPERVISOR_PIN,
  type SaleFixture,
} from './fixture';

let fx: SaleFixture;
afterEach(() => fx.cleanup());

type Tender = { tender: string; amount: number; reference?: string };

async function sell(
  as: Caller,
  items: { code: string; qtyMilli?: number }[],
  tenders: Tender[],
): Promise<SaleView> {
  for (const item of items) unwrap(await as('sale:scan', item));
  unwrap(await as('sale:start-tender', {}));
  for (const t of tenders) unwrap(await as('sale:add-tender', t));
  return unwrap(await as('sale:complete', {}));
}

const lineOf = (sale: SaleView, name: string) => sale.lines.find((l) => l.nameEn === name)!.id;

describe('returns with a receipt', () => {
  it('returns part by part, never more than sold, and gives back exactly what was paid in total', async () => {
    fx = await openSaleStation();
    const { till, sup, station } = fx;
    fx.setSettings({ cashIncrement: 10 });
    // 3 × 3.50 + 12.00 + 1.99 = 24.49, less 10 % on the order = 22.04 (allocated over the lines by the engine).
    for (const code of [PRODUCTS.cola.barcode, PRODUCTS.bread.barcode, PRODUCTS.gum.barcode]) {
      unwrap(await sup('sale:scan', code === PRODUCTS.cola.barcode ? { code, qtyMilli: 3000 } : { code }));
    }
    unwrap(await sup('sale:discount-order', { discount: { type: 'percent', bp: 1000 } }));
    unwrap(await sup('sale:start-tender', {}));
    unwrap(await sup('sale:add-tender', { tender: 'cash', amount: 3000 }));
    const sale = unwrap(await sup('sale:complete', {}));
    expect(sale.totals).toMatchObject({
      total: 2204,
      payable: 2200,
      cashRoundingAdjustment: -4,
      change: 800,
    });

    const cola = lineOf(sale, 'cola');
    const r1 = unwrap(
      await till('refund:create', {
        saleId: sale.id,
        lines: [{ lineId: cola, qtyMilli: 1000 }],
        reason: 'dented',
      }),
    );
    expect(r1).toMatchObject({
      kind: 'refund',
      status: 'completed',
      receiptNo: 'R-000001',
      originalSaleId: sale.id,
      reason: 'dented',
    });
    expect(r1.lines).toMatchObject([{ qtyMilli: -1000, originalLineId: cola }]);
    expect(r1.payments).toMatchObject([
      { tender: 'cash', type: 'cash', originalPaymentId: sale.payments[0]!.id },
    ]);
    expect(Math.abs(r1.totals.payable % 10)).toBe(0); // settled in coins
    expect(r1.totals.payable).toBeLessThan(0);

    expect(
      failure(await till('refund:create', { saleId: sale.id, lines: [{ lineId: cola, qtyMilli: 3000 }] })),
    ).toMatchObject({
      code: 'bad_input',
      details: { reason: 'more_than_sold', alreadyReturned: 1000 },
    });
    const r2 = unwrap(
      await till('refund:create', {
        saleId: sale.id,
        lines: [
          { lineId: cola, qtyMilli: 2000 },
          { lineId: lineOf(sale, 'gum'), qtyMilli: 1000 },
        ],
      }),
    );
    const r3 = unwrap(
      await till('refund:create', {
        saleId: sale.id,
        lines: [{ lineId: lineOf(sale, 'bread'), qtyMilli: 1000 }],
      }),
    );
    expect(r3.receiptNo).toBe('R-000003');
    // Everything back: exactly what the customer paid (22.00), no cent more or less.
    expect(r1.totals.payable + r2.totals.payable + r3.totals.payable).toBe(-2200);
    expect(r1.totals.total + r2.totals.total + r3.totals.total).toBe(-2200);
    expect([...r1.payments, ...r2.payments, ...r3.payments].reduce((a, p) => a + p.amount, 0)).toBe(-2200);
    // Tax comes back exactly too.
    expect(r1.totals.taxTotal + r2.totals.taxTotal + r3.totals.taxTotal).toBe(-sale.totals.taxTotal);
    expect(
      failure(await till('refund:create', { saleId: sale.id, lines: [{ lineId: cola, qtyMilli: 1000 }] })),
    ).toMatchObject({
      code: 'bad_input',
      details: { reason: 'more_than_sold' },
    });

    const after = unwrap(await till('sale:get', { ref: sale.receiptNo! }));
    expect(after.lines.map((l) => l.refundedQtyMilli)).toEqual([3000, 1000, 1000]);
    expect(after.related.map((d) => d.receiptNo)).toEqual(['R-000001', 'R-000002', 'R-000003']);
    // Stock is back on the shelf; sales and returns net to zero.
    expect(
      count(station, 'SELECT sum(delta_milli) FROM stock_movements WHERE product_id = ?', PRODUCTS.cola.id),
    ).toBe(0);
    expect(count(station, "SELECT sum(total + rounding) FROM sales WHERE status = 'completed'")).toBe(0);
    expect(count(station, "SELECT count(*) FROM outbox WHERE type = 'refund.completed'")).toBe(3);
    expect(count(station, "SELECT count(*) FROM audit_log WHERE action = 'refund.completed'")).toBe(3);
  });

  it('puts back exactly the stock a price-labelled weighed item took, over several partial returns', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    // ¥12.34 at ¥8.00/kg: 1.5425 kg, 1.543 kg off the shelf.
    const sale = await sell(
      till,
      [{ code: priceLabel(PRODUCTS.apples.plu, 1234) }],
      [{ tender: 'cash', amount: 1234 }],
    );
    const lineId = sale.lines[0]!.id;
    for (let i = 0; i < 2; i++) {
      unwrap(await till('refund:create', { saleId: sale.id, lines: [{ lineId, qtyMilli: 500 }] }));
    }
    expect(
      count(station, 'SELECT sum(delta_milli) FROM stock_movements WHERE product_id = ?', PRODUCTS.apples.id),
    ).toBe(0);
  });

  it('gives money back to the original tenders: wallet and card first, then cash', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    const terminal = new ScriptedTerminal();
    station.sales.attachTerminal(terminal);
    // 12.00 + 3.50 = 15.50: 5.00 cash, 6.00 WeChat, 4.50 card.
    const sale = await sell(
      till,
      [{ code: PRODUCTS.bread.barcode }, { code: PRODUCTS.cola.barcode }],
      [
        { tender: 'cash', amount: 500 },
        { tender: 'wechat', amount: 600, reference: 'WX-0001' },
        { tender: 'card', amount: 450 },
      ],
    );
    const card = sale.payments[2]!;
    // Returning the bread (12.00): the card (latest) first, then WeChat, then cash.
    const r1 = unwrap(
      await till('refund:create', {
        saleId: sale.id,
        lines: [{ lineId: lineOf(sale, 'bread'), qtyMilli: 1000 }],
      }),
    );
    expect(r1.payments.map((p) => [p.tender, p.amount, p.reference ?? p.approvalCode])).toEqual([
      ['card', -450, expect.stringMatching(/^AUTH/)],
      ['wechat', -600, 'WX-0001'],
      ['cash', -150, null],
    ]);
    expect(terminal.calls.at(-1)).toMatchObject({
      kind: 'refund',
      amount: 450,
      original: card.approvalCode!,
    });
    const r2 = unwrap(
      await till('refund:create', {
        saleId: sale.id,
        lines: [{ lineId: lineOf(sale, 'cola'), qtyMilli: 1000 }],
      }),
    );
    expect(r2.payments.map((p) => [p.tender, p.amount])).toEqual([['cash', -350]]);
  });

  it('refuses a card refund when no terminal is connected, and changes nothing', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    station.sales.attachTerminal(new ScriptedTerminal());
    const sale = await sell(till, [{ code: PRODUCTS.bread.barcode }], [{ tender: 'card', amount: 1200 }]);
    station.sales.attachTerminal(null);
    expect(
      failure(
        await till('refund:create', {
          saleId: sale.id,
          lines: [{ lineId: sale.lines[0]!.id, qtyMilli: 1000 }],
        }),
      ),
    ).toMatchObject({
      code: 'device_offline',
    });
    expect(count(station, "SELECT count(*) FROM sales WHERE kind = 'refund'")).toBe(0);
  });

  it('needs a supervisor for a return without a receipt, at catalog prices, with coin rounding on cash', async () => {
    fx = await openSaleStation();
    const { till, station, supervisorId } = fx;
    fx.setSettings({ cashIncrement: 10 });
    const input = {
      items: [{ productId: PRODUCTS.gum.id, qtyMilli: 2000 }],
      tender: 'cash',
      reason: 'no receipt',
    };
    const denied = await till('refund:create-without-receipt', input);
    expect(failure(denied).details).toMatchObject({ permission: 'refund.without_receipt', amount: 398 });
    const doc = unwrap(
      await till('refund:create-without-receipt', {
        ...input,
        approval: { requestId: requestIdOf(denied), supervisorId, pin: SUPERVISOR_PIN },
      }),
    );
    expect(doc).toMatchObject({
      kind: 'refund',
      receiptNo: 'R-000001',
      originalSaleId: null,
      totals: { total: -398, payable: -400 },
    });
    expect(doc.payments).toMatchObject([{ tender: 'cash', amount: -400, originalPaymentId: null }]);
    expect(
      count(station, 'SELECT sum(delta_milli) FROM stock_movements WHERE product_id = ?', PRODUCTS.gum.id),
    ).toBe(2000);
    expect(
      count(station, "SELECT sale_id FROM approvals WHERE action = 'refund.without_receipt'") as unknown,
    ).toBe(doc.id);
    // A card refund needs the original card payment.
    expect(failure(await fx.sup('refund:create-without-receipt', { ...input, tender: 'card' })).code).toBe(
      'conflict',
    );
  });
});

describe('post-void', () => {
  it('reverses the last sale only, in full, as its own document; a cashier needs a supervisor', async () => {
    fx = await openSaleStation();
    const { till, station, supervisorId } = fx;
    const first = await sell(till, [{ code: PRODUCTS.bread.barcode }], [{ tender: 'cash', amount: 2000 }]);
    const last = await sell(
      till,
      [{ code: PRODUCTS.cola.barcode, qtyMilli: 2000 }, { code: PRODUCTS.gum.barcode }],
      [
        { tender: 'cash', amount: 300 },
        { tender: 'alipay', amount: 500, reference: 'ALI-77' },
        { tender: 'cash', amount: 1000 },
      ],
    );
    expect(last.totals).toMatchObject({ payable: 899, change: 901 });

    expect(failure(await fx.sup('sale:post-void', { saleId: first.id })).code).toBe('conflict');
    const denied = await till('sale:post-void', { saleId: last.id, reason: 'wrong customer' });
    expect(failure(denied).details).toMatchObject({ permission: 'sale.post_void', amount: 899 });
    const voidDoc = unwrap(
      await till('sale:post-void', {
        saleId: last.id,
        reason: 'wrong customer',
        approval: { requestId: requestIdOf(denied), supervisorId, pin: SUPERVISOR_PIN },
      }),
    );
    expect(voidDoc).toMatchObject({
      kind: 'post_void',
      receiptNo: 'V-000001',
      originalSaleId: last.id,
      totals: { payable: -899 },
    });
    expect(voidDoc.lines.map((l) => l.qtyMilli)).toEqual([-2000, -1000]);
    // Each tender gets back exactly what it kept: wallet 5.00, cash 13.00 − 9.01 change = 3.99.
    expect(voidDoc.payments.map((p) => [p.tender, p.amount, p.reference])).toEqual([
      ['alipay', -500, 'ALI-77'],
      ['cash', -399, null],
    ]);
    expect(count(station, "SELECT count(*) FROM outbox WHERE type = 'sale.post_voided'")).toBe(1);
    expect(failure(await fx.sup('sale:post-void', { saleId: last.id })).code).toBe('conflict');
    expect(
      failure(
        await till('refund:create', {
          saleId: last.id,
          lines: [{ lineId: last.lines[1]!.id, qtyMilli: 1000 }],
        }),
      ).code,
    ).toBe('bad_input');
    // The original is untouched, and shows the post-void.
    const original = unwrap(await till('sale:get', { ref: last.id }));
    expect(original).toMatchObject({ status: 'completed', totals: last.totals });
    expect(original.related).toMatchObject([{ kind: 'post_void', receiptNo: 'V-000001', payable: -899 }]);
  });
});

describe('sale history', () => {
  it('finds documents by receipt number, time range, amount and kind', async () => {
    fx = await openSaleStation();
    const { till } = fx;
    fx.setSettings({ idleLockSeconds: 86_400 });
    const a = await sell(till, [{ code: PRODUCTS.bread.barcode }], [{ tender: 'cash', amount: 1200 }]);
    fx.advance(3_600_000);
    const b = await sell(till, [{ code: PRODUCTS.cola.barcode }], [{ tender: 'cash', amount: 350 }]);
    fx.advance(3_600_000);
    const r = unwrap(
      await till('refund:create', { saleId: a.id, lines: [{ lineId: a.lines[0]!.id, qtyMilli: 1000 }] }),
    );

    const all = unwrap(await till('sale:history', {}));
    expect(all.items.map((i) => i.receiptNo)).toEqual(['R-000001', 'S-000002', 'S-000001']);
    expect(all.hasMore).toBe(false);
    expect(unwrap(await till('sale:history', { receiptNo: 's-000002' })).items.map((i) => i.id)).toEqual([
      b.id,
    ]);
    expect(
      unwrap(await till('sale:history', { from: b.completedAt!, to: r.completedAt! })).items.map((i) => i.id),
    ).toEqual([b.id]);
    expect(
      unwrap(await till('sale:history', { minAmount: 1200, maxAmount: 1200 })).items.map((i) => i.receiptNo),
    ).toEqual(['R-000001', 'S-000001']);
    expect(unwrap(await till('sale:history', { kind: 'sale', limit: 1 }))).toMatchObject({
      items: [{ id: b.id }],
      hasMore: true,
    });
    expect(failure(await till('sale:get', { ref: 'S-999999' })).code).toBe('not_found');
  });
});
