import type { Db } from '../../db/open';
import type { AuditEntry, AuditFilter } from '../../../shared/ipc/channels/audit';
import { csvLine } from './csv';

interface Row {
  seq: number;
  id: string;
  at: string;
  user_id: string | null;
  user_name: string | null;
  action: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/**
 * Filtered audit rows, newest first, paged by keyset (`seq < beforeSeq`). Every filter is a bound parameter;
 * `IS NULL` switches a filter off, and the indexes on (user_id, seq) and (action, seq) serve the common cases.
 */
const SELECT = `
  SELECT a.seq, a.id, a.at, a.user_id, u.name AS user_name, a.action, a.details, a.prev_hash, a.hash
  FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
  WHERE (@userId IS NULL OR a.user_id = @userId)
    AND (@action IS NULL OR a.action = @action)
    AND (@from IS NULL OR a.at >= @from)
    AND (@to IS NULL OR a.at < @to)
    AND a.seq < @beforeSeq
  ORDER BY a.seq DESC
  LIMIT @limit`;

/** Times are stored as UTC ISO strings (`toISOString`); filters in any offset are compared in the same form. */
const utc = (iso: string | undefined): string | null =>
  iso === undefined ? null : new Date(iso).toISOString();

function params(filter: AuditFilter, beforeSeq: number, limit: number) {
  return {
    userId: filter.userId ?? null,
    action: filter.action ?? null,
    from: utc(filter.from),
    to: utc(filter.to),
    beforeSeq,
    limit,
  };
}

const toEntry = (r: Row): AuditEntry => ({
  seq: r.seq,
  id: r.id,
  at: r.at,
  userId: r.user_id,
  userName: r.user_name,
  action: r.action,
  details: JSON.parse(r.details) as Record<string, unknown>,
  hash: r.hash,
});

export class AuditQuery {
  private readonly page;
  private readonly actions;
  private readonly users;
  private readonly counter;

  constructor(db: Db) {
    this.counter = db.prepare<ReturnType<typeof params>, number>(`SELECT count(*) FROM (${SELECT})`).pluck();
    this.page = db.prepare<ReturnType<typeof params>, Row>(SELECT);
    this.actions = db.prepare<[], string>('SELECT DISTINCT action FROM audit_log ORDER BY action').pluck();
    this.users = db.prepare<[], { id: string; name: string }>(
      'SELECT id, name FROM users WHERE id IN (SELECT DISTINCT user_id FROM audit_log WHERE user_id IS NOT NULL) ORDER BY name',
    );
  }

  list(
    filter: AuditFilter,
    beforeSeq: number | undefined,
    limit: number,
  ): { entries: AuditEntry[]; nextBeforeSeq: number | null } {
    // One more than asked tells whether an older page exists.
    const rows = this.page.all(params(filter, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit + 1));
    const entries = rows.slice(0, limit).map(toEntry);
    return { entries, nextBeforeSeq: rows.length > limit ? (entries.at(-1)?.seq ?? null) : null };
  }

  facets(): { users: { id: string; name: string }[]; actions: string[] } {
    return { users: this.users.all(), actions: this.actions.all() };
  }

  /**
   * The filtered rows as CSV lines, header first, newest first, read page by page so the whole log never sits
   * in memory. `maxRows` stops early; the caller learns how many rows it got.
   */
  *csv(filter: AuditFilter, maxRows = Number.MAX_SAFE_INTEGER): Generator<string> {
    yield csvLine(['seq', 'id', 'at', 'user_id', 'user_name', 'action', 'details', 'prev_hash', 'hash']);
    let before = Number.MAX_SAFE_INTEGER;
    let left = maxRows;
    while (left > 0) {
      const rows = this.page.all(params(filter, before, Math.min(1000, left)));
      for (const r of rows) {
        yield csvLine([r.seq, r.id, r.at, r.user_id, r.user_name, r.action, r.details, r.prev_hash, r.hash]);
      }
      const tail = rows.at(-1);
      if (!tail || rows.length < Math.min(1000, left)) return;
      left -= rows.length;
      before = tail.seq;
    }
  }

  /** How many rows a filter matches (to refuse an export that is too large before building it). */
  count(filter: AuditFilter): number {
    // LIMIT -1 is "no limit" in SQLite.
    return this.counter.get(params(filter, Number.MAX_SAFE_INTEGER, -1)) ?? 0;
  }
}
