import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError, type ErrorData } from '../../../shared/domain/errors';
import type {
  BackupFileView,
  BackupRunView,
  BackupScheduleSettings,
  BackupStatus,
} from '../../../shared/ipc/channels/backup';
import type { Db } from '../../db/open';
import type { Caller } from '../auth/auth-service';
import type { Clock } from '../clock';
import type { Journal } from '../journal';
import { BackupError, type BackupProblem } from './errors';
import { decodeHeader, DEFAULT_SCRYPT, deriveKey, HEADER_SIZE } from './format';
import { fileStamp } from './files';
import { stageRestore, swapInRestore } from './restore';
import { backupFileName, listStationBackups, rotateBackups } from './rotation';
import { BackupScheduleRepo } from './schedule-repo';
import { writeBackup } from './write-backup';

/** The timer the scheduler uses; tests inject one they fire by hand (no sleeping). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // A pending backup never keeps a process alive that is otherwise done.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** After a failed scheduled backup (stick not plugged in, disk full) try again this soon, not a whole interval later. */
export const RETRY_AFTER_FAILURE_MS = 15 * 60_000;

export interface BackupServiceDeps {
  db: Db;
  journal: Journal;
  clock: Clock;
  stationId: string;
  dataDir: string;
  databaseFile: string;
  migrationsDir: string;
  /** Closes the station (database, checkpointer, scheduler) before a restore swaps the file. */
  closeStation: () => void;
  timers?: Timers;
  /** Told when a restore has replaced the database: the host restarts the station or asks the operator to. */
  onRestartRequired?: () => void;
  logger?: { error(message: string, err: unknown): void };
}

/**
 * Backups of the station database: the schedule, on-demand runs, rotation, history and restore. One backup
 * runs at a time; a restore closes the station, and from then on every call is refused until restart.
 */
export class BackupService {
  private readonly repo: BackupScheduleRepo;
  private readonly timers: Timers;
  private running: Promise<BackupRunView> | null = null;
  private timer: unknown = null;
  private nextDue: Date | null = null;
  private stopped = true;
  private restarting = false;

  constructor(private readonly deps: BackupServiceDeps) {
    this.repo = new BackupScheduleRepo(deps.db);
    this.timers = deps.timers ?? systemTimers;
  }

  /** True once a restore replaced the database: the station must be restarted. */
  get restartRequired(): boolean {
    return this.restarting;
  }

  // --- status and configuration ---------------------------------------------------------------------------

  status(): BackupStatus {
    const stored = this.repo.get();
    const history = this.repo.history(1);
    return {
      config: stored ? { ...stored.settings, updatedAt: stored.updatedAt } : null,
      running: this.running !== null,
      nextDueAt: this.nextDue?.toISOString() ?? null,
      lastSuccess: this.repo.lastSuccess(),
      lastRun: history[0] ?? null,
      unsentEvents: this.count('SELECT count(*) FROM outbox WHERE acked_at IS NULL'),
      saleOpen: this.saleOpen(),
    };
  }

  history(limit: number): BackupRunView[] {
    return this.repo.history(limit);
  }

  async configure(
    actor: Caller,
    settings: BackupScheduleSettings,
    passphrase: string | undefined,
  ): Promise<BackupStatus> {
    if (!path.isAbsolute(settings.folder)) {
      throw new AppError(
        'bad_input',
        'The backup folder must be a full path (e.g. /media/usb/backups or E:\\backups).',
        {
          field: 'folder',
        },
      );
    }
    const existing = this.repo.get();
    if (!existing && passphrase === undefined) {
      throw new AppError('bad_input', 'Choose a backup passphrase: backups cannot be written without one.', {
        field: 'passphrase',
      });
    }
    // Derived before the transaction (scrypt is slow by design and runs off the main thread).
    const key =
      passphrase === undefined ? null : await deriveKey(passphrase, randomBytes(16), DEFAULT_SCRYPT);
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      this.repo.save(settings, key, now, actor.user.id);
      this.deps.journal.audit({
        at: now,
        userId: actor.user.id,
        action: 'backup.configured',
        details: { ...settings, passphraseChanged: key !== null },
      });
    })();
    this.reschedule();
    return this.status();
  }

  // --- running backups ------------------------------------------------------------------------------------

  /** An on-demand backup into the configured folder, with the stored key. */
  runNow(actor: Caller): Promise<BackupRunView> {
    if (this.running) {
      throw new AppError('conflict', 'A backup is already being written. Wait for it to finish.', {
        reason: 'backup_running',
      });
    }
    if (!this.repo.get()) {
      // Nothing was attempted: a precondition, not a failed backup (no run or audit row).
      throw toAppError(
        new BackupError('not_configured', 'Backups are not set up: choose a folder and a passphrase first.'),
      );
    }
    return this.run('manual', actor.user.id);
  }

  /** Resolves when no backup is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private run(kind: 'scheduled' | 'manual', userId: string | null): Promise<BackupRunView> {
    const started = this.deps.clock.now();
    const task = this.write(kind, userId, started).finally(() => {
      this.running = null;
    });
    this.running = task;
    return task;
  }

  private async write(
    kind: 'scheduled' | 'manual',
    userId: string | null,
    started: Date,
  ): Promise<BackupRunView> {
    const stored = this.repo.get();
    try {
      if (!stored) {
        throw new BackupError(
          'not_configured',
          'Backups are not set up: choose a folder and a passphrase first.',
        );
      }
      const { folder, keepLast } = stored.settings;
      const outFile = path.join(folder, backupFileName(this.deps.stationId, fileStamp(started)));
      const written = await writeBackup({
        db: this.deps.db,
        outFile,
        key: stored.key,
        workDir: this.deps.dataDir,
        now: started,
      });
      const rotated = rotateBackups(folder, this.deps.stationId, keepLast);
      const finished = this.deps.clock.now();
      return this.deps.db.transaction(() => {
        const run = this.repo.recordRun({
          kind,
          status: 'created',
          startedAt: started.toISOString(),
          finishedAt: finished.toISOString(),
          file: written.file,
          bytes: written.bytes,
          error: null,
          schemaVersion: written.schemaVersion,
          userId,
        });
        this.deps.journal.audit({
          at: finished,
          userId,
          action: 'backup.created',
          details: {
            kind,
            file: path.basename(written.file),
            folder,
            bytes: written.bytes,
            schemaVersion: written.schemaVersion,
            rotated,
          },
        });
        return run;
      })();
    } catch (err) {
      if (!this.deps.db.open) throw err;
      const problem: BackupProblem = err instanceof BackupError ? err.problem : 'io';
      const message = err instanceof Error ? err.message : String(err);
      const finished = this.deps.clock.now();
      this.deps.db.transaction(() => {
        this.repo.recordRun({
          kind,
          status: 'failed',
          startedAt: started.toISOString(),
          finishedAt: finished.toISOString(),
          file: null,
          bytes: null,
          error: message,
          schemaVersion: null,
          userId,
        });
        this.deps.journal.audit({
          at: finished,
          userId,
          action: 'backup.failed',
          details: { kind, problem, message },
        });
      })();
      if (kind === 'scheduled') this.deps.logger?.error('Scheduled backup failed', err);
      throw toAppError(err);
    }
  }

  // --- the schedule ---------------------------------------------------------------------------------------

  start(): void {
    this.stopped = false;
    this.reschedule();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** When the next scheduled backup is due, or null when none is scheduled. */
  get nextDueAt(): Date | null {
    return this.nextDue;
  }

  private reschedule(): void {
    this.clearTimer();
    if (this.stopped || this.restarting) return;
    const stored = this.repo.get();
    if (!stored?.settings.enabled) return;
    const now = this.deps.clock.now().getTime();
    const interval = stored.settings.intervalMinutes * 60_000;
    const last = this.repo.history(1)[0];
    const lastSuccess = this.repo.lastSuccess();
    let due: number;
    if (last?.status === 'failed')
      due = Date.parse(last.finishedAt) + Math.min(RETRY_AFTER_FAILURE_MS, interval);
    else if (lastSuccess) due = Date.parse(lastSuccess.startedAt) + interval;
    else due = now; // never backed up: now
    this.nextDue = new Date(Math.max(due, now));
    this.timer = this.timers.setTimeout(() => this.fire(), Math.max(0, due - now));
  }

  private fire(): void {
    this.timer = null;
    if (this.stopped || this.restarting) return;
    if (this.running) {
      // An on-demand backup is being written right now; the schedule counts from it.
      void this.running.catch(() => undefined).finally(() => this.reschedule());
      return;
    }
    void this.run('scheduled', null)
      .catch(() => undefined) // recorded and audited in write()
      .finally(() => this.reschedule());
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.nextDue = null;
  }

  // --- restore --------------------------------------------------------------------------------------------

  /** This station's backups in the configured folder, newest first, described from their headers. */
  files(): BackupFileView[] {
    const stored = this.repo.get();
    if (!stored) return [];
    return listStationBackups(stored.settings.folder, this.deps.stationId).map((file) => {
      const view: BackupFileView = {
        name: path.basename(file),
        path: file,
        bytes: 0,
        createdAt: null,
        schemaVersion: null,
      };
      try {
        view.bytes = fs.statSync(file).size;
        const fd = fs.openSync(file, 'r');
        try {
          const buf = Buffer.alloc(HEADER_SIZE);
          const read = fs.readSync(fd, buf, 0, HEADER_SIZE, 0);
          const header = decodeHeader(buf.subarray(0, read));
          view.createdAt = header.createdAt.toISOString();
          view.schemaVersion = header.schemaVersion;
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        // Listed anyway: the restore itself says what is wrong with it.
      }
      return view;
    });
  }

  /**
   * Restores a backup over this station's database. Checked first, with the station still working: no open
   * sale, unsent sync events acknowledged, and the file verified completely (decrypted beside the database,
   * integrity_check, schema). Any refusal changes nothing in the business data (the refusal itself is audited).
   * Then the station closes, the files are swapped (previous database kept aside) and the result is opened
   * once to confirm; the caller must restart the station.
   */
  async restore(
    actor: Caller,
    input: { file: string; passphrase: string; confirmUnsentLoss: boolean },
  ): Promise<{ keptAs: string | null; schemaVersion: number; restartRequired: true }> {
    if (this.restarting) throw restartError();
    if (!path.isAbsolute(input.file)) {
      throw new AppError('bad_input', 'Give the full path of the backup file.', { field: 'file' });
    }
    if (this.running) {
      throw new AppError('conflict', 'A backup is being written. Restore when it has finished.', {
        reason: 'backup_running',
      });
    }
    try {
      if (this.saleOpen()) {
        throw new BackupError(
          'sale_open',
          'A sale is open on this station. Finish or void it before restoring.',
        );
      }
      const unsent = this.count('SELECT count(*) FROM outbox WHERE acked_at IS NULL');
      if (unsent > 0 && !input.confirmUnsentLoss) {
        throw new AppError(
          'conflict',
          `${unsent} events have not reached the store server yet and would be lost by a restore. Confirm to restore anyway.`,
          { reason: 'unsent_events', unsent },
        );
      }
      const staged = await stageRestore({
        dataDir: this.deps.dataDir,
        inFile: input.file,
        passphrase: input.passphrase,
        migrationsDir: this.deps.migrationsDir,
      });
      try {
        // From here the station stops: no call reaches the old database again.
        this.restarting = true;
        this.stop();
        this.deps.closeStation();
        const result = await swapInRestore({
          dataDir: this.deps.dataDir,
          databaseFile: this.deps.databaseFile,
          staged,
          migrationsDir: this.deps.migrationsDir,
          now: this.deps.clock.now(),
          userId: actor.user.id,
          via: 'station',
          sourceFile: input.file,
          releaseWaitMs: 3000,
        });
        this.deps.onRestartRequired?.();
        return {
          keptAs: result.keptAs && path.basename(result.keptAs),
          schemaVersion: result.schemaVersion,
          restartRequired: true,
        };
      } finally {
        staged.discard();
      }
    } catch (err) {
      if (!this.restarting && this.deps.db.open) {
        const message = err instanceof Error ? err.message : String(err);
        this.deps.db.transaction(() =>
          this.deps.journal.audit({
            at: this.deps.clock.now(),
            userId: actor.user.id,
            action: 'backup.restore_refused',
            details: { file: path.basename(input.file), problem: problemOf(err), message },
          }),
        )();
      }
      throw toAppError(err);
    }
  }

  /** The error every call gets after a restore (the gate's `blocked`). */
  blockedError(): ErrorData | null {
    return this.restarting ? restartError().toData() : null;
  }

  private saleOpen(): boolean {
    return this.count("SELECT count(*) FROM sales WHERE status IN ('open', 'tendering')") > 0;
  }

  private count(sql: string): number {
    return this.deps.db.prepare<[], number>(sql).pluck().get() ?? 0;
  }
}

function restartError(): AppError {
  return new AppError(
    'conflict',
    'A backup was restored. Restart Countertop to continue with the restored data.',
    { reason: 'restart_required' },
  );
}

function problemOf(err: unknown): string {
  if (err instanceof BackupError) return err.problem;
  if (err instanceof AppError) {
    const reason = err.details?.reason;
    return typeof reason === 'string' ? reason : err.code;
  }
  return 'io';
}

/** A BackupError as the typed error the UI shows (the sentence is already written for a person). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (!(err instanceof BackupError)) {
    return new AppError('storage_error', 'The backup could not be completed.', undefined, 'call_technician');
  }
  const details = { reason: err.problem };
  switch (err.problem) {
    case 'wrong_passphrase':
    case 'not_a_backup':
    case 'unsupported_version':
    case 'damaged':
    case 'truncated':
    case 'not_a_station_database':
    case 'too_new':
      return new AppError('bad_input', err.message, details);
    case 'sale_open':
    case 'busy':
    case 'station_running':
    case 'not_configured':
      return new AppError('conflict', err.message, details);
    case 'io':
      return new AppError('storage_error', err.message, details, 'retry');
  }
}
