import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../../src/shared/domain/errors';
import { money, type Money } from '../../src/shared/domain/money';
import {
  allocateProportionally,
  computeTotals,
  divRoundHalfAwayFromZero,
  refundLine,
  refundTotals,
  roundToIncrement,
  MAX_AMOUNT,
  type Discount,
  type Tender,
  type Totals,
  type TotalsInput,
  type TotalsLineInput,
} from '../../src/shared/domain/totals';

const m = money;

function expectBadInput(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('bad_input');
    return;
  }
  expect.fail('expected AppError(bad_input)');
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

describe('rounding helpers', () => {
  it('rounds half away from zero', () => {
    expect(divRoundHalfAwayFromZero(5n, 10n)).toBe(1n);
    expect(divRoundHalfAwayFromZero(-5n, 10n)).toBe(-1n);
    expect(divRoundHalfAwayFromZero(15n, 10n)).toBe(2n);
    expect(divRoundHalfAwayFromZero(-15n, 10n)).toBe(-2n);
    expect(divRoundHalfAwayFromZero(14n, 10n)).toBe(1n);
    expect(divRoundHalfAwayFromZero(-14n, 10n)).toBe(-1n);
    expect(divRoundHalfAwayFromZero(0n, 7n)).toBe(0n);
  });

  it('stays exact beyond 2^53', () => {
    // 9e15 × 130000 overflows doubles; BigInt keeps every digit.
    expect(divRoundHalfAwayFromZero(9_000_000_000_000_001n * 130_000n, 1_130_000n)).toBe(
      1_035_398_230_088_496n,
    );
  });

  it('rounds to cash increments', () => {
    expect(roundToIncrement(m(12038), 10)).toBe(12040);
    expect(roundToIncrement(m(12035), 10)).toBe(12040);
    expect(roundToIncrement(m(12034), 10)).toBe(12030);
    expect(roundToIncrement(m(1002), 5)).toBe(1000);
    expect(roundToIncrement(m(1003), 5)).toBe(1005);
    expect(roundToIncrement(m(1003), 1)).toBe(1003);
    expectBadInput(() => roundToIncrement(m(1), 0));
  });

  it('allocates exactly by largest remainder', () => {
    expect(allocateProportionally(m(100), [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateProportionally(m(500), [2500, 1128, 8910])).toEqual([100, 45, 355]);
    expect(allocateProportionally(m(0), [0, 0])).toEqual([0, 0]);
    expectBadInput(() => allocateProportionally(m(1), [0, 0]));
  });

  it('allocations sum exactly and stay within one unit of the exact share (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 20 }),
        (amount, weights) => {
          fc.pre(sum(weights) > 0);
          const parts = allocateProportionally(m(amount), weights);
          expect(sum(parts)).toBe(amount);
          const total = BigInt(sum(weights));
          parts.forEach((part, i) => {
            const exactTimesTotal = BigInt(amount) * BigInt(weights[i]!);
            const diff = BigInt(part) * total - exactTimesTotal;
            expect(diff < total && diff > -total).toBe(true);
          });
        },
      ),
    );
  });
});

describe('computeTotals: hand-computed examples', () => {
  it('CNY, tax-inclusive 13% and 9%, line and order discounts, cash rounding to 0.10', () => {
    const totals = computeTotals({
      taxMode: 'inclusive',
      rounding: 'per_line',
      cashIncrement: 10,
      lines: [
        // 2 × ¥12.50 at 13%
        { id: 'a', qtyMilli: 2000, unitPrice: m(1250), taxRatePpm: 130_000 },
        // 1.255 kg × ¥8.99/kg at 9%: 11.28245 → ¥11.28
        { id: 'b', qtyMilli: 1255, unitPrice: m(899), taxRatePpm: 90_000 },
        // 1 × ¥99.00 at 13%, 10% off → ¥89.10
        {
          id: 'c',
          qtyMilli: 1000,
          unitPrice: m(9900),
          taxRatePpm: 130_000,
          discount: { type: 'percent', bp: 1000 },
        },
      ],
      // ¥5.00 off the order over 25.00 + 11.28 + 89.10 = 125.38:
      //   a 99.697 → 100, b 44.983 → 45, c 355.320 → 355 (largest remainders b, a get the 2 missing fen)
      orderDiscount: { type: 'amount', amount: m(500) },
      payments: [{ type: 'cash', amount: m(15000) }],
    });

    expect(totals.lines.map((l) => [l.gross, l.lineDiscount, l.orderDiscountShare, l.net])).toEqual([
      [2500, 0, 100, 2400],
      [1128, 0, 45, 1083],
      [9900, 990, 355, 8555],
    ]);
    // Inclusive: tax = net × r / (1 + r): 2400×13/113 = 276.11, 1083×9/109 = 89.42, 8555×13/113 = 984.20.
    expect(totals.lines.map((l) => [l.tax, l.taxBase, l.total])).toEqual([
      [276, 2124, 2400],
      [89, 994, 1083],
      [984, 7571, 8555],
    ]);
    expect(totals.taxes).toEqual([
      { taxRatePpm: 90_000, base: 994, tax: 89, total: 1083 },
      { taxRatePpm: 130_000, base: 9695, tax: 1260, total: 10955 },
    ]);
    expect(totals).toMatchObject({
      subtotal: 13528,
      lineDiscountTotal: 990,
      orderDiscount: 500,
      discountTotal: 1490,
      taxTotal: 1349,
      total: 12038,
      // ¥120.38 in cash rounds to ¥120.40; the customer hands over ¥150.
      due: 12038,
      dueCash: 12040,
      cashRoundingAdjustment: 2,
      payable: 12040,
      paidCash: 15000,
      paid: 15000,
      remaining: 0,
      change: 2960,
    });
  });

  const usd: TotalsInput = {
    taxMode: 'exclusive',
    rounding: 'per_line',
    cashIncrement: 1,
    lines: [
      { qtyMilli: 3000, unitPrice: m(499), taxRatePpm: 88_750 }, // 3 × $4.99 = 14.97
      {
        qtyMilli: 1000,
        unitPrice: m(1999),
        taxRatePpm: 88_750,
        discount: { type: 'amount', amount: m(200) },
      },
      { qtyMilli: 750, unitPrice: m(649), taxRatePpm: 88_750 }, // 0.75 lb × $6.49 = 4.8675 → 4.87
    ],
    // 10% of 14.97 + 17.99 + 4.87 = 37.83 → 3.783 → $3.78, allocated 149.58 / 179.76 / 48.66
    // → floors 149 / 179 / 48, the 2 missing cents to the largest remainders (b, c).
    orderDiscount: { type: 'percent', bp: 1000 },
    payments: [
      { type: 'card', amount: m(2000) },
      { type: 'cash', amount: m(2000) },
    ],
  };

  it('USD, tax-exclusive 8.875% (New York City), per-line tax rounding', () => {
    const totals = computeTotals(usd);
    expect(totals.lines.map((l) => [l.gross, l.discount, l.net, l.tax, l.total])).toEqual([
      // 13.48 × 8.875% = 1.19635 → 1.20; 16.19 → 1.4368625 → 1.44; 4.38 → 0.388725 → 0.39
      [1497, 149, 1348, 120, 1468],
      [1999, 380, 1619, 144, 1763],
      [487, 49, 438, 39, 477],
    ]);
    expect(totals).toMatchObject({
      subtotal: 3983,
      lineDiscountTotal: 200,
      orderDiscount: 378,
      discountTotal: 578,
      taxTotal: 303,
      total: 3708,
      taxes: [{ taxRatePpm: 88_750, base: 3405, tax: 303, total: 3708 }],
      paidNonCash: 2000,
      due: 1708,
      dueCash: 1708,
      cashRoundingAdjustment: 0,
      paid: 4000,
      remaining: 0,
      change: 292,
    });
  });

  it('USD, same sale with per-document tax rounding', () => {
    const totals = computeTotals({ ...usd, rounding: 'per_document' });
    // 34.05 × 8.875% = 3.0219375 → 3.02 (per line it was 3.03); handed back to lines by largest remainder:
    // exact 1.19635 / 1.4368625 / 0.388725 → floors 119 / 143 / 38, +1 to c (.87) and b (.69).
    expect(totals.lines.map((l) => l.tax)).toEqual([119, 144, 39]);
    expect(totals.taxTotal).toBe(302);
    expect(totals.total).toBe(3707);
    expect(totals.change).toBe(293);
  });

  it('rounds an exact half cent of tax away from zero', () => {
    const totals = computeTotals({
      taxMode: 'exclusive',
      rounding: 'per_line',
      cashIncrement: 1,
      lines: [{ qtyMilli: 1000, unitPrice: m(25), taxRatePpm: 100_000 }], // 2.5 → 3
    });
    expect(totals.taxTotal).toBe(3);
    expect(totals.total).toBe(28);
  });

  it('applies cash rounding to cash tenders only', () => {
    const base: TotalsInput = {
      taxMode: 'inclusive',
      rounding: 'per_line',
      cashIncrement: 5,
      lines: [{ qtyMilli: 1000, unitPrice: m(1002), taxRatePpm: 77_000 }],
    };
    const pay = (...payments: Tender[]): Totals => computeTotals({ ...base, payments });
    expect(pay()).toMatchObject({
      total: 1002,
      due: 1002,
      dueCash: 1000,
      cashRoundingAdjustment: 0,
      remaining: 1002,
    });
    expect(pay({ type: 'card', amount: m(1002) })).toMatchObject({
      cashRoundingAdjustment: 0,
      remaining: 0,
      change: 0,
    });
    expect(pay({ type: 'cash', amount: m(1000) })).toMatchObject({
      cashRoundingAdjustment: -2,
      payable: 1000,
      remaining: 0,
      change: 0,
    });
    expect(pay({ type: 'cash', amount: m(2000) })).toMatchObject({ change: 1000 });
    // Card first for part of it, then cash for the rest: only the cash part (5.00) is rounded — and needs none.
    expect(pay({ type: 'card', amount: m(502) }, { type: 'cash', amount: m(500) })).toMatchObject({
      due: 500,
      cashRoundingAdjustment: 0,
      remaining: 0,
      change: 0,
    });
    expect(pay({ type: 'external', amount: m(300) })).toMatchObject({
      due: 702,
      dueCash: 700,
      remaining: 702,
    });
    // A cash due below half the smallest coin rounds to nothing: a cash tender of 0 settles the sale.
    const tiny: TotalsInput = {
      ...base,
      cashIncrement: 10,
      lines: [{ qtyMilli: 1000, unitPrice: m(2), taxRatePpm: 0 }],
    };
    expect(computeTotals({ ...tiny, payments: [{ type: 'cash', amount: m(0) }] })).toMatchObject({
      total: 2,
      dueCash: 0,
      cashRoundingAdjustment: -2,
      payable: 0,
      remaining: 0,
      change: 0,
    });
  });

  it('keeps non-discountable lines out of the order discount', () => {
    const totals = computeTotals({
      taxMode: 'inclusive',
      rounding: 'per_line',
      cashIncrement: 1,
      lines: [
        { qtyMilli: 1000, unitPrice: m(1000), taxRatePpm: 130_000 },
        { qtyMilli: 1000, unitPrice: m(3000), taxRatePpm: 130_000, orderDiscountable: false },
      ],
      orderDiscount: { type: 'percent', bp: 5000 },
    });
    expect(totals.orderDiscount).toBe(500);
    expect(totals.lines.map((l) => l.orderDiscountShare)).toEqual([500, 0]);
  });

  it('handles an empty cart', () => {
    expect(
      computeTotals({ taxMode: 'exclusive', rounding: 'per_document', cashIncrement: 5, lines: [] }),
    ).toMatchObject({ subtotal: 0, total: 0, taxes: [], remaining: 0, change: 0 });
  });
});

describe('computeTotals: validation', () => {
  const line: TotalsLineInput = { qtyMilli: 1000, unitPrice: m(1000), taxRatePpm: 130_000 };
  const run = (patch: Partial<TotalsInput>, lines: TotalsLineInput[] = [line]): Totals =>
    computeTotals({ taxMode: 'inclusive', rounding: 'per_line', cashIncrement: 1, lines, ...patch });

  it('rejects bad quantities, prices and rates', () => {
    expectBadInput(() => run({}, [{ ...line, qtyMilli: -1000 }]));
    expectBadInput(() => run({}, [{ ...line, qtyMilli: 1.5 }]));
    expectBadInput(() => run({}, [{ ...line, unitPrice: -1 as Money }]));
    expectBadInput(() => run({}, [{ ...line, unitPrice: (MAX_AMOUNT + 1) as Money }]));
    expectBadInput(() => run({}, [{ ...line, unitPrice: m(MAX_AMOUNT), qtyMilli: 2000 }]));
    expectBadInput(() => run({}, [{ ...line, taxRatePpm: -1 }]));
    expectBadInput(() => run({}, [{ ...line, taxRatePpm: 0.13 }]));
    expectBadInput(() => run({ cashIncrement: 0 }));
  });

  it('rejects discounts over 100% or above the value they apply to', () => {
    const lineWith = (discount: Discount): TotalsLineInput[] => [{ ...line, discount }];
    expectBadInput(() => run({}, lineWith({ type: 'percent', bp: 10_001 })));
    expectBadInput(() => run({}, lineWith({ type: 'percent', bp: -1 })));
    expectBadInput(() => run({}, lineWith({ type: 'amount', amount: m(1001) })));
    expectBadInput(() => run({}, lineWith({ type: 'amount', amount: -1 as Money })));
    expectBadInput(() => run({ orderDiscount: { type: 'percent', bp: 10_001 } }));
    expectBadInput(() => run({ orderDiscount: { type: 'amount', amount: m(1001) } }));
    expect(run({ orderDiscount: { type: 'amount', amount: m(1000) } }).total).toBe(0);
    expect(run({}, lineWith({ type: 'percent', bp: 10_000 })).total).toBe(0);
  });

  it('rejects non-cash tenders above the total and negative payments', () => {
    expectBadInput(() => run({ payments: [{ type: 'card', amount: m(1001) }] }));
    expectBadInput(() => run({ payments: [{ type: 'cash', amount: -5 as Money }] }));
  });
});

// --- properties ----------------------------------------------------------------------------------------

const RATES = [0, 30_000, 60_000, 88_750, 90_000, 130_000, 200_000, 250_000];

const lineArb = fc
  .record({
    qtyMilli: fc.oneof(
      fc.integer({ min: 1, max: 50 }).map((n) => n * 1000),
      fc.integer({ min: 0, max: 50_000 }),
    ),
    unitPrice: fc.integer({ min: 0, max: 5_000_000 }),
    taxRatePpm: fc.constantFrom(...RATES),
    discountKind: fc.constantFrom('none', 'percent', 'amount'),
    discountRaw: fc.nat(),
    orderDiscountable: fc.boolean(),
  })
  .map(
    ({ qtyMilli, unitPrice, taxRatePpm, discountKind, discountRaw, orderDiscountable }): TotalsLineInput => {
      // floor(price × qty) is ≤ the rounded gross, so an amount up to it is always valid.
      const grossFloor = Math.floor((unitPrice * qtyMilli) / 1000);
      const discount: Discount | undefined =
        discountKind === 'percent'
          ? { type: 'percent', bp: discountRaw % 10_001 }
          : discountKind === 'amount'
            ? { type: 'amount', amount: m(discountRaw % (grossFloor + 1)) }
            : undefined;
      return { qtyMilli, unitPrice: m(unitPrice), taxRatePpm, discount, orderDiscountable };
    },
  );

const saleArb = fc
  .record({
    lines: fc.array(lineArb, { minLength: 1, maxLength: 8 }),
    taxMode: fc.constantFrom('inclusive' as const, 'exclusive' as const),
    rounding: fc.constantFrom('per_line' as const, 'per_document' as const),
    cashIncrement: fc.constantFrom(1, 5, 10, 50, 100),
    orderKind: fc.constantFrom('none', 'percent', 'amount'),
    orderRaw: fc.nat(),
  })
  .map(({ orderKind, orderRaw, ...input }): TotalsInput => {
    // The amount an order discount may reach: the discountable value after line discounts.
    const probe = computeTotals(input);
    const discountable = sum(
      probe.lines.filter((_, i) => input.lines[i]!.orderDiscountable !== false).map((l) => l.net),
    );
    const orderDiscount: Discount | undefined =
      orderKind === 'percent'
        ? { type: 'percent', bp: orderRaw % 10_001 }
        : orderKind === 'amount'
          ? { type: 'amount', amount: m(orderRaw % (discountable + 1)) }
          : undefined;
    return { ...input, orderDiscount };
  });

/** |rounded − numerator/denominator| ≤ bound/2, compared exactly in integers. */
function withinHalf(rounded: number, numerator: bigint, denominator: bigint, halves = 1n): boolean {
  const diff = 2n * (BigInt(rounded) * denominator - numerator);
  return diff <= halves * denominator && diff >= -halves * denominator;
}

describe('computeTotals: properties', () => {
  it('line totals, nets and the tax breakdown all add up to the document', () => {
    fc.assert(
      fc.property(saleArb, (input) => {
        const t = computeTotals(input);
        const nets = sum(t.lines.map((l) => l.net));
        expect(sum(t.lines.map((l) => l.total))).toBe(t.total);
        expect(sum(t.taxes.map((x) => x.tax))).toBe(t.taxTotal);
        expect(sum(t.lines.map((l) => l.tax))).toBe(t.taxTotal);
        expect(sum(t.taxes.map((x) => x.base)) + t.taxTotal).toBe(t.total);
        expect(t.subtotal - t.discountTotal).toBe(nets);
        expect(t.total).toBe(input.taxMode === 'inclusive' ? nets : nets + t.taxTotal);
        for (const l of t.lines) {
          expect(l.net).toBeGreaterThanOrEqual(0);
          expect(l.tax).toBeGreaterThanOrEqual(0);
          expect(l.taxBase).toBeGreaterThanOrEqual(0);
          expect(l.discount).toBe(l.lineDiscount + l.orderDiscountShare);
        }
      }),
    );
  });

  it('allocates the order discount exactly', () => {
    fc.assert(
      fc.property(saleArb, (input) => {
        const t = computeTotals(input);
        expect(sum(t.lines.map((l) => l.orderDiscountShare))).toBe(t.orderDiscount);
        expect(t.discountTotal).toBe(t.lineDiscountTotal + t.orderDiscount);
        t.lines.forEach((l, i) => {
          if (input.lines[i]!.orderDiscountable === false) expect(l.orderDiscountShare).toBe(0);
        });
      }),
    );
  });

  it('keeps tax within the rounding bound: ½ unit per line, or per rate when rounding per document', () => {
    fc.assert(
      fc.property(saleArb, (input) => {
        const t = computeTotals(input);
        const denominatorOf = (ppm: number): bigint =>
          input.taxMode === 'inclusive' ? 1_000_000n + BigInt(ppm) : 1_000_000n;
        for (const l of t.lines) {
          const numerator = BigInt(l.net) * BigInt(l.taxRatePpm);
          // Per line: the nearest unit. Per document: a line may take one unit of the document's rounding.
          expect(
            withinHalf(
              l.tax,
              numerator,
              denominatorOf(l.taxRatePpm),
              input.rounding === 'per_line' ? 1n : 2n,
            ),
          ).toBe(true);
        }
        for (const rate of t.taxes) {
          const numerator = t.lines
            .filter((l) => l.taxRatePpm === rate.taxRatePpm)
            .reduce((a, l) => a + BigInt(l.net) * BigInt(rate.taxRatePpm), 0n);
          const lineCount = BigInt(t.lines.filter((l) => l.taxRatePpm === rate.taxRatePpm).length);
          const bound = input.rounding === 'per_document' ? 1n : lineCount;
          expect(withinHalf(rate.tax, numerator, denominatorOf(rate.taxRatePpm), bound)).toBe(true);
        }
      }),
    );
  });

  it('gives change = paid − due in cash when cash covers the cash due', () => {
    fc.assert(
      fc.property(saleArb, fc.nat({ max: 10_000_000 }), (input, extra) => {
        const dueCash = computeTotals(input).dueCash;
        const t = computeTotals({ ...input, payments: [{ type: 'cash', amount: m(dueCash + extra) }] });
        expect(t.dueCash).toBe(dueCash);
        expect(t.change).toBe(t.paid - t.dueCash);
        expect(t.remaining).toBe(0);
        expect(t.payable).toBe(t.dueCash);
        expect(t.dueCash % input.cashIncrement).toBe(0);
        expect(Math.abs(t.cashRoundingAdjustment) * 2).toBeLessThanOrEqual(input.cashIncrement);
      }),
    );
  });

  it('never rounds what a card pays', () => {
    fc.assert(
      fc.property(saleArb, fc.nat(), (input, cut) => {
        const total = computeTotals(input).total;
        const card = total === 0 ? 0 : cut % (total + 1);
        const t = computeTotals({ ...input, payments: [{ type: 'card', amount: m(card) }] });
        expect(t.cashRoundingAdjustment).toBe(0);
        expect(t.remaining).toBe(total - card);
        expect(t.change).toBe(0);
      }),
    );
  });
});

describe('refunds', () => {
  it('returns the paid proportion and lets the last refund take the remainder', () => {
    const line = { qtyMilli: 3000, total: m(1000), tax: m(115) };
    const first = refundLine(line, 0, 1000);
    const second = refundLine(line, 1000, 1000);
    const last = refundLine(line, 2000, 1000);
    expect([first.total, second.total, last.total]).toEqual([333, 334, 333]);
    expect([first.tax, second.tax, last.tax]).toEqual([38, 39, 38]);
    expect(first.taxBase).toBe(295);
    expect(refundLine(line, 0, 3000)).toEqual({ qtyMilli: 3000, total: 1000, tax: 115, taxBase: 885 });
  });

  it('refunds a weighed line by weight', () => {
    // 1.255 kg sold for ¥10.83; 0.5 kg back → 10.83 × 500/1255 = 4.3147 → ¥4.31.
    expect(refundLine({ qtyMilli: 1255, total: m(1083), tax: m(89) }, 0, 500)).toMatchObject({
      total: 431,
      tax: 35,
    });
  });

  it('returns the cash rounding with the refund, so a full refund gives back exactly what was paid', () => {
    const sale = computeTotals({
      taxMode: 'inclusive',
      rounding: 'per_line',
      cashIncrement: 10,
      lines: [
        { qtyMilli: 2000, unitPrice: m(1234), taxRatePpm: 130_000 },
        { qtyMilli: 1000, unitPrice: m(567), taxRatePpm: 90_000 },
      ],
      payments: [{ type: 'cash', amount: m(5000) }],
    });
    expect(sale.total).toBe(3035);
    expect(sale.cashRoundingAdjustment).toBe(5);
    const one = refundTotals(sale, [0, 0], [1000, 0]);
    const rest = refundTotals(sale, [1000, 0], [1000, 1000]);
    expect(one).toMatchObject({ linesTotal: 1234, cashRoundingShare: 2, total: 1236 });
    expect(one.total + rest.total).toBe(sale.payable);
    expect(one.tax + rest.tax).toBe(sale.taxTotal);
  });

  it('rejects refunding more than was sold', () => {
    const line = { qtyMilli: 2000, total: m(1000), tax: m(0) };
    expectBadInput(() => refundLine(line, 1000, 1001));
    expectBadInput(() => refundLine(line, 0, -1));
    expectBadInput(() => refundLine(line, 0, 0.5));
    expectBadInput(() => refundTotals({ lines: [line], cashRoundingAdjustment: m(0) }, [], [1000]));
  });

  it('refunding a whole sale across random partial refunds returns exactly what was paid (property)', () => {
    fc.assert(
      fc.property(saleArb, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (input, cuts) => {
        const paidInCash = computeTotals(input).dueCash;
        const sale = computeTotals({ ...input, payments: [{ type: 'cash', amount: m(paidInCash) }] });
        const sold = sale.lines.map((l) => l.qtyMilli);
        const refunded = sold.map(() => 0);
        const lineTotals = sold.map(() => 0);
        const lineTaxes = sold.map(() => 0);
        let given = 0;
        // Each document refunds a random slice of a random line (sometimes several lines at once);
        // a final document refunds whatever is left.
        const documents: number[][] = cuts.map((cut, k) =>
          sold.map((q, i) => ((cut + k + i) % 3 === 0 ? 0 : cut % (q + 1))),
        );
        for (const wanted of [...documents, sold]) {
          const request = wanted.map((q, i) => Math.min(q, sold[i]! - refunded[i]!));
          const refund = refundTotals(sale, refunded, request);
          refund.lines.forEach((l, i) => {
            refunded[i]! += request[i]!;
            lineTotals[i]! += l.total;
            lineTaxes[i]! += l.tax;
            // Each partial refund is within one unit of its exact proportion.
            const exact = BigInt(sale.lines[i]!.total) * BigInt(request[i]!);
            const diff = BigInt(l.total) * BigInt(sold[i]! || 1) - exact;
            expect(diff <= BigInt(sold[i]!) && diff >= -BigInt(sold[i]!)).toBe(true);
          });
          given += refund.total;
        }
        expect(refunded).toEqual(sold);
        expect(lineTotals).toEqual(sale.lines.map((l) => l.total));
        expect(lineTaxes).toEqual(sale.lines.map((l) => l.tax));
        expect(given).toBe(sale.payable);
        expect(given).toBe(sale.paid - sale.change);
      }),
    );
  });
});
