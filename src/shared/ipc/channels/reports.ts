/**
 * X and Z reports. One shape for both (built by one pure function in src/main/core/reports): an X report reads
 * the open business day and can be taken any number of times; the Z report closes the day, takes the next
 * gapless Z number of the station and is stored exactly as built, so a reprint is the same report.
 *
 * All amounts are integer minor units; refunds and post-voids are negative, so `net` is what the day took.
 */
import { z } from 'zod';
import { TENDER_TYPES } from '../../domain/totals';
import { channel } from '../channel';
import { CurrencySchema, Empty, IdSchema } from '../schemas';
import { CASH_MOVEMENT_KINDS } from './shift';
import { PrintDocumentSchema } from '../../print/print-document';

const Int = z.number().int();
const CountAmount = z.object({ count: Int, amount: Int });

export const ReportSchema = z.object({
  kind: z.enum(['X', 'Z']),
  /** Z reports only. */
  zNumber: Int.nullable(),
  businessDayId: IdSchema,
  stationId: IdSchema,
  storeName: z.string().nullable(),
  currency: CurrencySchema,
  /** The business day so far: from its first activity to now (X) or to the Z. */
  from: z.string(),
  to: z.string(),
  generatedBy: z.string(),
  /** Completed sales: count, before discounts (subtotal), discounts, net of discounts (total). */
  sales: z.object({ count: Int, gross: Int, discounts: Int, net: Int }),
  returns: CountAmount,
  postVoids: CountAmount,
  /** Sum of all completed documents' totals (sales − returns − post-voids). */
  net: Int,
  /** Cash rounding over all documents; `net + rounding` is what the tenders took. */
  rounding: Int,
  tax: Int,
  /** Voids that never became documents: lines taken off a sale, whole open sales voided. */
  lineVoids: CountAmount,
  voidedSales: CountAmount,
  noSales: Int,
  discounts: CountAmount,
  taxes: z.array(z.object({ taxRatePpm: Int, base: Int, tax: Int, total: Int })),
  /** Per tender, net of change given; negative entries are refunds. */
  tenders: z.array(z.object({ tender: z.string(), type: z.enum(TENDER_TYPES), count: Int, amount: Int })),
  cash: z.object({
    openingFloats: Int,
    /** Cash tenders of completed documents, net of change (refunds negative). */
    takings: Int,
    paidIn: Int,
    paidOut: Int,
    drops: Int,
    /** openingFloats + takings + paidIn − paidOut − drops. */
    expected: Int,
    /** Counted at the closes of the day's closed shifts (null while none is closed). */
    counted: Int.nullable(),
  }),
  movements: z.array(
    z.object({
      kind: z.enum(CASH_MOVEMENT_KINDS),
      amount: Int,
      reason: z.string(),
      userName: z.string(),
      at: z.string(),
    }),
  ),
  shifts: z.array(
    z.object({
      id: IdSchema,
      userName: z.string(),
      openedAt: z.string(),
      closedAt: z.string().nullable(),
      openingFloat: Int,
      expectedCash: Int.nullable(),
      countedCash: Int.nullable(),
      difference: Int.nullable(),
    }),
  ),
  cashiers: z.array(
    z.object({
      userId: IdSchema,
      name: z.string(),
      sales: Int,
      returns: Int,
      postVoids: Int,
      lineVoids: Int,
      net: Int,
    }),
  ),
});
export type Report = z.infer<typeof ReportSchema>;

export const ZSummarySchema = z.object({
  zNumber: Int,
  businessDayId: IdSchema,
  closedAt: z.string(),
  net: Int,
});
export type ZSummary = z.infer<typeof ZSummarySchema>;

export const reportChannels = {
  /** The open business day so far; repeatable, changes nothing (the call itself is audited). */
  'report:x': channel({ input: Empty, output: ReportSchema, access: 'reports.view' }),
  /** Closes the business day with the next Z number; refused while a drawer shift is open. */
  'report:z': channel({ input: Empty, output: ReportSchema, access: 'reports.view' }),
  'report:z-list': channel({ input: Empty, output: z.array(ZSummarySchema), access: 'reports.view' }),
  'report:z-get': channel({
    input: z.strictObject({ zNumber: Int.min(1) }),
    output: ReportSchema,
    access: 'reports.view',
  }),
  /**
   * Prints an X report (built now) or a stored Z report on the receipt printer when the station has one, and
   * returns the print document either way (the screen can show it as a paper preview).
   */
  'report:print': channel({
    input: z.strictObject({ kind: z.enum(['X', 'Z']), zNumber: Int.min(1).optional() }),
    output: z.object({ printed: z.boolean(), document: PrintDocumentSchema }),
    access: 'reports.view',
  }),
} as const;
