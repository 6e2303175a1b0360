import { createHash, randomUUID } from 'node:crypto';
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
import {
  SaleTotalsSchema,
  type ApprovalInput,
  type DocumentKind,
  type PaymentStatus,
  type SaleTotalsView,
  type SaleView,
  type TenderConfig,
  type UnresolvedRefund,
} from '../../../shared/ipc/channels/sale';
import type { Caller } from '../auth/auth-service';
import type { ProductForSale } from '../catalog/types';
import type { ApprovalNeed, Grant } from './approvals';
import { formatReceiptNo, type SaleContext } from './context';
import { askTerminal, declined, terminalUnreachable, type TerminalOutcome } from './payment-terminal';
import { documentForSync } from './gift-cards';
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
  /** A gift card is credited back: the original payment's card key (the server credits it, no hold). */
  giftCardKey: string | null;
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

/** What a caller asked for, kept to recognise a repeat of the same request. */
interface ReturnRequest {
  kind: 'refund' | 'post_void';
  originalSaleId: string | null;
  /** What comes back, as `key:qtyMilli` (key: the sold line, or the product without a receipt); null: all. */
  items: string[] | null;
  /** The tender chosen by the caller (without a receipt); null when the core chooses. */
  tender: string | null;
  reason: string | undefined;
  requestId: string | undefined;
}

interface UnresolvedRow {
  id: string;
  kind: DocumentKind;
  original_sale_id: string | null;
  original_receipt_no: string | null;
  cashier_id: string;
  created_at: string;
  payment_id: string;
  tender_code: string;
  amount: number;
  status: PaymentStatus;
}

/** RFC 9562 name-based (v5) namespace of refund request ids. */
const REQUEST_NAMESPACE = Buffer.from('8d3f5c1e6a2b4f7e9c0d1a2b3c4d5e6f', 'hex');

/**
 * The id of the document a request writes: a name-based UUID of the station and the client's request id, so
 * a repeat finds the document by primary key, and a request id can never point at another document.
 */
export function documentIdForRequest(stationId: string, requestId: string): string {
  const hash = createHash('sha1')
    .update(REQUEST_NAMESPACE)
    .update(`${stationId}\u001f${requestId}`, 'utf8')
    .digest()
    .subarray(0, 16);
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x50, 6);
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether a document written for a request id is what this call asks for (not a reused id). */
function sameRequest(doc: SaleDocument, request: ReturnRequest): boolean {
  if (doc.sale.kind !== request.kind || doc.sale.original_sale_id !== request.originalSaleId) return false;
  if (request.tender !== null && !doc.payments.some((p) => p.tender_code === request.tender)) return false;
  if (request.items === null) return true;
  const have = doc.lines.map((l) => `${l.original_line_id ?? l.product_id}:${-l.qty_milli}`).sort();
  const want = [...request.items].sort();
  return have.length === want.length && have.every((item, i) => item === want[i]);
}

function refundTimedOut(refundId: string, paymentId: string): AppError {
  return new AppError(
    'payment_timeout',
    'The payment terminal did not answer: check the card refund on the terminal before anything else.',
    { reason: 'refund_outcome_unknown', refundId, paymentId },
    'retry',
  );
}

/** Why a written document is not completed: its card refund is unknown, was declined, or stopped half way. */
function unresolvedError(doc: SaleDocument): AppError {
  const cards = doc.payments.filter((p) => p.tender_type === 'card');
  const unknown = cards.find((p) => p.status === 'pending' || p.status === 'timeout');
  if (unknown) return refundTimedOut(doc.sale.id, unknown.id);
  const refused = cards.find((p) => p.status === 'declined');
  if (refused && !cards.some((p) => p.status === 'approved')) {
    return new AppError('payment_declined', 'The card refund was not approved: nothing was given back.', {
      refundId: doc.sale.id,
      paymentId: refused.id,
    });
  }
  return new AppError(
    'conflict',
    'This refund stopped half way (one card was refunded, another was not): call a supervisor.',
    { reason: 'refund_incomplete', refundId: doc.sale.id },
  );
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
 * refund-allocation.ts). A card refund is asked of the terminal only once the document is on disk with the
 * card payment `pending`, and the document completes when the terminal approves (see `perform`).
 *
 * Every entry point takes an optional client-generated `requestId`: the document's id is derived from it, so
 * a retried call returns the document the first one wrote instead of writing a second one.
 */
export class Returns {
  /** Sales with a return in progress (waiting for a supervisor or the terminal): one return at a time. */
  private readonly busy = new Set<string>();
  /** Runs INSIDE the transaction that completes a refund or post-void (the devices queue its receipt). */
  onCompleted: ((document: SaleView, at: Date, userId: string | null) => void) | null = null;
  /** Calls under way by document id (derived from the request id): a repeat waits for the first one. */
  private readonly inFlight = new Map<string, Promise<SaleView>>();
  private readonly q;

  constructor(private readonly ctx: SaleContext) {
    // A refund document is unresolved while a payment of it waits (pending, or a card refund timed out) or a
    // card gave money back on a document that never completed.
    const waiting = `EXISTS (SELECT 1 FROM payments u WHERE u.sale_id = s.id
      AND (u.status IN ('pending', 'timeout') OR (u.status = 'approved' AND u.tender_type = 'card')))`;
    this.q = {
      snapshot: ctx.db.prepare<{ id: string; totals: string; at: string }>(
        "UPDATE sales SET totals = @totals, updated_at = @at WHERE id = @id AND status = 'tendering'",
      ),
      approvalOf: ctx.db
        .prepare<[string], string>('SELECT id FROM approvals WHERE sale_id = ? ORDER BY at LIMIT 1')
        .pluck(),
      unresolvedOf: ctx.db
        .prepare<[string], number>(
          `SELECT count(*) FROM sales s WHERE s.original_sale_id = ? AND s.status = 'tendering' AND ${waiting}`,
        )
        .pluck(),
      // No index serves status = 'tendering' for refunds; this runs when the return screen opens, not per scan.
      unresolved: ctx.db.prepare<[], UnresolvedRow>(
        `SELECT s.id, s.kind, s.original_sale_id, o.receipt_no AS original_receipt_no, s.cashier_id, s.created_at,
           p.id AS payment_id, p.tender_code, p.amount, p.status
         FROM sales s JOIN payments p ON p.sale_id = s.id LEFT JOIN sales o ON o.id = s.original_sale_id
         WHERE s.status = 'tendering' AND s.kind IN ('refund', 'post_void') AND ${waiting}
         ORDER BY s.created_at, s.id, p.position`,
      ),
    };
  }

  /** Return against a receipt; `refund.with_receipt` is checked by the gate. */
  async create(
    caller: Caller,
    saleId: string,
    lines: readonly RefundLineRequest[],
    reason?: string,
    requestId?: string,
  ): Promise<SaleView> {
    const request: ReturnRequest = {
      kind: 'refund',
      originalSaleId: saleId,
      items: lines.map((l) => `${l.lineId}:${l.qtyMilli}`),
      tender: null,
      reason,
      requestId,
    };
    return this.run(caller, request, undefined, () => this.planFromSale('refund', saleId, lines, null));
  }

  /** Full reversal of the last completed sale of this station, by `sale.post_void` or a supervisor's approval. */
  async postVoid(
    caller: Caller,
    saleId: string,
    reason: string | undefined,
    approval?: ApprovalInput,
    requestId?: string,
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
    const request: ReturnRequest = {
      kind: 'post_void',
      originalSaleId: saleId,
      items: null,
      tender: null,
      reason,
      requestId,
    };
    return this.run(caller, request, approval, plan);
  }

  /** Return without a receipt at today's catalog prices, in cash or a wallet; needs `refund.without_receipt`. */
  async createWithoutReceipt(
    caller: Caller,
    input: {
      items: readonly { productId: string; qtyMilli: number }[];
      tender: string;
      reference?: string | undefined;
      reason?: string | undefined;
      requestId?: string | undefined;
    },
    approval?: ApprovalInput,
  ): Promise<SaleView> {
    const tender = this.ctx.tender(input.tender);
    if (tender.type === 'card' || tender.type === 'gift_card') {
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
    const request: ReturnRequest = {
      kind: 'refund',
      originalSaleId: null,
      items: input.items.map((i) => `${i.productId}:${i.qtyMilli}`),
      tender: tender.code,
      reason: input.reason,
      requestId: input.requestId,
    };
    const plan = () => this.planWithoutReceipt(input.items, tender, input.reference ?? null);
    return this.run(caller, request, approval, plan);
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
    // A card refund of this sale with no known outcome may have given money back already: nothing more
    // comes back until it is resolved (`refund:check-payment`).
    if (this.q.unresolvedOf.get(saleId)) {
      throw new AppError(
        'conflict',
        'A card refund of this sale has no known outcome yet: check it on the terminal first.',
        { reason: 'refund_outcome_unknown', saleId },
      );
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
          giftCardKey: original?.gift_card_key ?? null,
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
                giftCardKey: null,
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
   * Idempotency, then the work. With a `requestId` the document's id is derived from it, so a repeated call
   * (a lost answer, a double tap) finds the document the first call wrote and returns it — nothing is written
   * twice, no money moves twice — and a call racing the first one waits for it and gets the same answer.
   */
  private async run(
    caller: Caller,
    request: ReturnRequest,
    approval: ApprovalInput | undefined,
    plan: () => ReturnPlan,
  ): Promise<SaleView> {
    if (request.requestId === undefined) return this.perform(caller, request, randomUUID(), approval, plan);
    const documentId = documentIdForRequest(this.ctx.stationId, request.requestId);
    const flying = this.inFlight.get(documentId);
    if (flying) return flying;
    const again = this.repeat(documentId, request);
    if (again) return again;
    const work = this.perform(caller, request, documentId, approval, plan);
    this.inFlight.set(documentId, work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(documentId);
    }
  }

  /** The document an earlier call with the same request id wrote, or null when there is none. */
  private repeat(documentId: string, request: ReturnRequest): SaleView | null {
    const row = this.ctx.repo.sale(documentId);
    if (!row) return null;
    const doc = this.ctx.repo.document(row);
    if (!sameRequest(doc, request)) {
      throw new AppError(
        'conflict',
        'This request id was already used for a different return: start the return again.',
        { reason: 'request_reused', documentId },
      );
    }
    if (row.status === 'completed') return this.ctx.view(doc);
    throw unresolvedError(doc);
  }

  /**
   * Plan → supervisor approval (if needed) → the document. Without a card refund: ONE transaction writes the
   * document, its lines, payments, stock movements, receipt number, approval, outbox and audit rows. With one,
   * the document and its `pending` card payments are written first (with their audit row), then the terminal
   * is asked, then the outcome is recorded — so a crash or a failed commit after the terminal gave the money
   * back leaves an unresolved refund on disk (`refund:unresolved`, `refund:check-payment`), never money gone
   * with no document.
   */
  private async perform(
    caller: Caller,
    request: ReturnRequest,
    documentId: string,
    approval: ApprovalInput | undefined,
    plan: () => ReturnPlan,
  ): Promise<SaleView> {
    const saleId = request.originalSaleId;
    if (saleId !== null && this.busy.has(saleId)) {
      throw new AppError('conflict', 'A return of this sale is already in progress.');
    }
    const first = plan();
    // Before any approval or card refund: cash going back needs the drawer's open shift.
    if (first.payments.some((p) => p.tender.type === 'cash')) this.ctx.drawer?.assertCashAllowed();
    if (saleId !== null) this.busy.add(saleId);
    try {
      const grant = first.need ? await this.ctx.approvals.authorize(caller, first.need, approval) : null;
      const cards = first.payments.filter((p) => p.tender.type === 'card');
      if (cards.length === 0) {
        return this.ctx.tx(() => {
          const at = this.ctx.now();
          this.write(caller, first, plan, grant, request, documentId, at);
          return this.finish(documentId, caller.user.id, at, request.requestId ?? null);
        });
      }
      const terminal = this.ctx.requireTerminal();
      this.ctx.tx(() => {
        const at = this.ctx.now();
        this.write(caller, first, plan, grant, request, documentId, at);
        this.ctx.journal.audit({
          at,
          userId: caller.user.id,
          action: 'refund.card_requested',
          details: {
            documentId,
            kind: first.kind,
            originalSaleId: first.original?.id ?? null,
            requestId: request.requestId ?? null,
            cards: cards.map((p) => ({ paymentId: p.id, amount: p.pay })),
          },
        });
      });
      let view: SaleView | null = null;
      // While the terminal has it, a status check of the same refund must wait (it would settle it twice).
      this.busy.add(documentId);
      for (const p of cards) {
        const originalCode = p.original?.approval_code ?? '';
        const outcome = await askTerminal(() => terminal.requestRefund(money(p.pay), p.id, originalCode));
        const settled = this.settleCard(caller.user.id, p.id, outcome, request.requestId ?? null);
        if (settled instanceof AppError) throw settled;
        if (settled) view = settled;
      }
      if (!view) throw new Error('card refund without an outcome');
      return view;
    } finally {
      this.busy.delete(documentId);
      if (saleId !== null) this.busy.delete(saleId);
    }
  }

  /**
   * Finds out what became of a card refund whose outcome is unknown (the terminal timed out, or the station
   * stopped while it had the request): asks the terminal for the status of THAT request — never sends it again —
   * and records the answer: approved → the refund document completes; not charged → the refund is dropped
   * (nothing moved; the cashier may refund otherwise); still unknown → `payment_timeout` again.
   */
  async checkPayment(userId: string | null, paymentId: string): Promise<SaleView> {
    const unresolved = () => {
      const payment = this.ctx.repo.payment(paymentId);
      if (!payment) throw new AppError('not_found', 'This payment does not exist.', { paymentId });
      const doc = this.ctx.requireSale(payment.sale_id);
      if (doc.kind === 'sale') {
        throw new AppError('bad_input', 'This is a sale payment: check it from the tender screen.', {
          paymentId,
        });
      }
      if (
        doc.status !== 'tendering' ||
        payment.tender_type !== 'card' ||
        (payment.status !== 'timeout' && payment.status !== 'pending')
      ) {
        throw new AppError('conflict', 'The outcome of this refund is already known.', { paymentId });
      }
      if (this.busy.has(doc.id))
        throw new AppError('conflict', 'The payment terminal is still working on this refund.');
      return doc;
    };
    const doc = unresolved();
    const terminal = this.ctx.requireTerminal();
    if (!terminal.checkStatus) {
      throw new AppError(
        'conflict',
        'This terminal cannot be asked about an earlier refund: check it on the terminal and call a supervisor.',
      );
    }
    const checkStatus = terminal.checkStatus.bind(terminal);
    this.busy.add(doc.id);
    let outcome: TerminalOutcome | null;
    try {
      outcome = await checkStatus(paymentId);
    } catch {
      outcome = { status: 'timeout' };
    } finally {
      this.busy.delete(doc.id);
    }
    // No request on record: the station stopped before the driver wrote it, so it was never sent.
    const known: TerminalOutcome = outcome ?? { status: 'offline', reason: 'never_sent' };
    const settled = this.ctx.tx(() => {
      unresolved();
      return this.settleCard(userId, paymentId, known, null);
    });
    if (settled instanceof AppError) throw settled;
    if (settled) return settled;
    // Approved, and another card of the same document still waits: report that one.
    throw unresolvedError(this.ctx.repo.document(this.ctx.requireSale(doc.id)));
  }

  /**
   * After a restart: asks the terminal about every card refund left pending or timed out. Returns how many got
   * a known outcome; the rest stay listed by `unresolved()` for the cashier's "Check terminal".
   */
  async resolveUnknownCardRefunds(): Promise<number> {
    let resolved = 0;
    for (const doc of this.unresolved()) {
      for (const payment of doc.payments) {
        if (payment.status !== 'pending' && payment.status !== 'timeout') continue;
        if (this.ctx.repo.payment(payment.id)?.tender_type !== 'card') continue;
        try {
          await this.checkPayment(null, payment.id);
          resolved += 1;
        } catch (err) {
          if (err instanceof AppError && err.code === 'payment_declined') resolved += 1;
        }
      }
    }
    return resolved;
  }

  /** Refund documents whose card refund has no known outcome yet (or that stopped half way), oldest first. */
  unresolved(): UnresolvedRefund[] {
    const rows = this.q.unresolved.all();
    const byDoc = new Map<string, UnresolvedRefund>();
    for (const r of rows) {
      const entry = byDoc.get(r.id) ?? {
        id: r.id,
        kind: r.kind,
        originalSaleId: r.original_sale_id,
        originalReceiptNo: r.original_receipt_no,
        cashierName: this.ctx.users.get(r.cashier_id)?.name ?? '',
        createdAt: r.created_at,
        payments: [],
      };
      entry.payments.push({
        id: r.payment_id,
        tender: r.tender_code,
        amount: r.amount,
        status: r.status,
      });
      byDoc.set(r.id, entry);
    }
    return [...byDoc.values()];
  }

  /**
   * Records what the terminal answered for one card refund, in one transaction with its audit row: approved →
   * the payment is approved and, once every card of the document is, the document completes (same
   * transaction); declined or unreachable → nothing was given back, the refund is dropped (its payments
   * declined / removed; the document never completes); timeout → unknown, left for `checkPayment`. Returns the
   * completed view, the error to throw (its outcome is recorded all the same), or null when another card of
   * the document is still to be asked. A failing completion throws and rolls the outcome back: the payment
   * stays `pending`, to be found again by a status check.
   */
  private settleCard(
    userId: string | null,
    paymentId: string,
    outcome: TerminalOutcome,
    requestId: string | null,
  ): SaleView | AppError | null {
    return this.ctx.tx(() => {
      const at = this.ctx.now();
      const iso = at.toISOString();
      const payment = this.ctx.repo.payment(paymentId);
      if (!payment) throw new Error(`refund payment ${paymentId} vanished`);
      const documentId = payment.sale_id;
      const details = { documentId, paymentId, amount: -payment.amount, outcome: outcome.status };
      if (outcome.status === 'approved') {
        this.ctx.repo.setPaymentStatus(paymentId, 'approved', outcome.approvalCode, iso);
        this.ctx.journal.audit({ at, userId, action: 'refund.card_approved', details });
        const doc = this.ctx.repo.document(this.ctx.requireSale(documentId));
        const waiting = doc.payments.some((p) => p.tender_type === 'card' && p.status !== 'approved');
        if (waiting) return null;
        return this.finish(documentId, userId, at, requestId);
      }
      if (outcome.status === 'timeout') {
        this.ctx.repo.setPaymentStatus(paymentId, 'timeout', null, iso);
        this.ctx.journal.audit({ at, userId, action: 'refund.card_unknown', details });
        return refundTimedOut(documentId, paymentId);
      }
      this.ctx.repo.setPaymentStatus(paymentId, 'declined', null, iso);
      const doc = this.ctx.repo.document(this.ctx.requireSale(documentId));
      for (const p of doc.payments) {
        if (p.status === 'pending') this.ctx.repo.setPaymentStatus(p.id, 'removed', null, iso);
      }
      this.ctx.journal.audit({ at, userId, action: 'refund.card_not_approved', details });
      const error =
        outcome.status === 'declined' ? declined(outcome.reason) : terminalUnreachable(outcome.reason);
      return new AppError(
        error.code,
        error.message,
        { ...error.details, refundId: documentId, paymentId },
        error.action,
      );
    });
  }

  /**
   * Writes the document as `tendering` with its lines, its payments (`pending` until it completes), its
   * approval and its totals snapshot, after re-planning and checking nothing moved since the first plan.
   * Stock, the receipt number, outbox and the completion audit row come with `finish`.
   */
  private write(
    caller: Caller,
    planned: ReturnPlan,
    replan: () => ReturnPlan,
    grant: Grant | null,
    request: ReturnRequest,
    id: string,
    at: Date,
  ): void {
    // A return is a document of its own: the open cart (and the customer display) is not touched.
    const iso = at.toISOString();
    const plan = replan();
    if (plan.fingerprint !== planned.fingerprint) {
      throw new AppError(
        'conflict',
        'The sale changed while the return was being prepared: start the return again.',
      );
    }
    if (this.ctx.repo.sale(id)) {
      throw new AppError('conflict', 'This return was already recorded.', { reason: 'request_reused' });
    }
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
      reason: request.reason?.length ? request.reason : null,
      created_at: iso,
    });
    if (grant) {
      if (!plan.need)
        throw new AppError('conflict', 'The return changed while the supervisor approved: try again.');
      this.ctx.approvals.record(grant, caller, plan.need, at, id);
    }
    planned.lines.forEach((l, index) => {
      this.ctx.repo.insertLine({
        id: randomUUID(),
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
        approval_code: null,
        status: 'pending',
        original_payment_id: p.original?.id ?? null,
        created_by: caller.user.id,
        created_at: iso,
        gift_card_key: p.giftCardKey,
      });
    });
    // The figures the document completes with, fixed now: a later completion (after a terminal status check,
    // maybe after a restart) must not re-plan against a catalog or a sale that moved on.
    this.q.snapshot.run({ id, totals: JSON.stringify(refundDocumentTotals(planned)), at: iso });
  }

  /**
   * Completes a written document inside the caller's transaction: its remaining (cash, wallet) payments are
   * given, stock comes back, the receipt number is taken, and the outbox and audit rows are written.
   */
  private finish(id: string, userId: string | null, at: Date, requestId: string | null): SaleView {
    const iso = at.toISOString();
    const doc = this.ctx.repo.document(this.ctx.requireSale(id));
    const { sale } = doc;
    if (sale.status !== 'tendering' || sale.kind === 'sale') throw new Error(`cannot finish ${id}`);
    const movement = sale.kind === 'refund' ? 'refund' : 'post_void';
    for (const line of doc.lines) {
      if (line.stock_qty_milli === 0) continue;
      this.ctx.repo.insertMovement({
        id: randomUUID(),
        product_id: line.product_id,
        delta: -line.stock_qty_milli,
        reason: movement,
        sale_id: id,
        line_id: line.id,
        at: iso,
      });
    }
    for (const p of doc.payments) {
      if (p.status !== 'pending') continue;
      if (p.tender_type === 'card') throw new Error('a card refund cannot complete without its approval');
      this.ctx.repo.setPaymentStatus(p.id, 'approved', null, iso);
    }
    const series = sale.series;
    const seq = this.ctx.repo.nextReceiptSeq(this.ctx.stationId, series);
    const receiptNo = formatReceiptNo(series, seq);
    const totals: SaleTotalsView = SaleTotalsSchema.parse(JSON.parse(sale.totals));
    this.ctx.drawer?.attribute(id, at);
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
      totals: sale.totals,
      at: iso,
    });
    const document = this.ctx.viewOf(id);
    const original = sale.original_sale_id === null ? undefined : this.ctx.repo.sale(sale.original_sale_id);
    const event = sale.kind === 'refund' ? 'refund.completed' : 'sale.post_voided';
    const pushed = documentForSync(document, this.ctx.repo.document(this.ctx.requireSale(id)).payments);
    this.ctx.journal.enqueue(event, { stationId: this.ctx.stationId, document: pushed }, at);
    this.ctx.journal.audit({
      at,
      userId,
      action: event,
      details: {
        documentId: id,
        receiptNo,
        originalSaleId: original?.id ?? null,
        originalReceiptNo: original?.receipt_no ?? null,
        total: totals.total,
        payable: totals.payable,
        approvalId: this.q.approvalOf.get(id) ?? null,
        requestId,
      },
    });
    this.onCompleted?.(document, at, userId);
    return document;
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
