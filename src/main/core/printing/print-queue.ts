import { randomUUID } from 'node:crypto';
import type { PrintError, PrintJob, PrintJobStatus } from '../../../shared/ipc/channels/devices';
import { PrintDocumentSchema, type PrintDocument } from '../../../shared/print/print-document';
import type { Db } from '../../db/open';

interface JobRow {
  id: string;
  kind: PrintJob['kind'];
  ref: string;
  title: string;
  document: string;
  copy: 0 | 1;
  status: PrintJobStatus;
  attempts: number;
  last_error: string | null;
  open_drawer: 0 | 1;
  drawer_opened_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  printed_at: string | null;
}

/** A job as the worker needs it: the stored document and what the attempt must do. */
export interface QueuedJob {
  id: string;
  document: PrintDocument;
  copy: boolean;
  attempts: number;
  createdAt: string;
  /** The document opens the drawer and no attempt has done it yet. */
  openDrawer: boolean;
}

export function jobView(row: JobRow): PrintJob {
  return {
    id: row.id,
    kind: row.kind,
    ref: row.ref,
    title: row.title,
    copy: row.copy === 1,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error === null ? null : (JSON.parse(row.last_error) as PrintError),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    printedAt: row.printed_at,
  };
}

/**
 * Parameterised SQL over `print_jobs` (migrations/0005_devices.sql). State changes are conditional UPDATEs on
 * the current status, so two callers (the worker and a Retry click) can never both claim one attempt.
 */
export class PrintQueueRepo {
  private readonly insertJob;
  private readonly byId;
  private readonly listAll;
  private readonly listRef;
  private readonly nextQueuedRow;
  private readonly claimJob;
  private readonly finishJob;
  private readonly failJob;
  private readonly requeueJob;
  private readonly drawerOpened;
  private readonly expireJob;
  private readonly interruptedRows;

  constructor(private readonly db: Db) {
    this.insertJob = db.prepare(
      `INSERT INTO print_jobs (id, kind, ref, title, document, copy, status, open_drawer, created_by, created_at, updated_at)
       VALUES (@id, @kind, @ref, @title, @document, @copy, 'queued', @open_drawer, @created_by, @at, @at)`,
    );
    this.byId = db.prepare<[string], JobRow>('SELECT * FROM print_jobs WHERE id = ?');
    this.listAll = db.prepare<[number], JobRow>(
      'SELECT * FROM print_jobs ORDER BY created_at DESC, rowid DESC LIMIT ?',
    );
    this.listRef = db.prepare<[string, number], JobRow>(
      'SELECT * FROM print_jobs WHERE ref = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
    );
    this.nextQueuedRow = db.prepare<[], JobRow>(
      `SELECT * FROM print_jobs WHERE status = 'queued' ORDER BY created_at, rowid LIMIT 1`,
    );
    this.claimJob = db.prepare<{ id: string; at: string }, { attempts: number }>(
      `UPDATE print_jobs SET status = 'printing', attempts = attempts + 1, updated_at = @at
       WHERE id = @id AND status = 'queued' RETURNING attempts`,
    );
    this.finishJob = db.prepare(
      `UPDATE print_jobs SET status = 'printed', last_error = NULL, printed_at = @at, updated_at = @at
       WHERE id = @id AND status = 'printing'`,
    );
    this.failJob = db.prepare(
      `UPDATE print_jobs SET status = @status, last_error = @error, updated_at = @at WHERE id = @id AND status = 'printing'`,
    );
    this.requeueJob = db.prepare(
      `UPDATE print_jobs SET status = 'queued', updated_at = @at WHERE id = @id AND status IN ('queued', 'failed')`,
    );
    this.expireJob = db.prepare(
      `UPDATE print_jobs SET status = 'failed', last_error = @error, updated_at = @at WHERE id = @id AND status = 'queued'`,
    );
    this.drawerOpened = db.prepare(
      'UPDATE print_jobs SET drawer_opened_at = @at WHERE id = @id AND drawer_opened_at IS NULL',
    );
    this.interruptedRows = db.prepare<[], { id: string }>(
      "SELECT id FROM print_jobs WHERE status = 'printing'",
    );
  }

  /** Inserts a queued job; runs inside the caller's transaction when there is one. Returns its id. */
  insert(doc: PrintDocument, options: { copy: boolean; userId: string | null; at: Date }): string {
    const id = randomUUID();
    this.insertJob.run({
      id,
      kind: doc.kind,
      ref: doc.ref,
      title: doc.title,
      document: JSON.stringify(doc),
      copy: options.copy ? 1 : 0,
      open_drawer: doc.openDrawer === true && !options.copy ? 1 : 0,
      created_by: options.userId,
      at: options.at.toISOString(),
    });
    return id;
  }

  get(id: string): PrintJob | null {
    const row = this.byId.get(id);
    return row ? jobView(row) : null;
  }

  list(ref: string | undefined, limit: number): PrintJob[] {
    return (ref === undefined ? this.listAll.all(limit) : this.listRef.all(ref, limit)).map(jobView);
  }

  /**
   * The oldest queued job, with its document parsed. A job whose stored document cannot be read (written by a
   * newer version, damaged) is failed with the reason instead of blocking every job behind it.
   */
  nextQueued(at: Date = new Date()): QueuedJob | null {
    for (;;) {
      const row = this.nextQueuedRow.get();
      if (!row) return null;
      let document: PrintDocument;
      try {
        document = PrintDocumentSchema.parse(JSON.parse(row.document));
      } catch (err) {
        const error: PrintError = {
          code: 'bad_input',
          message: `This print job cannot be read (${err instanceof Error ? err.message.slice(0, 120) : 'invalid'}): print the receipt again from the history.`,
          reason: 'unreadable_document',
          sent: false,
        };
        const changed = this.expireJob.run({
          id: row.id,
          at: at.toISOString(),
          error: JSON.stringify(error),
        });
        // Someone else moved it meanwhile: stop here rather than spin; the next run looks again.
        if (changed.changes === 0) return null;
        continue;
      }
      return this.queued(row, document);
    }
  }

  private queued(row: JobRow, document: PrintDocument): QueuedJob {
    return {
      id: row.id,
      document,
      copy: row.copy === 1,
      attempts: row.attempts,
      createdAt: row.created_at,
      openDrawer: row.open_drawer === 1 && row.drawer_opened_at === null,
    };
  }

  /** queued → printing, counting the attempt (committed before any byte is sent). Null when someone else won. */
  claim(id: string, at: Date): number | null {
    return this.claimJob.get({ id, at: at.toISOString() })?.attempts ?? null;
  }

  printed(id: string, at: Date): void {
    this.finishJob.run({ id, at: at.toISOString() });
  }

  /** printing → queued (nothing of the attempt was sent: the worker tries again) or failed (a person decides). */
  failed(id: string, status: 'queued' | 'failed', error: PrintError, at: Date): void {
    this.failJob.run({ id, at: at.toISOString(), status, error: JSON.stringify(error) });
  }

  /** queued → failed without an attempt (too old to print on its own). */
  expire(id: string, error: PrintError, at: Date): void {
    this.expireJob.run({ id, at: at.toISOString(), error: JSON.stringify(error) });
  }

  /** A person's Retry: failed (or queued) → queued. False for a printing or printed job. */
  requeue(id: string, at: Date): boolean {
    return this.requeueJob.run({ id, at: at.toISOString() }).changes === 1;
  }

  markDrawerOpened(id: string, at: Date): void {
    this.drawerOpened.run({ id, at: at.toISOString() });
  }

  /**
   * At startup: a job left `printing` was being sent when the station stopped. Whether it reached the paper is
   * unknown, so it is never resent on its own: it becomes `failed` and the cashier decides.
   */
  failInterrupted(at: Date): number {
    const ids = this.interruptedRows.all().map((r) => r.id);
    const error: PrintError = {
      code: 'device_offline',
      message: 'The station stopped while this was printing: check the paper, then retry if it is missing.',
      reason: 'interrupted',
      sent: true,
    };
    this.db.transaction(() => {
      for (const id of ids) this.failed(id, 'failed', error, at);
    })();
    return ids.length;
  }
}
