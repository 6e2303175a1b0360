/** The history screen's filter form, turned into a `sale:history` query (dates in the station's local time). */
import type { CurrencyCode } from '../../shared/domain/money';
import type { InputOf } from '../../shared/ipc/contract';
import { parseAmount } from '../format';

export interface HistoryFilters {
  readonly receiptNo: string;
  /** `YYYY-MM-DD` from the date field, or ''. */
  readonly date: string;
  readonly amount: string;
}

export const NO_FILTERS: HistoryFilters = { receiptNo: '', date: '', amount: '' };
export const HISTORY_PAGE = 50;

/** Local midnight of a `YYYY-MM-DD` day and of the next day, as ISO instants. */
function dayRange(date: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const start = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** The query, or 'bad_amount' when the amount field holds something that is not an amount. */
export function historyQuery(
  filters: HistoryFilters,
  currency: CurrencyCode,
): InputOf<'sale:history'> | 'bad_amount' {
  const receiptNo = filters.receiptNo.trim();
  if (receiptNo !== '') return { receiptNo, limit: HISTORY_PAGE };
  const query: InputOf<'sale:history'> = { limit: HISTORY_PAGE };
  const range = dayRange(filters.date);
  if (range) Object.assign(query, range);
  if (filters.amount.trim() !== '') {
    const amount = parseAmount(filters.amount, currency);
    if (amount === null) return 'bad_amount';
    Object.assign(query, { minAmount: amount, maxAmount: amount });
  }
  return query;
}
