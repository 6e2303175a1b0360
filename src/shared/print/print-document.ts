import { z } from 'zod';

/**
 * What the station prints, independent of the printer: a receipt, an X/Z report, a test page are all a list of
 * blocks. The printer service turns blocks into ESC/POS bytes for the configured printer (EPSON or STAR, 58 or
 * 80 mm); the renderer can draw the same blocks as a paper preview. Pure data, JSON-serialisable, so a document
 * can be stored in the print queue and printed again byte-for-byte the same.
 */
export type PrintAlign = 'left' | 'center' | 'right';

export type PrintBlock =
  /** One paragraph, wrapped to the paper width (CJK characters count two columns). */
  | {
      kind: 'text';
      text: string;
      align?: PrintAlign;
      bold?: boolean;
      /** 1 = normal, 2 = double width and height. */
      size?: 1 | 2;
    }
  /** Left text and right text on one line (right-aligned), e.g. an item and its amount. */
  | { kind: 'columns'; left: string; right: string; bold?: boolean }
  /** A full-width rule of `-` (or `=` when `double`). */
  | { kind: 'rule'; double?: boolean }
  | { kind: 'feed'; lines: number }
  /** A 1D barcode (CODE128) of ASCII data, e.g. the receipt id for returns. */
  | { kind: 'barcode'; data: string }
  /** A QR code of UTF-8 data. */
  | { kind: 'qr'; data: string }
  /** The store logo as configured (nothing when none is configured). */
  | { kind: 'logo' };

export const PRINT_DOCUMENT_KINDS = ['receipt', 'report', 'test_page', 'terminal_receipt'] as const;
export type PrintDocumentKind = (typeof PRINT_DOCUMENT_KINDS)[number];

export interface PrintDocument {
  kind: PrintDocumentKind;
  /** What it is of, e.g. the sale id or `z:42`: a reprint of the same ref is marked as a copy. */
  ref: string;
  /** Shown in the print queue and the fault log. */
  title: string;
  blocks: PrintBlock[];
  /** Cut after the document (default true). */
  cut?: boolean;
  /** Open the cash drawer with this document (cash sales). */
  openDrawer?: boolean;
}

// --- schemas (a document read back from the print queue, or sent over the contract) ------------------------

const Align = z.enum(['left', 'center', 'right']);
const Text = z.string().max(2000);

export const PrintBlockSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    text: Text,
    align: Align.optional(),
    bold: z.boolean().optional(),
    size: z.union([z.literal(1), z.literal(2)]).optional(),
  }),
  z.object({ kind: z.literal('columns'), left: Text, right: Text, bold: z.boolean().optional() }),
  z.object({ kind: z.literal('rule'), double: z.boolean().optional() }),
  z.object({ kind: z.literal('feed'), lines: z.number().int().min(0).max(10) }),
  z.object({ kind: z.literal('barcode'), data: z.string().regex(/^[\x20-\x7e]{1,80}$/) }),
  z.object({ kind: z.literal('qr'), data: z.string().min(1).max(2000) }),
  z.object({ kind: z.literal('logo') }),
]);

export const PrintDocumentSchema = z.object({
  kind: z.enum(PRINT_DOCUMENT_KINDS),
  ref: z.string().min(1).max(120),
  title: z.string().max(200),
  blocks: z.array(PrintBlockSchema).max(2000),
  cut: z.boolean().optional(),
  openDrawer: z.boolean().optional(),
});
