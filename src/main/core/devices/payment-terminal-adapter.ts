/**
 * The sale core's `PaymentTerminal` over the nexo driver (`src/drivers/payment`). Outcomes map exactly:
 *
 * - approved → `approved` with the approval code, the masked PAN and the receipt text;
 * - declined / aborted → `declined` with the reason;
 * - `device_offline` (the request never left: nothing was charged) → `offline`, NOT a timeout;
 * - unknown → `timeout`; any other failure (unusable answer, storage, a driver closed mid-payment) is thrown,
 *   which `askTerminal` also turns into `timeout` (the outcome is unknown: a person checks the terminal).
 *
 * Nothing here logs: no card data (masked or not) and no receipt text ever reaches a log.
 */
import { AppError } from '../../../shared/domain/errors';
import type { CurrencyCode, Money } from '../../../shared/domain/money';
import type { NexoTerminal, PaymentOutcome } from '../../../drivers/payment/nexo-terminal';
import type { PaymentTerminal, TerminalOutcome } from '../sale/payment-terminal';
import type { TerminalRequestLog } from './terminal-request-log';

export type NexoDriver = Pick<NexoTerminal, 'pay' | 'refund'> & Partial<Pick<NexoTerminal, 'recover'>>;

export interface NexoPaymentTerminalOptions {
  driver: NexoDriver;
  /** The driver's request log (persist / settle hooks on SQLite); needed to check a request's status later. */
  log?: Pick<TerminalRequestLog, 'latestFor'>;
  /** The store's currency, read when a payment is made (the store may be set up after the terminal). */
  currency: () => CurrencyCode;
}

export class NexoPaymentTerminal implements PaymentTerminal {
  constructor(private readonly options: NexoPaymentTerminalOptions) {}

  requestPayment(amount: Money, reference: string): Promise<TerminalOutcome> {
    return this.run(() =>
      this.options.driver.pay({ amountMinor: amount, currency: this.options.currency(), reference }),
    );
  }

  /**
   * An unreferenced refund of `amount` (nexo PaymentType "Refund"): the customer presents the card again.
   * `originalApprovalCode` is not sent: the driver's refund is not linked to the original transaction.
   */
  requestRefund(amount: Money, reference: string, _originalApprovalCode: string): Promise<TerminalOutcome> {
    return this.run(() =>
      this.options.driver.refund({ amountMinor: amount, currency: this.options.currency(), reference }),
    );
  }

  /**
   * The outcome of our latest request for `reference`: from the log when it was settled, else asked of the
   * terminal by TransactionStatus (`recover`, which settles it in the log). Never resends.
   */
  async checkStatus(reference: string): Promise<TerminalOutcome | null> {
    const logged = this.options.log?.latestFor(reference) ?? null;
    if (logged === null) return null;
    const { settlement } = logged;
    if (settlement !== null) {
      return settlement.status === 'failed'
        ? { status: 'offline', reason: settlement.reason }
        : toTerminalOutcome(settlement);
    }
    const recover = this.options.driver.recover?.bind(this.options.driver);
    if (!recover) return { status: 'timeout' };
    return this.run(() => recover(logged.request));
  }

  private async run(call: () => Promise<PaymentOutcome>): Promise<TerminalOutcome> {
    let outcome: PaymentOutcome;
    try {
      outcome = await call();
    } catch (err) {
      const unreachable = unreachableReason(err);
      if (unreachable !== null) return { status: 'offline', reason: unreachable };
      throw err; // unknown outcome: askTerminal → timeout
    }
    return toTerminalOutcome(outcome);
  }
}

/** The driver's outcome in the sale core's terms. */
export function toTerminalOutcome(outcome: PaymentOutcome): TerminalOutcome {
  switch (outcome.status) {
    case 'approved':
      return {
        status: 'approved',
        approvalCode: outcome.approvalCode,
        maskedPan: outcome.maskedPan,
        receiptText: outcome.receiptText,
      };
    case 'declined':
      return { status: 'declined', reason: outcome.reason };
    case 'aborted':
      return { status: 'declined', reason: 'Cancelled on the terminal' };
    case 'unknown':
      return { status: 'timeout' };
  }
}

/**
 * The reason when an error proves the request never reached the terminal (`device_offline` from a refused
 * or timed-out connect), else null. A driver closed during a payment (reason `closed`) proves nothing: the
 * request may already have left, so that stays unknown.
 */
function unreachableReason(err: unknown): string | null {
  if (!(err instanceof AppError) || err.code !== 'device_offline') return null;
  const reason = err.details?.['reason'];
  if (reason === 'closed') return null;
  return typeof reason === 'string' ? reason : 'unreachable';
}
