import { createPool, migrate } from './db';

/**
 * Brings a database to this server's schema (what `npm run server` does before it listens).
 * @throws SchemaTooNewError when the database was migrated by a newer server.
 */
export async function migrateServerDatabase(databaseUrl: string): Promise<{ from: number; to: number }> {
  const pool = createPool(databaseUrl, 1);
  try {
    return await migrate(pool);
  } finally {
    await pool.end();
  }
}
