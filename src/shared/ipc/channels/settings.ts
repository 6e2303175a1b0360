/**
 * The manager's store settings: how sales are computed (currency, tax mode, tax rounding, cash increment), the
 * tenders offered, the in-store (scale label) barcode layouts and the receipt's store name, header and footer.
 * Shift settings and risk rules have their own channels (`shift:set-config`, `risk:set-rules`).
 *
 * `settings:set-sale` takes only the keys that change; everything in one call is one transaction with one
 * `settings.changed` audit row (before / after). The checks that need no station state are in the input schema,
 * so the gate answers `bad_input` with an issue per field (path `tenders.2.code`, `inStoreRules.0.prefixes` …)
 * and the settings screen can run the very same checks as the manager types.
 */
import { z } from 'zod';
import type { CurrencyCode } from '../../domain/money';
import { TAX_ROUNDINGS } from '../../domain/totals';
import { channel } from '../channel';
import { CurrencySchema, Empty, StoreNameSchema, TaxModeSchema } from '../schemas';
import { TenderConfigSchema } from './sale';

// --- cash increment ------------------------------------------------------------------------------------------

/**
 * The cash increments a store may round cash to, per currency, in minor units: coins in circulation (a till
 * cannot give change in a coin that does not exist). 1 — no rounding — is always allowed. China: 1 fen, 5 fen,
 * 1 jiao, 5 jiao, 1 yuan (most shops round to the jiao); US: 1¢ (5¢ / 10¢ / 25¢ where pennies are not used);
 * Hong Kong has no coin below 10 cents; Japan rounds at most to 5 or 10 yen.
 */
export const CASH_INCREMENTS: Readonly<Record<CurrencyCode, readonly number[]>> = {
  CNY: [1, 5, 10, 50, 100],
  USD: [1, 5, 10, 25],
  EUR: [1, 2, 5, 10],
  GBP: [1, 2, 5, 10],
  HKD: [1, 10, 20, 50, 100],
  JPY: [1, 5, 10],
};

// --- in-store barcode layouts --------------------------------------------------------------------------------

/**
 * GS1 restricted-circulation prefixes of the 13-digit form: 20–29 (EAN-13 in-store numbers) and 02 (UPC-A number
 * system 2). Any other prefix belongs to real GTINs: a rule there would misread manufacturers' barcodes.
 */
export const IN_STORE_PREFIX = /^(2\d|02)$/;
/** Digits of the symbology the layouts fill (EAN-13; a UPC-A is read with a leading 0). */
export const IN_STORE_CODE_LENGTH = 13;

export const InStoreRuleInputSchema = z.strictObject({
  prefixes: z.array(z.string().regex(IN_STORE_PREFIX, 'A prefix is 20–29, or 02 for UPC-A')).min(1).max(10),
  itemDigits: z.number().int().min(1).max(9),
  valueDigits: z.number().int().min(1).max(9),
  valueType: z.enum(['price', 'weight']),
  /** Price: decimals of the currency's major unit; weight: decimals of a kilogram (3 = grams). */
  decimals: z.number().int().min(0).max(4),
  hasValueCheckDigit: z.boolean().optional(),
});
export type InStoreRuleInput = z.infer<typeof InStoreRuleInputSchema>;

const InStoreRuleViewSchema = z.object({
  prefixes: z.array(z.string()),
  itemDigits: z.number().int(),
  valueDigits: z.number().int(),
  valueType: z.enum(['price', 'weight']),
  decimals: z.number().int(),
  hasValueCheckDigit: z.boolean().optional(),
});

/** Where the digits of a layout go, as the settings screen draws it; the total must be IN_STORE_CODE_LENGTH. */
export function inStoreLayoutLength(
  rule: Pick<InStoreRuleInput, 'itemDigits' | 'valueDigits' | 'hasValueCheckDigit'>,
): number {
  return 2 + rule.itemDigits + (rule.hasValueCheckDigit ? 1 : 0) + rule.valueDigits + 1;
}

export const InStoreRulesInputSchema = z
  .array(InStoreRuleInputSchema)
  .max(10)
  .superRefine((rules, ctx) => {
    const seen = new Map<string, number>();
    rules.forEach((rule, index) => {
      const length = inStoreLayoutLength(rule);
      if (length !== IN_STORE_CODE_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'valueDigits'],
          message: `The positions add up to ${length} digits, not ${IN_STORE_CODE_LENGTH}`,
          params: { reason: 'layout_length', length },
        });
      }
      if (rule.hasValueCheckDigit && rule.valueDigits !== 4 && rule.valueDigits !== 5) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'hasValueCheckDigit'],
          message: 'A value check digit exists only for 4- or 5-digit values',
          params: { reason: 'value_check_digit' },
        });
      }
      for (const prefix of rule.prefixes) {
        const earlier = seen.get(prefix);
        if (earlier !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'prefixes'],
            message: `Prefix ${prefix} is already used by layout ${earlier + 1}`,
            params: { reason: 'prefix_taken', prefix },
          });
        }
        seen.set(prefix, earlier ?? index);
      }
    });
  });

// --- tenders -------------------------------------------------------------------------------------------------

export const TendersInputSchema = z
  .array(TenderConfigSchema.strict())
  .min(1)
  .max(12)
  .superRefine((tenders, ctx) => {
    const codes = new Set<string>();
    tenders.forEach((tender, index) => {
      if (codes.has(tender.code)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'code'],
          message: `Tender code ${tender.code} is used twice`,
          params: { reason: 'tender_code_taken' },
        });
      }
      codes.add(tender.code);
    });
    // Change is given in cash and the drawer is counted in cash: exactly one cash tender.
    const cash = tenders.filter((t) => t.type === 'cash').length;
    if (cash !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: cash === 0 ? 'Cash cannot be removed' : 'There can be only one cash tender',
        params: { reason: cash === 0 ? 'cash_required' : 'one_cash' },
      });
    }
  });

// --- receipt -------------------------------------------------------------------------------------------------

/** Lines printed under the store name / above the thank-you (an 80 mm printer fits 48 narrow characters). */
export const ReceiptLinesSchema = z.array(z.string().trim().min(1).max(48)).max(4);

// --- channels ------------------------------------------------------------------------------------------------

export const SaleSettingsInputSchema = z
  .strictObject({
    storeName: StoreNameSchema.optional(),
    /** Only while nothing has been sold yet (see `basicsLocked`). */
    currency: CurrencySchema.optional(),
    taxMode: TaxModeSchema.optional(),
    taxRounding: z.enum(TAX_ROUNDINGS).optional(),
    /** Smallest cash amount, in minor units (10 = 0.10 in a 2-decimal currency). */
    cashIncrement: z.number().int().min(1).max(100_000).optional(),
    tenders: TendersInputSchema.optional(),
    inStoreRules: InStoreRulesInputSchema.optional(),
    /** Lines under the store name (address, phone) and above the thank-you (returns policy). */
    receipt: z.strictObject({ header: ReceiptLinesSchema, footer: ReceiptLinesSchema }).optional(),
  })
  .refine((input) => Object.keys(input).length > 0, 'Nothing to change');
export type SaleSettingsInput = z.infer<typeof SaleSettingsInputSchema>;

/** Why currency and tax mode cannot change now (null: they can). */
export const BASICS_LOCK_REASONS = ['documents_exist', 'sale_open', 'shift_open'] as const;
export type BasicsLockReason = (typeof BASICS_LOCK_REASONS)[number];

export const StoreSettingsSchema = z.object({
  storeName: z.string().nullable(),
  currency: CurrencySchema.nullable(),
  taxMode: TaxModeSchema.nullable(),
  taxRounding: z.enum(TAX_ROUNDINGS),
  cashIncrement: z.number().int(),
  /** The cash increments that make sense for the currency (coins that exist), smallest first. */
  cashIncrementChoices: z.array(z.number().int()),
  tenders: z.array(TenderConfigSchema),
  /** As stored (a store server may have set a layout this screen would not accept: it is shown, then fixed). */
  inStoreRules: z.array(InStoreRuleViewSchema),
  receiptHeader: z.array(z.string()),
  receiptFooter: z.array(z.string()),
  /** Currency and tax mode are fixed once a document exists: its amounts would change meaning. */
  basicsLock: z.enum(BASICS_LOCK_REASONS).nullable(),
  /** Tenders an unfinished sale is being paid with: they cannot be removed until it completes or is cancelled. */
  tendersInUse: z.array(z.string()),
});
export type StoreSettings = z.infer<typeof StoreSettingsSchema>;

export const settingsChannels = {
  'settings:get': channel({ input: Empty, output: StoreSettingsSchema, access: 'settings.manage' }),
  'settings:set-sale': channel({
    input: SaleSettingsInputSchema,
    output: StoreSettingsSchema,
    access: 'settings.manage',
  }),
} as const;
