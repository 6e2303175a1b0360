import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/domain/errors';
import { divRoundHalfAwayFromZero, type LineTotals } from '../../../shared/domain/totals';
import type { ApprovalInput, ParkedSale, SaleView } from '../../../shared/ipc/channels/sale';
import type { Caller } from '../auth/auth-service';
import type { ProductForSale, ScanMatch } from '../catalog/types';
import type { ApprovalNeed, Grant } from './approvals';
import { MAX_LINES_PER_SALE, type SaleContext } from './context';
import type { DiscountType, LineRow, SaleDocument, SaleRow } from './rows';
import { activeLines, saleTotals } from './sale-view';

/** A line about to be added, resolved from the catalog (never from the renderer). */
interface LineSpec {
  product: ProductForSale;
  scanned: string | null;
  qtyMilli: number;
  qtySource: LineRow['qty_source'];
  stockQtyMilli: number;
  listPrice: number;
  batch: string | null;
  expiry: string | null;
}

export type DiscountInput =
  { type: 'percent'; bp: number } | { type: 'amount'; amount: number } | { type: 'none' };

/** A planned change: the sale it touches and, when it needs an overridable permission, what to approve. */
interface Planned {
  sale: SaleRow;
  need: ApprovalNeed | null;
}

function sellable(product: ProductForSale): ProductForSale {
  if (!product.active) {
    throw new AppError('conflict', 'This product is not for sale (inactive in the catalog).', {
      productId: product.id,
    });
  }
  return product;
}

/** A counted or typed quantity: whole pieces for piece goods; weighed goods need their weight. */
function countedLine(
  product: ProductForSale,
  qtyMilli: number | undefined,
  scan: ScanMatch | null,
): LineSpec {
  if (product.unit !== 'piece' && qtyMilli === undefined) {
    throw new AppError('bad_input', 'Weigh this item: enter its weight.', {
      reason: 'weight_required',
      productId: product.id,
    });
  }
  const qty = qtyMilli ?? 1000;
  if (product.unit === 'piece' && qty % 1000 !== 0) {
    throw new AppError('bad_input', 'This item is sold by the piece: enter a whole number.', {
      reason: 'whole_pieces',
    });
  }
  return {
    product,
    scanned: scan?.scanned ?? null,
    qtyMilli: qty,
    qtySource: 'count',
    stockQtyMilli: qty,
    listPrice: product.price,
    batch: scan?.batch ?? null,
    expiry: scan?.expiry ?? null,
  };
}

/** What a scan adds: the weight or price a barcode carries wins; a keypad multiplier applies to plain codes only. */
function lineFromScan(match: ScanMatch, multiplier: number | undefined): LineSpec {
  const product = sellable(match.product);
  const carried = match.embeddedPrice !== undefined || match.qtyMilli !== undefined;
  if (carried && multiplier !== undefined) {
    throw new AppError('bad_input', 'This label carries its own weight or price: scan each item.', {
      reason: 'label_quantity',
    });
  }
  const common = {
    product,
    scanned: match.scanned,
    batch: match.batch ?? null,
    expiry: match.expiry ?? null,
  };
  if (match.embeddedPrice !== undefined) {
    // A price label of a weighed item carries no weight; what leaves the shelf is derived from the price.
    const stock =
      match.qtyMilli ??
      (product.unit === 'piece'
        ? 1000
        : product.price > 0
          ? Number(divRoundHalfAwayFromZero(BigInt(match.embeddedPrice) * 1000n, BigInt(product.price)))
          : 0);
    return {
      ...common,
      qtyMilli: 1000,
      qtySource: 'barcode_price',
      stockQtyMilli: stock,
      listPrice: match.embeddedPrice,
    };
  }
  if (match.qtyMilli !== undefined) {
    if (match.qtyMilli < 1)
      throw new AppError('bad_input', 'The label shows no weight: weigh the item again.', {
        reason: 'zero_weight',
      });
    return {
      ...common,
      qtyMilli: match.qtyMilli,
      qtySource: 'barcode_weight',
      stockQtyMilli: match.qtyMilli,
      listPrice: product.price,
    };
  }
  return countedLine(product, multiplier, match);
}

function discountRow(discount: DiscountInput): { type: DiscountType; value: number } | null {
  switch (discount.type) {
    case 'percent':
      return { type: 'percent', value: discount.bp };
    case 'amount':
      return { type: 'amount', value: discount.amount };
    case 'none':
      return null;
  }
}

function withLine(doc: SaleDocument, lineId: string, patch: Partial<LineRow>): SaleDocument {
  return { ...doc, lines: doc.lines.map((l) => (l.id === lineId ? { ...l, ...patch } : l)) };
}

function lineTotals(doc: SaleDocument, lineId: string): LineTotals {
  const line = saleTotals(doc).lines.find((l) => l.id === lineId);
  if (!line) throw new Error(`line ${lineId} missing from its totals`);
  return line;
}

/**
 * The open sale of the station: adding, changing and voiding lines, discounts, price overrides, voiding the
 * whole sale, park and recall. Each change is one transaction, on disk before the call returns, so the cart
 * survives a crash, a renderer reload or a power cut. Gated changes go through supervisor approval.
 */
export class Cart {
  constructor(private readonly ctx: SaleContext) {}

  current(): SaleView | null {
    const sale = this.ctx.repo.current(this.ctx.stationId);
    return sale ? this.ctx.view(this.ctx.repo.document(sale)) : null;
  }

  scan(caller: Caller, code: string, qtyMilli?: number): SaleView {
    // resolveScan throws the typed errors itself: misread (scan_again) and not_found.
    return this.addLine(caller, lineFromScan(this.ctx.catalog.resolveScan(code), qtyMilli));
  }

  addProduct(caller: Caller, productId: string, qtyMilli: number): SaleView {
    const product = this.ctx.catalog.getProduct(productId);
    if (!product) throw new AppError('not_found', 'This product does not exist.', { productId });
    return this.addLine(caller, countedLine(sellable(product), qtyMilli, null));
  }

  /** Raising a quantity is selling more; lowering it takes goods off the sale, like a void. */
  setQuantity(caller: Caller, lineId: string, qtyMilli: number, approval?: ApprovalInput): Promise<SaleView> {
    const plan = () => {
      const { sale, doc, line } = this.openLine(lineId);
      if (line.qty_source !== 'count') {
        throw new AppError(
          'conflict',
          'The quantity of this line comes from its label: void it and scan again.',
        );
      }
      if (line.unit === 'piece' && qtyMilli % 1000 !== 0) {
        throw new AppError('bad_input', 'This item is sold by the piece: enter a whole number.', {
          reason: 'whole_pieces',
        });
      }
      const after = lineTotals(withLine(doc, lineId, { qty_milli: qtyMilli }), lineId);
      const need: ApprovalNeed | null =
        qtyMilli < line.qty_milli
          ? {
              permission: 'sale.void_line',
              action: 'line.reduce_quantity',
              saleId: sale.id,
              targetId: lineId,
              amount: lineTotals(doc, lineId).total - after.total,
              value: { from: line.qty_milli, to: qtyMilli },
            }
          : null;
      return { sale, line, need };
    };
    return this.guarded(caller, approval, plan, (p, approvalId, at) => {
      this.ctx.repo.setLineQty(lineId, qtyMilli, at.toISOString());
      if (p.need) {
        this.ctx.journal.audit({
          at,
          userId: caller.user.id,
          action: 'sale.line_quantity_reduced',
          details: {
            saleId: p.sale.id,
            lineId,
            productId: p.line.product_id,
            from: p.line.qty_milli,
            to: qtyMilli,
            amount: p.need.amount,
            approvalId,
          },
        });
      }
    });
  }

  voidLine(caller: Caller, lineId: string, approval?: ApprovalInput): Promise<SaleView> {
    const plan = () => {
      const { sale, doc, line } = this.openLine(lineId);
      const need: ApprovalNeed = {
        permission: 'sale.void_line',
        action: 'line.void',
        saleId: sale.id,
        targetId: lineId,
        amount: lineTotals(doc, lineId).total,
        value: { productId: line.product_id, qtyMilli: line.qty_milli },
      };
      return { sale, line, need };
    };
    return this.guarded(caller, approval, plan, (p, approvalId, at) => {
      this.ctx.repo.voidLine(lineId, caller.user.id, approvalId, at.toISOString());
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: 'sale.line_voided',
        details: {
          saleId: p.sale.id,
          lineId,
          productId: p.line.product_id,
          qtyMilli: p.line.qty_milli,
          amount: p.need.amount,
          approvalId,
        },
      });
    });
  }

  /** `{ type: 'none' }` removes the line's discount, which needs no permission. */
  discountLine(
    caller: Caller,
    lineId: string,
    discount: DiscountInput,
    approval?: ApprovalInput,
  ): Promise<SaleView> {
    const row = discountRow(discount);
    const plan = () => {
      const { sale, doc, line } = this.openLine(lineId);
      // The engine checks the discount against the line (≤ 100 %, not above its value) and gives its amount.
      const after = lineTotals(
        withLine(doc, lineId, { discount_type: row?.type ?? null, discount_value: row?.value ?? null }),
        lineId,
      );
      const need: ApprovalNeed | null = row
        ? {
            permission: 'sale.discount',
            action: 'line.discount',
            saleId: sale.id,
            targetId: lineId,
            amount: after.lineDiscount,
            value: row,
          }
        : null;
      return { sale, line, need };
    };
    return this.guarded(caller, approval, plan, (p, approvalId, at) => {
      this.ctx.repo.setLineDiscount(lineId, row, row ? caller.user.id : null, approvalId, at.toISOString());
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: row ? 'sale.line_discount_set' : 'sale.line_discount_removed',
        details: { saleId: p.sale.id, lineId, discount: row, amount: p.need?.amount ?? 0, approvalId },
      });
    });
  }

  discountOrder(caller: Caller, discount: DiscountInput, approval?: ApprovalInput): Promise<SaleView> {
    const row = discountRow(discount);
    const plan = () => {
      const sale = this.openSale();
      const doc = this.ctx.repo.document(sale);
      if (row && activeLines(doc.lines).length === 0) throw new AppError('conflict', 'The cart is empty.');
      const after = saleTotals({
        ...doc,
        sale: { ...sale, order_discount_type: row?.type ?? null, order_discount_value: row?.value ?? null },
      });
      const need: ApprovalNeed | null = row
        ? {
            permission: 'sale.discount',
            action: 'order.discount',
            saleId: sale.id,
            targetId: null,
            amount: after.orderDiscount,
            value: row,
          }
        : null;
      return { sale, need };
    };
    return this.guarded(caller, approval, plan, (p, approvalId, at) => {
      this.ctx.repo.setOrderDiscount(p.sale.id, row, approvalId, at.toISOString());
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: row ? 'sale.order_discount_set' : 'sale.order_discount_removed',
        details: { saleId: p.sale.id, discount: row, amount: p.need?.amount ?? 0, approvalId },
      });
    });
  }

  /** A unit price equal to the list price removes the override (no permission needed). */
  overridePrice(
    caller: Caller,
    lineId: string,
    unitPrice: number,
    approval?: ApprovalInput,
  ): Promise<SaleView> {
    const plan = () => {
      const { sale, doc, line } = this.openLine(lineId);
      // Validates the line with the new price (an amount discount above the new value is refused).
      lineTotals(withLine(doc, lineId, { unit_price: unitPrice }), lineId);
      const need: ApprovalNeed | null =
        unitPrice === line.list_price
          ? null
          : {
              permission: 'sale.price_override',
              action: 'line.price_override',
              saleId: sale.id,
              targetId: lineId,
              amount: unitPrice,
              value: { listPrice: line.list_price, unitPrice },
            };
      return { sale, line, need };
    };
    return this.guarded(caller, approval, plan, (p, approvalId, at) => {
      this.ctx.repo.setLinePrice(
        lineId,
        unitPrice,
        p.need ? caller.user.id : null,
        approvalId,
        at.toISOString(),
      );
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: p.need ? 'sale.price_overridden' : 'sale.price_override_removed',
        details: {
          saleId: p.sale.id,
          lineId,
          listPrice: p.line.list_price,
          from: p.line.unit_price,
          to: unitPrice,
          approvalId,
        },
      });
    });
  }

  /** Voids the whole open sale; it stays on record with its lines. Tenders must be removed first. */
  async voidSale(caller: Caller, reason: string | undefined, approval?: ApprovalInput): Promise<SaleView> {
    const plan = () => {
      const sale = this.ctx.repo.current(this.ctx.stationId);
      if (!sale) throw new AppError('not_found', 'There is no open sale to void.');
      const doc = this.ctx.repo.document(sale);
      if (doc.payments.some((p) => p.status === 'approved' || p.status === 'pending')) {
        throw new AppError('conflict', 'Remove the tenders before voiding the sale.');
      }
      const lines = activeLines(doc.lines);
      const need: ApprovalNeed | null =
        lines.length === 0
          ? null
          : {
              permission: 'sale.void_line',
              action: 'sale.void',
              saleId: sale.id,
              targetId: null,
              amount: saleTotals(doc).total,
              value: { lines: lines.length },
            };
      return { sale, need };
    };
    const first = plan();
    const grant = first.need ? await this.ctx.approvals.authorize(caller, first.need, approval) : null;
    const view = this.ctx.tx(() => {
      const at = this.ctx.now();
      const p = plan();
      if (grant) this.recordGrant(grant, caller, p.need, at);
      this.ctx.repo.voidSale(p.sale.id, reason ?? null, caller.user.id, grant?.id ?? null, at.toISOString());
      const voided = this.ctx.viewOf(p.sale.id);
      this.ctx.journal.enqueue('sale.voided', { stationId: this.ctx.stationId, document: voided }, at);
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: 'sale.voided',
        details: {
          saleId: p.sale.id,
          total: voided.totals.total,
          lines: voided.lines.length,
          reason: reason ?? null,
          approvalId: grant?.id ?? null,
        },
      });
      return voided;
    });
    this.ctx.emit(null);
    return view;
  }

  /** Holds the open sale so another customer can be served; tenders must be removed first. */
  park(caller: Caller, note: string | undefined): ParkedSale {
    const parked = this.ctx.tx(() => {
      const at = this.ctx.now();
      const sale = this.ctx.repo.current(this.ctx.stationId);
      if (!sale) throw new AppError('not_found', 'There is no open sale to park.');
      const doc = this.ctx.repo.document(sale);
      if (activeLines(doc.lines).length === 0)
        throw new AppError('conflict', 'The cart is empty: nothing to park.');
      if (doc.payments.some((p) => p.status === 'approved' || p.status === 'pending')) {
        throw new AppError('conflict', 'Remove the tenders before parking the sale.');
      }
      this.ctx.repo.park(sale.id, note?.length ? note : null, at.toISOString());
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: 'sale.parked',
        details: { saleId: sale.id, note: note ?? null },
      });
      const summary = this.parked().find((p) => p.id === sale.id);
      if (!summary) throw new Error('parked sale missing from the parked list');
      return summary;
    });
    this.ctx.emit(null);
    return parked;
  }

  /** Makes a parked sale the open one. An empty open cart is voided to make room; a non-empty one refuses. */
  recall(caller: Caller, saleId: string): SaleView {
    return this.ctx.change((at) => {
      const target = this.ctx.repo.sale(saleId);
      if (!target || target.status !== 'parked')
        throw new AppError('not_found', 'This sale is not parked.', { saleId });
      const current = this.ctx.repo.current(this.ctx.stationId);
      let replaced: string | null = null;
      if (current) {
        const doc = this.ctx.repo.document(current);
        if (
          activeLines(doc.lines).length > 0 ||
          doc.payments.some((p) => p.status === 'approved' || p.status === 'pending')
        ) {
          throw new AppError('conflict', 'Finish or park the current sale first.');
        }
        const reason = 'empty cart replaced by a recalled sale';
        this.ctx.repo.voidSale(current.id, reason, caller.user.id, null, at.toISOString());
        // A void like any other: the document (with any voided lines) goes to the store server too.
        const voided = this.ctx.viewOf(current.id);
        this.ctx.journal.enqueue('sale.voided', { stationId: this.ctx.stationId, document: voided }, at);
        this.ctx.journal.audit({
          at,
          userId: caller.user.id,
          action: 'sale.voided',
          details: {
            saleId: current.id,
            total: voided.totals.total,
            lines: voided.lines.length,
            reason,
            approvalId: null,
          },
        });
        replaced = current.id;
      }
      this.ctx.repo.setStatus(saleId, 'open', at.toISOString());
      this.ctx.journal.audit({
        at,
        userId: caller.user.id,
        action: 'sale.recalled',
        details: { saleId, voidedEmptySaleId: replaced },
      });
      return saleId;
    });
  }

  parked(): ParkedSale[] {
    return this.ctx.repo.parked().map((row) => {
      const doc = this.ctx.repo.document(this.ctx.requireSale(row.id));
      return {
        id: row.id,
        note: row.note,
        cashierName: row.cashier_name,
        parkedAt: row.parked_at,
        lineCount: activeLines(doc.lines).length,
        total: saleTotals(doc).total,
      };
    });
  }

  // --- internals ----------------------------------------------------------------------------------------------

  private addLine(caller: Caller, spec: LineSpec): SaleView {
    return this.ctx.change((at) => {
      const sale = this.openSale(caller, at);
      const position = this.ctx.repo.nextLinePosition(sale.id);
      if (position > MAX_LINES_PER_SALE) {
        throw new AppError(
          'conflict',
          `A sale can have at most ${MAX_LINES_PER_SALE} lines: complete this one first.`,
        );
      }
      const p = spec.product;
      this.ctx.repo.insertLine({
        id: randomUUID(),
        sale_id: sale.id,
        position,
        product_id: p.id,
        plu: p.plu,
        scanned_code: spec.scanned,
        name_zh: p.nameZh,
        name_en: p.nameEn,
        unit: p.unit,
        tax_rate_id: p.taxRateId,
        tax_rate_ppm: p.taxRatePpm,
        qty_milli: spec.qtyMilli,
        qty_source: spec.qtySource,
        stock_qty_milli: spec.stockQtyMilli,
        list_price: spec.listPrice,
        unit_price: spec.listPrice,
        batch: spec.batch,
        expiry: spec.expiry,
        original_line_id: null,
        gross: 0,
        discount: 0,
        tax: 0,
        total: 0,
        added_by: caller.user.id,
        created_at: at.toISOString(),
      });
      return sale.id;
    });
  }

  /** The open sale; with a caller, one is started when there is none. A sale being paid cannot change. */
  private openSale(starter?: Caller, at?: Date): SaleRow {
    let sale = this.ctx.repo.current(this.ctx.stationId);
    if (!sale && starter && at) sale = this.start(starter, at);
    if (!sale) throw new AppError('not_found', 'There is no open sale.');
    if (sale.status !== 'open') {
      throw new AppError('conflict', 'The sale is being paid: cancel the tender to change it.', {
        status: sale.status,
      });
    }
    return sale;
  }

  private start(caller: Caller, at: Date): SaleRow {
    const { currency, taxMode } = this.ctx.storeBasics();
    const settings = this.ctx.settings.all();
    const id = randomUUID();
    this.ctx.repo.insertSale({
      id,
      kind: 'sale',
      status: 'open',
      station_id: this.ctx.stationId,
      series: 'S',
      original_sale_id: null,
      cashier_id: caller.user.id,
      currency,
      tax_mode: taxMode,
      tax_rounding: settings.taxRounding,
      cash_increment: settings.cashIncrement,
      reason: null,
      created_at: at.toISOString(),
    });
    return this.ctx.requireSale(id);
  }

  private openLine(lineId: string): { sale: SaleRow; doc: SaleDocument; line: LineRow } {
    const sale = this.openSale();
    const line = this.ctx.repo.line(lineId);
    if (!line || line.sale_id !== sale.id)
      throw new AppError('not_found', 'This line is not on the open sale.', { lineId });
    if (line.voided === 1) throw new AppError('conflict', 'This line is already voided.', { lineId });
    return { sale, doc: this.ctx.repo.document(sale), line };
  }

  /**
   * Plans the change, asks for approval when the caller lacks the permission (the only await), then re-plans
   * and applies inside one transaction: the state may have moved while the supervisor typed their PIN, and the
   * approval must still match exactly what is applied.
   */
  private async guarded<P extends Planned>(
    caller: Caller,
    approval: ApprovalInput | undefined,
    plan: () => P,
    apply: (p: P, approvalId: string | null, at: Date) => void,
  ): Promise<SaleView> {
    const first = plan();
    const grant = first.need ? await this.ctx.approvals.authorize(caller, first.need, approval) : null;
    return this.ctx.change((at) => {
      const p = plan();
      if (grant) this.recordGrant(grant, caller, p.need, at);
      apply(p, grant?.id ?? null, at);
      return p.sale.id;
    });
  }

  private recordGrant(grant: Grant, caller: Caller, need: ApprovalNeed | null, at: Date): void {
    if (!need) throw new AppError('conflict', 'The sale changed while the supervisor approved: try again.');
    this.ctx.approvals.record(grant, caller, need, at);
  }
}
