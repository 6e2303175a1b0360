import type { GiftCardOfflinePolicy } from '../../../shared/sync/gift-cards';
import type { Db } from '../../db/open';

/** Every SQL statement of the station's sync, prepared once, parameters bound. */

export interface EnrolmentRow {
  server_url: string;
  credential: string;
  store_id: string;
  store_name: string;
  cert_sha256: string | null;
  enrolled_at: string;
  refused_at: string | null;
  refused_code: string | null;
}

export interface SyncStateRow {
  pull_cursor: number;
  last_push_at: string | null;
  last_pull_at: string | null;
  offline_warn_minutes: number;
  gift_card_offline: GiftCardOfflinePolicy;
}

export interface OutboxRow {
  seq: number;
  event_id: string;
  type: string;
  payload: string;
  created_at: string;
}

export interface QuarantineRow extends OutboxRow {
  code: string;
  message: string;
  quarantined_at: string;
}

export class SyncStore {
  private readonly selectEnrolment;
  private readonly upsertEnrolment;
  private readonly markRefused;
  private readonly selectState;
  private readonly resetCursor;
  private readonly setCursor;
  private readonly setLastPush;
  private readonly setOfflineWarn;
  private readonly setGiftCardOffline;
  private readonly selectPending;
  private readonly selectPendingAfter;
  private readonly countPending;
  private readonly ackRow;
  private readonly insertQuarantine;
  private readonly countQuarantine;
  private readonly listQuarantine;

  constructor(readonly db: Db) {
    this.selectEnrolment = db.prepare<[], EnrolmentRow>(
      'SELECT server_url, credential, store_id, store_name, cert_sha256, enrolled_at, refused_at, refused_code FROM sync_enrolment WHERE singleton = 1',
    );
    this.upsertEnrolment = db.prepare(
      `INSERT INTO sync_enrolment (singleton, server_url, credential, store_id, store_name, cert_sha256, enrolled_at, refused_at, refused_code)
       VALUES (1, @server_url, @credential, @store_id, @store_name, @cert_sha256, @enrolled_at, NULL, NULL)
       ON CONFLICT (singleton) DO UPDATE SET server_url = excluded.server_url, credential = excluded.credential,
         store_id = excluded.store_id, store_name = excluded.store_name, cert_sha256 = excluded.cert_sha256,
         enrolled_at = excluded.enrolled_at, refused_at = NULL, refused_code = NULL`,
    );
    this.markRefused = db.prepare(
      'UPDATE sync_enrolment SET refused_at = ?, refused_code = ? WHERE singleton = 1 AND refused_at IS NULL',
    );
    this.selectState = db.prepare<[], SyncStateRow>(
      'SELECT pull_cursor, last_push_at, last_pull_at, offline_warn_minutes, gift_card_offline FROM sync_state WHERE singleton = 1',
    );
    this.resetCursor = db.prepare(
      'UPDATE sync_state SET pull_cursor = 0, last_pull_at = NULL WHERE singleton = 1',
    );
    // The WHERE makes a cursor that does not continue from the expected one change nothing (the caller checks).
    this.setCursor = db.prepare<[number, string, number]>(
      'UPDATE sync_state SET pull_cursor = ?, last_pull_at = ? WHERE singleton = 1 AND pull_cursor = ?',
    );
    this.setLastPush = db.prepare('UPDATE sync_state SET last_push_at = ? WHERE singleton = 1');
    this.setOfflineWarn = db.prepare('UPDATE sync_state SET offline_warn_minutes = ? WHERE singleton = 1');
    this.setGiftCardOffline = db.prepare<[GiftCardOfflinePolicy]>(
      'UPDATE sync_state SET gift_card_offline = ? WHERE singleton = 1',
    );
    this.selectPending = db.prepare<[number], OutboxRow>(
      'SELECT seq, event_id, type, payload, created_at FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?',
    );
    this.selectPendingAfter = db.prepare<[number, number], OutboxRow>(
      'SELECT seq, event_id, type, payload, created_at FROM outbox WHERE acked_at IS NULL AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.countPending = db.prepare<[], { n: number }>(
      'SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL',
    );
    this.ackRow = db.prepare<[string, number, string]>(
      'UPDATE outbox SET acked_at = ? WHERE seq = ? AND event_id = ? AND acked_at IS NULL',
    );
    this.insertQuarantine = db.prepare(
      `INSERT INTO sync_quarantine (seq, event_id, type, payload, created_at, code, message, quarantined_at)
       SELECT seq, event_id, type, payload, created_at, @code, @message, @at FROM outbox
       WHERE seq = @seq AND event_id = @event_id
       ON CONFLICT DO NOTHING`,
    );
    this.countQuarantine = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sync_quarantine');
    this.listQuarantine = db.prepare<[number, number], QuarantineRow>(
      'SELECT seq, event_id, type, payload, created_at, code, message, quarantined_at FROM sync_quarantine ORDER BY seq DESC LIMIT ? OFFSET ?',
    );
  }

  enrolment(): EnrolmentRow | undefined {
    return this.selectEnrolment.get();
  }

  /** Stores a new enrolment; a different server or store starts the change feed from the beginning. */
  saveEnrolment(row: Omit<EnrolmentRow, 'refused_at' | 'refused_code'>): void {
    const before = this.enrolment();
    this.upsertEnrolment.run(row);
    if (before === undefined || before.server_url !== row.server_url || before.store_id !== row.store_id) {
      this.resetCursor.run();
    }
  }

  refused(at: Date, code: string): void {
    this.markRefused.run(at.toISOString(), code);
  }

  state(): SyncStateRow {
    const row = this.selectState.get();
    if (row === undefined) throw new Error('sync_state row missing (migration 0008 not applied?)');
    return row;
  }

  /** Moves the cursor from `from` to `to`; false when the stored cursor is no longer `from`. */
  advanceCursor(from: number, to: number, at: Date): boolean {
    return this.setCursor.run(to, at.toISOString(), from).changes === 1;
  }

  pushSucceeded(at: Date): void {
    this.setLastPush.run(at.toISOString());
  }

  setOfflineWarnMinutes(minutes: number): void {
    this.setOfflineWarn.run(minutes);
  }

  setGiftCardOfflinePolicy(policy: GiftCardOfflinePolicy): void {
    this.setGiftCardOffline.run(policy);
  }

  pending(limit: number): OutboxRow[] {
    return this.selectPending.all(limit);
  }

  /** The oldest pending rows after `seq` (the rows before it are already on their way). */
  pendingAfter(seq: number, limit: number): OutboxRow[] {
    return this.selectPendingAfter.all(seq, limit);
  }

  pendingCount(): number {
    return this.countPending.get()?.n ?? 0;
  }

  /** Marks one outbox row sent; false when it was not pending (acknowledged by an earlier answer). */
  ack(seq: number, eventId: string, at: Date): boolean {
    return this.ackRow.run(at.toISOString(), seq, eventId).changes === 1;
  }

  quarantine(seq: number, eventId: string, code: string, message: string, at: Date): void {
    this.insertQuarantine.run({ seq, event_id: eventId, code, message, at: at.toISOString() });
  }

  quarantinedCount(): number {
    return this.countQuarantine.get()?.n ?? 0;
  }

  quarantined(limit: number, offset: number): QuarantineRow[] {
    return this.listQuarantine.all(limit, offset);
  }
}
