import { auditHash, GENESIS_HASH, type AuditRow } from '../journal';

/**
 * Checks the hash chain of the audit log one row at a time, in seq order, holding only the last few rows — so a
 * million-row log is verified without loading it. Each row must (1) have the next seq, (2) carry the previous
 * row's hash as `prev_hash`, and (3) carry the hash of its own content. The first row that does not is reported
 * with the most likely cause:
 *
 * - `deleted`: seq jumps (rows are missing), or the rows after a gap were renumbered to close it;
 * - `edited`: the row's content no longer matches its hash, or it was re-hashed so the next row's link breaks;
 * - `reordered`: the row's hash is intact but was made for another seq (rows swapped places);
 * - `inserted`: a row the chain skips over (the next row links to the row before it).
 *
 * What a chain without a secret cannot see on its own: someone who rewrites EVERY row from the change to the
 * end, or removes rows from the very end. The anchor (the newest audit row the sync outbox queued, a copy the
 * store server also holds) catches both as long as it survives; the store server's copy is the final word.
 */
export type AuditBreakReason = 'edited' | 'deleted' | 'reordered' | 'inserted';

export interface AuditBreak {
  /** The first row that does not fit (for a deletion: the first row after the gap). */
  seq: number;
  /** Its id, or null when the row is gone (rows deleted from the end). */
  id: string | null;
  reason: AuditBreakReason;
  /** One sentence for a person. */
  message: string;
}

export type AuditVerdict = { intact: true; rows: number; lastSeq: number } | ({ intact: false } & AuditBreak);

/** The newest row known from elsewhere (the outbox's `audit.appended` payload). */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/** How far from its place a moved row is looked for (a swap of neighbours, a renumbering by a few rows). */
const MOVE_SEARCH = 64;
/** Rows kept behind the current one, to name an inserted row a few places back. */
const HISTORY = MOVE_SEARCH + 2;

const selfConsistent = (row: AuditRow): boolean => auditHash(row) === row.hash;

/** The seq the row's stored hash was computed for, if it is near its place and not its own seq. */
function movedFrom(row: AuditRow): number | null {
  for (let d = 1; d <= MOVE_SEARCH; d++) {
    for (const seq of [row.seq + d, row.seq - d]) {
      if (seq >= 1 && auditHash({ ...row, seq }) === row.hash) return seq;
    }
  }
  return null;
}

/** By how much a row's hash is off its seq: 0 when it is its own, null when it matches no nearby seq. */
function shiftOf(row: AuditRow): number | null {
  if (selfConsistent(row)) return 0;
  const from = movedFrom(row);
  return from === null ? null : from - row.seq;
}

export class AuditChainVerifier {
  /** Verified rows, newest last (bounded). */
  private readonly history: AuditRow[] = [];
  /** The row waiting for its successor (some causes are told apart by the next row). */
  private pending: AuditRow | null = null;
  private broken: AuditBreak | null = null;
  private rows = 0;
  private anchorSeen = false;

  constructor(private readonly anchor: AuditAnchor | null = null) {}

  /** Feeds the next row in seq order; returns the break once one is found (later rows are then ignored). */
  push(row: AuditRow): AuditBreak | null {
    if (this.broken) return this.broken;
    if (this.pending) this.settle(this.pending, row);
    this.pending = row;
    return this.broken;
  }

  /** After the last row: the verdict. */
  finish(): AuditVerdict {
    if (!this.broken && this.pending) this.settle(this.pending, null);
    this.pending = null;
    if (!this.broken && this.anchor && !this.anchorSeen) {
      const lastSeq = this.history.at(-1)?.seq ?? 0;
      if (this.anchor.seq > lastSeq) {
        this.broken = {
          seq: lastSeq + 1,
          id: null,
          reason: 'deleted',
          message: `Rows ${lastSeq + 1}–${this.anchor.seq} were removed from the end of the log (the sync queue recorded row ${this.anchor.seq}).`,
        };
      }
    }
    if (this.broken) return { intact: false, ...this.broken };
    return { intact: true, rows: this.rows, lastSeq: this.history.at(-1)?.seq ?? 0 };
  }

  private settle(row: AuditRow, next: AuditRow | null): void {
    const found = this.check(row, next);
    if (found) {
      this.broken = found;
      return;
    }
    if (this.anchor && row.seq === this.anchor.seq) {
      this.anchorSeen = true;
      if (row.hash !== this.anchor.hash) {
        this.broken = {
          seq: row.seq,
          id: row.id,
          reason: 'edited',
          message: `Row ${row.seq} differs from the copy queued for the store server: the log was rewritten from this row or earlier.`,
        };
        return;
      }
    }
    this.rows += 1;
    this.history.push(row);
    if (this.history.length > HISTORY) this.history.shift();
  }

  private check(row: AuditRow, next: AuditRow | null): AuditBreak | null {
    const prev = this.history.at(-1) ?? null;
    const expectedSeq = prev ? prev.seq + 1 : 1;
    const expectedPrevHash = prev?.hash ?? GENESIS_HASH;
    const at = (reason: AuditBreakReason, message: string, target: AuditRow = row): AuditBreak => ({
      seq: target.seq,
      id: target.id,
      reason,
      message,
    });

    if (row.seq !== expectedSeq) {
      const missing =
        row.seq === expectedSeq + 1 ? `Row ${expectedSeq} is` : `Rows ${expectedSeq}–${row.seq - 1} are`;
      return at('deleted', `${missing} missing before row ${row.seq}.`);
    }
    const selfOk = selfConsistent(row);
    const linkOk = row.prev_hash === expectedPrevHash;
    if (selfOk && linkOk) return null;

    if (!selfOk) {
      const shift = shiftOf(row);
      if (shift === null) {
        // Nothing matches: changed content — unless the chain simply skips this row (a row slipped in).
        if (next && next.prev_hash === expectedPrevHash) {
          return at('inserted', `Row ${row.seq} was inserted: the row after it links to row ${row.seq - 1}.`);
        }
        return at('edited', `Row ${row.seq} was changed: its content no longer matches its hash.`);
      }
      const nextShift = next ? shiftOf(next) : null;
      if (shift > 0 && (nextShift === shift || next === null)) {
        return at(
          'deleted',
          `Rows ${row.seq}–${row.seq + shift - 1} were deleted and the rows after them renumbered (row ${row.seq} was written as row ${row.seq + shift}).`,
        );
      }
      if (shift < 0 && (nextShift === shift || next === null)) {
        // The rows from here on moved down by |shift|: the |shift| rows before this one were slipped in.
        const firstInserted = row.seq + shift;
        const target = this.history.find((r) => r.seq === firstInserted) ?? row;
        return at(
          'inserted',
          `Rows ${firstInserted}–${row.seq - 1} were inserted and the rows after them renumbered.`,
          target,
        );
      }
      return at('reordered', `Row ${row.seq} is out of order: it was written as row ${row.seq + shift}.`);
    }

    // The row is intact but does not link to the row before it.
    if (!prev) {
      return at('deleted', 'The first rows of the log were removed: row 1 does not start the chain.');
    }
    const beforePrev = this.history.at(-2) ?? null;
    if (row.prev_hash === (beforePrev?.hash ?? GENESIS_HASH)) {
      return at('inserted', `Row ${prev.seq} was inserted: row ${row.seq} links to the row before it.`, prev);
    }
    return at(
      'edited',
      `Row ${prev.seq} was changed and given a new hash: row ${row.seq} recorded a different one.`,
      prev,
    );
  }
}

/** Verifies rows from any iterable (tests, small logs); the station and the CLI stream them in batches. */
export function verifyAuditRows(rows: Iterable<AuditRow>, anchor: AuditAnchor | null = null): AuditVerdict {
  const verifier = new AuditChainVerifier(anchor);
  for (const row of rows) if (verifier.push(row)) break;
  return verifier.finish();
}
