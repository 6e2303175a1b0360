import { AppError } from '../../../shared/domain/errors';
import { MAX_AMOUNT } from '../../../shared/domain/totals';
import type { CashCount, Denomination } from '../../../shared/ipc/channels/shift';

export interface CountedCash {
  total: number;
  /** Pieces per denomination id (only those counted), or null when a plain total was entered. */
  denominations: Record<string, number> | null;
}

/**
 * The total of a cash count. Pieces must be of the currency's configured denominations (a count of an unknown
 * note is a typo, not money); a plain total is accepted for a currency counted without denominations and as the
 * manager's fallback.
 */
export function countCash(count: CashCount, denominations: readonly Denomination[]): CountedCash {
  if ('total' in count) return { total: count.total, denominations: null };
  const byId = new Map(denominations.map((d) => [d.id, d]));
  let total = 0n;
  const pieces: Record<string, number> = {};
  for (const [id, n] of Object.entries(count.denominations)) {
    const d = byId.get(id);
    if (!d) {
      throw new AppError('bad_input', `Unknown denomination: ${id}`, {
        reason: 'unknown_denomination',
        denomination: id,
      });
    }
    if (n === 0) continue;
    pieces[id] = n;
    total += BigInt(d.value) * BigInt(n);
  }
  if (total > BigInt(MAX_AMOUNT)) {
    throw new AppError('bad_input', 'This count is larger than any drawer can hold: check it.', {
      reason: 'count_too_large',
    });
  }
  return { total: Number(total), denominations: pieces };
}
