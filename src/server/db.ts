import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadMigrations, type Migration } from '../main/db/migrations';

/**
 * The server's PostgreSQL connection pool and its migrations. Migrations are `migrations/NNNN_name.sql`, all
 * pending ones applied in ONE transaction together with the recorded version; a database whose schema is newer
 * than this code knows is refused, never "fixed". Several server processes may start at once: the runner
 * holds a transaction-scoped advisory lock, so only one migrates and the others then see the result.
 */

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** Key of the advisory lock the migration runner holds (any constant no other code uses). */
const MIGRATION_LOCK = 7_241_901;

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The database schema is version ${found}, but this server knows only up to ${known}: it was migrated by a newer server. Run the newer server (or restore a backup); the database was left untouched.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** The migrations folder: next to this file in the sources, `src/server/migrations` from a bundle in dist/server. */
export function defaultMigrationsDir(): string {
  const candidates = [
    new URL('./migrations/', import.meta.url),
    new URL('../../src/server/migrations/', import.meta.url),
  ];
  for (const candidate of candidates) {
    const dir = fileURLToPath(candidate);
    if (fs.existsSync(dir)) return dir;
  }
  throw new Error(
    `The server migrations are missing (looked in ${candidates.map((c) => fileURLToPath(c)).join(', ')}).`,
  );
}

let cachedMigrations: Migration[] | null = null;

export function serverMigrations(): Migration[] {
  cachedMigrations ??= loadMigrations(defaultMigrationsDir());
  return cachedMigrations;
}

/** The schema version this code writes and reads. */
export function knownSchemaVersion(): number {
  return serverMigrations().length;
}

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `fn` in one transaction on one client; rolls back on any error. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The recorded schema version, or 0 for a database the server never migrated. */
export async function currentSchemaVersion(db: Pick<Pool, 'query'>): Promise<number> {
  const exists = await db.query<{ present: boolean }>(
    "SELECT to_regclass('public.server_schema') IS NOT NULL AS present",
  );
  if (exists.rows[0]?.present !== true) return 0;
  const row = await db.query<{ version: number }>('SELECT version FROM server_schema');
  return row.rows[0]?.version ?? 0;
}

/**
 * Brings the database to this code's schema.
 * @throws SchemaTooNewError when the database is newer than this code.
 */
export async function migrate(
  pool: Pool,
  migrations: readonly Migration[] = serverMigrations(),
): Promise<{ from: number; to: number }> {
  const latest = migrations.length;
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS server_schema (
         only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
         version    integer NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const current = await currentSchemaVersion(client);
    if (current > latest) throw new SchemaTooNewError(current, latest);
    if (current === latest) return { from: current, to: current };
    for (const migration of migrations.slice(current)) await client.query(migration.sql);
    await client.query(
      `INSERT INTO server_schema (only_row, version) VALUES (true, $1)
       ON CONFLICT (only_row) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`,
      [latest],
    );
    return { from: current, to: latest };
  });
}
