import { afterEach, describe, expect, it } from 'vitest';
import { NexoTerminal, type PaymentInput } from '../../../src/drivers/payment/nexo-terminal';
import { MAGIC_DECLINE_REASON, NexoTerminalSimulator } from '../../../src/drivers/payment/simulator';
import { startDemoPaymentTerminal } from '../../../src/main/core/devices/demo-terminal';
import {
  NexoPaymentTerminal,
  toTerminalOutcome,
} from '../../../src/main/core/devices/payment-terminal-adapter';
import { AppError } from '../../../src/shared/domain/errors';
import { money } from '../../../src/shared/domain/money';
import { unwrap } from '../../helpers/station';
import { count, failure, openSaleStation, PRODUCTS, type SaleFixture } from '../sale/fixture';

let fx: SaleFixture | null = null;
const closers: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  fx?.cleanup();
  fx = null;
});

/** The real simulator (magic amounts on) behind the real driver and the adapter; counts driver calls. */
async function attachSimulator(f: SaleFixture) {
  const sim = await NexoTerminalSimulator.start({ declineAmountsEndingIn13: true });
  closers.push(() => sim.close());
  const driver = new NexoTerminal({
    baseUrl: sim.url,
    saleId: 'CTTEST',
    poiId: sim.poiId,
    persist: () => undefined,
    settle: () => undefined,
  });
  closers.push(() => driver.close());
  const calls: { kind: 'pay' | 'refund'; input: PaymentInput }[] = [];
  f.station.sales.attachTerminal(
    new NexoPaymentTerminal({
      driver: {
        pay: (input) => (calls.push({ kind: 'pay', input }), driver.pay(input)),
        refund: (input) => (calls.push({ kind: 'refund', input }), driver.refund(input)),
      },
      currency: () => f.station.sales.config().currency,
    }),
  );
  return { sim, calls };
}

const approvedCount = (f: SaleFixture) =>
  count(f.station, "SELECT count(*) FROM payments WHERE tender_type = 'card' AND status = 'approved'");

describe('NexoPaymentTerminal through the gate, with the nexo simulator', () => {
  it('approves a card sale end to end', async () => {
    fx = await openSaleStation();
    const { till } = fx;
    const { sim, calls } = await attachSimulator(fx);
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    const cart = unwrap(await till('sale:add-tender', { tender: 'card', amount: 1200 }));
    expect(cart.payments).toHaveLength(1);
    expect(cart.payments[0]).toMatchObject({
      tender: 'card',
      amount: 1200,
      status: 'approved',
      approvalCode: expect.stringMatching(/^\d{6}$/) as string,
    });
    expect(calls).toEqual([
      { kind: 'pay', input: { amountMinor: 1200, currency: 'CNY', reference: cart.payments[0]!.id } },
    ]);
    expect(sim.charged()).toBe(1);
    expect(sim.received.filter((r) => r.category === 'Payment')).toMatchObject([{ amountMinor: 1200 }]);
    const done = unwrap(await till('sale:complete', {}));
    expect(done).toMatchObject({ status: 'completed', receiptNo: 'S-000001' });
    expect(approvedCount(fx)).toBe(1);
  });

  it('declines a magic amount (ending in 13): the sale stays open, nothing is approved', async () => {
    fx = await openSaleStation();
    const { till } = fx;
    const { sim } = await attachSimulator(fx);
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    expect(failure(await till('sale:add-tender', { tender: 'card', amount: 1013 }))).toMatchObject({
      code: 'payment_declined',
      action: 'try_another_card',
      details: { reason: MAGIC_DECLINE_REASON },
    });
    const cart = unwrap(await till('sale:current', {}))!;
    expect(cart.status).toBe('tendering');
    expect(cart.payments.map((p) => p.status)).toEqual(['declined']);
    expect(cart.totals.remaining).toBe(1200);
    expect(sim.charged()).toBe(0);
    expect(approvedCount(fx)).toBe(0);
    expect(failure(await till('sale:complete', {}))).toMatchObject({ code: 'conflict' });
    // Another amount on the same terminal goes through.
    unwrap(await till('sale:add-tender', { tender: 'card', amount: 1200 }));
    expect(sim.charged()).toBe(1);
  });

  it('splits cash and card', async () => {
    fx = await openSaleStation();
    const { till } = fx;
    const { sim, calls } = await attachSimulator(fx);
    // 12.00 + 3.50 = 15.50: 5.00 cash, 10.50 card.
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:scan', { code: PRODUCTS.cola.barcode }));
    unwrap(await till('sale:start-tender', {}));
    unwrap(await till('sale:add-tender', { tender: 'cash', amount: 500 }));
    const cart = unwrap(await till('sale:add-tender', { tender: 'card', amount: 1050 }));
    expect(cart.totals.remaining).toBe(0);
    const done = unwrap(await till('sale:complete', {}));
    expect(done.totals).toMatchObject({ paidCash: 500, paidNonCash: 1050, change: 0 });
    expect(done.payments.map((p) => [p.tender, p.amount, p.status])).toEqual([
      ['cash', 500, 'approved'],
      ['card', 1050, 'approved'],
    ]);
    expect(calls.map((c) => [c.kind, c.input.amountMinor])).toEqual([['pay', 1050]]);
    expect(sim.charged()).toBe(1);
  });

  it('reports an unreachable terminal as a device error (nothing charged), not a timeout', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    const sim = await NexoTerminalSimulator.start();
    const url = sim.url;
    await sim.close(); // nothing listens there any more: connection refused
    const driver = new NexoTerminal({
      baseUrl: url,
      saleId: 'CTTEST',
      poiId: 'SIM-001',
      persist: () => undefined,
      settle: () => undefined,
    });
    closers.push(() => driver.close());
    station.sales.attachTerminal(new NexoPaymentTerminal({ driver, currency: () => 'CNY' }));
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    expect(failure(await till('sale:add-tender', { tender: 'card', amount: 1200 }))).toMatchObject({
      code: 'device_offline',
      action: 'call_technician',
      details: { device: 'payment_terminal', reason: 'ECONNREFUSED' },
    });
    // Recorded as not charged (declined), not as an unknown outcome: the sale is not blocked.
    let cart = unwrap(await till('sale:current', {}))!;
    expect(cart.payments.map((p) => p.status)).toEqual(['declined']);
    expect(count(station, "SELECT count(*) FROM payments WHERE status IN ('timeout', 'pending')")).toBe(0);
    cart = unwrap(await till('sale:add-tender', { tender: 'cash', amount: 1200 }));
    expect(unwrap(await till('sale:complete', {})).status).toBe('completed');
  });

  it('refunds a card sale back to the card through the simulator, exactly once', async () => {
    fx = await openSaleStation();
    const { till } = fx;
    const { sim, calls } = await attachSimulator(fx);
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    unwrap(await till('sale:add-tender', { tender: 'card', amount: 1200 }));
    const sale = unwrap(await till('sale:complete', {}));
    const lineId = sale.lines[0]!.id;
    const refund = unwrap(
      await till('refund:create', { saleId: sale.id, lines: [{ lineId, qtyMilli: 1000 }] }),
    );
    expect(refund.payments.map((p) => [p.tender, p.amount, p.status])).toEqual([['card', -1200, 'approved']]);
    expect(refund.payments[0]!.approvalCode).toMatch(/^\d{6}$/);
    expect(refund.payments[0]!.approvalCode).not.toBe(sale.payments[0]!.approvalCode);
    expect(calls.map((c) => [c.kind, c.input.amountMinor])).toEqual([
      ['pay', 1200],
      ['refund', 1200],
    ]);
    // One payment and one refund reached the terminal, each processed once.
    expect(sim.received.filter((r) => r.category === 'Payment')).toHaveLength(2);
    expect(sim.charged()).toBe(2);
    // Nothing more to refund: a second return is refused before the terminal is asked.
    expect((await till('refund:create', { saleId: sale.id, lines: [{ lineId, qtyMilli: 1000 }] })).ok).toBe(
      false,
    );
    expect(calls).toHaveLength(2);
  });
});

describe('the demo payment terminal', () => {
  it('attaches the simulator (cardTerminal: true), declines magic amounts, and detaches on stop', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    expect(unwrap(await till('sale:config', {})).cardTerminal).toBe(false);
    const lines: string[] = [];
    const stop = await startDemoPaymentTerminal(station, { env: {}, log: (l) => lines.push(l) });
    closers.push(stop);
    expect(unwrap(await till('sale:config', {})).cardTerminal).toBe(true);
    expect(lines.join('\n')).toMatch(/Demo card terminal .*127\.0\.0\.1/);
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    expect(failure(await till('sale:add-tender', { tender: 'card', amount: 113 }))).toMatchObject({
      code: 'payment_declined',
    });
    const cart = unwrap(await till('sale:add-tender', { tender: 'card', amount: 1200 }));
    expect(cart.payments.at(-1)).toMatchObject({ status: 'approved' });
    await stop();
    await stop();
    expect(unwrap(await till('sale:config', {})).cardTerminal).toBe(false);
  });

  it('is not started with COUNTERTOP_NO_DEMO_TERMINAL=1', async () => {
    fx = await openSaleStation();
    const stop = await startDemoPaymentTerminal(fx.station, { env: { COUNTERTOP_NO_DEMO_TERMINAL: '1' } });
    expect(unwrap(await fx.till('sale:config', {})).cardTerminal).toBe(false);
    await stop();
  });
});

describe('outcome mapping', () => {
  it('maps every driver outcome exactly', () => {
    expect(
      toTerminalOutcome({
        status: 'approved',
        approvalCode: '123456',
        maskedPan: '541333 **** 9999',
        receiptText: ['APPROVED'],
        poiTransactionId: 'SIM-001.000001',
        via: 'response',
      }),
    ).toEqual({
      status: 'approved',
      approvalCode: '123456',
      maskedPan: '541333 **** 9999',
      receiptText: ['APPROVED'],
    });
    expect(toTerminalOutcome({ status: 'declined', reason: 'Refused', via: 'status' })).toEqual({
      status: 'declined',
      reason: 'Refused',
    });
    expect(toTerminalOutcome({ status: 'aborted', via: 'response' })).toMatchObject({ status: 'declined' });
    expect(toTerminalOutcome({ status: 'unknown', reason: 'no_answer' })).toEqual({ status: 'timeout' });
  });

  it('treats device_offline as offline, but a driver closed mid-payment and other errors as unknown', async () => {
    const throwing = (err: Error) =>
      new NexoPaymentTerminal({
        driver: { pay: () => Promise.reject(err), refund: () => Promise.reject(err) },
        currency: () => 'CNY',
      });
    const offline = new AppError('device_offline', 'x', {
      device: 'payment_terminal',
      reason: 'connect_timeout',
    });
    await expect(throwing(offline).requestPayment(money(100), 'p1')).resolves.toEqual({
      status: 'offline',
      reason: 'connect_timeout',
    });
    const closed = new AppError('device_offline', 'x', { device: 'payment_terminal', reason: 'closed' });
    await expect(throwing(closed).requestPayment(money(100), 'p1')).rejects.toBe(closed);
    const storage = new AppError('storage_error', 'x');
    await expect(throwing(storage).requestRefund(money(100), 'p1', '123456')).rejects.toBe(storage);
  });
});
