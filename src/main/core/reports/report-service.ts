import { AppError } from '../../../shared/domain/errors';
import { ReportSchema, type Report, type ZSummary } from '../../../shared/ipc/channels/reports';
import type { PrintDocument } from '../../../shared/print/print-document';
import type { Db } from '../../db/open';
import type { Caller } from '../auth/auth-service';
import type { Clock } from '../clock';
import type { Journal } from '../journal';
import type { SettingsRepo } from '../settings';
import type { BusinessDayRow } from '../shift/shift-repo';
import type { ShiftService } from '../shift/shift-service';
import { buildReport } from './build-report';
import { reportDocument } from './report-document';
import { ReportRows } from './report-rows';

export interface ReportDeps {
  db: Db;
  journal: Journal;
  settings: SettingsRepo;
  clock: Clock;
  shifts: ShiftService;
  stationId: string;
}

/** Sends a print document to the receipt printer. */
export type PrintFn = (doc: PrintDocument, at: Date) => Promise<unknown>;

interface PrintingLike {
  print?: unknown;
  queue?: { insert?: unknown };
  kick?: unknown;
}

/**
 * The station's receipt printer, looked up at run time so the reports need no change as the devices work lands:
 * a printing service with `print(doc)`, or else its print queue (the job is written, then the worker prints it
 * with the same retry and fault handling as receipts). Null when the station has neither. The only coupling.
 */
export function stationPrinter(station: object, userId: string): PrintFn | null {
  const s = station as { printing?: PrintingLike; devices?: { printing?: PrintingLike } };
  const printing = s.printing ?? s.devices?.printing;
  if (!printing) return null;
  const { print, queue, kick } = printing;
  if (typeof print === 'function') return (doc) => Promise.resolve(print.call(printing, doc) as unknown);
  const insert = queue?.insert;
  if (typeof insert !== 'function' || typeof kick !== 'function') return null;
  return (doc, at) => {
    insert.call(queue, doc, { copy: false, userId, at });
    kick.call(printing, true);
    return Promise.resolve();
  };
}

/**
 * X and Z reports over the business day. X reads the open day (repeatable, audited). Z closes it in one
 * transaction: the next gapless Z number (the 0006 trigger refuses any other), the report stored as built, the
 * audit row and the `report.z` outbox row. After a Z, the next document opens the next business day.
 */
export class ReportService {
  private readonly rows: ReportRows;

  constructor(private readonly deps: ReportDeps) {
    this.rows = new ReportRows(deps.db);
  }

  x(caller: Caller): Report {
    return this.tx((at) => {
      const day = this.deps.shifts.ensureDay(at);
      const report = this.build('X', null, day, this.deps.shifts.repo.lastAuditSeq(), at, caller);
      this.deps.journal.audit({
        at,
        userId: caller.user.id,
        action: 'report.x',
        details: { businessDayId: day.id, net: report.net },
      });
      return report;
    });
  }

  z(caller: Caller): Report {
    return this.tx((at) => {
      const { repo } = this.deps.shifts;
      const stationId = this.deps.stationId;
      const day = repo.openDay(stationId);
      const last = repo.lastClosedDay(stationId);
      if (!day) {
        throw new AppError(
          'conflict',
          'Nothing happened since the last Z report: the day is already closed.',
          {
            reason: 'day_closed',
            lastZ: last?.z_number ?? null,
          },
        );
      }
      const open = repo.openShift(stationId);
      if (open) {
        throw new AppError(
          'conflict',
          'A drawer shift is still open: close it (count the drawer) before the Z report.',
          {
            reason: 'shift_open',
            shiftId: open.id,
          },
        );
      }
      if (repo.tenderingSales(stationId) > 0) {
        throw new AppError('conflict', 'A sale is being paid: complete or cancel it before the Z report.', {
          reason: 'sale_in_progress',
        });
      }
      const toSeq = repo.lastAuditSeq();
      const zNumber = repo.nextZ(stationId);
      const report = this.build('Z', zNumber, day, toSeq, at, caller);
      repo.closeDay({
        id: day.id,
        closed_at: at.toISOString(),
        closed_by: caller.user.id,
        z_number: zNumber,
        audit_seq_to: toSeq,
        z_report: JSON.stringify(report),
      });
      this.deps.journal.enqueue('report.z', { stationId, report }, at);
      this.deps.journal.audit({
        at,
        userId: caller.user.id,
        action: 'report.z',
        details: { zNumber, businessDayId: day.id, net: report.net, expectedCash: report.cash.expected },
      });
      return report;
    });
  }

  zList(limit = 100): ZSummary[] {
    return this.deps.shifts.repo.closedDays(this.deps.stationId, limit).map((d) => {
      const report = this.stored(d);
      return {
        zNumber: report.zNumber ?? 0,
        businessDayId: d.id,
        closedAt: d.closed_at ?? '',
        net: report.net,
      };
    });
  }

  zGet(zNumber: number): Report {
    const day = this.deps.shifts.repo.dayByZ(this.deps.stationId, zNumber);
    if (!day) throw new AppError('not_found', `There is no Z report ${zNumber}.`, { zNumber });
    return this.stored(day);
  }

  /**
   * Prints an X report (taken now) or a stored Z report (the last one unless a number is given) when a printer
   * is there, and returns the document either way.
   */
  async print(
    caller: Caller,
    kind: 'X' | 'Z',
    zNumber: number | undefined,
    printer: PrintFn | null,
  ): Promise<{ printed: boolean; document: PrintDocument }> {
    let report: Report;
    if (kind === 'X') report = this.x(caller);
    else {
      const n = zNumber ?? this.deps.shifts.repo.lastClosedDay(this.deps.stationId)?.z_number;
      if (n === undefined || n === null) throw new AppError('not_found', 'There is no Z report yet.');
      report = this.zGet(n);
    }
    const document = reportDocument(report, this.deps.settings.get('locale'));
    if (!printer) return { printed: false, document };
    await printer(document, this.deps.clock.now());
    return { printed: true, document };
  }

  // --- internals -----------------------------------------------------------------------------------------------

  private build(
    kind: 'X' | 'Z',
    zNumber: number | null,
    day: BusinessDayRow,
    toSeq: number,
    at: Date,
    caller: Caller,
  ): Report {
    const currency = this.deps.settings.get('currency');
    if (currency === null) throw new AppError('setup_required', 'This station has not been set up yet.');
    const documents = this.rows.documents(day.id);
    const events = this.rows.events(day, toSeq);
    const shifts = this.rows.shifts(day.id);
    if (kind === 'Z' && documents.length === 0 && events.length === 0 && shifts.length === 0) {
      throw new AppError('conflict', 'Nothing happened since the last Z report: there is no day to close.', {
        reason: 'day_closed',
      });
    }
    return buildReport({
      kind,
      zNumber,
      businessDayId: day.id,
      stationId: this.deps.stationId,
      storeName: this.deps.settings.get('storeName'),
      currency,
      from: day.opened_at,
      to: at.toISOString(),
      generatedBy: caller.user.name,
      documents,
      payments: this.rows.payments(day.id),
      events,
      shifts,
      movements: this.rows.movements(day.id),
      userNames: this.rows.userNames(),
    });
  }

  private stored(day: BusinessDayRow): Report {
    return ReportSchema.parse(JSON.parse(day.z_report ?? 'null'));
  }

  private tx<T>(fn: (at: Date) => T): T {
    return this.deps.db.transaction(() => fn(this.deps.clock.now()))();
  }
}
