import { afterEach, describe, expect, it } from 'vitest';
import { NexoTerminal } from '../../../src/drivers/payment/nexo-terminal';
import { NexoTerminalSimulator } from '../../../src/drivers/payment/simulator';
import { NexoPaymentTerminal } from '../../../src/main/core/devices/payment-terminal-adapter';
import { TerminalRequestLog } from '../../../src/main/core/devices/terminal-request-log';
import type { Station } from '../../../src/main/core/station';
import { openTestStation, unwrap } from '../../helpers/station';
import {
  count,
  failure,
  openSaleStation,
  PRODUCTS,
  ScriptedTerminal,
  type SaleFixture,
} from '../sale/fixture';

let fx: SaleFixture | null = null;
const closers: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  fx?.cleanup();
  fx = null;
});

const paymentStatus = (station: Station, id: string) =>
  station.db.prepare('SELECT status FROM payments WHERE id = ?').pluck().get(id) as string;

/** The real driver on the station's SQLite request log, behind the adapter. */
function attachLoggedDriver(
  station: Station,
  sim: NexoTerminalSimulator,
  options: { paymentTimeoutMs?: number; pollAttempts?: number } = {},
) {
  const log = new TerminalRequestLog(station.db, station.clock);
  const driver = new NexoTerminal({
    baseUrl: sim.url,
    saleId: 'CTTEST',
    poiId: sim.poiId,
    persist: log.persist,
    settle: log.settle,
    paymentTimeoutMs: options.paymentTimeoutMs ?? 10_000,
    poll: { maxAttempts: options.pollAttempts ?? 10, initialDelayMs: 20, maxDelayMs: 100 },
  });
  closers.push(() => driver.close());
  station.sales.attachTerminal(new NexoPaymentTerminal({ driver, log, currency: () => 'CNY' }));
  return { log, driver };
}

describe('a card payment whose outcome is unknown', () => {
  it('blocks more tenders and completion until the terminal is asked, then records its answer', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    const terminal = new ScriptedTerminal().then({ status: 'timeout' });
    station.sales.attachTerminal(terminal);
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    expect(failure(await till('sale:add-tender', { tender: 'card', amount: 1200 })).code).toBe(
      'payment_timeout',
    );
    const paymentId = unwrap(await till('sale:current', {}))!.payments[0]!.id;
    expect(paymentStatus(station, paymentId)).toBe('timeout');

    // The customer may have been charged: no second payment, no completion.
    for (const attempt of [
      await till('sale:add-tender', { tender: 'cash', amount: 1200 }),
      await till('sale:complete', {}),
    ]) {
      expect(failure(attempt)).toMatchObject({
        code: 'conflict',
        details: { reason: 'card_outcome_unknown' },
      });
    }

    // The terminal still cannot tell: the payment stays unresolved.
    terminal.statusOf.set(paymentId, { status: 'timeout' });
    expect(failure(await till('sale:check-payment', { paymentId })).code).toBe('payment_timeout');
    expect(paymentStatus(station, paymentId)).toBe('timeout');

    // It can: approved, with the terminal's code, and the sale completes on it.
    terminal.statusOf.set(paymentId, { status: 'approved', approvalCode: 'A77001' });
    const view = unwrap(await till('sale:check-payment', { paymentId }));
    expect(view.payments[0]).toMatchObject({ status: 'approved', approvalCode: 'A77001' });
    expect(unwrap(await till('sale:complete', {})).status).toBe('completed');
    // Asked by status only: one payment request reached the terminal.
    expect(terminal.calls.filter((c) => c.kind === 'pay')).toHaveLength(1);
    expect(count(station, "SELECT count(*) FROM audit_log WHERE action = 'sale.card_status_checked'")).toBe(
      1,
    );
  });

  it('records "not charged" when the terminal never got the request, and a re-check is refused', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    const terminal = new ScriptedTerminal().then({ status: 'timeout' });
    station.sales.attachTerminal(terminal);
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    failure(await till('sale:add-tender', { tender: 'card', amount: 1200 }));
    const paymentId = unwrap(await till('sale:current', {}))!.payments[0]!.id;
    // statusOf has nothing: no request for this payment is on record.
    expect(failure(await till('sale:check-payment', { paymentId })).code).toBe('payment_declined');
    expect(paymentStatus(station, paymentId)).toBe('declined');
    expect(failure(await till('sale:check-payment', { paymentId })).code).toBe('conflict');
    unwrap(await till('sale:add-tender', { tender: 'cash', amount: 1200 }));
    expect(unwrap(await till('sale:complete', {})).status).toBe('completed');
  });

  it('asks the real terminal by transaction status after the payment answer was lost', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    const sim = await NexoTerminalSimulator.start();
    closers.push(() => sim.close());
    // The terminal approves but its answer never comes; no status polling in this first driver.
    sim.next('timeout');
    attachLoggedDriver(station, sim, { paymentTimeoutMs: 300, pollAttempts: 0 });
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    expect(failure(await till('sale:add-tender', { tender: 'card', amount: 1200 })).code).toBe(
      'payment_timeout',
    );
    const paymentId = unwrap(await till('sale:current', {}))!.payments[0]!.id;
    expect(count(station, 'SELECT count(*) FROM terminal_requests WHERE reference = ?', paymentId)).toBe(1);

    attachLoggedDriver(station, sim);
    const view = unwrap(await till('sale:check-payment', { paymentId }));
    expect(view.payments[0]?.status).toBe('approved');
    expect(view.payments[0]?.approvalCode).toMatch(/^\d{6}$/);
    // One Payment request reached the terminal: the check was a TransactionStatus, never a resend.
    expect(sim.received.filter((r) => r.category === 'Payment')).toHaveLength(1);
    expect(sim.charged()).toBe(1);
    expect(
      station.db
        .prepare("SELECT json_extract(settlement, '$.status') FROM terminal_requests WHERE reference = ?")
        .pluck()
        .get(paymentId),
    ).toBe('approved');
  });

  it('after the station stopped mid-payment, the next start finds the outcome on its own', async () => {
    fx = await openSaleStation();
    const { till, station, dataDir } = fx;
    const sim = await NexoTerminalSimulator.start();
    closers.push(() => sim.close());
    sim.next('timeout'); // approved on the terminal; the answer never comes back
    const { driver } = attachLoggedDriver(station, sim);
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    const paying = till('sale:add-tender', { tender: 'card', amount: 1200 });
    while (sim.received.filter((r) => r.category === 'Payment').length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // The power goes: the payment is on disk as pending, the request in the log, no outcome anywhere.
    const paymentId = station.db.prepare('SELECT id FROM payments').pluck().get() as string;
    expect(paymentStatus(station, paymentId)).toBe('pending');
    station.close(); // (fx.cleanup removes the folder at the end)
    driver.close();
    await paying.catch(() => undefined);

    const reopened = openTestStation({ dataDir });
    closers.push(() => reopened.cleanup());
    attachLoggedDriver(reopened.station, sim);
    expect(await reopened.station.sales.checkout.resolveUnknownCardPayments()).toBe(1);
    expect(paymentStatus(reopened.station, paymentId)).toBe('approved');
    expect(sim.received.filter((r) => r.category === 'Payment')).toHaveLength(1);
    expect(count(reopened.station, 'SELECT count(*) FROM terminal_requests WHERE settled_at IS NULL')).toBe(
      0,
    );
  });
});
