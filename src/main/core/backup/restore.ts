import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { loadMigrations } from '../../db/migrations';
import { openDatabase } from '../../db/open';
import { Journal } from '../journal';
import { decryptFile } from './crypto-file';
import { BackupError, ioError } from './errors';
import { deriveKey, type BackupHeader } from './format';
import { checkDatabaseFileAsync, fileStamp, fsyncDir, removeDatabaseFiles } from './files';

/** A backup decrypted and proven sound, waiting in the data folder (same file system: the swap is a rename). */
export interface StagedRestore {
  file: string;
  header: BackupHeader;
  schemaVersion: number;
  /** Removes the staged copy (after a swap it is already gone). */
  discard(): void;
}

/**
 * Decrypts the backup next to the station database and checks it completely: passphrase, every chunk, the
 * end of the file, `PRAGMA integrity_check`, and a schema this version can open. Reads only the backup:
 * whatever it refuses, the station database has not been touched.
 */
export async function stageRestore(options: {
  dataDir: string;
  inFile: string;
  passphrase: string;
  migrationsDir: string;
}): Promise<StagedRestore> {
  const latest = loadMigrations(options.migrationsDir).length;
  const file = path.join(options.dataDir, `restore-staged-${randomUUID()}.db`);
  const discard = () => removeDatabaseFiles(file);
  try {
    const header = await decryptFile(options.inFile, file, (h) =>
      deriveKey(options.passphrase, h.salt, h.scrypt),
    );
    const { schemaVersion } = await checkDatabaseFileAsync(file, {
      expectSchema: header.schemaVersion,
      maxSchema: latest,
    });
    return { file, header, schemaVersion, discard };
  } catch (err) {
    discard();
    throw err;
  }
}

export interface SwapOptions {
  dataDir: string;
  databaseFile: string;
  staged: StagedRestore;
  migrationsDir: string;
  now: Date;
  /** Who restored (written in the restored database's audit log); null from the command line. */
  userId: string | null;
  via: 'cli' | 'station';
  sourceFile: string;
  /** How long to wait for other connections to let go (the station's checkpoint worker closing). */
  releaseWaitMs?: number;
}

export interface SwapResult {
  /** Where the previous database was kept, or null when there was none. */
  keptAs: string | null;
  schemaVersion: number;
}

/**
 * Puts a staged backup in place of the station database:
 * 1. takes the current database exclusively (refused while a station still has it open), which also folds
 *    its WAL into the file;
 * 2. renames it aside as `station.db.before-restore-<time>` (kept: a restore can be undone by hand);
 * 3. renames the staged copy to `station.db` and fsyncs the folder;
 * 4. confirms by opening it the way the station does (integrity check, migrations to this version) and writes
 *    `backup.restored` to its audit log. If that fails, the restored file is set aside as
 *    `…failed-restore-<time>` and the previous database is put back.
 */
export async function swapInRestore(options: SwapOptions): Promise<SwapResult> {
  const { databaseFile, staged, now } = options;
  const stamp = fileStamp(now);
  const keptAs = `${databaseFile}.before-restore-${stamp}`;
  const hadCurrent = fs.existsSync(databaseFile);
  let issued: IssuedNumbers | null = null;
  try {
    if (hadCurrent) {
      await takeExclusive(databaseFile, options.releaseWaitMs ?? 0);
      issued = readIssuedNumbers(databaseFile);
      await moveDatabase(databaseFile, keptAs);
    }
    await fsp.rename(staged.file, databaseFile);
    await fsyncDir(options.dataDir);
  } catch (err) {
    staged.discard();
    if (hadCurrent && !fs.existsSync(databaseFile) && fs.existsSync(keptAs)) {
      await moveDatabase(keptAs, databaseFile).catch(() => undefined);
    }
    throw ioError('put the backup in place of the station database', err);
  }

  try {
    const db = openDatabase({ file: databaseFile, migrationsDir: options.migrationsDir });
    try {
      const journal = new Journal(db);
      db.transaction(() => {
        const carried = issued ? carryIssuedNumbers(db, issued, now) : null;
        journal.audit({
          at: now,
          userId: options.userId,
          action: 'backup.restored',
          details: {
            via: options.via,
            file: path.basename(options.sourceFile),
            backupCreatedAt: staged.header.createdAt.toISOString(),
            schemaVersion: staged.schemaVersion,
            previousKeptAs: hadCurrent ? path.basename(keptAs) : null,
            carried,
          },
        });
      })();
    } finally {
      db.close();
    }
  } catch (err) {
    const failedAs = `${databaseFile}.failed-restore-${stamp}`;
    await moveDatabase(databaseFile, failedAs).catch(() => undefined);
    if (hadCurrent) await moveDatabase(keptAs, databaseFile).catch(() => undefined);
    throw new BackupError(
      'damaged',
      `The restored database could not be opened (${(err as Error).message}); the previous database was put back.`,
    );
  }
  return { keptAs: hadCurrent ? keptAs : null, schemaVersion: staged.schemaVersion };
}

/**
 * Proves nobody else has the database open: an exclusive lock is refused while any connection (a running
 * station, its checkpoint worker) holds it. Closing our connection checkpoints the WAL into the file.
 */
async function takeExclusive(file: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const db = new Database(file, { fileMustExist: true, timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('COMMIT');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      if (Date.now() >= deadline) {
        throw new BackupError(
          'station_running',
          'The station database is in use: stop the Countertop station on this computer first, then restore.',
        );
      }
    } finally {
      db.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Renames a database with its WAL/SHM companions, so the moved set stays consistent. */
async function moveDatabase(from: string, to: string): Promise<void> {
  await fsp.rename(from, to);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(from + suffix)) await fsp.rename(from + suffix, to + suffix);
  }
}

/** The whole restore for the command line: stage (verify), then swap. */
export async function restoreDatabase(options: {
  dataDir: string;
  databaseFile: string;
  inFile: string;
  passphrase: string;
  migrationsDir: string;
  now: Date;
}): Promise<SwapResult> {
  const staged = await stageRestore(options);
  try {
    return await swapInRestore({
      ...options,
      staged,
      userId: null,
      via: 'cli',
      sourceFile: options.inFile,
    });
  } finally {
    staged.discard();
  }
}

/** What the database being replaced had already handed out: numbers nobody may hand out twice. */
interface IssuedNumbers {
  stationId: string | null;
  /** The last outbox seq: the store server knows this station's events by seq up to here. */
  outboxSeq: number;
  /** The last receipt number per series: those receipts are in customers' hands. */
  receipts: { series: string; lastSeq: number }[];
}

function readIssuedNumbers(file: string): IssuedNumbers {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const has = (table: string) =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    const stationId = has('station')
      ? ((db.prepare('SELECT id FROM station WHERE singleton = 1').pluck().get() as string | undefined) ??
        null)
      : null;
    const outboxSeq = has('outbox')
      ? (db.prepare('SELECT coalesce(max(seq), 0) FROM outbox').pluck().get() as number)
      : 0;
    const receipts =
      has('receipt_counters') && stationId !== null
        ? db
            .prepare<[string], { series: string; lastSeq: number }>(
              'SELECT series, last_seq AS lastSeq FROM receipt_counters WHERE station_id = ?',
            )
            .all(stationId)
        : [];
    return { stationId, outboxSeq, receipts };
  } finally {
    db.close();
  }
}

/**
 * A restored backup is older than the database it replaces, whose events already went to the store server and
 * whose receipts were printed. Carrying on from the backup's numbers would reuse them: the server would reject
 * every new event as a `seq_conflict` (and sync would stop for good), and receipt numbers would repeat. So the
 * restored database continues after the highest numbers the replaced one issued — an acknowledged marker row
 * takes the outbox to that seq, and each receipt counter steps forward (its trigger allows only +1 steps).
 * The jump is recorded in the `backup.restored` audit row. Runs inside that row's transaction.
 */
function carryIssuedNumbers(
  db: Database.Database,
  issued: IssuedNumbers,
  now: Date,
): { outboxFrom: number; outboxTo: number; receipts: Record<string, { from: number; to: number }> } {
  const at = now.toISOString();
  const restoredOutbox = db.prepare('SELECT coalesce(max(seq), 0) FROM outbox').pluck().get() as number;
  if (issued.outboxSeq > restoredOutbox) {
    db.prepare(
      `INSERT INTO outbox (seq, event_id, type, payload, created_at, acked_at)
       VALUES (?, ?, 'station.restored', ?, ?, ?)`,
    ).run(issued.outboxSeq, randomUUID(), JSON.stringify({ skippedFrom: restoredOutbox + 1 }), at, at);
  }
  const receipts: Record<string, { from: number; to: number }> = {};
  const restoredStation = db.prepare('SELECT id FROM station WHERE singleton = 1').pluck().get() as
    string | undefined;
  if (restoredStation !== undefined && restoredStation === issued.stationId) {
    const current = db.prepare<[string, string], { lastSeq: number }>(
      'SELECT last_seq AS lastSeq FROM receipt_counters WHERE station_id = ? AND series = ?',
    );
    const insert = db.prepare('INSERT INTO receipt_counters (station_id, series, last_seq) VALUES (?, ?, ?)');
    const step = db.prepare(
      'UPDATE receipt_counters SET last_seq = last_seq + 1 WHERE station_id = ? AND series = ?',
    );
    for (const { series, lastSeq } of issued.receipts) {
      const from = current.get(restoredStation, series)?.lastSeq ?? 0;
      if (lastSeq <= from) continue;
      if (from === 0) insert.run(restoredStation, series, lastSeq);
      else for (let n = from; n < lastSeq; n++) step.run(restoredStation, series);
      receipts[series] = { from, to: lastSeq };
    }
  }
  return { outboxFrom: restoredOutbox, outboxTo: Math.max(restoredOutbox, issued.outboxSeq), receipts };
}
