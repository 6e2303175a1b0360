import { z } from 'zod';
import { assertInStoreRules, type InStoreRule } from '../../../shared/domain/barcode';

/**
 * The `inStoreRules` setting: how this store's scales embed a price or a weight in restricted-circulation
 * EAN-13 codes (layout documented on InStoreRule in src/shared/domain/barcode.ts).
 *
 * Default (China): Chinese retail scales (大华, 顶尖, 寺冈 …) print `FF CCCCC VVVVV C` labels — a two-digit flag
 * 20–29, a five-digit item code (the scale PLU, which is the catalog PLU), a five-digit value and the check
 * digit. Most stores set their scales to print the total PRICE in fen, which is what the customer agreed to at
 * the scale, so the till charges it as printed instead of recomputing weight × unit price. We therefore read
 * flags 20–27 as price (0.01 ¥, up to ¥999.99) and keep 28–29 for scales set to WEIGHT (grams, up to 99.999 kg).
 * The technician must match this to the scales at installation; the layout is configuration, not code.
 */
export const CHINA_IN_STORE_RULES: InStoreRule[] = [
  {
    prefixes: ['20', '21', '22', '23', '24', '25', '26', '27'],
    itemDigits: 5,
    valueDigits: 5,
    valueType: 'price',
    decimals: 2,
  },
  { prefixes: ['28', '29'], itemDigits: 5, valueDigits: 5, valueType: 'weight', decimals: 3 },
];

const InStoreRuleSchema = z.object({
  prefixes: z
    .array(z.string().regex(/^\d{1,3}$/))
    .min(1)
    .max(20),
  itemDigits: z.number().int().min(1).max(11),
  valueDigits: z.number().int().min(1).max(11),
  valueType: z.enum(['price', 'weight']),
  decimals: z.number().int().min(0).max(4),
  hasValueCheckDigit: z.boolean().optional(),
});

/** The layouts must add up to 13 digits (checked with the shared validator; currency is checked at scan time). */
export const InStoreRulesSchema = z
  .array(InStoreRuleSchema)
  .max(20)
  .superRefine((rules, ctx) => {
    try {
      // 4 decimals is the most any currency has, so only the currency-independent checks can fail here.
      assertInStoreRules(rules, 4);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });

/**
 * The rules usable with the store currency. A price rule with more decimals than the currency (the China
 * default in a JPY store) cannot be read; it is skipped rather than failing every scan, so such codes are
 * looked up as plain GTINs. The settings screen validates rules against the currency when they are saved.
 */
export function usableInStoreRules(rules: readonly InStoreRule[], currencyDecimals: number): InStoreRule[] {
  return rules.filter((rule) => rule.valueType === 'weight' || rule.decimals <= currencyDecimals);
}
