/**
 * Fraud and risk rules (settings key `risk.rules`) and the alerts they raise. Every rule has a mode:
 * - `alert`: the action goes through; an alert is written (and audited as `risk.alert`) for supervisors and
 *   managers, shown at their next sign-in and in the alerts screen until acknowledged;
 * - `approve`: as `alert`, and the action is also held until a supervisor approves it in the moment — even
 *   when the user's own role could do it alone (the approver must then be someone else).
 */
import { z } from 'zod';
import { MAX_AMOUNT } from '../../domain/totals';
import { channel } from '../channel';
import { Empty, IdSchema } from '../schemas';

const Mode = z.enum(['alert', 'approve']);
const Count = z.number().int().min(0).max(1000);
const Amount = z.number().int().min(0).max(MAX_AMOUNT);

export const RiskRulesSchema = z.strictObject({
  /** More than `max` lines voided (or quantities reduced, or open sales voided) in one shift. */
  lineVoids: z.strictObject({ enabled: z.boolean(), mode: Mode, max: Count }),
  /** More than `max` post-voids in one shift. */
  postVoids: z.strictObject({ enabled: z.boolean(), mode: Mode, max: Count }),
  /** A refund without receipt above `maxAmount`, or more than `maxCount` of them in one shift. */
  refundsWithoutReceipt: z.strictObject({
    enabled: z.boolean(),
    mode: Mode,
    maxAmount: Amount,
    maxCount: Count,
  }),
  /** A line or order discount above `maxBp` (basis points of what it discounts). */
  discounts: z.strictObject({ enabled: z.boolean(), mode: Mode, maxBp: z.number().int().min(0).max(10_000) }),
  /** More than `max` drawer opens without a sale in one shift (alert only: a no-sale already needs its own right). */
  noSales: z.strictObject({ enabled: z.boolean(), max: Count }),
  /** A sale post-voided within `minutes` of being paid. */
  quickPostVoid: z.strictObject({
    enabled: z.boolean(),
    mode: Mode,
    minutes: z.number().int().min(1).max(1440),
  }),
  /** Money of a return given back on another tender than the sale was paid with (alert only: it is done). */
  refundToOtherTender: z.strictObject({ enabled: z.boolean() }),
  /** A price override below the product's cost. */
  priceBelowCost: z.strictObject({ enabled: z.boolean(), mode: Mode }),
});
export type RiskRules = z.infer<typeof RiskRulesSchema>;
export type RiskRuleName = keyof RiskRules;
export const RISK_RULE_NAMES = Object.keys(RiskRulesSchema.shape) as RiskRuleName[];

export const DEFAULT_RISK_RULES: RiskRules = {
  lineVoids: { enabled: true, mode: 'alert', max: 5 },
  postVoids: { enabled: true, mode: 'alert', max: 2 },
  refundsWithoutReceipt: { enabled: true, mode: 'alert', maxAmount: 20_000, maxCount: 3 },
  discounts: { enabled: true, mode: 'alert', maxBp: 3000 },
  noSales: { enabled: true, max: 3 },
  quickPostVoid: { enabled: true, mode: 'alert', minutes: 5 },
  refundToOtherTender: { enabled: true },
  priceBelowCost: { enabled: true, mode: 'approve' },
};

export const RiskAlertSchema = z.object({
  id: IdSchema,
  rule: z.enum(RISK_RULE_NAMES as [RiskRuleName, ...RiskRuleName[]]),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  shiftId: z.string().nullable(),
  at: z.string(),
  /** What fired it: counts, amounts, limits, the document or line (rule-specific, for the sentence). */
  details: z.record(z.string(), z.unknown()),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
});
export type RiskAlert = z.infer<typeof RiskAlertSchema>;

export const riskChannels = {
  /** Unacknowledged alerts (shown after a supervisor's or manager's sign-in), or the latest ones. */
  'risk:alerts': channel({
    input: z.strictObject({ include: z.enum(['open', 'all']) }),
    output: z.array(RiskAlertSchema),
    access: 'reports.view',
  }),
  'risk:acknowledge': channel({
    input: z.strictObject({ ids: z.array(IdSchema).min(1).max(200) }),
    output: z.object({ acknowledged: z.number().int() }),
    access: 'reports.view',
  }),
  'risk:rules': channel({ input: Empty, output: RiskRulesSchema, access: 'reports.view' }),
  'risk:set-rules': channel({ input: RiskRulesSchema, output: RiskRulesSchema, access: 'settings.manage' }),
} as const;
