/**
 * Gift cards at the till (the protocol and the whole flow: src/shared/sync/gift-cards.ts). The store server owns
 * the cards; checkout asks it, through `GiftCardAuthority` (the sync service), to hold the amount. The card's
 * number only passes through: it is normalised, hashed into the card key and sent with the hold request — never
 * stored, audited, logged or put in an error. Payments keep the key and "•••• " + the last four.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/domain/errors';
import type { PaymentView, SaleView } from '../../../shared/ipc/channels/sale';
import {
  giftCardLast4,
  normaliseGiftCardNumber,
  type GiftCardBalanceResponse,
  type GiftCardDecline,
  type GiftCardHoldRequest,
  type GiftCardOfflinePolicy,
} from '../../../shared/sync/gift-cards';
import type { Journal } from '../journal';
import type { PaymentRow } from './rows';

/** What became of a hold request. */
export type GiftCardHoldOutcome =
  /** The server reserved the amount on the card (`cardKey` checked against ours). */
  | { status: 'held'; available: number; expiresAt: string }
  /** The server answered no: unknown card, deactivated, or not enough on it. Nothing was reserved. */
  | { status: 'declined'; reason: GiftCardDecline; available: number | null }
  /** No answer (refused, reset, timed out, 5xx, 429): the hold may or may not exist on the server. */
  | { status: 'unreachable'; message: string }
  /** No store server to ask: not enrolled, or the server refused this station's credential. */
  | { status: 'not_enrolled' }
  /** The server answered, but not with a usable hold (a 4xx, or an answer that does not match the request). */
  | { status: 'failed'; message: string };

/** What a balance enquiry found: the server's answer, or why there is none (as for holds). */
export type GiftCardBalanceOutcome =
  | { status: 'answered'; answer: GiftCardBalanceResponse }
  | Extract<GiftCardHoldOutcome, { status: 'unreachable' | 'not_enrolled' | 'failed' }>;

/** The store server's side of gift cards, as checkout needs it (the sync service implements it). */
export interface GiftCardAuthority {
  holdGiftCard(request: GiftCardHoldRequest): Promise<GiftCardHoldOutcome>;
  /** What is on a card (a customer asks before paying); reserves nothing. */
  giftCardBalance(number: string): Promise<GiftCardBalanceOutcome>;
  /** What the store decided for gift cards while the server cannot be reached. */
  giftCardOfflinePolicy(): GiftCardOfflinePolicy;
}

/** A card number as checkout uses it: the number itself (to send, never to keep), its key and what is shown. */
export interface GiftCardNumber {
  number: string;
  cardKey: string;
  /** `•••• 1234`: the payment's reference, on screens and receipts. */
  masked: string;
}

/** `cardKey`: lowercase hex SHA-256 of the UTF-8 normalised number (the protocol's rule). */
export function giftCardKey(normalised: string): string {
  return createHash('sha256').update(normalised, 'utf8').digest('hex');
}

export function maskedGiftCard(normalised: string): string {
  return `•••• ${giftCardLast4(normalised)}`;
}

/** The typed or swiped number, normalised; a clear error (that does not repeat it) when it is not one. */
export function readGiftCardNumber(input: string | undefined): GiftCardNumber {
  const number = input === undefined ? null : normaliseGiftCardNumber(input);
  if (number === null) {
    throw new AppError(
      'bad_input',
      input === undefined || input.trim() === ''
        ? 'Enter or swipe the gift card number.'
        : 'This is not a gift card number: check it and enter it again.',
      { reason: 'gift_card_number' },
    );
  }
  return { number, cardKey: giftCardKey(number), masked: maskedGiftCard(number) };
}

const DECLINE_MESSAGES: Readonly<Record<GiftCardDecline, string>> = {
  unknown_card: 'The store does not know this gift card: check the number, or take another payment.',
  inactive: 'This gift card was deactivated by the store: take another payment.',
  insufficient: 'There is not enough on this gift card for this amount.',
};

export function giftCardDeclined(reason: GiftCardDecline, available: number | null): AppError {
  return new AppError(
    'payment_declined',
    DECLINE_MESSAGES[reason],
    { reason: `gift_card_${reason}`, ...(available === null ? {} : { available }) },
    'try_another_card',
  );
}

export function giftCardOfflineBlocked(): AppError {
  return new AppError(
    'server_unreachable',
    'Gift cards need the store server, and it cannot be reached now: take another payment. The store only allows gift cards offline when a manager sets it on the sync screen.',
    { reason: 'gift_card_offline_blocked' },
    'try_another_card',
  );
}

export function giftCardNoServer(): AppError {
  return new AppError(
    'conflict',
    'Gift cards need the store server: this station is not enrolled with one (or the server refused it). Take another payment.',
    { reason: 'gift_card_no_server' },
    'try_another_card',
  );
}

export function giftCardFailed(message: string): AppError {
  return new AppError(
    'payment_declined',
    `The store server could not take this gift card (${message.slice(0, 200)}): take another payment.`,
    { reason: 'gift_card_failed' },
    'try_another_card',
  );
}

/**
 * Whether removing (or never completing) this payment must tell the server to release a hold: an approved
 * online payment holds the amount, and a payment whose hold request got no clear answer may hold it too.
 * Releasing a hold that does not exist is harmless; a forgotten one reserves the amount until it expires.
 */
export function mayHoldOnServer(p: Pick<PaymentRow, 'tender_type' | 'status'>): boolean {
  return p.tender_type === 'gift_card' && (p.status === 'approved' || p.status === 'pending');
}

/** Queues `gift_card.hold_released` for a payment; call INSIDE the transaction that drops the payment. */
export function queueHoldRelease(
  journal: Journal,
  stationId: string,
  payment: Pick<PaymentRow, 'id' | 'sale_id'>,
  at: Date,
): void {
  journal.enqueue('gift_card.hold_released', { stationId, holdId: payment.id, saleId: payment.sale_id }, at);
}

type PushedPayment = PaymentView & { gift_card_key?: string; gift_card_offline?: 0 | 1 };

/**
 * The document as it is pushed to the store server: the view, with `gift_card_key` and `gift_card_offline` on
 * each gift-card payment (GiftCardPaymentFieldsSchema). The screens get the view without them.
 */
export function documentForSync(
  view: SaleView,
  payments: readonly PaymentRow[],
): SaleView & { payments: PushedPayment[] } {
  const byId = new Map(payments.map((p) => [p.id, p]));
  return {
    ...view,
    payments: view.payments.map((p): PushedPayment => {
      const row = byId.get(p.id);
      if (row?.tender_type !== 'gift_card' || row.gift_card_key === null) return p;
      return { ...p, gift_card_key: row.gift_card_key, gift_card_offline: row.gift_card_offline };
    }),
  };
}
