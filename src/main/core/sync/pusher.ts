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

/** Local quarantine code for one event too large for the server to take even alone. */
export const TOO_LARGE_CODE = 'payload_too_large';

/**
 * Pushes the outbox to the store server, oldest first, in batches of at most 100. Each answer is applied in
 * ONE transaction: created/duplicate → the row is acknowledged; rejected → the row is copied to the quarantine
 * with the server's code and message, and acknowledged. A batch that got no answer (network, 5xx, 429) leaves
 * every row pending, so the next push starts again from the first unacknowledged row; the server's
 * idempotency (same id + same body = duplicate) makes the resend harmless.
 */
export class Pusher {
  /** Halved on 413 (a batch of large events), doubled back on success. */
  private batchSize: number = MAX_PUSH_BATCH;

  constructor(
    private readonly store: SyncStore,
    private readonly client: SyncHttpClient,
    private readonly credential: string,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends the next batch; null when nothing is pending. Throws SyncRequestError when it got no usable answer.
   * `alive` is asked before the answer is written (the station may have closed while the request was out).
   */
  async pushBatch(alive: () => boolean = () => true): Promise<PushReport | null> {
    const rows = this.store.pending(this.batchSize);
    if (rows.length === 0) return null;
    let results: PushResult[];
    try {
      const response = await this.client.request('POST', '/v1/events', PushResponseSchema, {
        token: this.credential,
        body: pushBody(rows),
      });
      results = response.results;
    } catch (err) {
      if (!alive()) throw err;
      if (err instanceof SyncRequestError && err.failure.kind === 'http' && err.failure.status === 413) {
        return this.tooLarge(rows, err);
      }
      throw err;
    }
    if (!alive()) return { sent: 0, created: 0, duplicate: 0, rejected: 0, unanswered: 0 };
    checkResults(rows, results);
    const report = this.apply(results, rows.length);
    this.batchSize = Math.min(MAX_PUSH_BATCH, this.batchSize * 2);
    return report;
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
      // Nothing was taken: the next call sends a smaller batch (sent 0 tells the cycle to go on).
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
