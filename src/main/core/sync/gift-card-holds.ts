import {
  GiftCardBalanceResponseSchema,
  GiftCardHoldResponseSchema,
  type GiftCardHoldRequest,
} from '../../../shared/sync/gift-cards';
import { giftCardKey, type GiftCardBalanceOutcome, type GiftCardHoldOutcome } from '../sale/gift-cards';
import { SyncRequestError, type SyncHttpClient } from './http-client';

/**
 * One `POST /v1/gift-cards/holds` with the station credential, its answer reduced to what checkout decides on.
 * The request body carries the card number; nothing here logs it, and no outcome or message repeats it (the
 * http client's failures describe the connection or the server's own error text, never the request).
 */
export async function requestGiftCardHold(
  client: SyncHttpClient,
  credential: string,
  request: GiftCardHoldRequest,
): Promise<GiftCardHoldOutcome> {
  let answer;
  try {
    answer = await client.request('POST', '/v1/gift-cards/holds', GiftCardHoldResponseSchema, {
      token: credential,
      body: JSON.stringify(request),
    });
  } catch (err) {
    return failureOutcome(err);
  }
  if (answer.holdId !== request.holdId) {
    return { status: 'failed', message: 'the server answered for another hold' };
  }
  if (answer.status === 'declined') {
    return { status: 'declined', reason: answer.reason, available: answer.available ?? null };
  }
  // A hold on another card or for another amount is not the hold asked for: never approve on it.
  if (answer.cardKey !== giftCardKey(request.number) || answer.amount !== request.amount) {
    return { status: 'failed', message: 'the server held another card or amount' };
  }
  return { status: 'held', available: answer.available, expiresAt: answer.expiresAt };
}

/** One `POST /v1/gift-cards/balance` (same care with the number as a hold). */
export async function requestGiftCardBalance(
  client: SyncHttpClient,
  credential: string,
  number: string,
): Promise<GiftCardBalanceOutcome> {
  try {
    const answer = await client.request('POST', '/v1/gift-cards/balance', GiftCardBalanceResponseSchema, {
      token: credential,
      body: JSON.stringify({ number }),
    });
    return { status: 'answered', answer };
  } catch (err) {
    const outcome = failureOutcome(err);
    return outcome.status === 'unreachable' ||
      outcome.status === 'not_enrolled' ||
      outcome.status === 'failed'
      ? outcome
      : { status: 'failed', message: 'unexpected answer' };
  }
}

function failureOutcome(err: unknown): GiftCardHoldOutcome {
  if (!(err instanceof SyncRequestError)) {
    return { status: 'unreachable', message: 'the request failed on this station' };
  }
  const f = err.failure;
  switch (f.kind) {
    case 'network':
      return { status: 'unreachable', message: f.message };
    case 'pin_mismatch':
      // Nothing was sent: the server that answered is not the store's.
      return { status: 'unreachable', message: f.message };
    case 'protocol':
      return { status: 'failed', message: f.message };
    case 'http':
      if (f.status === 401 || f.status === 403) return { status: 'not_enrolled' };
      if (f.status === 429 || f.status >= 500) return { status: 'unreachable', message: f.message };
      if (f.status === 404) {
        return { status: 'failed', message: 'this store server does not take gift cards' };
      }
      return { status: 'failed', message: f.message };
  }
}
