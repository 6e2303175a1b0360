/**
 * Which original tenders a refund goes back to, and how much each gives — pure and integer-only.
 *
 * The amount a refund owes comes from `refundTotals` (cumulative, exact over any sequence of partial refunds).
 * This module hands that amount to the tenders the customer paid with, CUMULATIVELY as well: the tenders are
 * filled in a fixed order (card and wallet payments, latest first, then cash), and a refund takes the
 * difference between the fill after it and the fill before it. So several partial refunds give back exactly
 * what each tender paid, in total, and a refund never hands back more than a tender took in.
 *
 * Cash is settled in coins: the cumulative cash amount is rounded to the cash increment, and a refund pays the
 * difference of the rounded cumulative amounts. The cash given back so far is always within half an increment of
 * what is owed so far (so one refund is within one increment of its share), and the refund that reaches the end
 * pays out exactly the cash that was kept.
 */
import { roundToIncrement, type TenderType } from '../../../shared/domain/totals';
import { money } from '../../../shared/domain/money';

export interface PaidTender {
  paymentId: string;
  type: TenderType;
  /** What the tender kept: amount − change given. */
  net: number;
}

export interface RefundPart {
  /** The original payment the money goes back to (for cash: the last cash payment of the sale). */
  paymentId: string;
  type: TenderType;
  /** Exact amount owed on this tender by this refund. */
  owed: number;
  /** Amount actually given back (differs from `owed` on cash by the coin rounding). */
  pay: number;
}

export interface RefundAllocation {
  parts: RefundPart[];
  cashOwed: number;
  cashPaid: number;
}

interface Slot {
  paymentId: string;
  type: TenderType;
  capacity: number;
}

function slotsOf(tenders: readonly PaidTender[]): Slot[] {
  const nonCash = tenders.filter((t) => t.type !== 'cash' && t.net > 0).reverse();
  const cash = tenders.filter((t) => t.type === 'cash');
  const slots: Slot[] = nonCash.map((t) => ({ paymentId: t.paymentId, type: t.type, capacity: t.net }));
  const cashCapacity = cash.reduce((a, t) => a + t.net, 0);
  const lastCash = cash.at(-1);
  if (lastCash && cashCapacity > 0)
    slots.push({ paymentId: lastCash.paymentId, type: 'cash', capacity: cashCapacity });
  return slots;
}

/** The cumulative amount slot `index` holds once `amount` has been filled in order. */
function filled(slots: readonly Slot[], index: number, amount: number): number {
  let left = amount;
  for (let i = 0; i < index; i++) left -= Math.min(left, slots[i]?.capacity ?? 0);
  return Math.min(left, slots[index]?.capacity ?? 0);
}

/**
 * @param owedBefore what earlier refunds of the sale owed in total (exact, ≥ 0)
 * @param owed what this refund owes (exact, from refundTotals)
 */
export function allocateRefund(
  tenders: readonly PaidTender[],
  owedBefore: number,
  owed: number,
  cashIncrement: number,
): RefundAllocation {
  const slots = slotsOf(tenders);
  const capacity = slots.reduce((a, s) => a + s.capacity, 0);
  if (owedBefore < 0 || owed < 0 || owedBefore + owed > capacity) {
    throw new Error(`refund of ${owed} after ${owedBefore} exceeds what was paid (${capacity})`);
  }
  const after = owedBefore + owed;
  let cashOwed = 0;
  let cashPaid = 0;
  const parts: RefundPart[] = [];
  slots.forEach((slot, index) => {
    const before = filled(slots, index, owedBefore);
    const now = filled(slots, index, after);
    const part = now - before;
    if (slot.type !== 'cash') {
      if (part > 0) parts.push({ paymentId: slot.paymentId, type: slot.type, owed: part, pay: part });
      return;
    }
    // The last coin-rounded step lands exactly on what was taken in, even if that is not a multiple.
    const settle = (x: number) =>
      x >= slot.capacity ? slot.capacity : Math.min(slot.capacity, roundToIncrement(money(x), cashIncrement));
    const pay = settle(now) - settle(before);
    cashOwed += part;
    cashPaid += pay;
    if (part > 0 || pay > 0) parts.push({ paymentId: slot.paymentId, type: 'cash', owed: part, pay });
  });
  return { parts, cashOwed, cashPaid };
}
