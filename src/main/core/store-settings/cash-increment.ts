import type { CurrencyCode } from '../../../shared/domain/money';
import { CASH_INCREMENTS } from '../../../shared/ipc/channels/settings';

/** The cash increments of the currency (see CASH_INCREMENTS); before setup only 1 (no rounding). */
export function cashIncrementChoices(currency: CurrencyCode | null): readonly number[] {
  return currency === null ? [1] : CASH_INCREMENTS[currency];
}

export function isCashIncrementAllowed(increment: number, currency: CurrencyCode | null): boolean {
  return cashIncrementChoices(currency).includes(increment);
}
