/**
 * The station against the REAL store server (src/server) on a real PostgreSQL: enrolment with a code the
 * server issued, the catalog and staff pulled, sales rung by a pulled cashier pushed exactly once (events, sale
 * projections and stock ledger on the server), a server-side price change arriving, and revocation stopping
 * the station.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashPin } from '../../../src/main/core/auth/pin-hash';
import { createPool, type Pool } from '../../../src/server/db';
import {
  createEnrolmentCode,
  createStore,
  revokeStation,
  upsertProducts,
  upsertStaff,
  upsertTaxRates,
} from '../../../src/server/admin';
import { startStoreServer, type StoreServer } from '../../../src/server/index';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { connect, unwrap } from '../../helpers/station';
import { openSyncStation, until, type SyncStation } from './fixture';
import { cashierCaller, ringSale } from './ring';

let pg: TestPostgres;
let pool: Pool;
let server: StoreServer;
let st: SyncStation | undefined;
const CASHIER_ID = '0190a5e0-0000-7000-8000-0000000000c1';

beforeAll(async () => {
  pg = await startPostgres();
  const databaseUrl = await pg.newDatabase();
  server = await startStoreServer({
    databaseUrl,
    port: 0,
    adminToken: 'integration-admin-token',
    log: () => undefined,
  });
  pool = createPool(databaseUrl, 2);
  await createStore(pool, { id: 'store-1', name: '一号店', currency: 'CNY' });
  await upsertTaxRates(pool, 'store-1', [
    { code: 'VAT13', nameZh: '增值税13%', nameEn: 'VAT 13%', ratePpm: 130_000, active: true },
  ]);
  await upsertProducts(
    pool,
    'store-1',
    ['7001', '7002', '7003'].map((plu, i) => ({
      plu,
      barcodes: [],
      nameZh: `商品${plu}`,
      nameEn: `Product ${plu}`,
      category: null,
      unit: 'piece' as const,
      price: 100 * (i + 1),
      cost: null,
      taxCode: 'VAT13',
      active: true,
    })),
  );
  await upsertStaff(pool, 'store-1', [
    { id: CASHIER_ID, name: '孙丽', role: 'cashier', pinHash: await hashPin('2468'), active: true },
  ]);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await server?.close();
  await pg?.stop();
});

afterEach(() => st?.cleanup());

const count = async (sql: string, params: unknown[]) =>
  Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);

describe('station ⇄ store server', () => {
  it('enrols, pulls catalog and staff, pushes sales exactly once, receives a price change, stops when revoked', async () => {
    st = await openSyncStation();
    const { station } = st;
    const code = await createEnrolmentCode(pool, 'store-1');
    unwrap(await st.admin('sync:enrol', { serverUrl: server.url, code }));
    await until(() => station.auth.users.get(CASHIER_ID) !== undefined, 'staff pulled');
    await until(() => station.sync.status().pendingEvents === 0, 'first push done');

    // The pulled cashier signs in with the PIN the server only knows as a hash.
    const till = connect(station, 'till');
    unwrap(await till('auth:sign-in', { userId: CASHIER_ID, pin: '2468' }));
    const caller = cashierCaller(station, CASHIER_ID);
    const sales = [];
    for (let i = 0; i < 6; i++)
      sales.push(await ringSale(station, caller, ['7001', '7002', '7003'], 1 + (i % 3)));
    await until(() => station.sync.status().pendingEvents === 0, 'sales pushed');

    const outbox = station.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    expect(await count('SELECT count(*) AS n FROM station_events WHERE station_id = $1', [station.id])).toBe(
      outbox,
    );
    expect(await count('SELECT count(*) AS n FROM rejected_events WHERE station_id = $1', [station.id])).toBe(
      0,
    );
    expect(unwrap(await st.admin('sync:status', {})).quarantined).toBe(0);
    for (const sale of sales) {
      expect(await count('SELECT count(*) AS n FROM sales WHERE id = $1', [sale.id])).toBe(1);
    }
    const localStock = station.db
      .prepare('SELECT coalesce(sum(delta_milli), 0) FROM stock_movements')
      .pluck()
      .get();
    const serverStock = await count(
      'SELECT coalesce(sum(qty_delta_milli), 0) AS n FROM stock_movements WHERE station_id = $1',
      [station.id],
    );
    expect(serverStock).toBe(localStock);
    const maxSeq = station.db.prepare('SELECT max(seq) FROM outbox').pluck().get();
    expect(await count('SELECT max(seq) AS n FROM station_events WHERE station_id = $1', [station.id])).toBe(
      maxSeq,
    );

    // A price change on the server reaches the till.
    await upsertProducts(pool, 'store-1', [
      {
        plu: '7001',
        barcodes: [],
        nameZh: '商品7001',
        nameEn: 'Product 7001',
        category: null,
        unit: 'piece',
        price: 155,
        cost: null,
        taxCode: 'VAT13',
        active: true,
      },
    ]);
    unwrap(await st.admin('sync:now', {}));
    await until(() => station.catalog.resolveScan('7001').product.price === 155, 'new price pulled');

    await revokeStation(pool, station.id);
    await ringSale(station, caller, ['7001'], 1);
    unwrap(await st.admin('sync:now', {}));
    await until(() => station.sync.status().state === 'refused', 'refused after revocation');
    const status = unwrap(await st.admin('sync:status', {}));
    expect(status.lastError?.code).toBe('revoked');
    expect(status.pendingEvents).toBeGreaterThan(0);
  });
});
