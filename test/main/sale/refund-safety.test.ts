import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { documentIdForRequest } from '../../../src/main/core/sale/returns';
import type { SaleView } from '../../../src/shared/ipc/channels/sale';
import { unwrap, type Caller } from '../../helpers/station';
import {
  count,
  failure,
  openSaleStation,
  PRODUCTS,
  requestIdOf,
  ScriptedTerminal,
  SUPERVISOR_PIN,
  type SaleFixture,
} from './fixture';

/**
 * Refunds that cannot happen twice and card refunds that cannot lose money: a retried call (lost answer, double
 * tap) returns the document the first one wrote, and a card refund is on disk as `pending` before the terminal
 * is asked, so neither a declined card nor a crash/commit failure after the terminal paid out goes unrecorded.
 */

let fx: SaleFixture;
afterEach(async () => {
  // The print queue picks up a completed refund's receipt on the next turn of the event loop: let it run
  // before the database closes (it does not check for a closed station itself).
  await new Promise((resolve) => setImmediate(resolve));
  fx.cleanup();
});

type Tender = { tender: string; amount: number; reference?: string };

async function sell(as: Caller, codes: string[], tenders: Tender[]): Promise<SaleView> {
  for (const code of codes) unwrap(await as('sale:scan', { code }));
  unwrap(await as('sale:start-tender', {}));
  for (const t of tenders) unwrap(await as('sale:add-tender', t));
  return unwrap(await as('sale:complete', {}));
}

/** Opens the drawer shift cash needs, on the cashier's connection. */
async function openShift(as: Caller): Promise<void> {
  unwrap(await as('shift:open', { float: { total: 50_000 } }));
}

/** Row counts of everything a refund writes. */
function rows(fx: SaleFixture) {
  const { station } = fx;
  return {
    documents: count(station, "SELECT count(*) FROM sales WHERE kind <> 'sale'"),
    lines: count(station, 'SELECT count(*) FROM sale_lines'),
    payments: count(station, 'SELECT count(*) FROM payments'),
    movements: count(station, 'SELECT count(*) FROM stock_movements'),
    approvals: count(station, 'SELECT count(*) FROM approvals'),
    outbox: count(station, 'SELECT count(*) FROM outbox'),
    audit: count(station, 'SELECT count(*) FROM audit_log'),
  };
}

describe('refund idempotency', () => {
  it('returns the same refund for a repeated request id and writes nothing new', async () => {
    fx = await openSaleStation();
    const { till } = fx;
    await openShift(till);
    const sale = await sell(
      till,
      [PRODUCTS.bread.barcode, PRODUCTS.cola.barcode],
      [{ tender: 'cash', amount: 2000 }],
    );
    const input = {
      saleId: sale.id,
      lines: [{ lineId: sale.lines[0]!.id, qtyMilli: 1000 }],
      requestId: randomUUID(),
    };
    const first = unwrap(await till('refund:create', input));
    expect(first).toMatchObject({ kind: 'refund', status: 'completed', receiptNo: 'R-000001' });
    expect(first.id).toBe(documentIdForRequest(fx.station.id, input.requestId));
    const before = rows(fx);

    // The answer was lost: the till sends the same request again.
    const again = unwrap(await till('refund:create', input));
    expect(again.id).toBe(first.id);
    expect(again.receiptNo).toBe('R-000001');
    expect(again.payments).toEqual(first.payments);
    expect(rows(fx)).toEqual(before);

    // A double tap: two calls at once with one request id make one document.
    const tap = { ...input, lines: [{ lineId: sale.lines[1]!.id, qtyMilli: 1000 }], requestId: randomUUID() };
    const [a, b] = await Promise.all([till('refund:create', tap), till('refund:create', tap)]);
    expect(unwrap(a).id).toBe(unwrap(b).id);
    expect(unwrap(a).receiptNo).toBe('R-000002');
    expect(count(fx.station, "SELECT count(*) FROM sales WHERE kind = 'refund'")).toBe(2);

    // The same request id for something else is refused, not answered with the old document.
    expect(
      failure(
        await till('refund:create', { ...input, lines: [{ lineId: sale.lines[1]!.id, qtyMilli: 1000 }] }),
      ),
    ).toMatchObject({ code: 'conflict', details: { reason: 'request_reused' } });
  });

  it('answers a repeated return without receipt with its document, without asking the supervisor again', async () => {
    fx = await openSaleStation();
    const { till, supervisorId } = fx;
    await openShift(till);
    const input = {
      items: [{ productId: PRODUCTS.gum.id, qtyMilli: 2000 }],
      tender: 'cash',
      reason: 'no receipt',
      requestId: randomUUID(),
    };
    const denied = await till('refund:create-without-receipt', input);
    const doc = unwrap(
      await till('refund:create-without-receipt', {
        ...input,
        approval: { requestId: requestIdOf(denied), supervisorId, pin: SUPERVISOR_PIN },
      }),
    );
    const before = rows(fx);
    expect(before.approvals).toBe(1);
    // The retry carries no approval (the one given was used): it gets the document, and moves nothing.
    const again = unwrap(await till('refund:create-without-receipt', input));
    expect(again).toMatchObject({ id: doc.id, receiptNo: doc.receiptNo, totals: doc.totals });
    expect(rows(fx)).toEqual(before);
    // Another tender under the same request id is not the same request.
    expect(
      failure(await till('refund:create-without-receipt', { ...input, tender: 'wechat', reference: 'WX-1' })),
    ).toMatchObject({ code: 'conflict', details: { reason: 'request_reused' } });
  });

  it('post-voids once for a repeated request id', async () => {
    fx = await openSaleStation();
    const { sup } = fx;
    await openShift(sup);
    const sale = await sell(sup, [PRODUCTS.cola.barcode], [{ tender: 'cash', amount: 500 }]);
    const input = { saleId: sale.id, requestId: randomUUID() };
    const first = unwrap(await sup('sale:post-void', input));
    const before = rows(fx);
    const again = unwrap(await sup('sale:post-void', input));
    expect(again).toMatchObject({ id: first.id, kind: 'post_void', receiptNo: 'V-000001' });
    expect(rows(fx)).toEqual(before);
    // Without the request id the same action is a new attempt, and the sale is already reversed.
    expect(failure(await sup('sale:post-void', { saleId: sale.id })).code).toBe('conflict');
  });
});

describe('card refunds', () => {
  async function cardSale(terminal: ScriptedTerminal): Promise<SaleView> {
    fx.station.sales.attachTerminal(terminal);
    return sell(fx.till, [PRODUCTS.bread.barcode], [{ tender: 'card', amount: 1200 }]);
  }

  it('records a declined card refund as given back nothing, and lets the cashier try again', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    const terminal = new ScriptedTerminal();
    const sale = await cardSale(terminal);
    terminal.then({ status: 'declined', reason: 'card expired' });
    const input = {
      saleId: sale.id,
      lines: [{ lineId: sale.lines[0]!.id, qtyMilli: 1000 }],
      requestId: randomUUID(),
    };
    const error = failure(await till('refund:create', input));
    expect(error).toMatchObject({ code: 'payment_declined' });
    const refundId = error.details?.['refundId'];
    expect(refundId).toBe(documentIdForRequest(station.id, input.requestId));

    // On disk: the attempt, its declined card payment, its audit rows; no receipt, no stock, nothing to sync.
    const attempt = station.db.prepare('SELECT status, receipt_no FROM sales WHERE id = ?').get(refundId);
    expect(attempt).toEqual({ status: 'tendering', receipt_no: null });
    expect(
      station.db.prepare('SELECT tender_type, amount, status FROM payments WHERE sale_id = ?').all(refundId),
    ).toEqual([{ tender_type: 'card', amount: -1200, status: 'declined' }]);
    expect(count(station, 'SELECT count(*) FROM stock_movements WHERE sale_id = ?', refundId)).toBe(0);
    expect(count(station, "SELECT count(*) FROM outbox WHERE type = 'refund.completed'")).toBe(0);
    expect(
      station.db
        .prepare("SELECT action FROM audit_log WHERE action LIKE 'refund.%' ORDER BY seq")
        .pluck()
        .all(),
    ).toEqual(['refund.card_requested', 'refund.card_not_approved']);
    expect(unwrap(await till('refund:unresolved', {}))).toEqual([]);

    // The same request again does not ask the terminal again: the answer is still "declined".
    const calls = terminal.calls.length;
    expect(failure(await till('refund:create', input)).code).toBe('payment_declined');
    expect(terminal.calls.length).toBe(calls);

    // A new attempt (another card, the terminal back) goes through.
    const done = unwrap(await till('refund:create', { ...input, requestId: randomUUID() }));
    expect(done).toMatchObject({ status: 'completed', receiptNo: 'R-000001' });
    expect(done.payments).toMatchObject([{ type: 'card', amount: -1200, status: 'approved' }]);
    expect(terminal.calls.filter((c) => c.kind === 'refund')).toHaveLength(2);
  });

  it('leaves a timed-out card refund unresolved and blocks the sale until the terminal is asked', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    const terminal = new ScriptedTerminal();
    const sale = await cardSale(terminal);
    terminal.then({ status: 'timeout' });
    const lines = [{ lineId: sale.lines[0]!.id, qtyMilli: 1000 }];
    const error = failure(await till('refund:create', { saleId: sale.id, lines }));
    expect(error).toMatchObject({ code: 'payment_timeout', details: { reason: 'refund_outcome_unknown' } });
    const paymentId = error.details?.['paymentId'] as string;

    const [open] = unwrap(await till('refund:unresolved', {}));
    expect(open).toMatchObject({
      kind: 'refund',
      originalSaleId: sale.id,
      originalReceiptNo: sale.receiptNo,
      payments: [{ id: paymentId, tender: 'card', amount: -1200, status: 'timeout' }],
    });
    // Money may have gone back: no second return of the sale until someone finds out.
    expect(failure(await till('refund:create', { saleId: sale.id, lines }))).toMatchObject({
      code: 'conflict',
      details: { reason: 'refund_outcome_unknown' },
    });

    // The terminal still cannot tell, then it can: approved.
    terminal.statusOf.set(paymentId, { status: 'timeout' });
    expect(failure(await till('refund:check-payment', { paymentId })).code).toBe('payment_timeout');
    terminal.statusOf.set(paymentId, { status: 'approved', approvalCode: 'RF0001' });
    const done = unwrap(await till('refund:check-payment', { paymentId }));
    expect(done).toMatchObject({ id: open!.id, status: 'completed', receiptNo: 'R-000001' });
    expect(done.payments).toMatchObject([{ id: paymentId, approvalCode: 'RF0001', status: 'approved' }]);
    expect(terminal.calls.filter((c) => c.kind === 'refund')).toHaveLength(1);
    expect(count(station, "SELECT count(*) FROM outbox WHERE type = 'refund.completed'")).toBe(1);
    expect(count(station, 'SELECT sum(delta_milli) FROM stock_movements WHERE sale_id = ?', done.id)).toBe(
      1000,
    );
    expect(unwrap(await till('refund:unresolved', {}))).toEqual([]);
    expect(failure(await till('refund:check-payment', { paymentId })).code).toBe('conflict');
  });

  it('keeps a recoverable record when the commit fails after the terminal gave the money back', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    const terminal = new ScriptedTerminal();
    const sale = await cardSale(terminal);
    // The completing transaction fails after the terminal approved (here: the stock write, as a full disk
    // or a bug would).
    station.db.exec(`CREATE TRIGGER test_refund_stock_fails BEFORE INSERT ON stock_movements
      WHEN NEW.reason = 'refund' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const failed = await till('refund:create', {
      saleId: sale.id,
      lines: [{ lineId: sale.lines[0]!.id, qtyMilli: 1000 }],
    });
    expect(failure(failed).code).toBe('storage_error');
    const refund = terminal.calls.find((c) => c.kind === 'refund');
    expect(refund).toMatchObject({ amount: 1200 });

    // The money went back on the card, and the station knows: the refund is on disk, unresolved.
    const [open] = unwrap(await till('refund:unresolved', {}));
    expect(open?.payments).toEqual([
      { id: refund!.reference, tender: 'card', amount: -1200, status: 'pending' },
    ]);
    expect(count(station, 'SELECT count(*) FROM audit_log WHERE action = ?', 'refund.card_requested')).toBe(
      1,
    );

    // Once the fault is gone, asking the terminal completes the refund with the approval it gave.
    station.db.exec('DROP TRIGGER test_refund_stock_fails');
    terminal.statusOf.set(refund!.reference, { status: 'approved', approvalCode: 'AUTH0002' });
    const done = unwrap(await till('refund:check-payment', { paymentId: refund!.reference }));
    expect(done).toMatchObject({ status: 'completed', receiptNo: 'R-000001', originalSaleId: sale.id });
    expect(done.payments).toMatchObject([{ amount: -1200, approvalCode: 'AUTH0002', status: 'approved' }]);
    expect(terminal.calls.filter((c) => c.kind === 'refund')).toHaveLength(1);
  });

  it('settles card refunds left unknown at start-up by asking the terminal, never by sending them again', async () => {
    fx = await openSaleStation();
    const { till, station } = fx;
    const terminal = new ScriptedTerminal();
    const sale = await cardSale(terminal);
    const lines = [{ lineId: sale.lines[0]!.id, qtyMilli: 1000 }];
    terminal.then({ status: 'timeout' });
    const error = failure(await till('refund:create', { saleId: sale.id, lines }));
    const paymentId = error.details?.['paymentId'] as string;

    // The terminal knows the request and never charged it back: the refund is dropped, nothing moved.
    terminal.statusOf.set(paymentId, { status: 'declined', reason: 'card blocked' });
    expect(await station.sales.returns.resolveUnknownCardRefunds()).toBe(1);
    expect(unwrap(await till('refund:unresolved', {}))).toEqual([]);
    expect(station.db.prepare('SELECT status FROM payments WHERE id = ?').pluck().get(paymentId)).toBe(
      'declined',
    );
    expect(terminal.calls.filter((c) => c.kind === 'refund')).toHaveLength(1);

    // The sale is free for a return again.
    const done = unwrap(await till('refund:create', { saleId: sale.id, lines }));
    expect(done).toMatchObject({ status: 'completed', receiptNo: 'R-000001' });
  });
});
