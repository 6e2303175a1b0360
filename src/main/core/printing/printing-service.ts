import { AppError } from '../../../shared/domain/errors';
import type { PrintError, PrintJob } from '../../../shared/ipc/channels/devices';
import type { SaleView } from '../../../shared/ipc/channels/sale';
import type { PrintDocument } from '../../../shared/print/print-document';
import { receiptDocument, type CardSlip } from '../../../shared/print/receipt';
import { DriverError } from '../../../drivers/printer/errors';
import { renderDocument } from '../../../drivers/printer/document-renderer';
import { printMayHaveReachedPaper } from '../../../drivers/printer/printer';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import type { SettingsRepo } from '../settings';
import type { PrinterDevice } from '../devices/printer-device';
import { PRINTABLE } from '../devices/printer-device';
import { PrintQueueRepo, type QueuedJob } from './print-queue';

export interface PrintingDeps {
  db: Db;
  clock: Clock;
  events: StationEvents;
  journal: Journal;
  settings: SettingsRepo;
  /** A completed document by id or receipt number (the sale history). */
  document: (ref: string) => SaleView;
  /** What the card terminal returned for a payment (masked PAN, slip text), if anything. */
  cardSlip?: (paymentId: string) => CardSlip | null;
}

/** A queued receipt older than this is not printed on its own when the printer comes back: its customer left. */
export const AUTO_PRINT_WINDOW_MS = 10 * 60_000;

function errorOf(err: unknown, sent: boolean): PrintError {
  if (err instanceof AppError) {
    const reason =
      err instanceof DriverError ? err.reason : ((err.details?.['reason'] as string | undefined) ?? null);
    return { code: err.code, message: err.message, reason: reason ?? null, sent };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err), reason: null, sent };
}

/**
 * The print queue and its worker. Every job is a row BEFORE anything is sent; a sale's receipt row is written
 * inside the sale's completing transaction (`enqueueReceipt`) and printed after the commit, never on the sale's
 * path. One worker sends jobs in order:
 *
 * - claim (queued → printing, attempt + 1, committed) → render → send with the key `jobId:attempt`;
 * - all bytes handed over → `printed` (a failed status read afterwards does not make it unprinted);
 * - refused before sending (paper out, cover open, offline, no answer) → back to `queued` with the error, and
 *   the worker waits for the printer to report ready (status poll) before trying again;
 * - failed while sending, or paper out reported right after the job → `failed`: bytes may be on paper, so
 *   only a person's Retry sends it again (the same attempt key is never sent twice).
 */
export class PrintingService {
  readonly queue: PrintQueueRepo;
  private printer: PrinterDevice | null = null;
  private unsubscribeReady: (() => void) | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  /**
   * Jobs a person asked for (Retry, Reprint): printed however old they are, even when the printer is back only
   * later. In memory: after a restart an old job waits for the next Retry.
   */
  private readonly asked = new Set<string>();

  constructor(private readonly deps: PrintingDeps) {
    this.queue = new PrintQueueRepo(deps.db);
  }

  /** At station start: jobs left `printing` by a stop mid-send become `failed` (outcome unknown). */
  recoverInterrupted(): number {
    return this.queue.failInterrupted(this.deps.clock.now());
  }

  attachPrinter(printer: PrinterDevice | null): void {
    this.unsubscribeReady?.();
    this.unsubscribeReady = null;
    this.printer = printer;
    if (printer) {
      this.unsubscribeReady = printer.onReady(() => this.kick());
      this.kick();
    }
  }

  /** The receipt of a completed document, from the station's settings. */
  receiptFor(view: SaleView): PrintDocument {
    const s = this.deps.settings.all();
    const cards: Record<string, CardSlip> = {};
    for (const p of view.payments) {
      if (p.type !== 'card' || p.status !== 'approved') continue;
      const slip = this.deps.cardSlip?.(p.id) ?? null;
      if (slip) cards[p.id] = slip;
    }
    return receiptDocument(view, {
      storeName: s.storeName,
      locale: s.locale,
      tenders: s.tenders,
      headerLines: s.receiptHeader,
      footerLines: s.receiptFooter,
      cards,
      utcOffsetMinutes: -new Date(view.completedAt ?? Date.now()).getTimezoneOffset(),
    });
  }

  /**
   * Queues the receipt of a document just completed. MUST run inside the completing transaction (the sale core
   * calls it there), so a completed sale always has its receipt queued; it is printed after the commit.
   */
  enqueueReceipt(view: SaleView, at: Date, userId: string | null): string {
    if (!this.deps.db.inTransaction) throw new Error('A receipt is queued inside the completing transaction');
    const id = this.queue.insert(this.receiptFor(view), { copy: false, userId, at });
    // After the commit (the transaction is synchronous): announce and print. A rollback leaves nothing to find.
    setImmediate(() => {
      if (!this.deps.db.open) return; // the station closed right after the sale
      const job = this.queue.get(id);
      if (job) {
        this.announce(job);
        this.kick();
      }
    });
    return id;
  }

  jobs(ref: string | undefined, limit = 20): PrintJob[] {
    return this.queue.list(ref, limit);
  }

  /** A person's Retry of a queued or failed job: sent once more by the worker. */
  retry(jobId: string, userId: string | null): PrintJob {
    const at = this.deps.clock.now();
    const job = this.queue.get(jobId);
    if (!job) throw new AppError('not_found', 'No such print job.', { jobId });
    if (job.status === 'printed') {
      throw new AppError('conflict', 'This was printed already: use Reprint for a copy.', { jobId });
    }
    if (job.status === 'printing') return job;
    this.deps.db.transaction(() => {
      this.queue.requeue(jobId, at);
      this.deps.journal.audit({ at, userId, action: 'print.retried', details: { jobId, ref: job.ref } });
    })();
    const view = this.queue.get(jobId)!;
    this.announce(view);
    this.asked.add(jobId);
    this.kick();
    return view;
  }

  /** A copy of a completed document's receipt, marked "COPY"; audited (reprints are worth watching). */
  reprint(ref: string, userId: string | null): PrintJob {
    const view = this.deps.document(ref);
    const doc = this.receiptFor(view);
    const at = this.deps.clock.now();
    const id = this.deps.db.transaction(() => {
      const jobId = this.queue.insert(doc, { copy: true, userId, at });
      this.deps.journal.audit({
        at,
        userId,
        action: 'receipt.reprinted',
        details: { jobId, documentId: view.id, receiptNo: view.receiptNo },
      });
      return jobId;
    })();
    const job = this.queue.get(id)!;
    this.announce(job);
    this.asked.add(id);
    this.kick();
    return job;
  }

  /** Runs the worker (once at a time); `manual` also sends jobs older than the auto-print window. */
  kick(manual = false): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    // A failure here (the database closed under a stopping station) must not become an unhandled rejection:
    // the job stays as the database last recorded it.
    this.draining = this.drain(manual)
      .catch(() => undefined)
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when the worker has nothing more to do right now (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(manual: boolean): Promise<void> {
    for (;;) {
      const printer = this.printer;
      if (!printer) return;
      const job = this.queue.nextQueued(this.deps.clock.now());
      if (!job) return;
      const now = this.deps.clock.now();
      const stale = now.getTime() - new Date(job.createdAt).getTime() > AUTO_PRINT_WINDOW_MS;
      if (stale && !manual && !this.asked.has(job.id)) {
        this.queue.expire(
          job.id,
          {
            code: 'device_offline',
            message: 'Not printed in time: reprint it if the customer still wants it.',
            reason: 'stale',
            sent: false,
          },
          now,
        );
        this.announceId(job.id);
        continue;
      }
      const sentOrRefused = await this.attempt(printer, job);
      if (sentOrRefused === 'refused') return; // wait for the printer's ready event (the job stays asked for)
      this.asked.delete(job.id);
    }
  }

  private async attempt(printer: PrinterDevice, job: QueuedJob): Promise<'done' | 'refused'> {
    const attempt = this.queue.claim(job.id, this.deps.clock.now());
    if (attempt === null) return 'done';
    this.announceId(job.id);
    let bytes: Uint8Array;
    try {
      bytes = renderDocument(job.document, printer.renderOptions(job.copy, job.openDrawer));
    } catch (err) {
      this.queue.failed(job.id, 'failed', errorOf(err, false), this.deps.clock.now());
      this.announceId(job.id);
      return 'done';
    }
    try {
      const result = await printer.print(bytes, `${job.id}:${attempt}`);
      const at = this.deps.clock.now();
      if (job.openDrawer) this.queue.markDrawerOpened(job.id, at);
      const after = result.statusAfter;
      if (after !== null && !PRINTABLE.has(after.condition) && after.paperOut) {
        // The paper ran out while this job printed: the receipt is cut short.
        this.queue.failed(
          job.id,
          'failed',
          {
            code: 'paper_out',
            message: 'The paper ran out while printing: load paper, then retry.',
            reason: 'paper_out',
            sent: true,
          },
          at,
        );
      } else {
        this.queue.printed(job.id, at);
      }
      this.announceId(job.id);
      return 'done';
    } catch (err) {
      const sent = printMayHaveReachedPaper(err);
      const at = this.deps.clock.now();
      this.queue.failed(job.id, sent ? 'failed' : 'queued', errorOf(err, sent), at);
      this.announceId(job.id);
      // The drawer must open for the cash even when the receipt cannot print yet.
      if (!sent && job.openDrawer && printer.drawer.connection === 'printer') {
        try {
          await printer.kickDrawer();
          this.queue.markDrawerOpened(job.id, this.deps.clock.now());
        } catch {
          // The printer is away: the drawer opens with the receipt once it is back.
        }
      }
      return sent ? 'done' : 'refused';
    }
  }

  private announceId(id: string): void {
    if (!this.deps.db.open) return;
    const job = this.queue.get(id);
    if (job) this.announce(job);
  }

  private announce(job: PrintJob): void {
    this.deps.events.emit('printing:job-changed', { job });
  }
}
