/**
 * From rows to what the screens get: the totals of a cart come from THE totals engine (`computeTotals`), every
 * time, from the persisted inputs; a completed document shows the snapshot it was committed with.
 */
import { computeTotals, type Discount, type Totals } from '../../../shared/domain/totals';
import { money } from '../../../shared/domain/money';
import type { CurrencyCode } from '../../../shared/domain/money';
import type { PaymentView, SaleLineView, SaleTotalsView, SaleView } from '../../../shared/ipc/channels/sale';
import type { DiscountType, LineRow, PaymentRow, SaleDocument } from './rows';
import type { RelatedRow } from './sale-repo';

export function discountOf(type: DiscountType | null, value: number | null): Discount | undefined {
  if (type === null || value === null) return undefined;
  return type === 'percent' ? { type: 'percent', bp: value } : { type: 'amount', amount: money(value) };
}

export const activeLines = (lines: readonly LineRow[]): LineRow[] => lines.filter((l) => l.voided === 0);

/** Payments that count towards the sale; a pending card payment does not (yet). */
export const countedPayments = (payments: readonly PaymentRow[]): PaymentRow[] =>
  payments.filter((p) => p.status === 'approved');

/** The totals of a sale document from its persisted inputs. Throws AppError('bad_input') for an invalid state. */
export function saleTotals(doc: SaleDocument): Totals {
  const { sale } = doc;
  return computeTotals({
    lines: activeLines(doc.lines).map((l) => ({
      id: l.id,
      qtyMilli: l.qty_milli,
      unitPrice: money(l.unit_price),
      taxRatePpm: l.tax_rate_ppm,
      discount: discountOf(l.discount_type, l.discount_value),
    })),
    orderDiscount: discountOf(sale.order_discount_type, sale.order_discount_value),
    taxMode: sale.tax_mode,
    rounding: sale.tax_rounding,
    cashIncrement: sale.cash_increment,
    payments: countedPayments(doc.payments).map((p) => ({ type: p.tender_type, amount: money(p.amount) })),
  });
}

/** The figures the screens show, picked from the engine's output (its per-line detail goes on the lines). */
export function totalsView(t: Totals | SaleTotalsView): SaleTotalsView {
  return {
    subtotal: t.subtotal,
    lineDiscountTotal: t.lineDiscountTotal,
    orderDiscount: t.orderDiscount,
    discountTotal: t.discountTotal,
    taxTotal: t.taxTotal,
    total: t.total,
    taxes: t.taxes.map((x) => ({ taxRatePpm: x.taxRatePpm, base: x.base, tax: x.tax, total: x.total })),
    paidCash: t.paidCash,
    paidNonCash: t.paidNonCash,
    paid: t.paid,
    due: t.due,
    dueCash: t.dueCash,
    cashRoundingAdjustment: t.cashRoundingAdjustment,
    payable: t.payable,
    remaining: t.remaining,
    change: t.change,
  };
}

export interface ViewExtras {
  cashierName: string;
  /** Per sold line: quantity taken back by refunds/post-voids (completed sales only). */
  refunded?: ReadonlyMap<string, number>;
  related?: readonly RelatedRow[];
}

function lineView(
  line: LineRow,
  amounts: SaleLineView['amounts'],
  refunded: ReadonlyMap<string, number> | undefined,
): SaleLineView {
  const discount = discountOf(line.discount_type, line.discount_value);
  return {
    id: line.id,
    position: line.position,
    productId: line.product_id,
    plu: line.plu,
    scannedCode: line.scanned_code,
    nameZh: line.name_zh,
    nameEn: line.name_en,
    unit: line.unit,
    qtyMilli: line.qty_milli,
    qtySource: line.qty_source,
    stockQtyMilli: line.stock_qty_milli,
    listPrice: line.list_price,
    unitPrice: line.unit_price,
    priceOverridden: line.price_override_by !== null,
    taxRatePpm: line.tax_rate_ppm,
    discount: discount ?? null,
    voided: line.voided === 1,
    voidedAt: line.voided_at,
    voidedBy: line.voided_by,
    originalLineId: line.original_line_id,
    refundedQtyMilli: refunded?.get(line.id) ?? 0,
    amounts,
  };
}

function paymentView(p: PaymentRow): PaymentView {
  return {
    id: p.id,
    tender: p.tender_code,
    type: p.tender_type,
    amount: p.amount,
    change: p.change_given,
    reference: p.reference,
    approvalCode: p.approval_code,
    status: p.status,
    originalPaymentId: p.original_payment_id,
    createdAt: p.created_at,
    ...(p.tender_type === 'gift_card' ? { giftCardOffline: p.gift_card_offline === 1 } : {}),
  };
}

/**
 * The view of a document. `totals` is the engine's output for a cart; for a completed or voided document pass
 * null and the committed snapshot (or, for a voided cart, a fresh computation) is used.
 */
export function saleView(doc: SaleDocument, totals: Totals | null, extras: ViewExtras): SaleView {
  const { sale } = doc;
  const final = sale.status === 'completed';
  const live = totals ?? (final ? null : saleTotals(doc));
  const byLine = new Map(live?.lines.map((l) => [l.id, l]) ?? []);
  const lines = doc.lines.map((line) => {
    if (line.voided === 1) return lineView(line, null, extras.refunded);
    if (final) {
      const amounts = { gross: line.gross, discount: line.discount, tax: line.tax, total: line.total };
      return lineView(line, amounts, extras.refunded);
    }
    const t = byLine.get(line.id);
    const amounts = t ? { gross: t.gross, discount: t.discount, tax: t.tax, total: t.total } : null;
    return lineView(line, amounts, extras.refunded);
  });
  const orderDiscount = discountOf(sale.order_discount_type, sale.order_discount_value);
  return {
    id: sale.id,
    kind: sale.kind,
    status: sale.status,
    receiptNo: sale.receipt_no,
    cashierId: sale.cashier_id,
    cashierName: extras.cashierName,
    currency: sale.currency as CurrencyCode,
    taxMode: sale.tax_mode,
    taxRounding: sale.tax_rounding,
    cashIncrement: sale.cash_increment,
    orderDiscount: orderDiscount ?? null,
    note: sale.note,
    reason: sale.reason,
    originalSaleId: sale.original_sale_id,
    createdAt: sale.created_at,
    updatedAt: sale.updated_at,
    completedAt: sale.completed_at,
    revision: sale.revision,
    lines,
    payments: doc.payments.map(paymentView),
    totals: live ? totalsView(live) : totalsView(JSON.parse(sale.totals) as SaleTotalsView),
    related: (extras.related ?? []).map((r) => ({
      id: r.id,
      kind: r.kind,
      receiptNo: r.receipt_no,
      payable: r.payable,
      completedAt: r.completed_at,
    })),
  };
}
