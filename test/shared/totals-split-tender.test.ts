import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTotals } from '../../src/shared/domain/totals';
import { money } from '../../src/shared/domain/money';

/**
 * Split tenders with cash rounding: whatever order the cashier takes cash and card in, and whether the card
 * pays the amount the screen shows as remaining, the customer pays the total with ONE cash rounding — never
 * more than half a coin above it — and the sale is settled.
 */
describe('split tender and cash rounding', () => {
  it('cash first, then the card for the remaining amount, rounds once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500_000 }),
        fc.constantFrom(5, 10, 50, 100),
        fc.integer({ min: 1, max: 500_000 }),
        (price, increment, cashFirst) => {
          const base = {
            taxMode: 'inclusive' as const,
            rounding: 'per_line' as const,
            cashIncrement: increment,
            lines: [{ qtyMilli: 1000, unitPrice: money(price), taxRatePpm: 130_000 }],
          };
          // Cash handed over is always made of coins and notes: a multiple of the smallest coin.
          const cash = Math.floor(Math.min(cashFirst, price - 1) / increment) * increment;
          fc.pre(cash > 0);
          const afterCash = computeTotals({ ...base, payments: [{ type: 'cash', amount: money(cash) }] });
          const card = afterCash.remaining;
          fc.pre(card > 0 && card <= afterCash.total);
          const settled = computeTotals({
            ...base,
            payments: [
              { type: 'cash', amount: money(cash) },
              { type: 'card', amount: card },
            ],
          });
          expect(settled.remaining).toBe(0);
          expect(Math.abs(settled.paid - settled.total)).toBeLessThanOrEqual(increment / 2);
          expect(settled.change).toBeLessThanOrEqual(increment);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
