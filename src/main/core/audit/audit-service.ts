import { AppError } from '../../../shared/domain/errors';
import {
  MAX_AUDIT_EXPORT_ROWS,
  type AuditFilter,
  type AuditVerdictView,
} from '../../../shared/ipc/channels/audit';
import type { Db } from '../../db/open';
import type { Caller } from '../auth/auth-service';
import type { Clock } from '../clock';
import type { Journal } from '../journal';
import { verifyAuditLog, yieldToEventLoop } from './audit-reader';
import { AuditQuery } from './audit-query';

/**
 * The manager's view of the audit log: browse, export, check the chain. Exports and checks are sensitive
 * themselves (who took a copy of the log, who looked), so each writes its own audit row.
 */
export class AuditService {
  readonly query: AuditQuery;
  private verifying: Promise<AuditVerdictView> | null = null;

  constructor(
    private readonly db: Db,
    private readonly journal: Journal,
    private readonly clock: Clock,
  ) {
    this.query = new AuditQuery(db);
  }

  exportCsv(actor: Caller, filter: AuditFilter): { fileName: string; csv: string; rows: number } {
    const rows = this.query.count(filter);
    if (rows > MAX_AUDIT_EXPORT_ROWS) {
      throw new AppError(
        'bad_input',
        `The selection holds ${rows} rows; one export holds at most ${MAX_AUDIT_EXPORT_ROWS}. Narrow the time range or filter by user or action.`,
        { reason: 'export_too_large', rows, max: MAX_AUDIT_EXPORT_ROWS },
      );
    }
    const csv = [...this.query.csv(filter, MAX_AUDIT_EXPORT_ROWS)].join('');
    const now = this.clock.now();
    this.db.transaction(() =>
      this.journal.audit({
        at: now,
        userId: actor.user.id,
        action: 'audit.exported',
        details: { filter, rows },
      }),
    )();
    const stamp = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    return { fileName: `audit-log-${stamp}.csv`, csv, rows };
  }

  /** Checks the chain in batches that yield to the event loop; concurrent requests share one run. */
  async verify(actor: Caller): Promise<AuditVerdictView> {
    this.verifying ??= verifyAuditLog(this.db, { pause: yieldToEventLoop }).finally(() => {
      this.verifying = null;
    });
    const verdict = await this.verifying;
    this.db.transaction(() =>
      this.journal.audit({
        at: this.clock.now(),
        userId: actor.user.id,
        action: 'audit.verified',
        details: verdict.intact
          ? { intact: true, rows: verdict.rows, lastSeq: verdict.lastSeq }
          : { intact: false, seq: verdict.seq, reason: verdict.reason },
      }),
    )();
    return verdict;
  }
}
