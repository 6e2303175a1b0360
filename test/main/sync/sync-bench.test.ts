/**
 * The sync benchmark's own correctness, at a small size (`npm run bench:sync` runs it at 1,000,000 products and
 * 100,000 sales): a new station pulls the whole catalog exactly once and can search it, and a backlog of real
 * sales reaches the real server exactly once. Timings are printed by the bench, never asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedChecks, runStationSyncBench } from '../../../src/server/bench/station-sync-bench';
import { createPool, type Pool } from '../../../src/server/db';
import { startStoreServer, type StoreServer } from '../../../src/server/index';
import { MIGRATIONS_DIR } from '../../helpers/paths';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { tempDataDir } from '../../helpers/temp-dir';

let pg: TestPostgres;
let pool: Pool;
let server: StoreServer;

beforeAll(async () => {
  pg = await startPostgres();
  const databaseUrl = await pg.newDatabase();
  server = await startStoreServer({
    databaseUrl,
    port: 0,
    adminToken: 'bench-smoke-token',
    log: () => undefined,
  });
  pool = createPool(databaseUrl, 2);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await server?.close();
  await pg?.stop();
});

describe('sync bench (small)', () => {
  it('pulls 2,000 products exactly once and searchable, pushes a 500-sale backlog exactly once', async () => {
    const dir = tempDataDir('countertop-sync-bench-');
    try {
      const result = await runStationSyncBench({
        serverUrl: server.url,
        pool,
        dataDir: dir.dir,
        migrationsDir: MIGRATIONS_DIR,
        products: 2000,
        sales: 500,
        // 200 rung through the sale service, 300 copies of them with their own ids: both must arrive once.
        realSales: 200,
        probeIntervalMs: 5,
      });
      const c = result.checks;
      expect(failedChecks(c, 2000, 500)).toEqual([]);
      expect(c).toMatchObject({
        feedChanges: 2003,
        pulledChanges: 2003,
        pulledOutOfOrder: 0,
        stationProducts: 2000,
        indexedProducts: 2000,
        indexPending: 0,
        backlogSales: 500,
        serverSales: 500,
        outboxPending: 0,
        quarantined: 0,
      });
      // Each sale is its sale.completed event plus audit rows: the backlog was the station's real outbox.
      expect(c.backlogEvents).toBeGreaterThanOrEqual(4 * 500);
      expect(c.serverEvents).toBe(c.outboxEvents);
      expect(result.figures.map((f) => f.name)).toEqual([
        'sync.push_backlog',
        'sync.first_pull',
        'sync.pull_products',
        'sync.lookup_during_pull',
        'sync.search_after_pull',
      ]);
      expect(result.figures.find((f) => f.name === 'sync.push_backlog')).toMatchObject({
        unit: 'sales/s',
        n: 500,
      });
    } finally {
      dir.cleanup();
    }
  }, 120_000);
});
