import { z } from 'zod';
import { TAX_MODES } from '../shared/domain/locale';
import { money } from '../shared/domain/money';
import { computeTotals, TAX_ROUNDINGS, TENDER_TYPES, type Discount } from '../shared/domain/totals';
import { GiftCardPaymentFieldsSchema } from '../shared/sync/gift-cards';
import type { RejectCode } from '../shared/sync/protocol';

/**
 * The sale documents stations push (`sale.completed`, `refund.completed`, `sale.post_voided`) and what the
 * server checks before it projects them into its reporting tables. The station's outbox carries the document
 * as the station's `SaleView` (see src/main/core/sale/checkout.ts, returns.ts); the row shape
 * (`SaleDocument` of src/main/core/sale/rows.ts: `{ sale, lines, payments }`) is accepted too. Unknown extra
 * fields are ignored, so a newer station's richer document still projects.
 *
 * The server never trusts totals: a sale is recomputed with THE totals engine (src/shared/domain/totals.ts)
 * from its lines, discounts and tenders; refunds and post-voids (whose amounts are allocated from the
 * original sale) must add up line by line. A document that does not is refused with `totals_mismatch`,
 * recorded for the back office and not applied.
 */

export const SALE_DOCUMENT_EVENTS = {
  'sale.completed': 'sale',
  'refund.completed': 'refund',
  'sale.post_voided': 'post_void',
} as const;
export type SaleDocumentEvent = keyof typeof SALE_DOCUMENT_EVENTS;
export type DocumentKind = (typeof SALE_DOCUMENT_EVENTS)[SaleDocumentEvent];

export const isSaleDocumentEvent = (type: string): type is SaleDocumentEvent =>
  Object.hasOwn(SALE_DOCUMENT_EVENTS, type);

/** A document reduced to what the server checks and projects. */
export interface SaleFacts {
  id: string;
  kind: DocumentKind;
  receiptNo: string | null;
  originalSaleId: string | null;
  cashierId: string;
  currency: string;
  completedAt: string;
  total: number;
  tax: number;
  payable: number;
  /** Active (not voided) lines. */
  lines: { id: string; productId: string; plu: string | null; stockQtyMilli: number }[];
  /** Approved payments, amount net of change given; gift-card payments with their card (hex key). */
  payments: {
    id: string;
    tender: string;
    type: string;
    amount: number;
    giftCardKey: string | null;
    giftCardOffline: boolean;
  }[];
}

export type DocumentCheck = { ok: true; facts: SaleFacts } | { ok: false; code: RejectCode; message: string };

// --- the two accepted shapes --------------------------------------------------------------------------

const Int = z.number().int();
const Id = z.uuid();
const DiscountSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('percent'), bp: Int }),
  z.object({ type: z.literal('amount'), amount: Int }),
]);
const Kind = z.enum(['sale', 'refund', 'post_void']);
const Status = z.string();
const Instant = z.iso.datetime({ offset: true });
/**
 * A payment's gift-card fields (GiftCardPaymentFieldsSchema), spelt the same in both shapes. Optional and
 * nullable here (the station's payment rows carry `gift_card_key: null, gift_card_offline: 0` on every other
 * tender); checkGiftCardFields requires them of `gift_card` payments and refuses a card on any other.
 */
const GiftCardFields = {
  gift_card_key: GiftCardPaymentFieldsSchema.shape.gift_card_key.nullable().optional(),
  gift_card_offline: GiftCardPaymentFieldsSchema.shape.gift_card_offline.optional(),
};

const ViewDocumentSchema = z.object({
  id: Id,
  kind: Kind,
  status: Status,
  receiptNo: z.string().max(40).nullable(),
  cashierId: z.string().min(1).max(64),
  currency: z.string().min(3).max(3),
  taxMode: z.enum(TAX_MODES),
  taxRounding: z.enum(TAX_ROUNDINGS),
  cashIncrement: Int.min(1),
  orderDiscount: DiscountSchema.nullable(),
  originalSaleId: Id.nullable(),
  completedAt: Instant.nullable(),
  lines: z
    .array(
      z.object({
        id: Id,
        productId: z.string().min(1).max(64),
        plu: z.string().max(20).nullable(),
        qtyMilli: Int,
        /** Not in today's SaleView; when a station sends it, it wins over qtyMilli for the stock ledger. */
        stockQtyMilli: Int.optional(),
        unitPrice: Int,
        taxRatePpm: Int,
        discount: DiscountSchema.nullable(),
        voided: z.boolean(),
        amounts: z.object({ tax: Int, total: Int }).nullable(),
      }),
    )
    .max(10_000),
  payments: z
    .array(
      z.object({
        id: Id,
        tender: z.string().min(1).max(24),
        type: z.enum(TENDER_TYPES),
        amount: Int,
        change: Int,
        status: z.string(),
        ...GiftCardFields,
      }),
    )
    .max(1000),
  totals: z.object({ total: Int, taxTotal: Int, payable: Int, paid: Int, change: Int }),
});

const RowDocumentSchema = z.object({
  sale: z.object({
    id: Id,
    kind: Kind,
    status: Status,
    receipt_no: z.string().max(40).nullable(),
    original_sale_id: Id.nullable(),
    cashier_id: z.string().min(1).max(64),
    currency: z.string().min(3).max(3),
    tax_mode: z.enum(TAX_MODES),
    tax_rounding: z.enum(TAX_ROUNDINGS),
    cash_increment: Int.min(1),
    order_discount_type: z.enum(['percent', 'amount']).nullable(),
    order_discount_value: Int.nullable(),
    tax_total: Int,
    total: Int,
    rounding: Int,
    paid: Int,
    change_given: Int,
    completed_at: Instant.nullable(),
  }),
  lines: z
    .array(
      z.object({
        id: Id,
        product_id: z.string().min(1).max(64),
        plu: z.string().max(20).nullable(),
        qty_milli: Int,
        stock_qty_milli: Int,
        unit_price: Int,
        tax_rate_ppm: Int,
        discount_type: z.enum(['percent', 'amount']).nullable(),
        discount_value: Int.nullable(),
        voided: z.union([z.literal(0), z.literal(1)]),
        tax: Int,
        total: Int,
      }),
    )
    .max(10_000),
  payments: z
    .array(
      z.object({
        id: Id,
        tender_code: z.string().min(1).max(24),
        tender_type: z.enum(TENDER_TYPES),
        amount: Int,
        change_given: Int,
        status: z.string(),
        ...GiftCardFields,
      }),
    )
    .max(1000),
});

/** Both shapes reduced to one, with what the engine needs to recompute a sale. */
interface Document {
  id: string;
  kind: DocumentKind;
  status: string;
  receiptNo: string | null;
  originalSaleId: string | null;
  cashierId: string;
  currency: string;
  completedAt: string | null;
  taxMode: (typeof TAX_MODES)[number];
  taxRounding: (typeof TAX_ROUNDINGS)[number];
  cashIncrement: number;
  orderDiscount: Discount | undefined;
  lines: {
    id: string;
    productId: string;
    plu: string | null;
    qtyMilli: number;
    stockQtyMilli: number;
    unitPrice: number;
    taxRatePpm: number;
    discount: Discount | undefined;
    voided: boolean;
    tax: number;
    total: number;
  }[];
  payments: {
    id: string;
    tender: string;
    type: (typeof TENDER_TYPES)[number];
    amount: number;
    change: number;
    status: string;
    gift_card_key?: string | null | undefined;
    gift_card_offline?: 0 | 1 | undefined;
  }[];
  totals: { total: number; taxTotal: number; payable: number; paid: number; change: number };
}

const discountOf = (d: z.infer<typeof DiscountSchema> | null): Discount | undefined =>
  d === null ? undefined : d.type === 'percent' ? d : { type: 'amount', amount: money(d.amount) };

const rowDiscount = (type: 'percent' | 'amount' | null, value: number | null): Discount | undefined =>
  type === null || value === null
    ? undefined
    : type === 'percent'
      ? { type, bp: value }
      : { type, amount: money(value) };

function fromView(v: z.infer<typeof ViewDocumentSchema>): Document {
  return {
    id: v.id,
    kind: v.kind,
    status: v.status,
    receiptNo: v.receiptNo,
    originalSaleId: v.originalSaleId,
    cashierId: v.cashierId,
    currency: v.currency,
    completedAt: v.completedAt,
    taxMode: v.taxMode,
    taxRounding: v.taxRounding,
    cashIncrement: v.cashIncrement,
    orderDiscount: discountOf(v.orderDiscount),
    lines: v.lines.map((l) => ({
      id: l.id,
      productId: l.productId,
      plu: l.plu,
      qtyMilli: l.qtyMilli,
      stockQtyMilli: l.stockQtyMilli ?? l.qtyMilli,
      unitPrice: l.unitPrice,
      taxRatePpm: l.taxRatePpm,
      discount: discountOf(l.discount),
      voided: l.voided,
      tax: l.amounts?.tax ?? 0,
      total: l.amounts?.total ?? 0,
    })),
    payments: v.payments,
    totals: v.totals,
  };
}

function fromRows(d: z.infer<typeof RowDocumentSchema>): Document {
  const s = d.sale;
  return {
    id: s.id,
    kind: s.kind,
    status: s.status,
    receiptNo: s.receipt_no,
    originalSaleId: s.original_sale_id,
    cashierId: s.cashier_id,
    currency: s.currency,
    completedAt: s.completed_at,
    taxMode: s.tax_mode,
    taxRounding: s.tax_rounding,
    cashIncrement: s.cash_increment,
    orderDiscount: rowDiscount(s.order_discount_type, s.order_discount_value),
    lines: d.lines.map((l) => ({
      id: l.id,
      productId: l.product_id,
      plu: l.plu,
      qtyMilli: l.qty_milli,
      stockQtyMilli: l.stock_qty_milli,
      unitPrice: l.unit_price,
      taxRatePpm: l.tax_rate_ppm,
      discount: rowDiscount(l.discount_type, l.discount_value),
      voided: l.voided === 1,
      tax: l.tax,
      total: l.total,
    })),
    payments: d.payments.map((p) => ({
      id: p.id,
      tender: p.tender_code,
      type: p.tender_type,
      amount: p.amount,
      change: p.change_given,
      status: p.status,
      gift_card_key: p.gift_card_key,
      gift_card_offline: p.gift_card_offline,
    })),
    totals: {
      total: s.total,
      taxTotal: s.tax_total,
      payable: s.total + s.rounding,
      paid: s.paid,
      change: s.change_given,
    },
  };
}

function parseDocument(document: unknown): Document | string {
  const isRowShape = typeof document === 'object' && document !== null && 'sale' in document;
  const parsed = isRowShape ? RowDocumentSchema.safeParse(document) : ViewDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `the document does not parse: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`;
  }
  return 'sale' in parsed.data ? fromRows(parsed.data) : fromView(parsed.data);
}

// --- checks ---------------------------------------------------------------------------------------------

const bad = (message: string): DocumentCheck => ({ ok: false, code: 'bad_payload', message });
const mismatch = (message: string): DocumentCheck => ({ ok: false, code: 'totals_mismatch', message });
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * A `gift_card` payment names its card (`gift_card_key`) and says whether it was accepted offline; no other
 * payment carries a card. Null when the payments are sound, else the problem.
 */
function checkGiftCardFields(approved: Document['payments']): string | null {
  for (const p of approved) {
    if (p.type !== 'gift_card') {
      if ((p.gift_card_key ?? null) !== null || p.gift_card_offline === 1) {
        return `payment ${p.id} is a ${p.type} payment but names a gift card`;
      }
      continue;
    }
    if ((p.gift_card_key ?? null) === null || p.gift_card_offline === undefined) {
      return `gift_card payment ${p.id} needs gift_card_key and gift_card_offline`;
    }
  }
  return null;
}

/** Recomputes a sale with the engine; null when it agrees with the document, else what differs. */
function recomputeSale(doc: Document, approved: Document['payments']): string | null {
  const active = doc.lines.filter((l) => !l.voided);
  let totals;
  try {
    totals = computeTotals({
      lines: active.map((l) => ({
        id: l.id,
        qtyMilli: l.qtyMilli,
        unitPrice: money(l.unitPrice),
        taxRatePpm: l.taxRatePpm,
        discount: l.discount,
      })),
      orderDiscount: doc.orderDiscount,
      taxMode: doc.taxMode,
      rounding: doc.taxRounding,
      cashIncrement: doc.cashIncrement,
      payments: approved.map((p) => ({ type: p.type, amount: money(p.amount) })),
    });
  } catch (err) {
    return `the totals engine refuses the document: ${(err as Error).message}`;
  }
  const differs: string[] = [];
  for (const field of ['total', 'taxTotal', 'payable', 'paid', 'change'] as const) {
    if (totals[field] !== doc.totals[field]) differs.push(`${field} ${doc.totals[field]} ≠ ${totals[field]}`);
  }
  if (totals.remaining !== 0) differs.push(`${totals.remaining} still unpaid`);
  totals.lines.forEach((computed, i) => {
    const line = active[i];
    if (line && (computed.total !== line.total || computed.tax !== line.tax)) {
      differs.push(`line ${line.id}: total ${line.total}/${computed.total}, tax ${line.tax}/${computed.tax}`);
    }
  });
  return differs.length === 0 ? null : `recomputed: ${differs.slice(0, 4).join('; ')}`;
}

/**
 * Checks the payload of a sale-document event pushed by `stationId` for a store in `storeCurrency`, and
 * reduces it to the facts the projections need.
 */
export function checkSaleDocument(
  type: SaleDocumentEvent,
  payload: unknown,
  storeCurrency: string,
): DocumentCheck {
  if (typeof payload !== 'object' || payload === null || !('document' in payload)) {
    return bad('the payload has no document');
  }
  const doc = parseDocument(payload.document);
  if (typeof doc === 'string') return bad(doc);
  const kind = SALE_DOCUMENT_EVENTS[type];
  if (doc.kind !== kind) return bad(`a ${type} event must carry a ${kind} document, not a ${doc.kind}`);
  if (doc.status !== 'completed' || doc.completedAt === null) return bad('the document is not completed');
  if (doc.currency !== storeCurrency) {
    return bad(`the document is in ${doc.currency}, the store counts in ${storeCurrency}`);
  }
  if (kind === 'post_void' && doc.originalSaleId === null) {
    return bad('a post-void must name the sale it voids');
  }
  const active = doc.lines.filter((l) => !l.voided);
  const approved = doc.payments.filter((p) => p.status === 'approved');
  const lineTotal = sum(active.map((l) => l.total));
  const lineTax = sum(active.map((l) => l.tax));
  if (lineTotal !== doc.totals.total || lineTax !== doc.totals.taxTotal) {
    return mismatch(
      `the lines add up to ${lineTotal} (tax ${lineTax}), the document says ${doc.totals.total} (tax ${doc.totals.taxTotal})`,
    );
  }
  const paid = sum(approved.map((p) => p.amount));
  const change = sum(approved.map((p) => p.change));
  if (paid !== doc.totals.paid || change !== doc.totals.change || paid - change !== doc.totals.payable) {
    return mismatch(
      `the payments add up to ${paid} with ${change} change, the document says ${doc.totals.paid} with ${doc.totals.change} for ${doc.totals.payable} payable`,
    );
  }
  const giftProblem = checkGiftCardFields(approved);
  if (giftProblem !== null) return bad(giftProblem);
  if (kind === 'sale') {
    const problem = recomputeSale(doc, approved);
    if (problem !== null) return mismatch(problem);
  }
  return {
    ok: true,
    facts: {
      id: doc.id,
      kind,
      receiptNo: doc.receiptNo,
      originalSaleId: doc.originalSaleId,
      cashierId: doc.cashierId,
      currency: doc.currency,
      completedAt: doc.completedAt,
      total: doc.totals.total,
      tax: doc.totals.taxTotal,
      payable: doc.totals.payable,
      lines: active.map((l) => ({
        id: l.id,
        productId: l.productId,
        plu: l.plu,
        stockQtyMilli: l.stockQtyMilli,
      })),
      payments: approved.map((p) => ({
        id: p.id,
        tender: p.tender,
        type: p.type,
        amount: p.amount - p.change,
        giftCardKey: p.gift_card_key ?? null,
        giftCardOffline: p.gift_card_offline === 1,
      })),
    },
  };
}
