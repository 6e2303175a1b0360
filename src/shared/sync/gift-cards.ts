import { z } from 'zod';
import { MAX_AMOUNT } from '../domain/totals';

/**
 * Gift cards: the store server owns every card and its balance (reference data of the store, like prices); a
 * station redeems against it. Shared by the station (src/main) and the server (src/server); pure, no I/O.
 *
 * How a redemption works, online and offline:
 *
 * 1. Tendering, online: the station asks the server to HOLD the amount on the card (`POST /v1/gift-cards/holds`,
 *    idempotent by `holdId`, which is the station's payment id). A hold reserves the amount: what other tills
 *    see as available is the balance minus the active holds. The answer says `held` or `declined` with why.
 * 2. Completing the sale pushes the sale document as usual (outbox); its gift-card payment carries the card's
 *    `cardKey` and the payment id. The server writes one ledger row per payment id (exactly once, like every
 *    pushed fact), takes the amount off the balance and marks the hold with that id consumed.
 * 3. A gift-card tender removed, or a sale cancelled or voided before completion, queues a
 *    `gift_card.hold_released` event (`{ stationId, holdId }`) in the outbox in the same transaction; the server
 *    releases the hold when it arrives. A hold nobody consumes or releases expires (HOLD_TTL_HOURS).
 * 4. Refunds and post-voids of a gift-card payment carry a negative gift-card payment with the original's
 *    `cardKey`: the server credits the card when the document arrives. Crediting is always safe, so it needs
 *    no hold and works offline.
 * 5. Offline (the server did not answer the hold): the store's policy decides. `block` (default) refuses the
 *    gift card with a clear error; `allow` accepts it unverified, marks the payment `offline`, and the server
 *    applies it when the document arrives — a card it overdraws is recorded as overdrawn for the back office,
 *    never silently (the documents are facts; they are not refused).
 *
 * The station never keeps a gift card's number: payments keep `cardKey` (below) and the last four characters.
 */

/** Holds that are neither consumed nor released stop reserving the amount after this long. */
export const GIFT_CARD_HOLD_TTL_HOURS = 24;

/** What a gift card number may be once normalised (most are 16–19 digits; some stores use letters). */
export const GIFT_CARD_NUMBER = /^[0-9A-Z]{6,32}$/;

/**
 * The one normal form of a card number, on both sides: spaces and dashes dropped, letters upper-cased. Returns
 * null when what is left is not a card number.
 */
export function normaliseGiftCardNumber(input: string): string | null {
  const number = input.replace(/[\s-]/g, '').toUpperCase();
  return GIFT_CARD_NUMBER.test(number) ? number : null;
}

/**
 * `cardKey` = lowercase hex SHA-256 of the UTF-8 normalised number. Computed by each side with its own crypto
 * (node:crypto on both the station's main process and the server); this module only states the rule.
 */
export const GIFT_CARD_KEY = /^[0-9a-f]{64}$/;

/** The last four characters of the normalised number: what receipts and screens show ("•••• 1234"). */
export function giftCardLast4(normalised: string): string {
  return normalised.slice(-4);
}

export const GIFT_CARD_OFFLINE_POLICIES = ['block', 'allow'] as const;
export type GiftCardOfflinePolicy = (typeof GIFT_CARD_OFFLINE_POLICIES)[number];

const Uuid = z.uuid();
const Amount = z.number().int().min(1).max(MAX_AMOUNT);
const CardNumber = z.string().min(1).max(64);

// --- station → server (station credential) ---------------------------------------------------------------

/** `POST /v1/gift-cards/holds`. Same holdId + same card and amount again → the same answer (a retry). */
export const GiftCardHoldRequestSchema = z.strictObject({
  /** The station's payment id for this tender: the hold, the ledger row and the payment share it. */
  holdId: Uuid,
  number: CardNumber,
  amount: Amount,
  /** The sale being paid (recorded with the hold, for the back office). */
  saleId: Uuid,
});
export type GiftCardHoldRequest = z.infer<typeof GiftCardHoldRequestSchema>;

export const GIFT_CARD_DECLINES = [
  /** No card with this number in the store. */
  'unknown_card',
  /** The card was deactivated (lost, stolen, refunded) by the store. */
  'inactive',
  /** The available balance (balance minus other holds) is less than the amount; `available` says how much. */
  'insufficient',
] as const;
export type GiftCardDecline = (typeof GIFT_CARD_DECLINES)[number];

export const GiftCardHoldResponseSchema = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('held'),
    holdId: Uuid,
    cardKey: z.string().regex(GIFT_CARD_KEY),
    last4: z.string().min(1).max(4),
    amount: Amount,
    /** Available after this hold (balance minus every active hold including this one). */
    available: z.number().int(),
    currency: z.string().length(3),
    expiresAt: z.iso.datetime({ offset: true }),
  }),
  z.strictObject({
    status: z.literal('declined'),
    holdId: Uuid,
    reason: z.enum(GIFT_CARD_DECLINES),
    /** For `insufficient`: what is available now. */
    available: z.number().int().optional(),
    message: z.string().max(300),
  }),
]);
export type GiftCardHoldResponse = z.infer<typeof GiftCardHoldResponseSchema>;

/** `POST /v1/gift-cards/balance`: what a cashier tells a customer who asks. */
export const GiftCardBalanceRequestSchema = z.strictObject({ number: CardNumber });
export const GiftCardBalanceResponseSchema = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('found'),
    last4: z.string().min(1).max(4),
    active: z.boolean(),
    balance: z.number().int(),
    /** Balance minus active holds. */
    available: z.number().int(),
    currency: z.string().length(3),
  }),
  z.strictObject({ status: z.literal('unknown_card') }),
]);
export type GiftCardBalanceResponse = z.infer<typeof GiftCardBalanceResponseSchema>;

/** The payload of the `gift_card.hold_released` outbox event. */
export const GiftCardHoldReleasedSchema = z.strictObject({
  stationId: Uuid,
  holdId: Uuid,
  saleId: Uuid,
});

/**
 * What a gift-card payment of a pushed sale / refund / post-void document carries, besides the usual payment
 * fields: `tender_type: 'gift_card'`, `gift_card_key` (cardKey) and `gift_card_offline` (1 when accepted
 * without a hold under the `allow` policy). Refund and post-void payments carry the original payment's key.
 */
export const GiftCardPaymentFieldsSchema = z.object({
  gift_card_key: z.string().regex(GIFT_CARD_KEY),
  gift_card_offline: z.union([z.literal(0), z.literal(1)]),
});
