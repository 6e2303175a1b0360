import type { TenderType } from '../../../shared/domain/totals';
import type { Db } from '../../db/open';
import type { BusinessDayRow } from '../shift/shift-repo';
import type { ReportDocument, ReportEvent, ReportMovement, ReportPayment, ReportShift } from './build-report';

interface DocumentRow {
  id: string;
  kind: ReportDocument['kind'];
  cashier_id: string;
  subtotal: number;
  discount_total: number;
  tax_total: number;
  total: number;
  rounding: number;
  totals: string;
}

interface EventRow {
  user_id: string | null;
  action: ReportEvent['action'];
  amount: number | null;
  lines: number | null;
}

const EVENT_ACTIONS = [
  'sale.line_voided',
  'sale.line_quantity_reduced',
  'sale.voided',
  'drawer.no_sale',
] as const;

/** Reads the rows of one business day for the report builder (parameterised SQL over 0004 and 0006). */
export class ReportRows {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      documents: db.prepare<[string], DocumentRow>(
        `SELECT id, kind, cashier_id, subtotal, discount_total, tax_total, total, rounding, totals FROM sales
         WHERE business_day_id = ? AND status = 'completed' ORDER BY completed_at, id`,
      ),
      payments: db.prepare<
        [string],
        { sale_id: string; tender_code: string; tender_type: TenderType; amount: number }
      >(
        `SELECT p.sale_id, p.tender_code, p.tender_type, p.amount - p.change_given AS amount
         FROM payments p JOIN sales s ON s.id = p.sale_id
         WHERE s.business_day_id = ? AND s.status = 'completed' AND p.status = 'approved'
         ORDER BY s.completed_at, p.position`,
      ),
      events: db.prepare<[number, number, ...string[]], EventRow>(
        `SELECT user_id, action,
           COALESCE(json_extract(details, '$.amount'), json_extract(details, '$.total'), 0) AS amount,
           json_extract(details, '$.lines') AS lines
         FROM audit_log WHERE seq > ? AND seq <= ? AND action IN (?, ?, ?, ?) ORDER BY seq`,
      ),
      shifts: db.prepare<
        [string],
        {
          id: string;
          user_id: string;
          opened_at: string;
          closed_at: string | null;
          opening_float: number;
          expected_cash: number | null;
          counted_cash: number | null;
        }
      >(
        `SELECT id, user_id, opened_at, closed_at, opening_float, expected_cash, counted_cash FROM shifts
         WHERE business_day_id = ? ORDER BY opened_at, id`,
      ),
      movements: db.prepare<
        [string],
        {
          shift_id: string;
          kind: ReportMovement['kind'];
          amount: number;
          reason: string;
          user_id: string;
          at: string;
        }
      >(
        `SELECT m.shift_id, m.kind, m.amount, m.reason, m.user_id, m.at FROM cash_movements m
         JOIN shifts s ON s.id = m.shift_id WHERE s.business_day_id = ? ORDER BY m.at, m.rowid`,
      ),
      users: db.prepare<[], { id: string; name: string }>('SELECT id, name FROM users'),
    };
  }

  documents(dayId: string): ReportDocument[] {
    return this.q.documents.all(dayId).map((r) => {
      const totals = JSON.parse(r.totals) as { taxes?: ReportDocument['taxes'] };
      return {
        id: r.id,
        kind: r.kind,
        cashierId: r.cashier_id,
        subtotal: r.subtotal,
        discountTotal: r.discount_total,
        taxTotal: r.tax_total,
        total: r.total,
        rounding: r.rounding,
        taxes: totals.taxes ?? [],
      };
    });
  }

  payments(dayId: string): ReportPayment[] {
    return this.q.payments.all(dayId).map((p) => ({
      saleId: p.sale_id,
      tender: p.tender_code,
      type: p.tender_type,
      amount: p.amount,
    }));
  }

  /** Voids and no-sales in the day's audit range; a "void" of an empty cart is not a void. */
  events(day: BusinessDayRow, toSeq: number): ReportEvent[] {
    return this.q.events
      .all(day.audit_seq_from, toSeq, ...EVENT_ACTIONS)
      .filter((e) => e.action !== 'sale.voided' || (e.lines ?? 0) > 0)
      .map((e) => ({
        userId: e.user_id,
        action: e.action,
        amount: e.action === 'drawer.no_sale' ? 0 : (e.amount ?? 0),
      }));
  }

  shifts(dayId: string): ReportShift[] {
    return this.q.shifts.all(dayId).map((s) => ({
      id: s.id,
      userId: s.user_id,
      openedAt: s.opened_at,
      closedAt: s.closed_at,
      openingFloat: s.opening_float,
      expectedCash: s.expected_cash,
      countedCash: s.counted_cash,
    }));
  }

  movements(dayId: string): ReportMovement[] {
    return this.q.movements.all(dayId).map((m) => ({
      shiftId: m.shift_id,
      kind: m.kind,
      amount: m.amount,
      reason: m.reason,
      userId: m.user_id,
      at: m.at,
    }));
  }

  userNames(): Map<string, string> {
    return new Map(this.q.users.all().map((u) => [u.id, u.name]));
  }
}
