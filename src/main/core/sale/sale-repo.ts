import type { Db } from '../../db/open';
import type { DiscountType, LineRow, PaymentRow, SaleDocument, SaleRow, Series } from './rows';
import type { PaymentStatus, SaleStatus } from '../../../shared/ipc/channels/sale';

export type NewSale = Pick<
  SaleRow,
  | 'id'
  | 'kind'
  | 'status'
  | 'station_id'
  | 'series'
  | 'original_sale_id'
  | 'cashier_id'
  | 'currency'
  | 'tax_mode'
  | 'tax_rounding'
  | 'cash_increment'
  | 'reason'
  | 'created_at'
>;

export type NewLine = Pick<
  LineRow,
  | 'id'
  | 'sale_id'
  | 'position'
  | 'product_id'
  | 'plu'
  | 'scanned_code'
  | 'name_zh'
  | 'name_en'
  | 'unit'
  | 'tax_rate_id'
  | 'tax_rate_ppm'
  | 'qty_milli'
  | 'qty_source'
  | 'stock_qty_milli'
  | 'list_price'
  | 'unit_price'
  | 'batch'
  | 'expiry'
  | 'original_line_id'
  | 'gross'
  | 'discount'
  | 'tax'
  | 'total'
  | 'added_by'
  | 'created_at'
>;

export type NewPayment = Pick<
  PaymentRow,
  | 'id'
  | 'sale_id'
  | 'position'
  | 'tender_code'
  | 'tender_type'
  | 'amount'
  | 'reference'
  | 'approval_code'
  | 'status'
  | 'original_payment_id'
  | 'created_by'
  | 'created_at'
> &
  Partial<Pick<PaymentRow, 'gift_card_key' | 'gift_card_offline'>>;

export interface CompletedFigures {
  id: string;
  receipt_seq: number;
  receipt_no: string;
  subtotal: number;
  discount_total: number;
  tax_total: number;
  total: number;
  rounding: number;
  paid: number;
  change_given: number;
  totals: string;
  at: string;
}

export interface ParkedRow {
  id: string;
  note: string | null;
  parked_at: string;
  cashier_name: string;
}

export interface RelatedRow {
  id: string;
  kind: SaleRow['kind'];
  receipt_no: string | null;
  payable: number;
  completed_at: string | null;
}

/**
 * Parameterised SQL over the sale tables. Writes must run inside the caller's transaction (the service opens
 * one per business action, with its audit and outbox rows).
 */
export class SaleRepo {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      sale: db.prepare<[string], SaleRow>('SELECT * FROM sales WHERE id = ?'),
      current: db.prepare<[string], SaleRow>(
        "SELECT * FROM sales WHERE station_id = ? AND kind = 'sale' AND status IN ('open', 'tendering')",
      ),
      byReceipt: db.prepare<[string, string], SaleRow>(
        'SELECT * FROM sales WHERE station_id = ? AND receipt_no = ?',
      ),
      lastSale: db.prepare<[string], SaleRow>(
        "SELECT * FROM sales WHERE station_id = ? AND series = 'S' AND receipt_seq IS NOT NULL ORDER BY receipt_seq DESC LIMIT 1",
      ),
      insertSale: db.prepare<NewSale>(
        `INSERT INTO sales (id, kind, status, station_id, series, original_sale_id, cashier_id, currency, tax_mode,
           tax_rounding, cash_increment, reason, created_at, updated_at)
         VALUES (@id, @kind, @status, @station_id, @series, @original_sale_id, @cashier_id, @currency, @tax_mode,
           @tax_rounding, @cash_increment, @reason, @created_at, @created_at)`,
      ),
      touch: db.prepare<{ id: string; at: string }>(
        'UPDATE sales SET revision = revision + 1, updated_at = @at WHERE id = @id',
      ),
      setStatus: db.prepare<{ id: string; status: SaleStatus; at: string }>(
        'UPDATE sales SET status = @status, revision = revision + 1, updated_at = @at WHERE id = @id',
      ),
      park: db.prepare<{ id: string; note: string | null; at: string }>(
        "UPDATE sales SET status = 'parked', note = @note, parked_at = @at, revision = revision + 1, updated_at = @at WHERE id = @id",
      ),
      voidSale: db.prepare<{
        id: string;
        reason: string | null;
        by: string;
        approval: string | null;
        at: string;
      }>(
        `UPDATE sales SET status = 'voided', reason = @reason, voided_at = @at, voided_by = @by,
           void_approval_id = @approval, revision = revision + 1, updated_at = @at WHERE id = @id`,
      ),
      orderDiscount: db.prepare<{
        id: string;
        type: DiscountType | null;
        value: number | null;
        approval: string | null;
        at: string;
      }>(
        `UPDATE sales SET order_discount_type = @type, order_discount_value = @value,
           order_discount_approval_id = @approval, revision = revision + 1, updated_at = @at WHERE id = @id`,
      ),
      complete: db.prepare<CompletedFigures>(
        `UPDATE sales SET status = 'completed', receipt_seq = @receipt_seq, receipt_no = @receipt_no,
           subtotal = @subtotal, discount_total = @discount_total, tax_total = @tax_total, total = @total,
           rounding = @rounding, paid = @paid, change_given = @change_given, totals = @totals,
           completed_at = @at, revision = revision + 1, updated_at = @at WHERE id = @id`,
      ),
      parked: db.prepare<[], ParkedRow>(
        `SELECT s.id, s.note, s.parked_at, u.name AS cashier_name FROM sales s JOIN users u ON u.id = s.cashier_id
         WHERE s.status = 'parked' ORDER BY s.parked_at, s.id`,
      ),
      related: db.prepare<[string], RelatedRow>(
        `SELECT id, kind, receipt_no, total + rounding AS payable, completed_at FROM sales
         WHERE original_sale_id = ? AND status = 'completed' ORDER BY completed_at, receipt_no`,
      ),
      refundedOwed: db
        .prepare<[string], number>(
          "SELECT COALESCE(-SUM(total), 0) FROM sales WHERE original_sale_id = ? AND status = 'completed'",
        )
        .pluck(),

      lines: db.prepare<[string], LineRow>('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY position'),
      line: db.prepare<[string], LineRow>('SELECT * FROM sale_lines WHERE id = ?'),
      nextLinePosition: db
        .prepare<[string], number>('SELECT COALESCE(MAX(position), 0) + 1 FROM sale_lines WHERE sale_id = ?')
        .pluck(),
      activeLineCount: db
        .prepare<[string], number>('SELECT count(*) FROM sale_lines WHERE sale_id = ? AND voided = 0')
        .pluck(),
      insertLine: db.prepare<NewLine>(
        `INSERT INTO sale_lines (id, sale_id, position, product_id, plu, scanned_code, name_zh, name_en, unit,
           tax_rate_id, tax_rate_ppm, qty_milli, qty_source, stock_qty_milli, list_price, unit_price, batch, expiry,
           original_line_id, gross, discount, tax, total, added_by, created_at, updated_at)
         VALUES (@id, @sale_id, @position, @product_id, @plu, @scanned_code, @name_zh, @name_en, @unit,
           @tax_rate_id, @tax_rate_ppm, @qty_milli, @qty_source, @stock_qty_milli, @list_price, @unit_price, @batch,
           @expiry, @original_line_id, @gross, @discount, @tax, @total, @added_by, @created_at, @created_at)`,
      ),
      lineQty: db.prepare<{ id: string; qty: number; at: string }>(
        'UPDATE sale_lines SET qty_milli = @qty, stock_qty_milli = @qty, updated_at = @at WHERE id = @id',
      ),
      lineDiscount: db.prepare<{
        id: string;
        type: DiscountType | null;
        value: number | null;
        by: string | null;
        approval: string | null;
        at: string;
      }>(
        `UPDATE sale_lines SET discount_type = @type, discount_value = @value, discount_by = @by,
           discount_approval_id = @approval, updated_at = @at WHERE id = @id`,
      ),
      linePrice: db.prepare<{
        id: string;
        price: number;
        by: string | null;
        approval: string | null;
        at: string;
      }>(
        `UPDATE sale_lines SET unit_price = @price, price_override_by = @by, price_override_approval_id = @approval,
           updated_at = @at WHERE id = @id`,
      ),
      voidLine: db.prepare<{ id: string; by: string; approval: string | null; at: string }>(
        `UPDATE sale_lines SET voided = 1, voided_at = @at, voided_by = @by, void_approval_id = @approval,
           updated_at = @at WHERE id = @id`,
      ),
      lineAmounts: db.prepare<{
        id: string;
        gross: number;
        discount: number;
        tax: number;
        total: number;
        at: string;
      }>(
        `UPDATE sale_lines SET gross = @gross, discount = @discount, tax = @tax, total = @total, updated_at = @at
         WHERE id = @id`,
      ),
      refundedQty: db.prepare<[string], { line_id: string; qty: number }>(
        `SELECT l.original_line_id AS line_id, -SUM(l.qty_milli) AS qty FROM sale_lines l
         JOIN sales s ON s.id = l.sale_id
         WHERE s.original_sale_id = ? AND s.status = 'completed' AND l.original_line_id IS NOT NULL
         GROUP BY l.original_line_id`,
      ),

      payments: db.prepare<[string], PaymentRow>(
        'SELECT * FROM payments WHERE sale_id = ? ORDER BY position',
      ),
      payment: db.prepare<[string], PaymentRow>('SELECT * FROM payments WHERE id = ?'),
      nextPaymentPosition: db
        .prepare<[string], number>('SELECT COALESCE(MAX(position), 0) + 1 FROM payments WHERE sale_id = ?')
        .pluck(),
      insertPayment: db.prepare<Required<NewPayment>>(
        `INSERT INTO payments (id, sale_id, position, tender_code, tender_type, amount, reference, approval_code,
           status, original_payment_id, created_by, created_at, updated_at, gift_card_key, gift_card_offline)
         VALUES (@id, @sale_id, @position, @tender_code, @tender_type, @amount, @reference, @approval_code,
           @status, @original_payment_id, @created_by, @created_at, @created_at, @gift_card_key,
           @gift_card_offline)`,
      ),
      paymentStatus: db.prepare<{ id: string; status: PaymentStatus; code: string | null; at: string }>(
        'UPDATE payments SET status = @status, approval_code = COALESCE(@code, approval_code), updated_at = @at WHERE id = @id',
      ),
      giftCardOutcome: db.prepare<{ id: string; status: PaymentStatus; offline: 0 | 1; at: string }>(
        'UPDATE payments SET status = @status, gift_card_offline = @offline, updated_at = @at WHERE id = @id',
      ),
      paymentChange: db.prepare<{ id: string; change: number; at: string }>(
        'UPDATE payments SET change_given = @change, updated_at = @at WHERE id = @id',
      ),

      insertMovement: db.prepare<{
        id: string;
        product_id: string;
        delta: number;
        reason: 'sale' | 'refund' | 'post_void';
        sale_id: string;
        line_id: string;
        at: string;
      }>(
        `INSERT INTO stock_movements (id, product_id, delta_milli, reason, sale_id, line_id, at)
         VALUES (@id, @product_id, @delta, @reason, @sale_id, @line_id, @at)`,
      ),
      nextReceipt: db
        .prepare<[string, Series], number>(
          `INSERT INTO receipt_counters (station_id, series, last_seq) VALUES (?, ?, 1)
         ON CONFLICT (station_id, series) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq`,
        )
        .pluck(),
    };
  }

  // --- documents -------------------------------------------------------------------------------------------

  sale(id: string): SaleRow | undefined {
    return this.q.sale.get(id);
  }
  current(stationId: string): SaleRow | undefined {
    return this.q.current.get(stationId);
  }
  byReceipt(stationId: string, receiptNo: string): SaleRow | undefined {
    return this.q.byReceipt.get(stationId, receiptNo);
  }
  lastSale(stationId: string): SaleRow | undefined {
    return this.q.lastSale.get(stationId);
  }
  document(sale: SaleRow): SaleDocument {
    return { sale, lines: this.q.lines.all(sale.id), payments: this.q.payments.all(sale.id) };
  }
  insertSale(row: NewSale): void {
    this.q.insertSale.run(row);
  }
  touch(id: string, at: string): void {
    this.q.touch.run({ id, at });
  }
  setStatus(id: string, status: SaleStatus, at: string): void {
    this.q.setStatus.run({ id, status, at });
  }
  park(id: string, note: string | null, at: string): void {
    this.q.park.run({ id, note, at });
  }
  voidSale(id: string, reason: string | null, by: string, approval: string | null, at: string): void {
    this.q.voidSale.run({ id, reason, by, approval, at });
  }
  setOrderDiscount(
    id: string,
    discount: { type: DiscountType; value: number } | null,
    approval: string | null,
    at: string,
  ): void {
    this.q.orderDiscount.run({
      id,
      type: discount?.type ?? null,
      value: discount?.value ?? null,
      approval,
      at,
    });
  }
  complete(figures: CompletedFigures): void {
    this.q.complete.run(figures);
  }
  parked(): ParkedRow[] {
    return this.q.parked.all();
  }
  related(originalSaleId: string): RelatedRow[] {
    return this.q.related.all(originalSaleId);
  }
  /** What earlier refunds of a sale owed the customer in total (before their own cash rounding), ≥ 0. */
  refundedOwed(originalSaleId: string): number {
    return this.q.refundedOwed.get(originalSaleId) ?? 0;
  }
  nextReceiptSeq(stationId: string, series: Series): number {
    const seq = this.q.nextReceipt.get(stationId, series);
    if (seq === undefined) throw new Error('receipt counter did not return a sequence');
    return seq;
  }

  // --- lines -----------------------------------------------------------------------------------------------

  line(id: string): LineRow | undefined {
    return this.q.line.get(id);
  }
  nextLinePosition(saleId: string): number {
    return this.q.nextLinePosition.get(saleId) ?? 1;
  }
  activeLineCount(saleId: string): number {
    return this.q.activeLineCount.get(saleId) ?? 0;
  }
  insertLine(row: NewLine): void {
    this.q.insertLine.run(row);
  }
  setLineQty(id: string, qty: number, at: string): void {
    this.q.lineQty.run({ id, qty, at });
  }
  setLineDiscount(
    id: string,
    discount: { type: DiscountType; value: number } | null,
    by: string | null,
    approval: string | null,
    at: string,
  ): void {
    this.q.lineDiscount.run({
      id,
      type: discount?.type ?? null,
      value: discount?.value ?? null,
      by,
      approval,
      at,
    });
  }
  setLinePrice(id: string, price: number, by: string | null, approval: string | null, at: string): void {
    this.q.linePrice.run({ id, price, by, approval, at });
  }
  voidLine(id: string, by: string, approval: string | null, at: string): void {
    this.q.voidLine.run({ id, by, approval, at });
  }
  setLineAmounts(
    id: string,
    a: { gross: number; discount: number; tax: number; total: number },
    at: string,
  ): void {
    this.q.lineAmounts.run({ id, gross: a.gross, discount: a.discount, tax: a.tax, total: a.total, at });
  }
  /** Quantity of each line of a sale already taken back by completed refunds and post-voids (≥ 0). */
  refundedQty(originalSaleId: string): Map<string, number> {
    return new Map(this.q.refundedQty.all(originalSaleId).map((r) => [r.line_id, r.qty]));
  }

  // --- payments --------------------------------------------------------------------------------------------

  payment(id: string): PaymentRow | undefined {
    return this.q.payment.get(id);
  }
  nextPaymentPosition(saleId: string): number {
    return this.q.nextPaymentPosition.get(saleId) ?? 1;
  }
  insertPayment(row: NewPayment): void {
    this.q.insertPayment.run({
      ...row,
      gift_card_key: row.gift_card_key ?? null,
      gift_card_offline: row.gift_card_offline ?? 0,
    });
  }
  /** The outcome of a gift-card hold: the status, and whether it was accepted without the server. */
  setGiftCardOutcome(id: string, status: PaymentStatus, offline: 0 | 1, at: string): void {
    this.q.giftCardOutcome.run({ id, status, offline, at });
  }
  setPaymentStatus(id: string, status: PaymentStatus, approvalCode: string | null, at: string): void {
    this.q.paymentStatus.run({ id, status, code: approvalCode, at });
  }
  setPaymentChange(id: string, change: number, at: string): void {
    this.q.paymentChange.run({ id, change, at });
  }

  // --- stock -----------------------------------------------------------------------------------------------

  insertMovement(row: {
    id: string;
    product_id: string;
    delta: number;
    reason: 'sale' | 'refund' | 'post_void';
    sale_id: string;
    line_id: string;
    at: string;
  }): void {
    this.q.insertMovement.run(row);
  }
}
