import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/domain/errors';
import { money } from '../../../shared/domain/money';
import {
  computeTotals,
  divRoundHalfAwayFromZero,
  refundTotals,
  roundToIncrement,
  type RefundLineAmounts,
  type RefundTotals,
  type TaxRounding,
} from '../../../shared/domain/totals';
import type { TaxMode } from '../../../shared/domain/locale';
import type {
  ApprovalInput,
  SaleTotalsView,
  SaleView,
  TenderConfig,
} from '../../../shared/ipc/channels/sale';
import type { Caller } from '../auth/auth-service';
import type { ProductForSale } from '../catalog/types';
import type { ApprovalNeed, Grant } from './approvals';
import { formatReceiptNo, type SaleContext } from './context';
import { askTerminal, declined, terminalUnreachable, timedOut } from './payment-terminal';
import { allocateRefund, type RefundPart } from './refund-allocation';
import type { LineRow, PaymentRow, SaleDocument, SaleRow } from './rows';
import { activeLines, countedPayments } from './sale-view';

/** One line of a refund document about to be written. */
interface OutLine {
  /** The sold line it takes back (null without a receipt). */
  original: LineRow | null;
  product: Pick<ProductForSale, 'id' | 'plu' | 'nameZh' | 'nameEn' | 'unit' | 'taxRateId' | 'taxRatePpm'>;
  qtyMilli: number;
  stockQtyMilli: number;
  unitPrice: number;
  total: number;
  tax: number;
}

/** One payment of a refund document: money going back, on a tender. */
interface OutPayment {
  id: string;
  tender: Pick<TenderConfig, 'code' | 'type'>;
  pay: number;
  original: PaymentRow | null;
  reference: string | null;
  approvalCode: string | null;
}

/** Everything a refund or post-void writes, planned before any money moves and re-planned inside the commit. */
interface ReturnPlan {
  kind: 'refund' | 'post_void';
  original: SaleRow | null;
  settings: { currency: string; taxMode: TaxMode; taxRounding: TaxRounding; cashIncrement: number };
  lines: OutLine[];
  payments: OutPayment[];
  /** Exact amount owed (refundTotals.total or the engine's total), ≥ 0. */
  owed: number;
  tax: number;
  linesTotal: number;
  cashOwed: number;
  cashPaid: number;
  /** Equal fingerprints ⇔ the same amounts on the same lines and tenders. */
  fingerprint: string;
  need: ApprovalNeed | null;
}

export interface RefundLineRequest {
  lineId: string;
  qtyMilli: number;
}

function fingerprint(p: Omit<ReturnPlan, 'fingerprint'>): string {
  return JSON.stringify([
    p.lines.map((l) => [l.original?.id ?? l.product.id, l.qtyMilli, l.total, l.tax]),
    p.payments.map((x) => [x.original?.id ?? x.tender.code, x.pay]),
    p.owed,
  ]);
}

/**
 * Returns and post-voids: documents of their own (kind `refund` / `post_void`, receipt series R / V) that
 * reference the original sale, with negative quantities and amounts. Amounts come from `refundTotals` over the
 * committed line amounts, cumulatively, so several partial returns never give back more than was paid and a
 * full return gives back exactly what was paid; money goes back to the original tenders (see
 * refund-allocation.ts). Card refunds go through the payment terminal before the document is committed.
 */
export class Returns {
  /** Sales with a return in progress (waiting for a supervisor or the terminal): one return at a time. */
  private readonly busy = new Set<string>();

  constructor(private readonly ctx: SaleContext) {}

  /** Return against a receipt; `refund.with_receipt` is checked by the gate. */
  async create(
    caller: Caller,
    saleId: string,
    lines: readonly RefundLineRequest[],
    reason?: string,
  ): Promise<SaleView> {
    return this.run(
      caller,
      saleId,
      undefined,
      () => this.planFromSale('refund', saleId, lines, null),
      reason,
    );
  }

  /** Full reversal of the last completed sale of this station, by `sale.post_void` or a supervisor's approval. */
  async postVoid(
    caller: Caller,
    saleId: string,
    reason: string | undefined,
    approval?: ApprovalInput,
  ): Promise<SaleView> {
    const plan = () => {
      const last = this.ctx.repo.lastSale(this.ctx.stationId);
      if (!last || last.id !== saleId) {
        throw new AppError(
          'conflict',
          'Only the last completed sale of this station can be post-voided: use a return.',
        );
      }
      if (this.ctx.repo.related(saleId).length > 0) {
        throw new AppError(
          'conflict',
          'This sale already has a return or a post-void: use a return for the rest.',
        );
      }
      return this.planFromSale('post_void', saleId, 'all', (owed) => ({
        permission: 'sale.post_void',
        action: 'sale.post_void',
        saleId,
        targetId: null,
        amount: owed,
        value: { receiptNo: last.receipt_no },
      }));
    };
    return this.run(caller, saleId, approval, plan, reason);
  }

  /** Return without a receipt at today's catalog prices, in cash or a wallet; needs `refund.without_receipt`. */
  async createWithoutReceipt(
    caller: Caller,
    input: {
      items: readonly { productId: string; qtyMilli: number }[];
      tender: string;
      reference?: string | undefined;
      reason?: string | undefined;
    },
    approval?: ApprovalInput,
  ): Promise<SaleView> {
    const tender = this.ctx.tender(input.tender);
    if (tender.type === 'card') {
      throw new AppError(
        'conflict',
        'Without a receipt there is no card payment to refund to: refund in cash or a wallet.',
      );
    }
    if (tender.type === 'external' && input.reference === undefined) {
      throw new AppError('bad_input', `Enter the reference of the ${tender.nameEn} refund.`, {
        reason: 'reference_required',
      });
    }
    const plan = () => this.planWithoutReceipt(input.items, tender, input.reference ?? null);
    return this.run(caller, null, approval, plan, input.reason);
  }

  // --- planning -----------------------------------------------------------------------------------------------

  private planFromSale(
    kind: 'refund' | 'post_void',
    saleId: string,
    requested: readonly RefundLineRequest[] | 'all',
    needFor: ((owed: number) => ApprovalNeed) | null,
  ): ReturnPlan {
    const sale = this.ctx.repo.sale(saleId);
    if (!sale || sale.kind !== 'sale' || sale.status !== 'completed') {
      throw new AppError('not_found', 'No completed sale with this id or receipt number.', { saleId });
    }
    const doc: SaleDocument = this.ctx.repo.document(sale);
    const sold = activeLines(doc.lines);
    const refunded = this.ctx.repo.refundedQty(sale.id);
    const qty = new Map<string, number>();
    if (requested === 'all') {
      for (const l of sold) qty.set(l.id, l.qty_milli - (refunded.get(l.id) ?? 0));
    } else {
      for (const r of requested) {
        const line = sold.find((l) => l.id === r.lineId);
        if (!line)
          throw new AppError('not_found', 'This line is not on the sale (or was voided).', {
            lineId: r.lineId,
          });
        if (qty.has(r.lineId))
          throw new AppError('bad_input', 'Each line may appear once in a return.', { lineId: r.lineId });
        if (line.unit === 'piece' && r.qtyMilli % 1000 !== 0) {
          throw new AppError('bad_input', 'This item is sold by the piece: return whole pieces.', {
            lineId: r.lineId,
          });
        }
        qty.set(r.lineId, r.qtyMilli);
      }
    }
    const before = sold.map((l) => refunded.get(l.id) ?? 0);
    const asked = sold.map((l) => qty.get(l.id) ?? 0);
    sold.forEach((l, i) => {
      if ((before[i] ?? 0) + (asked[i] ?? 0) > l.qty_milli) {
        throw new AppError(
          'bad_input',
          `More than was sold: ${l.name_en || l.name_zh} has ${l.qty_milli - (before[i] ?? 0)} thousandths left to return.`,
          {
            reason: 'more_than_sold',
            lineId: l.id,
            sold: l.qty_milli,
            alreadyReturned: before[i] ?? 0,
            requested: asked[i] ?? 0,
          },
        );
      }
    });
    const totals: RefundTotals = refundTotals(
      {
        lines: sold.map((l) => ({ qtyMilli: l.qty_milli, total: money(l.total), tax: money(l.tax) })),
        cashRoundingAdjustment: money(sale.rounding),
      },
      before,
      asked,
    );
    if (asked.every((q) => q === 0))
      throw new AppError('conflict', 'Everything on this sale was already returned.');

    const allocation = allocateRefund(
      countedPayments(doc.payments).map((p) => ({
        paymentId: p.id,
        type: p.tender_type,
        net: p.amount - p.change_given,
      })),
      this.ctx.repo.refundedOwed(sale.id),
      totals.total,
      sale.cash_increment,
    );
    const byId = new Map(doc.payments.map((p) => [p.id, p]));
    const lines = sold.flatMap((l, i): OutLine[] => {
      const amounts: RefundLineAmounts | undefined = totals.lines[i];
      const q = asked[i] ?? 0;
      if (!amounts || q === 0) return [];
      // Cumulative, like the money: partial returns of a line whose stock differs from its quantity (a price
      // label of a weighed item) put back exactly what left the shelf in total, never a gram more.
      const done = before[i] ?? 0;
      const stockAt = (part: number) =>
        divRoundHalfAwayFromZero(BigInt(l.stock_qty_milli) * BigInt(part), BigInt(l.qty_milli));
      return [
        {
          original: l,
          product: {
            id: l.product_id,
            plu: l.plu,
            nameZh: l.name_zh,
            nameEn: l.name_en,
            unit: l.unit,
            taxRateId: l.tax_rate_id,
            taxRatePpm: l.tax_rate_ppm,
          },
          qtyMilli: q,
          stockQtyMilli: Number(stockAt(done + q) - stockAt(done)),
          unitPrice: l.unit_price,
          total: amounts.total,
          tax: amounts.tax,
        },
      ];
    });
    const payments = allocation.parts
      .filter((part) => part.pay > 0)
      .map((part: RefundPart): OutPayment => {
        const original = byId.get(part.paymentId) ?? null;
        return {
          id: randomUUID(),
          tender: { code: original?.tender_code ?? part.type, type: part.type },
          pay: part.pay,
          original,
          reference: original?.reference ?? null,
          approvalCode: null,
        };
      });
    const base = {
      kind,
      original: sale,
      settings: {
        currency: sale.currency,
        taxMode: sale.tax_mode,
        taxRounding: sale.tax_rounding,
        cashIncrement: sale.cash_increment,
      },
      lines,
      payments,
      owed: totals.total,
      tax: totals.tax,
      linesTotal: totals.linesTotal,
      cashOwed: allocation.cashOwed,
      cashPaid: allocation.cashPaid,
      need: needFor ? needFor(totals.total) : null,
    };
    return { ...base, fingerprint: fingerprint(base) };
  }

  private planWithoutReceipt(
    items: readonly { productId: string; qtyMilli: number }[],
    tender: TenderConfig,
    reference: string | null,
  ): ReturnPlan {
    const { currency, taxMode } = this.ctx.storeBasics();
    const { taxRounding, cashIncrement } = this.ctx.settings.all();
    const products = items.map((item) => {
      const product = this.ctx.catalog.getProduct(item.productId);
      if (!product)
        throw new AppError('not_found', 'This product does not exist.', { productId: item.productId });
      if (product.unit === 'piece' && item.qtyMilli % 1000 !== 0) {
        throw new AppError('bad_input', 'This item is sold by the piece: return whole pieces.', {
          productId: item.productId,
        });
      }
      return product;
    });
    const totals = computeTotals({
      lines: items.map((item, i) => ({
        qtyMilli: item.qtyMilli,
        unitPrice: money(products[i]?.price ?? 0),
        taxRatePpm: products[i]?.taxRatePpm ?? 0,
      })),
      taxMode,
      rounding: taxRounding,
      cashIncrement,
    });
    if (totals.total === 0)
      throw new AppError('conflict', 'These items are worth nothing: there is nothing to refund.');
    const pay = tender.type === 'cash' ? roundToIncrement(totals.total, cashIncrement) : totals.total;
    const lines = items.map((item, i): OutLine => {
      const product = products[i];
      const amounts = totals.lines[i];
      if (!product || !amounts) throw new Error('refund line without product or totals');
      return {
        original: null,
        product,
        qtyMilli: item.qtyMilli,
        stockQtyMilli: item.qtyMilli,
        unitPrice: product.price,
        total: amounts.total,
        tax: amounts.tax,
      };
    });
    const base = {
      kind: 'refund' as const,
      original: null,
      settings: { currency, taxMode, taxRounding, cashIncrement },
      lines,
      payments:
        pay > 0
          ? [
              {
                id: randomUUID(),
                tender: { code: tender.code, type: tender.type },
                pay,
                original: null,
                reference,
                approvalCode: null,
              },
            ]
          : [],
      owed: totals.total,
      tax: totals.taxTotal,
      linesTotal: totals.total,
      cashOwed: tender.type === 'cash' ? totals.total : 0,
      cashPaid: tender.type === 'cash' ? pay : 0,
      need: {
        permission: 'refund.without_receipt' as const,
        action: 'refund.without_receipt',
        saleId: null,
        targetId: null,
        amount: totals.total,
        value: { items: items.map((i) => [i.productId, i.qtyMilli]), tender: tender.code },
      },
    };
    return { ...base, fingerprint: fingerprint(base) };
  }

  // --- running ------------------------------------------------------------------------------------------------

  /**
   * Plan → supervisor approval (if needed) → card refunds on the terminal → ONE transaction that re-plans,
   * checks nothing moved, and writes the document, its lines, payments, stock movements, receipt number,
   * approval, outbox and audit rows.
   */
  private async run(
    caller: Caller,
    saleId: string | null,
    approval: ApprovalInput | undefined,
    plan: () => ReturnPlan,
    reason: string | undefined,
  ): Promise<SaleView> {
    if (saleId !== null && this.busy.has(saleId)) {
      throw new AppError('conflict', 'A return of this sale is already in progress.');
    }
    const first = plan();
    if (saleId !== null) this.busy.add(saleId);
    try {
      const grant = first.need ? await this.ctx.approvals.authorize(caller, first.need, approval) : null;
      const cardCodes = await this.refundCards(first);
      return this.commit(caller, first, plan, grant, cardCodes, reason);
    } finally {
      if (saleId !== null) this.busy.delete(saleId);
    }
  }

  /** Gives card money back on the terminal; returns each refund's approval code by payment id. */
  private async refundCards(plan: ReturnPlan): Promise<Map<string, string>> {
    const codes = new Map<string, string>();
    const cards = plan.payments.filter((p) => p.tender.type === 'card');
    if (cards.length === 0) return codes;
    const terminal = this.ctx.requireTerminal();
    for (const p of cards) {
      const originalCode = p.original?.approval_code ?? '';
      const outcome = await askTerminal(() => terminal.requestRefund(money(p.pay), p.id, originalCode));
      if (outcome.status === 'declined') throw declined(outcome.reason);
      if (outcome.status === 'offline') throw terminalUnreachable(outcome.reason);
      if (outcome.status === 'timeout') throw timedOut();
      codes.set(p.id, outcome.approvalCode);
    }
    return codes;
  }

  private commit(
    caller: Caller,
    planned: ReturnPlan,
    replan: () => ReturnPlan,
    grant: Grant | null,
    cardCodes: ReadonlyMap<string, string>,
    reason: string | undefined,
  ): SaleView {
    // A return is a document of its own: the open cart (and the customer display) is not touched.
    return this.ctx.tx(() => {
      const at = this.ctx.now();
      const iso = at.toISOString();
      const plan = replan();
      if (plan.fingerprint !== planned.fingerprint) {
        throw new AppError(
          'conflict',
          'The sale changed while the return was being prepared: start the return again.',
        );
      }
      const id = randomUUID();
      const series = planned.kind === 'refund' ? 'R' : 'V';
      this.ctx.repo.insertSale({
        id,
        kind: planned.kind,
        status: 'tendering',
        station_id: this.ctx.stationId,
        series,
        original_sale_id: planned.original?.id ?? null,
        cashier_id: caller.user.id,
        currency: planned.settings.currency,
        tax_mode: planned.settings.taxMode,
        tax_rounding: planned.settings.taxRounding,
        cash_increment: planned.settings.cashIncrement,
        reason: reason?.length ? reason : null,
        created_at: iso,
      });
      if (grant) {
        if (!plan.need)
          throw new AppError('conflict', 'The return changed while the supervisor approved: try again.');
        this.ctx.approvals.record(grant, caller, plan.need, at, id);
      }
      const movement = planned.kind === 'refund' ? 'refund' : 'post_void';
      planned.lines.forEach((l, index) => {
        const lineId = randomUUID();
        this.ctx.repo.insertLine({
          id: lineId,
          sale_id: id,
          position: index + 1,
          product_id: l.product.id,
          plu: l.product.plu,
          scanned_code: null,
          name_zh: l.product.nameZh,
          name_en: l.product.nameEn,
          unit: l.product.unit,
          tax_rate_id: l.product.taxRateId,
          tax_rate_ppm: l.product.taxRatePpm,
          qty_milli: -l.qtyMilli,
          qty_source: 'count',
          stock_qty_milli: -l.stockQtyMilli,
          list_price: l.original?.list_price ?? l.unitPrice,
          unit_price: l.unitPrice,
          batch: l.original?.batch ?? null,
          expiry: l.original?.expiry ?? null,
          original_line_id: l.original?.id ?? null,
          gross: -l.total,
          discount: 0,
          tax: -l.tax,
          total: -l.total,
          added_by: caller.user.id,
          created_at: iso,
        });
        if (l.stockQtyMilli !== 0) {
          this.ctx.repo.insertMovement({
            id: randomUUID(),
            product_id: l.product.id,
            delta: l.stockQtyMilli,
            reason: movement,
            sale_id: id,
            line_id: lineId,
            at: iso,
          });
        }
      });
      planned.payments.forEach((p, index) => {
        this.ctx.repo.insertPayment({
          id: p.id,
          sale_id: id,
          position: index + 1,
          tender_code: p.tender.code,
          tender_type: p.tender.type,
          amount: -p.pay,
          reference: p.reference,
          approval_code: cardCodes.get(p.id) ?? null,
          status: 'approved',
          original_payment_id: p.original?.id ?? null,
          created_by: caller.user.id,
          created_at: iso,
        });
      });
      const seq = this.ctx.repo.nextReceiptSeq(this.ctx.stationId, series);
      const receiptNo = formatReceiptNo(series, seq);
      const totals = refundDocumentTotals(planned);
      this.ctx.repo.complete({
        id,
        receipt_seq: seq,
        receipt_no: receiptNo,
        subtotal: totals.subtotal,
        discount_total: 0,
        tax_total: totals.taxTotal,
        total: totals.total,
        rounding: totals.cashRoundingAdjustment,
        paid: totals.paid,
        change_given: 0,
        totals: JSON.stringify(totals),
        at: iso,
      });
      const document = this.ctx.viewOf(id);
      const event = planned.kind === 'refund' ? 'refund.completed' : 'sale.post_voided';
      this.ctx.journal.enqueue(event, { stationId: this.ctx.stationId, document }, at);
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: event,
        details: {
          documentId: id,
          receiptNo,
          originalSaleId: planned.original?.id ?? null,
          originalReceiptNo: planned.original?.receipt_no ?? null,
          total: totals.total,
          payable: totals.payable,
          approvalId: grant?.id ?? null,
        },
      });
      return document;
    });
  }
}

/** The totals snapshot of a refund document, in the sale's shape with the opposite sign. */
function refundDocumentTotals(plan: ReturnPlan): SaleTotalsView {
  const byRate = new Map<number, { base: number; tax: number }>();
  for (const l of plan.lines) {
    const entry = byRate.get(l.product.taxRatePpm) ?? { base: 0, tax: 0 };
    entry.base -= l.total - l.tax;
    entry.tax -= l.tax;
    byRate.set(l.product.taxRatePpm, entry);
  }
  const paidCash = -plan.cashPaid;
  const paidNonCash = -plan.payments.filter((p) => p.tender.type !== 'cash').reduce((a, p) => a + p.pay, 0);
  const total = -plan.owed;
  const rounding = -(plan.cashPaid - plan.cashOwed);
  return {
    subtotal: -plan.linesTotal,
    lineDiscountTotal: 0,
    orderDiscount: 0,
    discountTotal: 0,
    taxTotal: -plan.tax,
    total,
    taxes: [...byRate.entries()]
      .sort(([a], [b]) => a - b)
      .map(([taxRatePpm, x]) => ({ taxRatePpm, base: x.base, tax: x.tax, total: x.base + x.tax })),
    paidCash,
    paidNonCash,
    paid: paidCash + paidNonCash,
    due: total - paidNonCash,
    dueCash: paidCash,
    cashRoundingAdjustment: rounding,
    payable: total + rounding,
    remaining: 0,
    change: 0,
  };
}
