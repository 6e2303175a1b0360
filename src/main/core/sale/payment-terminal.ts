import { AppError } from '../../../shared/domain/errors';
import type { Money } from '../../../shared/domain/money';

/**
 * What a card terminal answered. A timeout means the outcome is unknown, not that the card was not charged;
 * `offline` means the terminal could not be reached at all, so nothing was charged (a driver must be sure).
 * `maskedPan` / `receiptText` are what a driver may pass on (never a full card number); the core keeps neither.
 */
export type TerminalOutcome =
  | { status: 'approved'; approvalCode: string; maskedPan?: string; receiptText?: readonly string[] }
  | { status: 'declined'; reason: string }
  | { status: 'offline'; reason: string }
  | { status: 'timeout' };

/**
 * A card payment terminal as checkout uses it. The devices issue provides the real drivers and a simulator;
 * `reference` is our payment id (an idempotency key the terminal host can reconcile against).
 */
export interface PaymentTerminal {
  requestPayment(amount: Money, reference: string): Promise<TerminalOutcome>;
  /** Gives `amount` back to the card of an earlier approved payment (removal of a tender, returns, post-void). */
  requestRefund(amount: Money, reference: string, originalApprovalCode: string): Promise<TerminalOutcome>;
  /**
   * The outcome of the latest request made for `reference` (a payment that timed out, or was in flight when the
   * station stopped), asked of the terminal by transaction status — never by sending the request again. Null
   * when no request for it is known. `timeout` when the terminal still cannot tell.
   */
  checkStatus?(reference: string): Promise<TerminalOutcome | null>;
}

export function noTerminal(): AppError {
  return new AppError(
    'device_offline',
    'No payment terminal configured',
    { device: 'payment_terminal' },
    'call_technician',
  );
}

/** Runs a terminal call; a driver that throws is treated as a timeout (the outcome is unknown). */
export async function askTerminal(call: () => Promise<TerminalOutcome>): Promise<TerminalOutcome> {
  try {
    return await call();
  } catch {
    return { status: 'timeout' };
  }
}

/** The terminal could not be reached: the request never left, nothing was charged. */
export function terminalUnreachable(reason: string): AppError {
  return new AppError(
    'device_offline',
    'The payment terminal cannot be reached: nothing was charged.',
    { device: 'payment_terminal', reason },
    'call_technician',
  );
}

export function declined(reason: string): AppError {
  return new AppError(
    'payment_declined',
    `The card was declined: ${reason}`.slice(0, 200),
    { reason },
    'try_another_card',
  );
}

export function timedOut(): AppError {
  return new AppError(
    'payment_timeout',
    'The payment terminal did not answer. Check the terminal before trying again.',
    undefined,
    'retry',
  );
}
