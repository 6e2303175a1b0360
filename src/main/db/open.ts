import Database from 'better-sqlite3';
import { DatabaseOpenError } from './errors';
import { quickCheck } from './integrity';
import { loadMigrations, migrate } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  file: string;
  migrationsDir: string;
  /**
   * `at_open` (default) runs quick_check before anything else; `deferred` only proves the file is an SQLite
   * database with a readable schema, and leaves the full check to `checkIntegrityInBackground` (the station
   * does this so a large database does not delay the till).
   */
  integrityCheck?: 'at_open' | 'deferred';
}

/**
 * Opens the station database with the pragmas a till needs and refuses to start if any did not take:
 * WAL for concurrent readers, synchronous=FULL so a completed sale survives a power cut (better-sqlite3's
 * WAL default is NORMAL, which can lose the last commits), foreign keys on, a busy timeout, and
 * trusted_schema off. A corrupt file is detected with quick_check and reported, never overwritten.
 */
export function openDatabase({ file, migrationsDir, integrityCheck = 'at_open' }: OpenOptions): Db {
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw new DatabaseOpenError(
      'corrupt',
      `Cannot open the station database at ${file}: ${(err as Error).message}`,
    );
  }
  try {
    applyPragmas(db);
    if (integrityCheck === 'at_open') checkIntegrity(db, file);
    // Reading the schema fails at once on a file that is not a database (SQLITE_NOTADB).
    else db.prepare('SELECT count(*) FROM sqlite_schema').get();
    migrate(db, loadMigrations(migrationsDir));
    return db;
  } catch (err) {
    db.close();
    if (err instanceof DatabaseOpenError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new DatabaseOpenError(
        'corrupt',
        `The station database at ${file} is damaged (${code}). It was left as it is: restore a backup or call a technician.`,
      );
    }
    throw err;
  }
}

function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('trusted_schema = OFF');
  const expect = (pragma: string, want: string | number) => {
    const got = db.pragma(pragma, { simple: true }) as string | number;
    if (String(got).toLowerCase() !== String(want).toLowerCase()) {
      throw new DatabaseOpenError(
        'pragma_not_applied',
        `PRAGMA ${pragma} is ${got}, expected ${want}: refusing to start.`,
      );
    }
  };
  expect('journal_mode', 'wal');
  expect('synchronous', 2);
  expect('foreign_keys', 1);
  expect('busy_timeout', 5000);
  expect('trusted_schema', 0);
}

function checkIntegrity(db: Db, file: string): void {
  const problems = quickCheck(db);
  if (problems.length > 0) {
    throw new DatabaseOpenError(
      'corrupt',
      `The station database at ${file} failed its integrity check (${problems.slice(0, 3).join('; ')}). It was left as it is: restore a backup or call a technician.`,
    );
  }
}
