import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { DatabaseOpenError } from './errors';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads `NNNN_name.sql` files; numbering must start at 1 and have no gaps or duplicates. */
export function loadMigrations(dir: string): Migration[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const migrations = files.map((file) => {
    const m = FILE_PATTERN.exec(file);
    if (!m)
      throw new DatabaseOpenError('bad_migrations', `Migration file name must be NNNN_name.sql: ${file}`);
    return { version: Number(m[1]), name: m[2] ?? file, sql: fs.readFileSync(path.join(dir, file), 'utf8') };
  });
  migrations.forEach((mig, i) => {
    if (mig.version !== i + 1) {
      throw new DatabaseOpenError(
        'bad_migrations',
        `Migrations must be numbered 1..N without gaps; found ${mig.version} at position ${i + 1}`,
      );
    }
  });
  return migrations;
}

/**
 * The first-line marker of a migration that rebuilds a table (SQLite's documented way to change a CHECK or a
 * column: create new, copy, drop, rename). Such a rebuild needs foreign keys OFF — dropping a table that other
 * rows reference would otherwise fail or cascade — and `PRAGMA foreign_keys` cannot change inside a
 * transaction, so the runner turns them off before BEGIN and proves the result with `foreign_key_check`.
 */
export const FOREIGN_KEYS_OFF_MARKER = '-- countertop: foreign-keys-off';

export function needsForeignKeysOff(migration: Pick<Migration, 'sql'>): boolean {
  const firstLine = migration.sql.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return firstLine.trim() === FOREIGN_KEYS_OFF_MARKER;
}

/**
 * Applies every pending migration in ONE transaction and records the version in `PRAGMA user_version`.
 * A database written by a newer version of the station is refused, never "fixed".
 *
 * When a pending migration carries FOREIGN_KEYS_OFF_MARKER, foreign keys are off for the whole transaction
 * (they are a connection setting, not per statement), `PRAGMA foreign_key_check` must come back empty before
 * COMMIT — any dangling reference rolls everything back with a clear error — and they are on again afterwards,
 * whatever happened.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
): { from: number; to: number } {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (current > latest) {
    throw new DatabaseOpenError(
      'too_new',
      `This database was written by a newer version of Countertop (schema ${current}; this version knows up to ${latest}). Install the newer version or restore a backup; the database was left untouched.`,
    );
  }
  if (current === latest) return { from: current, to: current };
  const pending = migrations.slice(current);
  const rebuild = pending.some(needsForeignKeysOff);
  const keysWereOn = (db.pragma('foreign_keys', { simple: true }) as number) === 1;
  if (rebuild && keysWereOn) {
    db.pragma('foreign_keys = OFF');
    // A no-op inside an open transaction: then the rebuild must not run at all.
    if ((db.pragma('foreign_keys', { simple: true }) as number) !== 0) {
      throw new DatabaseOpenError(
        'bad_migrations',
        'Foreign keys could not be turned off for a table rebuild (a transaction is open); the database was left untouched.',
      );
    }
  }
  try {
    db.transaction(() => {
      for (const mig of pending) db.exec(mig.sql);
      if (rebuild) assertForeignKeysHold(db, pending);
      // PRAGMA cannot take a bound parameter; the value is an integer we computed, not input.
      db.pragma(`user_version = ${latest}`);
    })();
  } finally {
    if (rebuild && keysWereOn) db.pragma('foreign_keys = ON');
  }
  return { from: current, to: latest };
}

interface ForeignKeyProblem {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

/** Throws (rolling the migrations back) when any row references a row that is not there. */
function assertForeignKeysHold(db: Database.Database, pending: readonly Migration[]): void {
  const problems = db.pragma('foreign_key_check') as ForeignKeyProblem[];
  if (problems.length === 0) return;
  const sample = problems
    .slice(0, 5)
    .map((p) => `${p.table} row ${p.rowid ?? '?'} → ${p.parent}`)
    .join('; ');
  const names = pending
    .filter(needsForeignKeysOff)
    .map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`)
    .join(', ');
  throw new DatabaseOpenError(
    'bad_migrations',
    `Migration ${names} would leave ${problems.length} broken reference(s) (${sample}); nothing was changed.`,
  );
}
