import { AppError } from '../../../shared/domain/errors';
import { MAX_AMOUNT } from '../../../shared/domain/totals';
import type { DocumentKind, SaleSummary, SaleView } from '../../../shared/ipc/channels/sale';
import type { Db } from '../../db/open';
import type { SaleContext } from './context';

export interface HistoryQuery {
  receiptNo?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  minAmount?: number | undefined;
  maxAmount?: number | undefined;
  kind?: DocumentKind | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

interface SummaryRow {
  id: string;
  kind: DocumentKind;
  receipt_no: string;
  completed_at: string;
  cashier_name: string;
  line_count: number;
  total: number;
  payable: number;
  original_sale_id: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUMMARY = `SELECT s.id, s.kind, s.receipt_no, s.completed_at, u.name AS cashier_name, s.total,
    s.total + s.rounding AS payable, s.original_sale_id,
    (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id AND l.voided = 0) AS line_count
  FROM sales s JOIN users u ON u.id = s.cashier_id`;

/**
 * Completed documents: search for the history screen (receipt number, time range, amount) and one document
 * with its lines, payments and related returns, for reprint and for starting a return.
 */
export class SaleHistory {
  private readonly byReceipt;
  private readonly byRange;

  constructor(
    db: Db,
    private readonly ctx: SaleContext,
  ) {
    this.byReceipt = db.prepare<{ station: string; receipt: string }, SummaryRow>(
      `${SUMMARY} WHERE s.station_id = @station AND s.receipt_no = @receipt AND s.status = 'completed'`,
    );
    // Bounds instead of optional filters, so the completed_at index always serves the range and the order.
    this.byRange = db.prepare<
      {
        from: string;
        to: string;
        min: number;
        max: number;
        kind: string | null;
        limit: number;
        offset: number;
      },
      SummaryRow
    >(
      `${SUMMARY}
       WHERE s.status = 'completed' AND s.completed_at >= @from AND s.completed_at < @to
         AND abs(s.total + s.rounding) BETWEEN @min AND @max AND (@kind IS NULL OR s.kind = @kind)
       ORDER BY s.completed_at DESC, s.receipt_no DESC LIMIT @limit OFFSET @offset`,
    );
  }

  search(query: HistoryQuery): { items: SaleSummary[]; hasMore: boolean } {
    const limit = query.limit ?? 50;
    const rows = query.receiptNo
      ? this.byReceipt.all({ station: this.ctx.stationId, receipt: query.receiptNo.toUpperCase() })
      : this.byRange.all({
          from: query.from ? new Date(query.from).toISOString() : '',
          to: query.to ? new Date(query.to).toISOString() : '9999',
          min: query.minAmount ?? 0,
          max: query.maxAmount ?? MAX_AMOUNT,
          kind: query.kind ?? null,
          limit: limit + 1,
          offset: query.offset ?? 0,
        });
    return {
      items: rows.slice(0, limit).map((r) => ({
        id: r.id,
        kind: r.kind,
        receiptNo: r.receipt_no,
        completedAt: r.completed_at,
        cashierName: r.cashier_name,
        lineCount: r.line_count,
        total: r.total,
        payable: r.payable,
        originalSaleId: r.original_sale_id,
      })),
      hasMore: rows.length > limit,
    };
  }

  /** A document by id or receipt number (`S-000123`, case-insensitive). */
  get(ref: string): SaleView {
    const sale = UUID.test(ref)
      ? this.ctx.repo.sale(ref.toLowerCase())
      : this.ctx.repo.byReceipt(this.ctx.stationId, ref.toUpperCase());
    if (!sale) throw new AppError('not_found', 'No sale with this receipt number.', { ref });
    return this.ctx.view(this.ctx.repo.document(sale));
  }
}
