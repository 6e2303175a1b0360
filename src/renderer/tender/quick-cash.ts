/**
 * Quick-cash amounts for the tender screen: the exact amount, then what a customer is likely to hand over —
 * the amount rounded up to each common banknote (¥37.40 → 40, 50, 100). Pure integer arithmetic.
 */
import { CURRENCIES, type CurrencyCode } from '../../shared/domain/money';

/** Banknotes people pay with, in major units. Coins below the smallest note are left to typed amounts. */
const NOTES: Readonly<Record<CurrencyCode, readonly number[]>> = {
  CNY: [5, 10, 20, 50, 100],
  HKD: [10, 20, 50, 100, 500],
  USD: [5, 10, 20, 50, 100],
  EUR: [5, 10, 20, 50, 100],
  GBP: [5, 10, 20, 50],
  JPY: [1000, 2000, 5000, 10000],
};

/** At most this many note suggestions besides the exact amount (the buttons must fit one row). */
export const MAX_NOTE_SUGGESTIONS = 3;

export function quickCashAmounts(due: number, currency: CurrencyCode): number[] {
  if (!(due > 0)) return [];
  const unit = 10 ** CURRENCIES[currency].decimals;
  const suggestions = new Set<number>();
  for (const note of NOTES[currency]) {
    const step = note * unit;
    const rounded = Math.ceil(due / step) * step;
    if (rounded > due) suggestions.add(rounded);
  }
  const notes = [...suggestions].sort((a, b) => a - b).slice(0, MAX_NOTE_SUGGESTIONS);
  return [due, ...notes];
}
