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
 * Applies every pending migration in ONE transaction and records the version in `PRAGMA user_version`.
 * A database written by a newer version of the station is refused, never "fixed".
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
  db.transaction(() => {
    for (const mig of migrations.slice(current)) db.exec(mig.sql);
    // PRAGMA cannot take a bound parameter; the value is an integer we computed, not input.
    db.pragma(`user_version = ${latest}`);
  })();
  return { from: current, to: latest };
}
