/**
 * Sale channels: the cart, tenders, completion, park/recall, history, returns and post-void.
 *
 * Amounts are integer minor units and quantities integer thousandths (`qtyMilli`); the renderer never sends a
 * price the core would trust except the new unit price of an override, which needs `sale.price_override`.
 * Every cart mutation returns the whole cart (lines + totals from `computeTotals`) and also pushes it as the
 * `sale:changed` event for the customer display.
 *
 * Supervisor approval: when the caller lacks `sale.discount`, `sale.price_override`, `sale.void_line`,
 * `sale.post_void` or `refund.without_receipt`, the call fails with `permission_denied`, `action:
 * 'ask_supervisor'` and `details.approvalRequestId`. The UI asks a supervisor for their PIN and repeats the SAME
 * call with `approval: { requestId, supervisorId, pin }`. The request is bound to that exact action and amount
 * and can be used once, so an approval cannot be replayed for another line, amount or sale.
 */
import { z } from 'zod';
import { MAX_AMOUNT, MAX_QTY_MILLI, TAX_ROUNDINGS, TENDER_TYPES } from '../../domain/totals';
import { channel, type ChannelSpec } from '../channel';
import { CurrencySchema, Empty, IdSchema, PinSchema, TaxModeSchema } from '../schemas';
import { GiftCardBalanceResponseSchema } from '../../sync/gift-cards';

// --- vocabulary --------------------------------------------------------------------------------------------

export const DOCUMENT_KINDS = ['sale', 'refund', 'post_void'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** open → tendering → completed, or voided; parked is a held open sale. Completed and voided are final. */
export const SALE_STATUSES = ['open', 'tendering', 'completed', 'voided', 'parked'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

/** Only `approved` payments count towards the sale; `pending` is a card payment waiting for the terminal. */
export const PAYMENT_STATUSES = ['pending', 'approved', 'declined', 'timeout', 'removed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Where a line's quantity came from: counted/typed, or carried by a weight or price barcode (not editable). */
export const QTY_SOURCES = ['count', 'barcode_weight', 'barcode_price'] as const;
export type QtySource = (typeof QTY_SOURCES)[number];

export const PRODUCT_UNITS = ['piece', 'kg', 'g'] as const;

// --- configuration (also stored in settings) ---------------------------------------------------------------

export const TenderCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{0,23}$/, 'Tender code: a-z, 0-9, _');

export const TenderConfigSchema = z.object({
  code: TenderCodeSchema,
  type: z.enum(TENDER_TYPES),
  nameZh: z.string().trim().min(1).max(24),
  nameEn: z.string().trim().min(1).max(24),
});
export type TenderConfig = z.infer<typeof TenderConfigSchema>;

export const TendersSchema = z
  .array(TenderConfigSchema)
  .min(1)
  .max(12)
  .refine((list) => new Set(list.map((t) => t.code)).size === list.length, 'Tender codes must be unique');

export const DEFAULT_TENDERS: TenderConfig[] = [
  { code: 'cash', type: 'cash', nameZh: '现金', nameEn: 'Cash' },
  { code: 'card', type: 'card', nameZh: '银行卡', nameEn: 'Card' },
  { code: 'wechat', type: 'external', nameZh: '微信支付', nameEn: 'WeChat Pay' },
  { code: 'alipay', type: 'external', nameZh: '支付宝', nameEn: 'Alipay' },
];

// --- inputs ----------------------------------------------------------------------------------------------

const MoneyInput = z.number().int().min(0).max(MAX_AMOUNT);
const QtyMilliInput = z.number().int().min(1).max(MAX_QTY_MILLI);
/** A scanned or typed code; GS1 element strings with AIs can be long, a product code never is. */
const CodeInput = z.string().min(1).max(128);
const ReferenceInput = z.string().trim().min(1).max(64);
const NoteInput = z.string().trim().max(80);

/** `{ type: 'none' }` removes a discount (no permission needed). */
export const DiscountInputSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('percent'), bp: z.number().int().min(1).max(10_000) }),
  z.strictObject({ type: z.literal('amount'), amount: MoneyInput.min(1) }),
  z.strictObject({ type: z.literal('none') }),
]);

export const ApprovalInputSchema = z.strictObject({
  /** From `details.approvalRequestId` of the `permission_denied` answer to the same call. */
  requestId: IdSchema,
  supervisorId: IdSchema,
  pin: PinSchema,
});
export type ApprovalInput = z.infer<typeof ApprovalInputSchema>;

// --- outputs ---------------------------------------------------------------------------------------------

const Int = z.number().int();

export const DiscountSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('percent'), bp: Int }),
  z.object({ type: z.literal('amount'), amount: Int }),
]);

export const SaleLineSchema = z.object({
  id: IdSchema,
  position: Int,
  productId: z.string(),
  plu: z.string().nullable(),
  scannedCode: z.string().nullable(),
  nameZh: z.string(),
  nameEn: z.string(),
  unit: z.enum(PRODUCT_UNITS),
  /** Negative on refund and post-void documents. */
  qtyMilli: Int,
  qtySource: z.enum(QTY_SOURCES),
  /**
   * What left (negative on refunds: came back to) the shelf, in thousandths of the product's unit: the weight
   * behind a price label, where `qtyMilli` counts labels. The store server's stock ledger uses this.
   */
  stockQtyMilli: Int,
  /** Price before any override: the catalog price, or the price a price-embedded barcode carried. */
  listPrice: Int,
  unitPrice: Int,
  priceOverridden: z.boolean(),
  taxRatePpm: Int,
  discount: DiscountSchema.nullable(),
  voided: z.boolean(),
  voidedAt: z.string().nullable(),
  voidedBy: z.string().nullable(),
  originalLineId: z.string().nullable(),
  /** On a completed sale: how much of the line later refunds and post-voids took back. */
  refundedQtyMilli: Int,
  /** From the totals engine; null for a voided line. */
  amounts: z.object({ gross: Int, discount: Int, tax: Int, total: Int }).nullable(),
});
export type SaleLineView = z.infer<typeof SaleLineSchema>;

export const PaymentSchema = z.object({
  id: IdSchema,
  tender: z.string(),
  type: z.enum(TENDER_TYPES),
  /** Amount tendered (cash handed over); negative when money goes back to the customer. */
  amount: Int,
  /** Change given out of this (cash) payment at completion. */
  change: Int,
  reference: z.string().nullable(),
  approvalCode: z.string().nullable(),
  status: z.enum(PAYMENT_STATUSES),
  originalPaymentId: z.string().nullable(),
  createdAt: z.string(),
  /** Gift-card payments only: taken while the store server could not be reached (unverified, no hold). */
  giftCardOffline: z.boolean().optional(),
});
export type PaymentView = z.infer<typeof PaymentSchema>;

/** The fields of `Totals` (src/shared/domain/totals.ts) the screens show; negative on refund documents. */
export const SaleTotalsSchema = z.object({
  subtotal: Int,
  lineDiscountTotal: Int,
  orderDiscount: Int,
  discountTotal: Int,
  taxTotal: Int,
  total: Int,
  taxes: z.array(z.object({ taxRatePpm: Int, base: Int, tax: Int, total: Int })),
  paidCash: Int,
  paidNonCash: Int,
  paid: Int,
  due: Int,
  dueCash: Int,
  cashRoundingAdjustment: Int,
  payable: Int,
  remaining: Int,
  change: Int,
});
export type SaleTotalsView = z.infer<typeof SaleTotalsSchema>;

export const RelatedDocumentSchema = z.object({
  id: IdSchema,
  kind: z.enum(DOCUMENT_KINDS),
  receiptNo: z.string().nullable(),
  payable: Int,
  completedAt: z.string().nullable(),
});

export const SaleViewSchema = z.object({
  id: IdSchema,
  kind: z.enum(DOCUMENT_KINDS),
  status: z.enum(SALE_STATUSES),
  receiptNo: z.string().nullable(),
  cashierId: z.string(),
  cashierName: z.string(),
  currency: CurrencySchema,
  taxMode: TaxModeSchema,
  taxRounding: z.enum(TAX_ROUNDINGS),
  cashIncrement: Int,
  orderDiscount: DiscountSchema.nullable(),
  note: z.string().nullable(),
  reason: z.string().nullable(),
  originalSaleId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  /** Bumped by every change, so a screen can tell a stale copy. */
  revision: Int,
  lines: z.array(SaleLineSchema),
  payments: z.array(PaymentSchema),
  totals: SaleTotalsSchema,
  /** Refunds and post-voids of this sale, or the sale a refund refers to. */
  related: z.array(RelatedDocumentSchema),
});
export type SaleView = z.infer<typeof SaleViewSchema>;

export const ParkedSaleSchema = z.object({
  id: IdSchema,
  note: z.string().nullable(),
  cashierName: z.string(),
  parkedAt: z.string(),
  lineCount: Int,
  total: Int,
});
export type ParkedSale = z.infer<typeof ParkedSaleSchema>;

export const SaleSummarySchema = z.object({
  id: IdSchema,
  kind: z.enum(DOCUMENT_KINDS),
  receiptNo: z.string(),
  completedAt: z.string(),
  cashierName: z.string(),
  lineCount: Int,
  total: Int,
  payable: Int,
  originalSaleId: z.string().nullable(),
});
export type SaleSummary = z.infer<typeof SaleSummarySchema>;

export const SaleConfigSchema = z.object({
  currency: CurrencySchema,
  taxMode: TaxModeSchema,
  taxRounding: z.enum(TAX_ROUNDINGS),
  cashIncrement: Int,
  tenders: z.array(TenderConfigSchema),
  cardTerminal: z.boolean(),
});
export type SaleConfig = z.infer<typeof SaleConfigSchema>;

// --- channels --------------------------------------------------------------------------------------------

const withApproval = { approval: ApprovalInputSchema.optional() };
/**
 * Idempotency of refunds and post-voids: a UUID the client makes once per submit attempt and sends again on
 * a retry (lost answer, double tap). A repeat returns the document the first call wrote; nothing is written
 * twice. Reusing it for a different return is a `conflict` (details.reason 'request_reused').
 */
const withRequestId = { requestId: IdSchema.optional() };

/** A refund or post-void written but not completed: its card refund has no known outcome yet. */
export const UnresolvedRefundSchema = z.object({
  id: IdSchema,
  kind: z.enum(DOCUMENT_KINDS),
  originalSaleId: z.string().nullable(),
  originalReceiptNo: z.string().nullable(),
  cashierName: z.string(),
  createdAt: z.string(),
  /** Negative amounts (money going back), with their status. */
  payments: z.array(
    z.object({
      id: IdSchema,
      tender: z.string(),
      amount: z.number().int(),
      status: z.enum(PAYMENT_STATUSES),
    }),
  ),
});
export type UnresolvedRefund = z.infer<typeof UnresolvedRefundSchema>;

export const saleChannels = {
  'sale:config': channel({ input: Empty, output: SaleConfigSchema, access: 'sale.operate' }),
  /**
   * What the customer display shows when it opens: the open sale, exactly as the `sale:changed` event (which
   * every trusted connection receives) carries it. Public, so the display needs no signed-in session.
   */
  'display:snapshot': channel({
    input: Empty,
    output: z.object({ cart: SaleViewSchema.nullable() }),
    access: 'public',
  }),
  /** The station's open (or tendering) sale, or null when the cart is empty. */
  'sale:current': channel({ input: Empty, output: SaleViewSchema.nullable(), access: 'sale.operate' }),

  /** Scan or typed code; `qtyMilli` is the keypad multiplier (`3 ×`) and the weight of a weighed item. */
  'sale:scan': channel({
    input: z.strictObject({ code: CodeInput, qtyMilli: QtyMilliInput.optional() }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  'sale:add-product': channel({
    input: z.strictObject({ productId: IdSchema, qtyMilli: QtyMilliInput }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  /** Lowering a quantity takes goods off the sale like a void: it needs `sale.void_line`. */
  'sale:set-quantity': channel({
    input: z.strictObject({ lineId: IdSchema, qtyMilli: QtyMilliInput, ...withApproval }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  'sale:void-line': channel({
    input: z.strictObject({ lineId: IdSchema, ...withApproval }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  'sale:discount-line': channel({
    input: z.strictObject({ lineId: IdSchema, discount: DiscountInputSchema, ...withApproval }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  'sale:discount-order': channel({
    input: z.strictObject({ discount: DiscountInputSchema, ...withApproval }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  /** A unit price equal to the list price removes the override. */
  'sale:override-price': channel({
    input: z.strictObject({ lineId: IdSchema, unitPrice: MoneyInput, ...withApproval }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  /** Voids the whole open sale (recorded, with its lines); needs `sale.void_line` when it has lines. */
  'sale:void': channel({
    input: z.strictObject({ reason: NoteInput.optional(), ...withApproval }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),

  'sale:start-tender': channel({ input: Empty, output: SaleViewSchema, access: 'sale.operate' }),
  /**
   * Cash: the amount handed over (change is computed). External (WeChat/Alipay): needs the reference. Gift card:
   * `reference` is the card number as typed or swiped — used for the hold and never stored (the payment keeps
   * "•••• " + its last four).
   */
  'sale:add-tender': channel({
    input: z.strictObject({
      tender: TenderCodeSchema,
      amount: MoneyInput.min(1),
      reference: ReferenceInput.optional(),
    }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  /** What is on a gift card (asked of the store server; reserves nothing). */
  'sale:gift-card-balance': channel({
    input: z.strictObject({ number: z.string().min(1).max(64) }),
    output: GiftCardBalanceResponseSchema,
    access: 'sale.operate',
  }),
  'sale:remove-tender': channel({
    input: z.strictObject({ paymentId: IdSchema }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  /**
   * Asks the terminal what became of a card payment whose outcome is unknown (timed out, or in flight when the
   * station stopped) by transaction status — the payment is never sent again. `payment_timeout` when the
   * terminal still cannot tell; `payment_declined` when it was not charged.
   */
  'sale:check-payment': channel({
    input: z.strictObject({ paymentId: IdSchema }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  /** Back to the cart; cash and external tenders are removed (an approved card payment must be removed first). */
  'sale:cancel-tender': channel({ input: Empty, output: SaleViewSchema, access: 'sale.operate' }),
  /** Commits the sale: receipt number, stock, outbox and audit in one transaction. Returns the completed sale. */
  'sale:complete': channel({ input: Empty, output: SaleViewSchema, access: 'sale.operate' }),

  'sale:park': channel({
    input: z.strictObject({ note: NoteInput.optional() }),
    output: ParkedSaleSchema,
    access: 'sale.operate',
  }),
  'sale:recall': channel({
    input: z.strictObject({ saleId: IdSchema }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  'sale:parked': channel({ input: Empty, output: z.array(ParkedSaleSchema), access: 'sale.operate' }),

  /** Completed documents, newest first. `from`/`to` are ISO instants (to exclusive); amounts match |payable|. */
  'sale:history': channel({
    input: z.strictObject({
      receiptNo: z.string().trim().min(1).max(32).optional(),
      from: z.iso.datetime().optional(),
      to: z.iso.datetime().optional(),
      minAmount: MoneyInput.optional(),
      maxAmount: MoneyInput.optional(),
      kind: z.enum(DOCUMENT_KINDS).optional(),
      limit: z.number().int().min(1).max(100).optional(),
      offset: z.number().int().min(0).max(100_000).optional(),
    }),
    output: z.object({ items: z.array(SaleSummarySchema), hasMore: z.boolean() }),
    access: 'sale.operate',
  }),
  /** One document by id or receipt number (for reprint and for finding the sale of a return). */
  'sale:get': channel({
    input: z.strictObject({ ref: z.string().trim().min(1).max(64) }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  /** Reverses the last completed sale of this station in full, as a new document. */
  'sale:post-void': channel({
    input: z.strictObject({
      saleId: IdSchema,
      reason: NoteInput.optional(),
      ...withApproval,
      ...withRequestId,
    }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),

  /** Return against a receipt: quantities per sold line; money goes back to the original tenders. */
  'refund:create': channel({
    input: z.strictObject({
      saleId: IdSchema,
      lines: z
        .array(z.strictObject({ lineId: IdSchema, qtyMilli: QtyMilliInput }))
        .min(1)
        .max(500),
      reason: NoteInput.optional(),
      ...withRequestId,
    }),
    output: SaleViewSchema,
    access: 'refund.with_receipt',
  }),
  /** Return without a receipt, at today's catalog prices, in cash or an external tender; needs approval. */
  'refund:create-without-receipt': channel({
    input: z.strictObject({
      items: z
        .array(z.strictObject({ productId: IdSchema, qtyMilli: QtyMilliInput }))
        .min(1)
        .max(100),
      tender: TenderCodeSchema,
      reference: ReferenceInput.optional(),
      reason: NoteInput.optional(),
      ...withApproval,
      ...withRequestId,
    }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
  /**
   * Card refunds are asked of the terminal only after the refund document is on disk with the card payment
   * `pending`; a timeout (or a crash) leaves it unresolved. This lists those documents.
   */
  'refund:unresolved': channel({
    input: Empty,
    output: z.array(UnresolvedRefundSchema),
    access: 'sale.operate',
  }),
  /**
   * Asks the terminal what became of an unresolved card refund (by transaction status, never by sending it
   * again). Approved → the refund document completes and is returned; not charged → `payment_declined` (the
   * refund is dropped, nothing moved); still unknown → `payment_timeout`.
   */
  'refund:check-payment': channel({
    input: z.strictObject({ paymentId: IdSchema }),
    output: SaleViewSchema,
    access: 'sale.operate',
  }),
} as const satisfies Record<string, ChannelSpec>;
