import type { Db } from '../../db/open';
import type { AuditRow } from '../journal';
import { AuditChainVerifier, type AuditAnchor, type AuditVerdict } from './chain-verifier';

/** Rows read per query: small enough to keep memory flat, large enough that the per-query cost vanishes. */
export const VERIFY_BATCH = 5000;

/**
 * The audit rows in seq order, read in keyset batches (`seq > last`), so memory stays flat for any log size.
 * Between batches it awaits `pause()` — on the station that yields the event loop, so a long check never holds
 * up a sale; the rows are append-only, so reading them over several transactions sees one consistent prefix.
 */
export async function* auditRowsInOrder(
  db: Db,
  options: { batch?: number; pause?: () => Promise<void> } = {},
): AsyncGenerator<AuditRow> {
  const batch = options.batch ?? VERIFY_BATCH;
  const page = db.prepare<[number, number], AuditRow>(
    'SELECT seq, id, at, user_id, action, details, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  let last = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = page.all(last, batch);
    for (const row of rows) yield row;
    const tail = rows.at(-1);
    if (!tail || rows.length < batch) return;
    last = tail.seq;
    if (options.pause) await options.pause();
  }
}

/**
 * The newest audit row the sync outbox queued (its payload is the row as written). It survives in the outbox
 * even if someone deletes rows from the end of audit_log, and the store server holds the same copy.
 */
export function auditAnchor(db: Db): AuditAnchor | null {
  const payload = db
    .prepare<[], string>("SELECT payload FROM outbox WHERE type = 'audit.appended' ORDER BY seq DESC LIMIT 1")
    .pluck()
    .get();
  if (payload === undefined) return null;
  try {
    const parsed = JSON.parse(payload) as { seq?: unknown; hash?: unknown };
    if (typeof parsed.seq === 'number' && typeof parsed.hash === 'string') {
      return { seq: parsed.seq, hash: parsed.hash };
    }
  } catch {
    // A payload that does not parse is not an anchor; the chain check itself still runs.
  }
  return null;
}

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The whole check over a database: chain plus anchor, streamed. */
export async function verifyAuditLog(
  db: Db,
  options: { batch?: number; pause?: () => Promise<void> } = {},
): Promise<AuditVerdict> {
  const verifier = new AuditChainVerifier(auditAnchor(db));
  for await (const row of auditRowsInOrder(db, options)) {
    if (verifier.push(row)) break;
  }
  return verifier.finish();
}
