import { randomUUID } from 'node:crypto';
import {
  BackupScheduleSettingsSchema,
  type BackupRunView,
  type BackupScheduleSettings,
} from '../../../shared/ipc/channels/backup';
import type { Db } from '../../db/open';
import type { BackupKey } from './format';

interface ScheduleRow {
  enabled: number;
  folder: string;
  interval_minutes: number;
  keep_last: number;
  kdf_salt: Buffer;
  kdf_log_n: number;
  kdf_r: number;
  kdf_p: number;
  backup_key: Buffer;
  updated_at: string;
}

interface RunRow {
  id: string;
  kind: 'scheduled' | 'manual';
  status: 'created' | 'failed';
  started_at: string;
  finished_at: string;
  file: string | null;
  bytes: number | null;
  error: string | null;
}

export interface StoredSchedule {
  settings: BackupScheduleSettings;
  key: BackupKey;
  updatedAt: string;
}

const toRun = (r: RunRow): BackupRunView => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  file: r.file,
  bytes: r.bytes,
  error: r.error,
});

/** The backup schedule row and the run history (migrations/0007_controls.sql). */
export class BackupScheduleRepo {
  constructor(private readonly db: Db) {}

  get(): StoredSchedule | null {
    const row = this.db.prepare<[], ScheduleRow>('SELECT * FROM backup_schedule WHERE singleton = 1').get();
    if (!row) return null;
    // The row passed the table's CHECKs; parsing again keeps one definition of "valid settings".
    const settings = BackupScheduleSettingsSchema.parse({
      enabled: row.enabled === 1,
      folder: row.folder,
      intervalMinutes: row.interval_minutes,
      keepLast: row.keep_last,
    });
    return {
      settings,
      key: {
        salt: row.kdf_salt,
        scrypt: { logN: row.kdf_log_n, r: row.kdf_r, p: row.kdf_p },
        material: row.backup_key,
      },
      updatedAt: row.updated_at,
    };
  }

  /** Writes the schedule; `key` null keeps the stored key. Call inside the action's transaction. */
  save(settings: BackupScheduleSettings, key: BackupKey | null, at: Date, userId: string | null): void {
    const values = {
      enabled: settings.enabled ? 1 : 0,
      folder: settings.folder,
      interval_minutes: settings.intervalMinutes,
      keep_last: settings.keepLast,
      updated_at: at.toISOString(),
      updated_by: userId,
    };
    if (key) {
      this.db
        .prepare(
          `INSERT INTO backup_schedule (singleton, enabled, folder, interval_minutes, keep_last, kdf_salt, kdf_log_n,
             kdf_r, kdf_p, backup_key, updated_at, updated_by)
           VALUES (1, @enabled, @folder, @interval_minutes, @keep_last, @kdf_salt, @kdf_log_n, @kdf_r, @kdf_p,
             @backup_key, @updated_at, @updated_by)
           ON CONFLICT (singleton) DO UPDATE SET enabled = excluded.enabled, folder = excluded.folder,
             interval_minutes = excluded.interval_minutes, keep_last = excluded.keep_last,
             kdf_salt = excluded.kdf_salt, kdf_log_n = excluded.kdf_log_n, kdf_r = excluded.kdf_r,
             kdf_p = excluded.kdf_p, backup_key = excluded.backup_key, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by`,
        )
        .run({
          ...values,
          kdf_salt: key.salt,
          kdf_log_n: key.scrypt.logN,
          kdf_r: key.scrypt.r,
          kdf_p: key.scrypt.p,
          backup_key: key.material,
        });
    } else {
      this.db
        .prepare(
          `UPDATE backup_schedule SET enabled = @enabled, folder = @folder, interval_minutes = @interval_minutes,
             keep_last = @keep_last, updated_at = @updated_at, updated_by = @updated_by WHERE singleton = 1`,
        )
        .run(values);
    }
  }

  recordRun(
    run: Omit<BackupRunView, 'id'> & { schemaVersion: number | null; userId: string | null },
  ): BackupRunView {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO backup_runs (id, kind, status, started_at, finished_at, file, bytes, schema_version, error, user_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        run.kind,
        run.status,
        run.startedAt,
        run.finishedAt,
        run.file,
        run.bytes,
        run.schemaVersion,
        run.error,
        run.userId,
      );
    return { id, ...pickRun(run) };
  }

  history(limit: number): BackupRunView[] {
    return this.db
      .prepare<[number], RunRow>('SELECT * FROM backup_runs ORDER BY started_at DESC, rowid DESC LIMIT ?')
      .all(limit)
      .map(toRun);
  }

  lastSuccess(): BackupRunView | null {
    const row = this.db
      .prepare<[], RunRow>(
        "SELECT * FROM backup_runs WHERE status = 'created' ORDER BY started_at DESC, rowid DESC LIMIT 1",
      )
      .get();
    return row ? toRun(row) : null;
  }
}

function pickRun(run: Omit<BackupRunView, 'id'>): Omit<BackupRunView, 'id'> {
  const { kind, status, startedAt, finishedAt, file, bytes, error } = run;
  return { kind, status, startedAt, finishedAt, file, bytes, error };
}
