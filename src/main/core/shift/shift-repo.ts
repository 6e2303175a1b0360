import type { TenderType } from '../../../shared/domain/totals';
import type { CashMovementKind } from '../../../shared/ipc/channels/shift';
import type { Db } from '../../db/open';

/** Row shapes of migrations/0006_shifts.sql, as better-sqlite3 returns them. */
export interface BusinessDayRow {
  id: string;
  station_id: string;
  opened_at: string;
  audit_seq_from: number;
  closed_at: string | null;
  closed_by: string | null;
  z_number: number | null;
  audit_seq_to: number | null;
  z_report: string | null;
}

export interface ShiftRow {
  id: string;
  station_id: string;
  business_day_id: string;
  user_id: string;
  currency: string;
  status: 'open' | 'closed';
  opened_at: string;
  audit_seq_from: number;
  opening_float: number;
  opening_count: string;
  closed_at: string | null;
  closed_by: string | null;
  expected_cash: number | null;
  counted_cash: number | null;
  close_count: string | null;
  close_approval_id: string | null;
}

export interface CashMovementRow {
  id: string;
  shift_id: string;
  kind: CashMovementKind;
  amount: number;
  reason: string;
  user_id: string;
  at: string;
}

export interface TenderCountRow {
  shift_id: string;
  tender_code: string;
  tender_type: TenderType;
  expected: number;
  counted: number | null;
}

export type NewShift = Pick<
  ShiftRow,
  | 'id'
  | 'station_id'
  | 'business_day_id'
  | 'user_id'
  | 'currency'
  | 'opened_at'
  | 'audit_seq_from'
  | 'opening_float'
  | 'opening_count'
>;

export interface ShiftClosing {
  id: string;
  closed_at: string;
  closed_by: string;
  expected_cash: number;
  counted_cash: number;
  close_count: string;
  close_approval_id: string | null;
}

/** Net money per tender of the completed documents of a shift (change taken off, refunds negative). */
export interface TenderTakingRow {
  tender_code: string;
  tender_type: TenderType;
  amount: number;
}

/**
 * Parameterised SQL over the shift tables. Writes run inside the caller's transaction (one per business action,
 * with its audit and outbox rows).
 */
export class ShiftRepo {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      openDay: db.prepare<[string], BusinessDayRow>(
        'SELECT * FROM business_days WHERE station_id = ? AND closed_at IS NULL',
      ),
      lastClosedDay: db.prepare<[string], BusinessDayRow>(
        'SELECT * FROM business_days WHERE station_id = ? AND z_number IS NOT NULL ORDER BY z_number DESC LIMIT 1',
      ),
      dayByZ: db.prepare<[string, number], BusinessDayRow>(
        'SELECT * FROM business_days WHERE station_id = ? AND z_number = ?',
      ),
      closedDays: db.prepare<[string, number], BusinessDayRow>(
        'SELECT * FROM business_days WHERE station_id = ? AND z_number IS NOT NULL ORDER BY z_number DESC LIMIT ?',
      ),
      insertDay: db.prepare<{ id: string; station_id: string; opened_at: string; audit_seq_from: number }>(
        `INSERT INTO business_days (id, station_id, opened_at, audit_seq_from)
         VALUES (@id, @station_id, @opened_at, @audit_seq_from)`,
      ),
      closeDay: db.prepare<{
        id: string;
        closed_at: string;
        closed_by: string;
        z_number: number;
        audit_seq_to: number;
        z_report: string;
      }>(
        `UPDATE business_days SET closed_at = @closed_at, closed_by = @closed_by, z_number = @z_number,
           audit_seq_to = @audit_seq_to, z_report = @z_report WHERE id = @id`,
      ),
      nextZ: db
        .prepare<[string], number>(
          'SELECT COALESCE(MAX(z_number), 0) + 1 FROM business_days WHERE station_id = ?',
        )
        .pluck(),
      lastAuditSeq: db.prepare<[], number>('SELECT COALESCE(MAX(seq), 0) FROM audit_log').pluck(),

      openShift: db.prepare<[string], ShiftRow>(
        "SELECT * FROM shifts WHERE station_id = ? AND status = 'open'",
      ),
      shift: db.prepare<[string], ShiftRow>('SELECT * FROM shifts WHERE id = ?'),
      shiftsOfDay: db.prepare<[string], ShiftRow>(
        'SELECT * FROM shifts WHERE business_day_id = ? ORDER BY opened_at, id',
      ),
      insertShift: db.prepare<NewShift>(
        `INSERT INTO shifts (id, station_id, business_day_id, user_id, currency, status, opened_at, audit_seq_from,
           opening_float, opening_count)
         VALUES (@id, @station_id, @business_day_id, @user_id, @currency, 'open', @opened_at, @audit_seq_from,
           @opening_float, @opening_count)`,
      ),
      closeShift: db.prepare<ShiftClosing>(
        `UPDATE shifts SET status = 'closed', closed_at = @closed_at, closed_by = @closed_by,
           expected_cash = @expected_cash, counted_cash = @counted_cash, close_count = @close_count,
           close_approval_id = @close_approval_id WHERE id = @id AND status = 'open'`,
      ),
      insertCount: db.prepare<TenderCountRow>(
        `INSERT INTO shift_tender_counts (shift_id, tender_code, tender_type, expected, counted)
         VALUES (@shift_id, @tender_code, @tender_type, @expected, @counted)`,
      ),
      counts: db.prepare<[string], TenderCountRow>(
        'SELECT * FROM shift_tender_counts WHERE shift_id = ? ORDER BY tender_code',
      ),

      insertMovement: db.prepare<CashMovementRow>(
        `INSERT INTO cash_movements (id, shift_id, kind, amount, reason, user_id, at)
         VALUES (@id, @shift_id, @kind, @amount, @reason, @user_id, @at)`,
      ),
      movements: db.prepare<[string], CashMovementRow>(
        'SELECT * FROM cash_movements WHERE shift_id = ? ORDER BY at, rowid',
      ),
      takings: db.prepare<[string], TenderTakingRow>(
        `SELECT p.tender_code, p.tender_type, SUM(p.amount - p.change_given) AS amount
         FROM payments p JOIN sales s ON s.id = p.sale_id
         WHERE s.shift_id = ? AND s.status = 'completed' AND p.status = 'approved'
         GROUP BY p.tender_code, p.tender_type ORDER BY p.tender_code`,
      ),
      documentIds: db
        .prepare<[string], string>(
          "SELECT id FROM sales WHERE shift_id = ? AND status = 'completed' ORDER BY completed_at, id",
        )
        .pluck(),
      tendering: db
        .prepare<[string], number>(
          "SELECT count(*) FROM sales WHERE station_id = ? AND kind = 'sale' AND status = 'tendering'",
        )
        .pluck(),
      approverName: db
        .prepare<[string], string>(
          'SELECT u.name FROM approvals a JOIN users u ON u.id = a.supervisor_id WHERE a.id = ?',
        )
        .pluck(),
      attribute: db.prepare<{ id: string; shift_id: string | null; business_day_id: string }>(
        // Only a document that is still being completed: the 0004 trigger keeps completed ones immutable anyway.
        `UPDATE sales SET shift_id = @shift_id, business_day_id = @business_day_id
         WHERE id = @id AND status NOT IN ('completed', 'voided')`,
      ),
    };
  }

  openDay(stationId: string): BusinessDayRow | undefined {
    return this.q.openDay.get(stationId);
  }
  lastClosedDay(stationId: string): BusinessDayRow | undefined {
    return this.q.lastClosedDay.get(stationId);
  }
  dayByZ(stationId: string, zNumber: number): BusinessDayRow | undefined {
    return this.q.dayByZ.get(stationId, zNumber);
  }
  closedDays(stationId: string, limit: number): BusinessDayRow[] {
    return this.q.closedDays.all(stationId, limit);
  }
  insertDay(row: { id: string; station_id: string; opened_at: string; audit_seq_from: number }): void {
    this.q.insertDay.run(row);
  }
  closeDay(row: {
    id: string;
    closed_at: string;
    closed_by: string;
    z_number: number;
    audit_seq_to: number;
    z_report: string;
  }): void {
    this.q.closeDay.run(row);
  }
  nextZ(stationId: string): number {
    return this.q.nextZ.get(stationId) ?? 1;
  }
  lastAuditSeq(): number {
    return this.q.lastAuditSeq.get() ?? 0;
  }

  openShift(stationId: string): ShiftRow | undefined {
    return this.q.openShift.get(stationId);
  }
  shift(id: string): ShiftRow | undefined {
    return this.q.shift.get(id);
  }
  shiftsOfDay(dayId: string): ShiftRow[] {
    return this.q.shiftsOfDay.all(dayId);
  }
  insertShift(row: NewShift): void {
    this.q.insertShift.run(row);
  }
  closeShift(row: ShiftClosing): void {
    if (this.q.closeShift.run(row).changes !== 1) throw new Error('the shift was not open');
  }
  insertCount(row: TenderCountRow): void {
    this.q.insertCount.run(row);
  }
  counts(shiftId: string): TenderCountRow[] {
    return this.q.counts.all(shiftId);
  }
  insertMovement(row: CashMovementRow): void {
    this.q.insertMovement.run(row);
  }
  movements(shiftId: string): CashMovementRow[] {
    return this.q.movements.all(shiftId);
  }
  takings(shiftId: string): TenderTakingRow[] {
    return this.q.takings.all(shiftId);
  }
  documentIds(shiftId: string): string[] {
    return this.q.documentIds.all(shiftId);
  }
  tenderingSales(stationId: string): number {
    return this.q.tendering.get(stationId) ?? 0;
  }
  /** The name of the supervisor who gave an approval. */
  approverName(approvalId: string): string | null {
    return this.q.approverName.get(approvalId) ?? null;
  }
  attribute(saleId: string, shiftId: string | null, dayId: string): void {
    this.q.attribute.run({ id: saleId, shift_id: shiftId, business_day_id: dayId });
  }
}
