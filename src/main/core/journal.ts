import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../db/open';
import { canonicalJson } from '../../shared/sync/canonical-json';

/**
 * The journal writes the two rows every business action carries: its audit row (hash-chained, append-only)
 * and its outbox rows for sync. Call these INSIDE the action's transaction, so nothing is ever "done but not
 * queued" or "done but not audited".
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  at: Date;
  userId: string | null;
  action: string;
  details?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  id: string;
  at: string;
  user_id: string | null;
  action: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The content a row's hash covers; verification recomputes exactly this. */
export function auditHash(row: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256')
    .update(
      [row.prev_hash, row.seq, row.id, row.at, row.user_id ?? '', row.action, row.details].join('\u001f'),
    )
    .digest('hex');
}

/**
 * Called with every audit row right after it is written, inside the same transaction (the risk rules evaluate
 * events here, so an alert commits or rolls back with the event that raised it).
 */
export type AuditListener = (row: AuditRow, details: Record<string, unknown>) => void;

export class Journal {
  private readonly listeners: AuditListener[] = [];
  private readonly lastAudit;
  private readonly insertAudit;
  private readonly insertOutbox;
  private readonly enqueueListeners = new Set<() => void>();

  constructor(private readonly db: Db) {
    this.lastAudit = db.prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    this.insertAudit = db.prepare(
      'INSERT INTO audit_log (seq, id, at, user_id, action, details, prev_hash, hash) VALUES (@seq, @id, @at, @user_id, @action, @details, @prev_hash, @hash)',
    );
    this.insertOutbox = db.prepare(
      'INSERT INTO outbox (event_id, type, payload, created_at) VALUES (@event_id, @type, @payload, @created_at)',
    );
  }

  /** Appends one audit row and queues it for sync. Must run inside a transaction. */
  audit(entry: AuditEntry): AuditRow {
    this.assertInTransaction();
    const last = this.lastAudit.get();
    const base = {
      seq: (last?.seq ?? 0) + 1,
      id: randomUUID(),
      at: entry.at.toISOString(),
      user_id: entry.userId,
      action: entry.action,
      details: JSON.stringify(entry.details ?? {}),
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const row: AuditRow = { ...base, hash: auditHash(base) };
    this.insertAudit.run(row);
    this.enqueue('audit.appended', { ...row, details: entry.details ?? {} }, entry.at);
    for (const listener of this.listeners) listener(row, entry.details ?? {});
    return row;
  }

  /** Adds a listener to the audit stream (see AuditListener). */
  onAudit(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  /** Queues one event for the store server. Must run inside a transaction. */
  enqueue(type: string, payload: unknown, at: Date): string {
    this.assertInTransaction();
    const eventId = randomUUID();
    this.insertOutbox.run({
      event_id: eventId,
      type,
      // Key-sorted: the server hashes and stores this form, and checks it far faster when it is already sorted.
      payload: canonicalJson(payload),
      created_at: at.toISOString(),
    });
    // After the current synchronous transaction has committed or rolled back (a listener reading the outbox
    // then sees the outcome); store sync wakes on it instead of polling.
    if (this.enqueueListeners.size > 0) queueMicrotask(() => this.enqueueListeners.forEach((l) => l()));
    return eventId;
  }

  /** Calls `listener` soon after outbox rows were queued (a hint, not a delivery guarantee). */
  onEnqueue(listener: () => void): () => void {
    this.enqueueListeners.add(listener);
    return () => this.enqueueListeners.delete(listener);
  }

  private assertInTransaction(): void {
    if (!this.db.inTransaction) throw new Error('Journal writes must run inside the business transaction');
  }
}
