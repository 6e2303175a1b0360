import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/domain/errors';
import { money } from '../../../shared/domain/money';
import type { SaleView } from '../../../shared/ipc/channels/sale';
import type { GiftCardBalanceResponse } from '../../../shared/sync/gift-cards';
import type { Caller } from '../auth/auth-service';
import { formatReceiptNo, type SaleContext } from './context';
import {
  askTerminal,
  declined,
  terminalUnreachable,
  timedOut,
  type TerminalOutcome,
} from './payment-terminal';
import {
  documentForSync,
  giftCardDeclined,
  giftCardFailed,
  giftCardNoServer,
  giftCardOfflineBlocked,
  mayHoldOnServer,
  queueHoldRelease,
  readGiftCardNumber,
  type GiftCardHoldOutcome,
  type GiftCardNumber,
} from './gift-cards';
import type { PaymentRow, SaleDocument, SaleRow } from './rows';
import { activeLines, countedPayments, saleTotals } from './sale-view';

export interface TenderInput {
  tender: string;
  amount: number;
  reference?: string | undefined;
}

/**
 * Paying for the open sale: start tendering, add and remove tenders (cash with change, card through the
 * payment terminal, external wallets with their reference), cancel back to the cart, and complete — the one
 * transaction that writes the sale, its lines, payments, stock movements, receipt number, outbox and audit rows.
 */
export class Checkout {
  /** Sales waiting for the payment terminal: nothing else may change them until it answers. */
  private readonly busy = new Set<string>();
  /**
   * Runs INSIDE the completing transaction (the devices queue the receipt there, so a completed sale always
   * has its receipt queued). A throw rolls the completion back.
   */
  onCompleted: ((document: SaleView, at: Date, userId: string | null) => void) | null = null;

  constructor(private readonly ctx: SaleContext) {}

  startTender(caller: Caller): SaleView {
    return this.ctx.change((at) => {
      const sale = this.current();
      if (sale.status !== 'open') throw new AppError('conflict', 'The sale is already being paid.');
      if (this.ctx.repo.activeLineCount(sale.id) === 0) throw new AppError('conflict', 'The cart is empty.');
      this.ctx.repo.setStatus(sale.id, 'tendering', at.toISOString());
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: 'sale.tender_started',
        details: { saleId: sale.id },
      });
      return sale.id;
    });
  }

  async addTender(caller: Caller, input: TenderInput): Promise<SaleView> {
    const tender = this.ctx.tender(input.tender);
    // Read first: a mistyped number is refused before anything is written or sent.
    const giftCard = tender.type === 'gift_card' ? readGiftCardNumber(input.reference) : null;
    if (tender.type === 'external' && input.reference === undefined) {
      throw new AppError('bad_input', `Enter the reference of the ${tender.nameEn} payment.`, {
        reason: 'reference_required',
      });
    }
    const check = (): SaleRow => {
      const sale = this.tendering();
      if (tender.type === 'cash') this.ctx.drawer?.assertCashAllowed();
      // Cash is coins and notes: an amount the smallest coin cannot make (a typo, or 434.88 where the smallest
      // coin is 0.05) would leave a remainder that cash rounding moves again each time it is paid.
      if (tender.type === 'cash' && input.amount % sale.cash_increment !== 0) {
        throw new AppError('bad_input', 'This cash amount cannot be paid in coins: check the amount.', {
          reason: 'cash_increment',
          increment: sale.cash_increment,
        });
      }
      const totals = saleTotals(this.ctx.repo.document(sale));
      if (totals.remaining === 0)
        throw new AppError('conflict', 'Nothing is left to pay: complete the sale.');
      const exactRemaining = totals.total - totals.paid;
      if (tender.type !== 'cash' && input.amount > exactRemaining) {
        throw new AppError(
          'bad_input',
          'A card or wallet payment cannot be more than what is left to pay: change is given in cash only.',
          { remaining: exactRemaining },
        );
      }
      return sale;
    };
    const record = (sale: SaleRow, paymentId: string, status: 'approved' | 'pending', at: Date) =>
      this.ctx.repo.insertPayment({
        id: paymentId,
        sale_id: sale.id,
        position: this.ctx.repo.nextPaymentPosition(sale.id),
        tender_code: tender.code,
        tender_type: tender.type,
        amount: input.amount,
        // A gift card's number is never kept: the payment shows its last four and keeps its key.
        reference: giftCard ? giftCard.masked : (input.reference ?? null),
        approval_code: null,
        status,
        original_payment_id: null,
        created_by: caller.user.id,
        created_at: at.toISOString(),
        gift_card_key: giftCard?.cardKey ?? null,
      });

    if (giftCard) {
      return this.holdGiftCard(caller, tender.code, input.amount, giftCard, check, record);
    }

    if (tender.type !== 'card') {
      return this.ctx.change((at) => {
        const sale = check();
        const paymentId = randomUUID();
        record(sale, paymentId, 'approved', at);
        this.ctx.journal.audit({
          at,
          userId: caller.user.id,
          action: 'sale.tender_added',
          details: {
            saleId: sale.id,
            paymentId,
            tender: tender.code,
            amount: input.amount,
            reference: input.reference ?? null,
          },
        });
        return sale.id;
      });
    }

    // Card: the payment is on disk as `pending` before the terminal is asked, so a crash in between leaves a
    // visible, unresolved payment instead of a charge nobody knows about.
    const terminal = this.ctx.requireTerminal();
    const paymentId = randomUUID();
    const pending = this.ctx.change((at) => {
      const sale = check();
      record(sale, paymentId, 'pending', at);
      return sale.id;
    });
    this.busy.add(pending.id);
    let outcome: TerminalOutcome;
    try {
      outcome = await askTerminal(() => terminal.requestPayment(money(input.amount), paymentId));
    } finally {
      this.busy.delete(pending.id);
    }
    const view = this.ctx.change((at) => {
      const approved = outcome.status === 'approved';
      const code = outcome.status === 'approved' ? outcome.approvalCode : null;
      // Unreachable: the request never left, so the payment is as good as declined (nothing was charged).
      const status = outcome.status === 'offline' ? 'declined' : outcome.status;
      this.ctx.repo.setPaymentStatus(paymentId, status, code, at.toISOString());
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: approved ? 'sale.tender_added' : 'sale.card_not_approved',
        details: {
          saleId: pending.id,
          paymentId,
          tender: tender.code,
          amount: input.amount,
          outcome: outcome.status,
        },
      });
      return pending.id;
    });
    if (outcome.status === 'declined') throw declined(outcome.reason);
    if (outcome.status === 'offline') throw terminalUnreachable(outcome.reason);
    if (outcome.status === 'timeout') throw timedOut();
    return view;
  }

  /** Removes a tender that is not final yet; an approved card payment is first refunded on the terminal. */
  async removeTender(caller: Caller, paymentId: string): Promise<SaleView> {
    const plan = () => {
      const sale = this.current();
      const payment = this.ctx.repo.payment(paymentId);
      if (!payment || payment.sale_id !== sale.id)
        throw new AppError('not_found', 'This tender is not on the open sale.');
      if (payment.status === 'removed') throw new AppError('conflict', 'This tender was already removed.');
      return { sale, payment };
    };
    const { sale, payment } = plan();
    let refundCode: string | null = null;
    if (payment.tender_type === 'card' && payment.status === 'approved') {
      const terminal = this.ctx.requireTerminal();
      this.busy.add(sale.id);
      let outcome: TerminalOutcome;
      try {
        outcome = await askTerminal(() =>
          terminal.requestRefund(money(payment.amount), randomUUID(), payment.approval_code ?? ''),
        );
      } finally {
        this.busy.delete(sale.id);
      }
      if (outcome.status === 'declined') throw declined(outcome.reason);
      if (outcome.status === 'offline') throw terminalUnreachable(outcome.reason);
      if (outcome.status === 'timeout') throw timedOut();
      refundCode = outcome.approvalCode;
    }
    return this.ctx.change((at) => {
      const p = plan();
      this.ctx.repo.setPaymentStatus(paymentId, 'removed', null, at.toISOString());
      const released = mayHoldOnServer(p.payment);
      if (released) queueHoldRelease(this.ctx.journal, this.ctx.stationId, p.payment, at);
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: 'sale.tender_removed',
        details: {
          saleId: p.sale.id,
          paymentId,
          tender: p.payment.tender_code,
          amount: p.payment.amount,
          was: p.payment.status,
          refundCode,
          ...(released ? { giftCardHoldReleased: true } : {}),
        },
      });
      return p.sale.id;
    });
  }

  /**
   * Finds out what happened to a card payment whose outcome is unknown — it timed out, or the station stopped
   * while the terminal had it: asks the terminal for the status of THAT request (never sends it again) and
   * records the answer. Still unknown → `payment_timeout` again, and the payment stays unresolved until it is
   * checked again or removed by the cashier. `userId` is null for the check the station runs after a restart.
   */
  async checkPayment(userId: string | null, paymentId: string): Promise<SaleView> {
    const unresolved = () => {
      const payment = this.ctx.repo.payment(paymentId);
      if (!payment) throw new AppError('not_found', 'This payment does not exist.', { paymentId });
      const sale = this.ctx.requireSale(payment.sale_id);
      if (payment.tender_type !== 'card' || (payment.status !== 'timeout' && payment.status !== 'pending')) {
        throw new AppError('conflict', 'The outcome of this payment is already known.', { paymentId });
      }
      if (sale.status !== 'tendering') throw new AppError('conflict', 'This sale is not being paid.');
      if (this.busy.has(sale.id))
        throw new AppError('conflict', 'The payment terminal is still working on this sale.');
      return { sale, payment };
    };
    const { sale } = unresolved();
    const terminal = this.ctx.requireTerminal();
    if (!terminal.checkStatus) {
      throw new AppError(
        'conflict',
        'This terminal cannot be asked about an earlier payment: check it on the terminal, then remove the payment or keep it.',
      );
    }
    const checkStatus = terminal.checkStatus.bind(terminal);
    this.busy.add(sale.id);
    let outcome: TerminalOutcome | null;
    try {
      outcome = await checkStatus(paymentId);
    } catch {
      outcome = { status: 'timeout' };
    } finally {
      this.busy.delete(sale.id);
    }
    // No request on record: the station stopped before the driver wrote it, so it was never sent.
    const known: TerminalOutcome = outcome ?? { status: 'offline', reason: 'never_sent' };
    if (known.status === 'timeout') throw timedOut();
    const view = this.ctx.change((at) => {
      const { payment } = unresolved();
      const status = known.status === 'approved' ? 'approved' : 'declined';
      const code = known.status === 'approved' ? known.approvalCode : null;
      this.ctx.repo.setPaymentStatus(payment.id, status, code, at.toISOString());
      this.ctx.journal.audit({
        at,
        userId,
        action: 'sale.card_status_checked',
        details: {
          saleId: sale.id,
          paymentId,
          amount: payment.amount,
          was: payment.status,
          outcome: known.status,
        },
      });
      return sale.id;
    });
    if (known.status === 'declined') throw declined(known.reason);
    if (known.status === 'offline') throw declined('it never reached the terminal, nothing was charged');
    return view;
  }

  /**
   * After a restart: asks the terminal about every card payment left pending or timed out on an unfinished sale.
   * Returns how many got a known outcome; the rest stay for the cashier's "check terminal".
   */
  async resolveUnknownCardPayments(): Promise<number> {
    const sale = this.ctx.repo.current(this.ctx.stationId);
    if (!sale || sale.status !== 'tendering') return 0;
    const unknown = this.ctx.repo
      .document(sale)
      .payments.filter((p) => p.tender_type === 'card' && (p.status === 'pending' || p.status === 'timeout'));
    let resolved = 0;
    for (const payment of unknown) {
      try {
        await this.checkPayment(null, payment.id);
        resolved += 1;
      } catch (err) {
        if (err instanceof AppError && err.code === 'payment_declined') resolved += 1;
      }
    }
    return resolved;
  }

  /**
   * Back to the cart: cash, wallet and gift-card tenders are taken off (each gift-card hold released in the same
   * transaction); a standing card payment must be removed first.
   */
  cancelTender(caller: Caller): SaleView {
    return this.ctx.change((at) => {
      const sale = this.tendering();
      const standing = countedPayments(this.ctx.repo.document(sale).payments);
      if (standing.some((p) => p.tender_type === 'card')) {
        throw new AppError('conflict', 'Remove the card payment first: it is refunded on the terminal.');
      }
      const released: string[] = [];
      for (const p of standing) {
        this.ctx.repo.setPaymentStatus(p.id, 'removed', null, at.toISOString());
        if (mayHoldOnServer(p)) {
          queueHoldRelease(this.ctx.journal, this.ctx.stationId, p, at);
          released.push(p.id);
        }
      }
      this.ctx.repo.setStatus(sale.id, 'open', at.toISOString());
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: 'sale.tender_cancelled',
        details: {
          saleId: sale.id,
          removedPayments: standing.map((p) => p.id),
          ...(released.length > 0 ? { giftCardHoldsReleased: released } : {}),
        },
      });
      return sale.id;
    });
  }

  /**
   * Completes the sale in ONE transaction: totals recomputed by the engine from the persisted inputs (nothing
   * from the renderer), the receipt number from the counter, line amounts, change, stock movements, the sale's
   * snapshot, the `sale.completed` outbox row with the full document and the audit row. All or nothing.
   */
  complete(caller: Caller): SaleView {
    const view = this.ctx.tx(() => {
      const at = this.ctx.now();
      const iso = at.toISOString();
      const sale = this.tendering();
      const doc: SaleDocument = this.ctx.repo.document(sale);
      const lines = activeLines(doc.lines);
      if (lines.length === 0) throw new AppError('conflict', 'The cart is empty.');
      const totals = saleTotals(doc);
      if (totals.remaining > 0) {
        throw new AppError('conflict', 'The tenders do not cover the total yet.', {
          reason: 'tender_short',
          remaining: totals.remaining,
          payable: totals.payable,
          paid: totals.paid,
        });
      }
      const seq = this.ctx.repo.nextReceiptSeq(this.ctx.stationId, 'S');
      const receiptNo = formatReceiptNo('S', seq);
      for (const t of totals.lines) {
        if (t.id !== undefined) this.ctx.repo.setLineAmounts(t.id, t, iso);
      }
      // Change comes out of the cash tenders, the last one first (the engine guarantees cash covers it).
      let change: number = totals.change;
      const payments = countedPayments(doc.payments);
      for (const p of [...payments].reverse()) {
        if (change === 0) break;
        if (p.tender_type !== 'cash') continue;
        const give = Math.min(change, p.amount);
        this.ctx.repo.setPaymentChange(p.id, give, iso);
        change -= give;
      }
      if (change !== 0) throw new Error('change exceeds the cash tendered');
      for (const line of lines) {
        if (line.stock_qty_milli === 0) continue;
        this.ctx.repo.insertMovement({
          id: randomUUID(),
          product_id: line.product_id,
          delta: -line.stock_qty_milli,
          reason: 'sale',
          sale_id: sale.id,
          line_id: line.id,
          at: iso,
        });
      }
      this.ctx.drawer?.attribute(sale.id, at);
      this.ctx.repo.complete({
        id: sale.id,
        receipt_seq: seq,
        receipt_no: receiptNo,
        subtotal: totals.subtotal,
        discount_total: totals.discountTotal,
        tax_total: totals.taxTotal,
        total: totals.total,
        rounding: totals.cashRoundingAdjustment,
        paid: totals.paid,
        change_given: totals.change,
        totals: JSON.stringify(totals),
        at: iso,
      });
      const completed = this.ctx.viewOf(sale.id);
      const pushed = documentForSync(
        completed,
        this.ctx.repo.document(this.ctx.requireSale(sale.id)).payments,
      );
      this.ctx.journal.enqueue('sale.completed', { stationId: this.ctx.stationId, document: pushed }, at);
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: 'sale.completed',
        details: {
          saleId: sale.id,
          receiptNo,
          total: totals.total,
          payable: totals.payable,
          change: totals.change,
          lines: lines.length,
          tenders: payments.map((p) => ({ tender: p.tender_code, amount: p.amount })),
        },
      });
      this.onCompleted?.(completed, at, caller.user.id);
      return completed;
    });
    this.ctx.emit(view);
    return view;
  }

  /**
   * A gift-card tender: like a card payment, the payment is on disk as `pending` (reference "•••• 1234", the card
   * key) before the store server is asked to hold the amount (hold id = payment id), and the outcome is ONE
   * transaction with its audit row. Held → approved. Declined → declined, with why. No answer → the store's
   * offline policy: `block` declines it and queues a release (the hold may exist after all); `allow` approves it
   * unverified (`gift_card_offline` = 1) for the server to apply when the sale arrives. No server → declined.
   */
  private async holdGiftCard(
    caller: Caller,
    tenderCode: string,
    amount: number,
    card: GiftCardNumber,
    check: () => SaleRow,
    record: (sale: SaleRow, paymentId: string, status: 'pending', at: Date) => void,
  ): Promise<SaleView> {
    const authority = this.ctx.giftCards;
    if (!authority) throw giftCardNoServer();
    const paymentId = randomUUID();
    const pending = this.ctx.change((at) => {
      const sale = check();
      record(sale, paymentId, 'pending', at);
      return sale.id;
    });
    this.busy.add(pending.id);
    let outcome: GiftCardHoldOutcome;
    try {
      outcome = await authority.holdGiftCard({
        holdId: paymentId,
        number: card.number,
        amount,
        saleId: pending.id,
      });
    } catch {
      // A bug on this side, not an answer: treat it as no answer (never surface the request).
      outcome = { status: 'unreachable', message: 'the request failed on this station' };
    } finally {
      this.busy.delete(pending.id);
    }
    const policy = outcome.status === 'unreachable' ? authority.giftCardOfflinePolicy() : null;
    const acceptedOffline = outcome.status === 'unreachable' && policy === 'allow';
    const approved = outcome.status === 'held' || acceptedOffline;
    const view = this.ctx.change((at) => {
      const payment = this.ctx.repo.payment(paymentId);
      if (!payment) throw new Error(`gift-card payment ${paymentId} vanished`);
      this.ctx.repo.setGiftCardOutcome(
        paymentId,
        approved ? 'approved' : 'declined',
        acceptedOffline ? 1 : 0,
        at.toISOString(),
      );
      // No clear answer and not accepted: the server may hold the amount all the same.
      const release = !approved && (outcome.status === 'unreachable' || outcome.status === 'failed');
      if (release) queueHoldRelease(this.ctx.journal, this.ctx.stationId, payment, at);
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: approved ? 'sale.tender_added' : 'sale.gift_card_not_approved',
        details: giftCardAuditDetails(payment, tenderCode, outcome, policy, release),
      });
      return pending.id;
    });
    switch (outcome.status) {
      case 'held':
        return view;
      case 'declined':
        throw giftCardDeclined(outcome.reason, outcome.available);
      case 'unreachable':
        if (acceptedOffline) return view;
        throw giftCardOfflineBlocked();
      case 'not_enrolled':
        throw giftCardNoServer();
      case 'failed':
        throw giftCardFailed(outcome.message);
    }
  }

  /**
   * What is on a gift card, for a customer who asks (before or while paying): read from the store server, so
   * only when it can be reached. Reserves nothing, writes nothing; the number is not kept.
   */
  async giftCardBalance(number: string): Promise<GiftCardBalanceResponse> {
    const card = readGiftCardNumber(number);
    const authority = this.ctx.giftCards;
    if (!authority) throw giftCardNoServer();
    const outcome = await authority.giftCardBalance(card.number);
    switch (outcome.status) {
      case 'answered':
        return outcome.answer;
      case 'unreachable':
        throw new AppError(
          'server_unreachable',
          'The store server cannot be reached now, so the gift card balance is unknown.',
          { reason: 'gift_card_balance_unreachable' },
          'retry',
        );
      case 'not_enrolled':
        throw giftCardNoServer();
      case 'failed':
        throw giftCardFailed(outcome.message);
    }
  }

  // --- internals ----------------------------------------------------------------------------------------------

  /** The open or tendering sale, unless the terminal is working on it or a card payment is unresolved. */
  private current(): SaleRow {
    const sale = this.ctx.repo.current(this.ctx.stationId);
    if (!sale) throw new AppError('not_found', 'There is no open sale.');
    if (this.busy.has(sale.id))
      throw new AppError('conflict', 'The payment terminal is still working on this sale.');
    return sale;
  }

  private tendering(): SaleRow {
    const sale = this.current();
    if (sale.status !== 'tendering') throw new AppError('conflict', 'Start the tender first.');
    const unknown = this.ctx.repo
      .document(sale)
      .payments.filter((p) => p.status === 'pending' || p.status === 'timeout');
    if (unknown.length > 0 && unknown.every((p) => p.tender_type === 'gift_card')) {
      // The station stopped while the store server had the hold request: removing it releases any hold.
      throw new AppError(
        'conflict',
        'A gift card payment has no known outcome: remove it, then take the gift card again.',
        { reason: 'gift_card_outcome_unknown' },
      );
    }
    if (unknown.length > 0) {
      // The customer may have been charged: nothing more is taken or completed until someone finds out.
      throw new AppError(
        'conflict',
        'A card payment has no known outcome: check it on the terminal ("Check terminal"), or remove it.',
        { reason: 'card_outcome_unknown' },
      );
    }
    return sale;
  }
}

/** What the audit keeps of a gift-card attempt: the masked reference and the outcome, never the number. */
function giftCardAuditDetails(
  payment: PaymentRow,
  tender: string,
  outcome: GiftCardHoldOutcome,
  policy: 'block' | 'allow' | null,
  holdReleased: boolean,
): Record<string, unknown> {
  return {
    saleId: payment.sale_id,
    paymentId: payment.id,
    tender,
    amount: payment.amount,
    reference: payment.reference,
    outcome: outcome.status,
    ...(outcome.status === 'declined'
      ? { reason: outcome.reason, available: outcome.available }
      : outcome.status === 'unreachable' || outcome.status === 'failed'
        ? { message: outcome.message, offlinePolicy: policy }
        : {}),
    // Accepted without the store server: unverified, applied when the sale reaches it.
    ...(outcome.status === 'unreachable' && policy === 'allow' ? { acceptedOffline: true } : {}),
    ...(holdReleased ? { holdReleased: true } : {}),
  };
}
