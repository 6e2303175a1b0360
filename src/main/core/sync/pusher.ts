import { MAX_PUSH_BATCH, PushResponseSchema, type PushResult } from '../../../shared/sync/protocol';
import type { Clock } from '../clock';
import { SyncRequestError, type SyncHttpClient } from './http-client';
import type { OutboxRow, SyncStore } from './sync-store';

/** What one pushed batch did. */
export interface PushReport {
  sent: number;
  created: number;
  duplicate: number;
  rejected: number;
  /** Results for events of the batch the server did not answer: they stay pending and go again. */
  unanswered: number;
}

/** Batches in flight at once during a backlog (see Pusher); 1 sends one batch at a time. */
export const DEFAULT_PUSH_WINDOW = 2;
const MAX_PUSH_WINDOW = 4;

/** Local quarantine code for one event too large for the server to take even alone. */
export const TOO_LARGE_CODE = 'payload_too_large';

/**
 * Pushes the outbox to the store server, oldest first, in batches of at most 100. Each answer is applied in
 * ONE transaction: created/duplicate → the row is acknowledged; rejected → the row is copied to the quarantine
 * with the server's code and message, and acknowledged. A batch that got no answer (network, 5xx, 429) leaves
 * every row pending, so the next push starts again from the first unacknowledged row; the server's
 * idempotency (same id + same body = duplicate) makes the resend harmless.
 *
 * A backlog goes out with up to `window` batches in flight (disjoint, consecutive seq ranges): while the server
 * commits one batch it already reads the next, and the station acknowledges one while the next is on the wire.
 * With one batch at a time a till's 100,000-sale backlog (four outbox rows per sale) spent most of its time
 * waiting on round trips and fsyncs. The server takes a station's batches one transaction at a time in any
 * order (it keys them by event id and seq, see src/server/push.ts), so an answer that arrives first is applied
 * first. The first batch of every push goes alone: after a failure the station sends one batch, starting at
 * its first unacknowledged row, and opens the window again only once the server answered.
 */
export class Pusher {
  /** Halved on 413 (a batch of large events), doubled back on success. */
  private batchSize: number = MAX_PUSH_BATCH;
  private readonly window: number;

  constructor(
    private readonly store: SyncStore,
    private readonly client: SyncHttpClient,
    private readonly credential: string,
    private readonly clock: Clock,
    options: { window?: number } = {},
  ) {
    this.window = Math.max(1, Math.min(MAX_PUSH_WINDOW, options.window ?? DEFAULT_PUSH_WINDOW));
  }

  /**
   * Pushes every pending row (rows queued meanwhile too), calling `onBatch` after each answer was applied.
   * Returns once nothing is pending that this push has not sent. Throws SyncRequestError when a batch got no
   * usable answer — after the batches still in flight have settled and their answers were applied.
   * `alive` is asked before an answer is written (the station may have closed while a request was out); once it
   * is false nothing more is written or sent, and pushAll returns.
   */
  async pushAll(alive: () => boolean, onBatch: (report: PushReport) => void): Promise<void> {
    for (;;) {
      const outcome = await this.pushWindowed(alive, onBatch);
      if (outcome === 'done' || !alive()) return;
      // 'smaller': a batch was too large; the next round starts again at the first pending row.
    }
  }

  private async pushWindowed(
    alive: () => boolean,
    onBatch: (report: PushReport) => void,
  ): Promise<'done' | 'smaller'> {
    const inFlight: { rows: OutboxRow[]; answer: Promise<Answer> }[] = [];
    let sentUpTo = 0;
    let failure: Error | null = null;
    let smaller = false;
    const launch = (): boolean => {
      const rows = this.store.pendingAfter(sentUpTo, this.batchSize);
      if (rows.length === 0) return false;
      sentUpTo = rows[rows.length - 1]!.seq;
      inFlight.push({ rows, answer: this.send(rows) });
      return true;
    };
    launch();
    while (inFlight.length > 0) {
      const { rows, answer } = inFlight.shift()!;
      const outcome = await answer;
      // Stopped while the batch was out: nothing more is written or sent (the caller checks alive() too).
      if (!alive()) return 'done';
      if (!outcome.ok) {
        const err = outcome.error;
        if (err instanceof SyncRequestError && err.failure.kind === 'http' && err.failure.status === 413) {
          if (!smaller) onBatch(this.tooLarge(rows, err));
          smaller = true;
        } else {
          failure ??= err;
        }
        continue;
      }
      checkResults(rows, outcome.results);
      const report = this.apply(outcome.results, rows.length);
      onBatch(report);
      if (report.created + report.duplicate + report.rejected === 0) {
        // An answer that acknowledges nothing would make the push spin: treat it as a failed push.
        failure ??= new SyncRequestError({
          kind: 'protocol',
          message: 'The server acknowledged none of the events.',
        });
      }
      this.batchSize = Math.min(MAX_PUSH_BATCH, this.batchSize * 2);
      // After a failure or a 413 nothing more is sent; the batches already out are waited for and applied.
      if (failure === null && !smaller) {
        while (inFlight.length < this.window && launch());
      }
    }
    if (failure !== null) throw failure;
    return smaller ? 'smaller' : 'done';
  }

  /** One request; never rejects (the answer or the error, to be handled in send order). */
  private send(rows: readonly OutboxRow[]): Promise<Answer> {
    return this.client
      .request('POST', '/v1/events', PushResponseSchema, { token: this.credential, body: pushBody(rows) })
      .then(
        (response): Answer => ({ ok: true, results: response.results }),
        (error: unknown): Answer => ({
          ok: false,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
      );
  }

  private apply(results: readonly PushResult[], sent: number): PushReport {
    const at = this.clock.now();
    const report: PushReport = {
      sent,
      created: 0,
      duplicate: 0,
      rejected: 0,
      unanswered: sent - results.length,
    };
    this.store.db.transaction(() => {
      for (const result of results) {
        if (result.status === 'rejected') {
          this.store.quarantine(result.seq, result.eventId, result.code, result.message, at);
        }
        this.store.ack(result.seq, result.eventId, at);
        report[result.status] += 1;
      }
      this.store.pushSucceeded(at);
    })();
    return report;
  }

  /** 413: try smaller batches; a single event the server will never take goes to the quarantine. */
  private tooLarge(rows: readonly OutboxRow[], err: SyncRequestError): PushReport {
    if (this.batchSize > 1) {
      this.batchSize = Math.max(1, Math.floor(Math.min(this.batchSize, rows.length) / 2));
      // Nothing was taken: the next round sends a smaller batch.
      return { sent: 0, created: 0, duplicate: 0, rejected: 0, unanswered: 0 };
    }
    const row = rows[0]!;
    const at = this.clock.now();
    this.store.db.transaction(() => {
      this.store.quarantine(row.seq, row.event_id, TOO_LARGE_CODE, err.message.slice(0, 500), at);
      this.store.ack(row.seq, row.event_id, at);
    })();
    this.batchSize = MAX_PUSH_BATCH;
    return { sent: 1, created: 0, duplicate: 0, rejected: 1, unanswered: 0 };
  }
}

type Answer = { ok: true; results: PushResult[] } | { ok: false; error: Error };

/**
 * The request body, built from the stored payload text as is: the bytes the server hashes are the bytes that
 * were committed, on every retry (re-serialising could reorder keys and turn a retry into a "conflicting body").
 */
export function pushBody(rows: readonly OutboxRow[]): string {
  const events = rows.map(
    (r) =>
      `{"eventId":${JSON.stringify(r.event_id)},"seq":${r.seq},"type":${JSON.stringify(r.type)},` +
      `"createdAt":${JSON.stringify(r.created_at)},"payload":${r.payload}}`,
  );
  return `{"events":[${events.join(',')}]}`;
}

/** An answer must speak only of events of this batch, each once; otherwise nothing of it is applied. */
function checkResults(rows: readonly OutboxRow[], results: readonly PushResult[]): void {
  const sent = new Map(rows.map((r) => [r.event_id, r.seq]));
  const seen = new Set<string>();
  for (const result of results) {
    if (sent.get(result.eventId) !== result.seq || seen.has(result.eventId)) {
      throw new SyncRequestError({
        kind: 'protocol',
        message: `The server answered for an event it was not sent (seq ${result.seq}).`,
      });
    }
    seen.add(result.eventId);
  }
}
