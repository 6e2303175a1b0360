/**
 * Shift channels: the station's drawer shift (open with a counted float, paid-in / paid-out / drop, no-sale,
 * blind close by denomination with a supervisor's approval of a difference over the threshold) and the shift
 * configuration.
 *
 * The close is BLIND: nothing before it tells the cashier what the drawer should hold (`shift:current` carries
 * no expected figure for a cashier); the count goes in first, and only the answer shows expected against counted.
 * Hand-over: the outgoing cashier closes (counts) and the next one opens with their own counted float.
 */
import { z } from 'zod';
import { MAX_AMOUNT, TENDER_TYPES } from '../../domain/totals';
import { channel } from '../channel';
import { CurrencySchema, Empty, IdSchema } from '../schemas';
import { ApprovalInputSchema, TenderCodeSchema } from './sale';

const Int = z.number().int();
const MoneyInput = z.number().int().min(0).max(MAX_AMOUNT);
const ReasonInput = z.string().trim().min(1).max(120);

// --- configuration (settings key `shift.config`) -------------------------------------------------------------

export const DenominationSchema = z.object({
  /** Stable key used in counts, e.g. `n100` (a 100 note) or `c050` (a 0.50 coin). */
  id: z.string().regex(/^[a-z][a-z0-9_]{0,11}$/),
  /** Face value in minor units. */
  value: z.number().int().min(1).max(100_000_000),
  kind: z.enum(['note', 'coin']),
});
export type Denomination = z.infer<typeof DenominationSchema>;

const DenominationListSchema = z
  .array(DenominationSchema)
  .min(1)
  .max(30)
  .refine((list) => new Set(list.map((d) => d.id)).size === list.length, 'Denomination ids must be unique');

export const ShiftConfigSchema = z.strictObject({
  /** Cash may only be taken or given back while a drawer shift is open on the station. */
  requireShiftForCash: z.boolean(),
  /** A close whose difference on any counted tender exceeds this (minor units) needs a supervisor. */
  differenceThreshold: MoneyInput,
  /** Denominations per currency; a currency without a list is counted as a total. */
  denominations: z.partialRecord(CurrencySchema, DenominationListSchema),
});
export type ShiftConfig = z.infer<typeof ShiftConfigSchema>;

const yuanNotes: Denomination[] = [10000, 5000, 2000, 1000, 500, 100].map((value) => ({
  id: `n${value / 100}`,
  value,
  kind: 'note',
}));
const dollarNotes: Denomination[] = [10000, 5000, 2000, 1000, 500, 200, 100].map((value) => ({
  id: `n${value / 100}`,
  value,
  kind: 'note',
}));

export const DEFAULT_SHIFT_CONFIG: ShiftConfig = {
  requireShiftForCash: true,
  differenceThreshold: 500,
  denominations: {
    CNY: [
      ...yuanNotes,
      { id: 'c100', value: 100, kind: 'coin' },
      { id: 'c050', value: 50, kind: 'coin' },
      { id: 'c010', value: 10, kind: 'coin' },
    ],
    USD: [
      ...dollarNotes,
      { id: 'c100', value: 100, kind: 'coin' },
      { id: 'c025', value: 25, kind: 'coin' },
      { id: 'c010', value: 10, kind: 'coin' },
      { id: 'c005', value: 5, kind: 'coin' },
      { id: 'c001', value: 1, kind: 'coin' },
    ],
  },
};

// --- inputs --------------------------------------------------------------------------------------------------

/** A cash count: pieces per denomination (ids of the currency's list), or a plain total. */
export const CashCountSchema = z.union([
  z.strictObject({
    denominations: z.record(z.string().max(12), z.number().int().min(0).max(1_000_000)),
  }),
  z.strictObject({ total: MoneyInput }),
]);
export type CashCount = z.infer<typeof CashCountSchema>;

export const ShiftCloseInputSchema = z.strictObject({
  cash: CashCountSchema,
  /** Slip totals of non-cash tenders; a tender left out is not counted (it settles electronically). */
  others: z
    .array(z.strictObject({ tender: TenderCodeSchema, amount: MoneyInput }))
    .max(12)
    .optional(),
  approval: ApprovalInputSchema.optional(),
});
export type ShiftCloseInput = z.infer<typeof ShiftCloseInputSchema>;

// --- outputs -------------------------------------------------------------------------------------------------

export const CASH_MOVEMENT_KINDS = ['paid_in', 'paid_out', 'drop'] as const;
export type CashMovementKind = (typeof CASH_MOVEMENT_KINDS)[number];

export const CashMovementSchema = z.object({
  id: IdSchema,
  kind: z.enum(CASH_MOVEMENT_KINDS),
  amount: Int,
  reason: z.string(),
  userName: z.string(),
  at: z.string(),
});
export type CashMovementView = z.infer<typeof CashMovementSchema>;

export const TenderCountSchema = z.object({
  tender: z.string(),
  type: z.enum(TENDER_TYPES),
  expected: Int,
  counted: Int.nullable(),
  difference: Int.nullable(),
});

/** The open shift as the shift screen shows it: no expected cash (the close is blind). */
export const ShiftViewSchema = z.object({
  id: IdSchema,
  status: z.enum(['open', 'closed']),
  userId: IdSchema,
  userName: z.string(),
  currency: CurrencySchema,
  openedAt: z.string(),
  openingFloat: Int,
  movements: z.array(CashMovementSchema),
  closedAt: z.string().nullable(),
  /** Only on a closed shift. */
  tenders: z.array(TenderCountSchema).nullable(),
  expectedCash: Int.nullable(),
  countedCash: Int.nullable(),
  difference: Int.nullable(),
  approvedBy: z.string().nullable(),
});
export type ShiftView = z.infer<typeof ShiftViewSchema>;

export const ShiftStateSchema = z.object({
  shift: ShiftViewSchema.nullable(),
  /** Whether the caller may close this shift (their own, or with `shift.manage`). */
  mayClose: z.boolean(),
  requireShiftForCash: z.boolean(),
  differenceThreshold: Int,
  /** The store's currency (null before setup). */
  currency: CurrencySchema.nullable(),
  /** The denominations of the store's currency (empty: count a total). */
  denominations: z.array(DenominationSchema),
});
export type ShiftState = z.infer<typeof ShiftStateSchema>;

// --- channels ------------------------------------------------------------------------------------------------

export const shiftChannels = {
  'shift:current': channel({ input: Empty, output: ShiftStateSchema, access: 'shift.operate' }),
  'shift:open': channel({
    input: z.strictObject({ float: CashCountSchema }),
    output: ShiftViewSchema,
    access: 'shift.operate',
  }),
  'shift:cash-movement': channel({
    input: z.strictObject({
      kind: z.enum(CASH_MOVEMENT_KINDS),
      amount: MoneyInput.min(1),
      reason: ReasonInput,
    }),
    output: ShiftViewSchema,
    access: 'shift.operate',
  }),
  /** Blind close: the count goes in; expected against counted comes back with the closed shift. */
  'shift:close': channel({ input: ShiftCloseInputSchema, output: ShiftViewSchema, access: 'shift.operate' }),
  'shift:config': channel({ input: Empty, output: ShiftConfigSchema, access: 'shift.operate' }),
  'shift:set-config': channel({
    input: ShiftConfigSchema,
    output: ShiftConfigSchema,
    access: 'settings.manage',
  }),
} as const;
