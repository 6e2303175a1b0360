/**
 * The one totals engine. The renderer calls it to preview a cart and the core calls it again before it persists
 * a sale, so both must get the same answer to the minor unit: everything here is pure and integer-only.
 *
 * Units:
 *  - money: `Money`, integer minor units (fen, cents). Products of money and rates can pass 2^53, so the maths
 *    runs on BigInt and converts back with range checks.
 *  - quantity: `qtyMilli`, integer thousandths of the selling unit. 1 each = 1000, 1.250 kg = 1250. One field
 *    serves counted and weighed goods, and a scale's gram reading is exact in it.
 *  - tax rate: `taxRatePpm`, parts per million. 13% = 130_000, 8.875% = 88_750 (basis points cannot say 8.875%).
 *  - percent discount: `bp`, basis points. 10% = 1000, 100% = 10_000 (what a keypad offers).
 *
 * Rounding: every division rounds half away from zero (2.5 → 3, −2.5 → −3), the commercial rule cashiers and
 * tax authorities expect, applied once per amount — never to an intermediate that is rounded again.
 */
import { AppError } from './errors';
import type { TaxMode } from './locale';
import { money, type Money } from './money';

// --- types -------------------------------------------------------------------------------------------

export const TAX_ROUNDINGS = ['per_line', 'per_document'] as const;
/** Round tax on each line (line taxes are then exact per line), or once per rate on the document total. */
export type TaxRounding = (typeof TAX_ROUNDINGS)[number];

/** `gift_card`: a store gift card redeemed against the store server (src/shared/sync/gift-cards.ts). */
export const TENDER_TYPES = ['cash', 'card', 'external', 'gift_card'] as const;
export type TenderType = (typeof TENDER_TYPES)[number];

export type Discount = { type: 'percent'; bp: number } | { type: 'amount'; amount: Money };

export interface TotalsLineInput {
  /** Caller's key (cart line id), echoed in the output. */
  id?: string;
  /** Integer thousandths of a unit, ≥ 0. */
  qtyMilli: number;
  /** Price of one unit (each, kg …) after any override, tax included when the tax mode is inclusive. */
  unitPrice: Money;
  /** Integer parts per million, 0…1_000_000. */
  taxRatePpm: number;
  discount?: Discount | undefined;
  /** False for goods that take no order-level discount (tobacco, gift cards, deposits). Default true. */
  orderDiscountable?: boolean | undefined;
}

export interface Tender {
  type: TenderType;
  amount: Money;
}

export interface TotalsInput {
  lines: readonly TotalsLineInput[];
  orderDiscount?: Discount | undefined;
  taxMode: TaxMode;
  rounding: TaxRounding;
  /** Smallest coin in minor units: 1 = no cash rounding, 5 = 0.05 (CHF), 10 = 0.10 (CNY jiao). */
  cashIncrement: number;
  payments?: readonly Tender[] | undefined;
}

export interface LineTotals {
  id: string | undefined;
  qtyMilli: number;
  taxRatePpm: number;
  /** unitPrice × quantity, rounded to the minor unit. */
  gross: Money;
  lineDiscount: Money;
  /** This line's share of the order discount (largest-remainder allocation). */
  orderDiscountShare: Money;
  /** lineDiscount + orderDiscountShare. */
  discount: Money;
  /** gross − discount, in the price convention: tax included when the mode is inclusive. */
  net: Money;
  tax: Money;
  /** Amount excluding tax: net − tax when inclusive, net when exclusive. */
  taxBase: Money;
  /** What the customer pays for the line: net when inclusive, net + tax when exclusive. */
  total: Money;
}

export interface TaxBreakdown {
  taxRatePpm: number;
  /** Sum of the lines' amounts excluding tax. */
  base: Money;
  tax: Money;
  /** base + tax. */
  total: Money;
}

export interface Totals {
  lines: LineTotals[];
  /** One entry per tax rate present, ascending by rate. */
  taxes: TaxBreakdown[];
  /** Sum of line gross amounts (before any discount). */
  subtotal: Money;
  lineDiscountTotal: Money;
  orderDiscount: Money;
  discountTotal: Money;
  taxTotal: Money;
  /** Sum of line totals: the exact amount of the sale, before cash rounding. */
  total: Money;

  paidCash: Money;
  paidNonCash: Money;
  paid: Money;
  /** total − non-cash tenders: what a card would have to cover exactly. */
  due: Money;
  /** `due` rounded to the cash increment: what to ask for when the rest is paid in cash. */
  dueCash: Money;
  /** dueCash − due once a cash tender is present, else 0. Cash rounding applies to cash tenders only. */
  cashRoundingAdjustment: Money;
  /** total + cashRoundingAdjustment: the amount the tenders must settle. */
  payable: Money;
  /** max(0, payable − paid). */
  remaining: Money;
  /** max(0, paid − payable); always covered by cash, since non-cash tenders may not exceed the total. */
  change: Money;
}

// --- integer helpers ---------------------------------------------------------------------------------

/** Largest amount accepted for a unit price, a line or a document: 10^13 minor units keeps sums far below 2^53. */
export const MAX_AMOUNT = 10_000_000_000_000;
/** Largest quantity: one million units (or kg). */
export const MAX_QTY_MILLI = 1_000_000_000;
export const PPM = 1_000_000;
export const BP = 10_000;

/** numerator / denominator rounded half away from zero; denominator > 0. */
export function divRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const quotient = numerator / denominator; // truncates toward zero
  const rest = numerator % denominator; // same sign as numerator
  const twiceRest = rest < 0n ? -2n * rest : 2n * rest;
  if (twiceRest < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

function toMoney(value: bigint): Money {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new AppError('bad_input', 'Amount out of range');
  }
  return money(Number(value));
}

/**
 * Splits `target` into integer parts proportional to exact shares numerators[i] / denominator (largest
 * remainder method): each part is the floor of its share, and the units still missing go to the largest
 * fractional remainders, ties to the earlier index. Requires all numerators ≥ 0 and
 * floor-sum ≤ target ≤ floor-sum + (number of non-zero remainders), which holds whenever target is the sum of
 * the shares or that sum rounded.
 */
function distribute(target: bigint, numerators: readonly bigint[], denominator: bigint): bigint[] {
  const parts = numerators.map((n) => n / denominator);
  const remainders = numerators.map((n, index) => ({ index, rest: n % denominator }));
  let missing = target - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const { index, rest } of remainders) {
    if (missing === 0n) break;
    if (rest === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    missing -= 1n;
  }
  if (missing !== 0n) throw new Error('distribute: target not reachable from the shares');
  return parts;
}

/**
 * Splits `amount` over `weights` in proportion, exactly: the parts always sum to `amount` (largest remainder,
 * ties to the earlier index). Weights are non-negative integers, not all zero unless amount is 0.
 */
export function allocateProportionally(amount: Money, weights: readonly number[]): Money[] {
  if (amount < 0) throw new AppError('bad_input', 'Cannot allocate a negative amount');
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
    throw new AppError('bad_input', 'Allocation weights must be non-negative integers');
  }
  const total = weights.reduce((a, b) => a + BigInt(b), 0n);
  if (total === 0n) {
    if (amount !== 0) throw new AppError('bad_input', 'Cannot allocate an amount over nothing');
    return weights.map(() => money(0));
  }
  const target = BigInt(amount);
  return distribute(
    target,
    weights.map((w) => target * BigInt(w)),
    total,
  ).map(toMoney);
}

/** Rounds to the nearest multiple of `increment` (half away from zero): 12.38 → 12.40 with increment 10. */
export function roundToIncrement(amount: Money, increment: number): Money {
  assertIncrement(increment);
  const step = BigInt(increment);
  return toMoney(divRoundHalfAwayFromZero(BigInt(amount), step) * step);
}

// --- validation ----------------------------------------------------------------------------------------

function badInput(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('bad_input', message, details);
}

function assertIncrement(increment: number): void {
  if (!Number.isSafeInteger(increment) || increment < 1) {
    throw badInput(`Cash rounding increment must be a positive integer, got ${increment}`);
  }
}

function assertAmount(value: number, what: string, details?: Record<string, unknown>): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_AMOUNT) {
    throw badInput(`${what} must be an integer amount between 0 and ${MAX_AMOUNT}, got ${value}`, details);
  }
}

function assertLine(line: TotalsLineInput, index: number): void {
  const details = { line: index, id: line.id };
  if (!Number.isSafeInteger(line.qtyMilli) || line.qtyMilli < 0 || line.qtyMilli > MAX_QTY_MILLI) {
    throw badInput(`Line ${index + 1}: quantity must be an integer 0…${MAX_QTY_MILLI} thousandths`, details);
  }
  assertAmount(line.unitPrice, `Line ${index + 1}: unit price`, details);
  if (!Number.isSafeInteger(line.taxRatePpm) || line.taxRatePpm < 0 || line.taxRatePpm > PPM) {
    throw badInput(`Line ${index + 1}: tax rate must be 0…${PPM} ppm`, details);
  }
}

/** The discount amount on `base`, validated: a percent within 0–100%, an amount within 0…base. */
function discountAmount(
  discount: Discount | undefined,
  base: bigint,
  what: string,
  details?: object,
): bigint {
  if (discount === undefined) return 0n;
  if (discount.type === 'percent') {
    if (!Number.isSafeInteger(discount.bp) || discount.bp < 0 || discount.bp > BP) {
      throw badInput(`${what}: percent must be 0…100% (0…${BP} bp), got ${discount.bp} bp`, { ...details });
    }
    return divRoundHalfAwayFromZero(base * BigInt(discount.bp), BigInt(BP));
  }
  if (!Number.isSafeInteger(discount.amount) || discount.amount < 0) {
    throw badInput(`${what}: amount must be a non-negative integer`, { ...details });
  }
  const amount = BigInt(discount.amount);
  if (amount > base) throw badInput(`${what}: discount is more than the value it applies to`, { ...details });
  return amount;
}

// --- computeTotals -----------------------------------------------------------------------------------

const MILLI = 1000n;

/** Exact tax share of `net` as numerator over the returned denominator, per tax mode. */
function taxFraction(
  net: bigint,
  ratePpm: number,
  mode: TaxMode,
): { numerator: bigint; denominator: bigint } {
  const rate = BigInt(ratePpm);
  // Inclusive: net already contains tax, tax = net × r / (1 + r). Exclusive: tax = net × r.
  return mode === 'inclusive'
    ? { numerator: net * rate, denominator: BigInt(PPM) + rate }
    : { numerator: net * rate, denominator: BigInt(PPM) };
}

/**
 * Subtotal, discounts, tax, total, cash rounding, paid, remaining and change of one sale.
 * Line amounts always add up: Σ line.total = total, Σ taxes[].tax = taxTotal = Σ line.tax, and the order
 * discount shares add up to the order discount exactly.
 * @throws AppError('bad_input') for negative or out-of-range quantities, prices, rates, discounts over 100%
 *   or above the value they apply to, and non-cash tenders above the total.
 */
export function computeTotals(input: TotalsInput): Totals {
  assertIncrement(input.cashIncrement);
  input.lines.forEach(assertLine);

  const gross = input.lines.map((l) =>
    divRoundHalfAwayFromZero(BigInt(l.unitPrice) * BigInt(l.qtyMilli), MILLI),
  );
  gross.forEach((g, index) => assertAmount(Number(g), `Line ${index + 1}: amount`, { line: index }));

  const lineDiscounts = input.lines.map((l, index) =>
    discountAmount(l.discount, gross[index] ?? 0n, `Line ${index + 1} discount`, { line: index, id: l.id }),
  );
  const afterLine = gross.map((g, index) => g - (lineDiscounts[index] ?? 0n));

  // Order discount: computed on, and allocated over, the lines that take it, weighted by their value after
  // line discounts — so a refund of any line gives back exactly the discount that line received.
  const weights = afterLine.map((v, index) => (input.lines[index]?.orderDiscountable === false ? 0n : v));
  const discountable = weights.reduce((a, b) => a + b, 0n);
  const orderDiscount = discountAmount(input.orderDiscount, discountable, 'Order discount');
  const shares =
    discountable === 0n
      ? weights.map(() => 0n)
      : distribute(
          orderDiscount,
          weights.map((w) => w * orderDiscount),
          discountable,
        );
  const nets = afterLine.map((v, index) => v - (shares[index] ?? 0n));

  const taxes = lineTaxes(input, nets);

  const lines: LineTotals[] = input.lines.map((line, index) => {
    const net = nets[index] ?? 0n;
    const tax = taxes[index] ?? 0n;
    const lineDiscount = lineDiscounts[index] ?? 0n;
    const share = shares[index] ?? 0n;
    return {
      id: line.id,
      qtyMilli: line.qtyMilli,
      taxRatePpm: line.taxRatePpm,
      gross: toMoney(gross[index] ?? 0n),
      lineDiscount: toMoney(lineDiscount),
      orderDiscountShare: toMoney(share),
      discount: toMoney(lineDiscount + share),
      net: toMoney(net),
      tax: toMoney(tax),
      taxBase: toMoney(input.taxMode === 'inclusive' ? net - tax : net),
      total: toMoney(input.taxMode === 'inclusive' ? net : net + tax),
    };
  });

  const sum = (pick: (l: LineTotals) => Money): bigint => lines.reduce((a, l) => a + BigInt(pick(l)), 0n);
  const subtotal = sum((l) => l.gross);
  if (subtotal > BigInt(MAX_AMOUNT)) throw badInput(`Sale amount is above ${MAX_AMOUNT}`);
  const lineDiscountTotal = sum((l) => l.lineDiscount);
  const total = sum((l) => l.total);

  return {
    lines,
    taxes: taxBreakdown(lines),
    subtotal: toMoney(subtotal),
    lineDiscountTotal: toMoney(lineDiscountTotal),
    orderDiscount: toMoney(orderDiscount),
    discountTotal: toMoney(lineDiscountTotal + orderDiscount),
    taxTotal: toMoney(sum((l) => l.tax)),
    total: toMoney(total),
    ...settle(total, input.payments ?? [], input.cashIncrement),
  };
}

function lineTaxes(input: TotalsInput, nets: readonly bigint[]): bigint[] {
  const fractions = input.lines.map((l, index) =>
    taxFraction(nets[index] ?? 0n, l.taxRatePpm, input.taxMode),
  );
  if (input.rounding === 'per_line') {
    return fractions.map((f) => divRoundHalfAwayFromZero(f.numerator, f.denominator));
  }
  // Per document: round once per rate on the summed exact tax, then hand that amount back to the lines by
  // largest remainder so that line taxes still add up to the document's tax (needed for refunds).
  const result = input.lines.map(() => 0n);
  const rates = new Set(input.lines.map((l) => l.taxRatePpm));
  for (const rate of rates) {
    const members = input.lines.flatMap((l, index) => (l.taxRatePpm === rate ? [index] : []));
    const denominator = taxFraction(0n, rate, input.taxMode).denominator;
    const numerators = members.map((index) => fractions[index]?.numerator ?? 0n);
    const rateTax = divRoundHalfAwayFromZero(
      numerators.reduce((a, b) => a + b, 0n),
      denominator,
    );
    distribute(rateTax, numerators, denominator).forEach((tax, k) => {
      result[members[k] ?? 0] = tax;
    });
  }
  return result;
}

function taxBreakdown(lines: readonly LineTotals[]): TaxBreakdown[] {
  const byRate = new Map<number, { base: bigint; tax: bigint }>();
  for (const line of lines) {
    const entry = byRate.get(line.taxRatePpm) ?? { base: 0n, tax: 0n };
    entry.base += BigInt(line.taxBase);
    entry.tax += BigInt(line.tax);
    byRate.set(line.taxRatePpm, entry);
  }
  return [...byRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([taxRatePpm, { base, tax }]) => ({
      taxRatePpm,
      base: toMoney(base),
      tax: toMoney(tax),
      total: toMoney(base + tax),
    }));
}

type Settlement = Pick<
  Totals,
  | 'paidCash'
  | 'paidNonCash'
  | 'paid'
  | 'due'
  | 'dueCash'
  | 'cashRoundingAdjustment'
  | 'payable'
  | 'remaining'
  | 'change'
>;

/**
 * Cash rounding applies to what is paid in cash only: a card pays the exact remainder, and the rounding is
 * taken on the part left for cash (total − non-cash tenders) as soon as a cash tender is present.
 */
function settle(total: bigint, payments: readonly Tender[], cashIncrement: number): Settlement {
  let cash = 0n;
  let nonCash = 0n;
  // Presence, not amount: a cash tender of 0 settles a sale whose cash due rounds to 0 (1 fen, 0.10 increment).
  const cashTendered = payments.some((p) => p.type === 'cash');
  payments.forEach((p, index) => {
    assertAmount(p.amount, `Payment ${index + 1}`, { payment: index });
    if (p.type === 'cash') cash += BigInt(p.amount);
    else nonCash += BigInt(p.amount);
  });
  if (nonCash > total) {
    throw badInput('Card and external payments cannot exceed the amount due: change is given only in cash');
  }
  const due = total - nonCash;
  const dueCash = BigInt(roundToIncrement(toMoney(due), cashIncrement));
  const adjustment = cashTendered ? dueCash - due : 0n;
  const payable = total + adjustment;
  const paid = cash + nonCash;
  return {
    paidCash: toMoney(cash),
    paidNonCash: toMoney(nonCash),
    paid: toMoney(paid),
    due: toMoney(due),
    dueCash: toMoney(dueCash),
    cashRoundingAdjustment: toMoney(adjustment),
    payable: toMoney(payable),
    remaining: toMoney(payable > paid ? payable - paid : 0n),
    change: toMoney(paid > payable ? paid - payable : 0n),
  };
}

// --- refunds -------------------------------------------------------------------------------------------

/** What a refund needs to know about a sold line: the persisted LineTotals fit. */
export interface RefundableLine {
  qtyMilli: number;
  total: Money;
  tax: Money;
}

/** What a refund needs to know about a sale: the persisted Totals fit. */
export interface RefundableSale {
  lines: readonly RefundableLine[];
  /** The sale's cash rounding, returned pro rata so that a full refund gives back exactly what was paid. */
  cashRoundingAdjustment: Money;
}

export interface RefundLineAmounts {
  qtyMilli: number;
  /** Amount given back for the line, tax included. */
  total: Money;
  tax: Money;
  /** total − tax. */
  taxBase: Money;
}

export interface RefundTotals {
  lines: RefundLineAmounts[];
  /** Σ line totals of this refund. */
  linesTotal: Money;
  tax: Money;
  /** This refund's share of the sale's cash rounding adjustment. */
  cashRoundingShare: Money;
  /** What to give back: linesTotal + cashRoundingShare. */
  total: Money;
}

/**
 * The amount refunded for quantities `before` → `before + qty` of a line is the difference of the cumulative
 * pro rata amounts, round(paid × after / sold) − round(paid × before / sold). Each refund is within one minor
 * unit of its exact share, the sum over any sequence of partial refunds telescopes, and the refund that reaches
 * the sold quantity takes exactly the remainder — no cent lost or gained, whatever the order.
 */
function cumulativeShare(paid: Money, part: bigint, whole: bigint): bigint {
  return whole === 0n ? 0n : divRoundHalfAwayFromZero(BigInt(paid) * part, whole);
}

/**
 * Refund amounts for `qtyMilli` of a sold line, given the quantity already refunded in earlier documents.
 * @throws AppError('bad_input') when the quantities are negative or exceed what is left to refund.
 */
export function refundLine(
  line: RefundableLine,
  alreadyRefundedQtyMilli: number,
  qtyMilli: number,
): RefundLineAmounts {
  for (const [what, q] of [
    ['Refund quantity', qtyMilli],
    ['Refunded quantity', alreadyRefundedQtyMilli],
  ] as const) {
    if (!Number.isSafeInteger(q) || q < 0) throw badInput(`${what} must be a non-negative integer, got ${q}`);
  }
  if (alreadyRefundedQtyMilli + qtyMilli > line.qtyMilli) {
    throw badInput('Refund quantity is more than what is left of the line', {
      sold: line.qtyMilli,
      alreadyRefunded: alreadyRefundedQtyMilli,
      requested: qtyMilli,
    });
  }
  const sold = BigInt(line.qtyMilli);
  const before = BigInt(alreadyRefundedQtyMilli);
  const after = before + BigInt(qtyMilli);
  const total = cumulativeShare(line.total, after, sold) - cumulativeShare(line.total, before, sold);
  const tax = cumulativeShare(line.tax, after, sold) - cumulativeShare(line.tax, before, sold);
  return { qtyMilli, total: toMoney(total), tax: toMoney(tax), taxBase: toMoney(total - tax) };
}

/**
 * One refund document over a sale: per-line amounts (see refundLine) plus the pro rata share of the sale's cash
 * rounding, by the same cumulative method on value refunded. Refunding everything, in any number of documents,
 * returns exactly Σ line totals + cashRoundingAdjustment, i.e. what the customer paid net of change.
 * `alreadyRefundedQtyMilli` and `refundQtyMilli` are per sale line, in the sale's line order.
 * Settling the refund in coins (cash rounding of the refund itself) is up to the tender step.
 */
export function refundTotals(
  sale: RefundableSale,
  alreadyRefundedQtyMilli: readonly number[],
  refundQtyMilli: readonly number[],
): RefundTotals {
  if (alreadyRefundedQtyMilli.length !== sale.lines.length || refundQtyMilli.length !== sale.lines.length) {
    throw badInput('Refund quantities must be given for every line of the sale');
  }
  const lines = sale.lines.map((line, index) =>
    refundLine(line, alreadyRefundedQtyMilli[index] ?? 0, refundQtyMilli[index] ?? 0),
  );
  // Cumulative value refunded before and after this document, by the same telescoping line amounts.
  let saleValue = 0n;
  let valueBefore = 0n;
  sale.lines.forEach((line, index) => {
    saleValue += BigInt(line.total);
    valueBefore += cumulativeShare(
      line.total,
      BigInt(alreadyRefundedQtyMilli[index] ?? 0),
      BigInt(line.qtyMilli),
    );
  });
  const linesTotal = lines.reduce((a, l) => a + BigInt(l.total), 0n);
  const valueAfter = valueBefore + linesTotal;
  const adjustment = sale.cashRoundingAdjustment;
  const share =
    cumulativeShare(adjustment, valueAfter, saleValue) - cumulativeShare(adjustment, valueBefore, saleValue);
  return {
    lines,
    linesTotal: toMoney(linesTotal),
    tax: toMoney(lines.reduce((a, l) => a + BigInt(l.tax), 0n)),
    cashRoundingShare: toMoney(share),
    total: toMoney(linesTotal + share),
  };
}
