import Database from 'better-sqlite3';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { bundledWorkerFile } from '../../bundled-worker';
import { BackupError, type BackupProblem } from './errors';

/** A time for file names: sortable, no colons (Windows), UTC. `2026-01-15T09-00-00-000Z`. */
export function fileStamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

/** Makes a rename durable: on POSIX the directory entry is only safe once the directory is fsynced. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there; NTFS journals renames
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes a scratch database and the WAL/SHM files SQLite may have left beside it. */
export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

export interface DatabaseFileCheck {
  schemaVersion: number;
}

/**
 * Proves a database file is a sound Countertop station database: a full `PRAGMA integrity_check`, the station
 * table present, and a schema version this build can open (`maxSchema`) — equal to `expectSchema` when given.
 */
export interface CheckExpectations {
  maxSchema?: number;
  expectSchema?: number;
}

export function checkDatabaseFile(file: string, expect: CheckExpectations = {}): DatabaseFileCheck {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (err) {
    throw new BackupError(
      'damaged',
      `The database inside the backup cannot be opened: ${(err as Error).message}`,
    );
  }
  try {
    let problems: string[];
    try {
      const rows = db.pragma('integrity_check(20)') as { integrity_check: string }[];
      problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    } catch (err) {
      problems = [(err as Error).message];
    }
    if (problems.length > 0) {
      throw new BackupError(
        'damaged',
        `The database inside the backup failed its integrity check (${problems.slice(0, 2).join('; ')}).`,
      );
    }
    const hasStation = db
      .prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'station'")
      .pluck()
      .get() as number;
    if (hasStation !== 1) {
      throw new BackupError(
        'not_a_station_database',
        'The backup does not hold a Countertop station database.',
      );
    }
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (expect.expectSchema !== undefined && schemaVersion !== expect.expectSchema) {
      throw new BackupError(
        'damaged',
        `The database inside the backup has schema ${schemaVersion}, but the backup says ${expect.expectSchema}.`,
      );
    }
    if (expect.maxSchema !== undefined && schemaVersion > expect.maxSchema) {
      throw new BackupError(
        'too_new',
        `This backup was made by a newer version of Countertop (schema ${schemaVersion}; this version knows up to ${expect.maxSchema}). Install the newer version to restore it.`,
      );
    }
    return { schemaVersion };
  } finally {
    db.close();
  }
}

export function ensureDir(dir: string, what: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new BackupError('io', `Cannot create the ${what} ${dir}: ${(err as Error).message}`);
  }
  if (!fs.statSync(dir).isDirectory()) throw new BackupError('io', `The ${what} ${dir} is not a folder.`);
}

export const CHECK_WORKER_FILE = 'backup-check-worker.mjs';

/**
 * `checkDatabaseFile` off the main thread: `integrity_check` reads every page (seconds on a large database).
 * In the bundled app it runs in the check worker; without the bundle (tests) it runs here after the current
 * turn of the event loop.
 */
export function checkDatabaseFileAsync(
  file: string,
  expect: CheckExpectations = {},
  workerFile = bundledWorkerFile(CHECK_WORKER_FILE),
): Promise<DatabaseFileCheck> {
  if (workerFile === null) {
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(checkDatabaseFile(file, expect));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { file, expect } });
    let answered = false;
    worker.once(
      'message',
      (
        msg: { ok: true; value: DatabaseFileCheck } | { ok: false; problem: BackupProblem; message: string },
      ) => {
        answered = true;
        if (msg.ok) resolve(msg.value);
        else reject(new BackupError(msg.problem, msg.message));
      },
    );
    worker.once('error', (err) => {
      if (!answered) reject(new BackupError('io', `The backup check could not run: ${err.message}`));
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new BackupError('io', `The backup check stopped unexpectedly (exit ${code}).`));
    });
  });
}
