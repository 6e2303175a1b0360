import { startDevPostgres, useExistingPostgres, type DevPostgres } from '../../src/server/dev-postgres';

/**
 * The PostgreSQL the server tests run on: the server at DATABASE_URL when it is set, else a throwaway cluster
 * (Debian's `postgresql` package) started for this test file. Each test file calls this once (beforeAll) and
 * stop() in afterAll; `newDatabase()` gives a fresh, empty database. A missing PostgreSQL fails the tests
 * with a message naming the package.
 */
export function startPostgres(): Promise<DevPostgres> {
  const external = process.env.DATABASE_URL;
  if (external !== undefined && external !== '') return Promise.resolve(useExistingPostgres(external));
  return startDevPostgres();
}

export type { DevPostgres as TestPostgres };
