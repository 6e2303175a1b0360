/**
 * Catalog channels: scan/typed-code lookup and name search for the cashier, product detail, and the CSV import
 * for managers. Prices and tax come from the core's catalog; the renderer only shows them.
 *
 * `catalog:lookup` fails with `bad_input` + action `scan_again` + details.reason for a misread (wrong check
 * digit …) and with `not_found` for a valid code no product has or an inactive product (details.reason
 * 'inactive'). `catalog:import` runs for up to a minute; progress arrives as `catalog:import-progress` events.
 */
import { z } from 'zod';
import { channel, type ChannelSpec } from '../channel';
import { IdSchema } from '../schemas';

const UNITS = ['piece', 'kg', 'g'] as const;

const GS = 0x1d;

/** No control characters except GS, the separator of GS1 element strings: what a scanner or keyboard sends. */
function isScanText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== GS) || c === 0x7f) return false;
  }
  return true;
}

const ScanTextSchema = z
  .string()
  .min(1)
  .max(200)
  .refine(isScanText, 'Control characters other than GS are not allowed');

/** Absolute POSIX (`/…`) or Windows (`C:\…`, `\\server\…`) path; the core checks that it is a readable file. */
const AbsolutePathSchema = z
  .string()
  .min(2)
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'The path must be absolute')
  .refine((text) => !text.includes('\0'), 'The path must not contain NUL');

const MinorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ProductSummarySchema = z.object({
  id: IdSchema,
  plu: z.string().nullable(),
  nameZh: z.string(),
  nameEn: z.string(),
  unit: z.enum(UNITS),
  /** Minor units, per unit (per kg / per g for weighed products). */
  price: MinorUnits,
  taxCode: z.string(),
  taxRatePpm: z.number().int().min(0).max(1_000_000),
  active: z.boolean(),
});
export type ProductSummary = z.infer<typeof ProductSummarySchema>;

export const ProductDetailSchema = ProductSummarySchema.extend({
  categoryId: IdSchema.nullable(),
  /** Stored forms: GTIN-14 for GTINs, the code as given otherwise. */
  barcodes: z.array(z.string()),
});
export type ProductDetail = z.infer<typeof ProductDetailSchema>;

export const LookupResultSchema = z.object({
  product: ProductSummarySchema,
  scanned: z.string(),
  /** Thousandths of the selling unit, from a weight label or GS1 AI 310n. */
  qtyMilli: z.number().int().min(0).optional(),
  /** Line amount from a price label (replaces unit price × quantity). */
  embeddedPrice: MinorUnits.optional(),
  batch: z.string().optional(),
  expiry: z.string().optional(),
});
export type LookupResult = z.infer<typeof LookupResultSchema>;

export const ImportProgressSchema = z.object({
  importId: IdSchema,
  phase: z.enum(['running', 'done', 'failed']),
  rowsRead: z.number().int().min(0),
  imported: z.number().int().min(0),
  updated: z.number().int().min(0),
  unchanged: z.number().int().min(0),
  rejected: z.number().int().min(0),
  bytesRead: z.number().int().min(0),
  bytesTotal: z.number().int().min(0),
});
export type ImportProgress = z.infer<typeof ImportProgressSchema>;

export const ImportReportSchema = z.object({
  importId: IdSchema,
  rowsRead: z.number().int().min(0),
  imported: z.number().int().min(0),
  updated: z.number().int().min(0),
  /** Rows that matched a product and changed nothing. */
  unchanged: z.number().int().min(0),
  rejectedCount: z.number().int().min(0),
  /** The first rejected rows (the list is capped; `rejectedCount` is complete). Lines are the file's. */
  rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  durationMs: z.number().int().min(0),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const catalogChannels = {
  'catalog:lookup': channel({
    input: z.strictObject({ code: ScanTextSchema }),
    output: LookupResultSchema,
    access: 'sale.operate',
  }),
  'catalog:search': channel({
    input: z.strictObject({
      query: z.string().max(100),
      limit: z.number().int().min(1).max(50).optional(),
      offset: z.number().int().min(0).max(5000).optional(),
    }),
    output: z.object({ items: z.array(ProductSummarySchema), hasMore: z.boolean() }),
    access: 'sale.operate',
  }),
  'catalog:get-product': channel({
    input: z.strictObject({ id: IdSchema }),
    output: ProductDetailSchema,
    access: 'sale.operate',
  }),
  'catalog:import': channel({
    input: z.strictObject({ path: AbsolutePathSchema }),
    output: ImportReportSchema,
    access: 'catalog.manage',
  }),
} as const satisfies Record<string, ChannelSpec>;
