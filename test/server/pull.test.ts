import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting, upsertProducts, upsertStaff, type ProductChange } from '../../src/server/admin';
import { writeReference } from '../../src/server/reference-data';
import { PullResponseSchema, type PullResponse } from '../../src/shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import {
  ADMIN_TOKEN,
  api,
  enrolStation,
  errorCode,
  makeStore,
  startServerFixture,
  type EnrolledStation,
  type ServerFixture,
} from './support';

let pg: TestPostgres;
let fx: ServerFixture;

beforeAll(async () => {
  pg = await startPostgres();
  fx = await startServerFixture(pg);
}, 120_000);

afterAll(async () => {
  await fx?.close();
  await pg?.stop();
});

const product = (plu: string, price = 100): ProductChange => ({
  plu,
  barcodes: [],
  nameZh: `商品${plu}`,
  nameEn: `Product ${plu}`,
  category: null,
  unit: 'piece',
  price,
  cost: null,
  taxCode: 'VAT13',
  active: true,
});

async function pull(station: EnrolledStation, after: number, limit?: number): Promise<PullResponse> {
  const query = limit === undefined ? `after=${after}` : `after=${after}&limit=${limit}`;
  const answer = await api(fx.server.url, `/v1/changes?${query}`, { token: station.credential });
  if (answer.status !== 200)
    throw new Error(`pull answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return PullResponseSchema.parse(answer.body);
}

/** Pulls until the feed has nothing more, collecting every change. */
async function pullAll(station: EnrolledStation, after: number, limit: number) {
  const changes: PullResponse['changes'] = [];
  let cursor = after;
  for (;;) {
    const page = await pull(station, cursor, limit);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

describe('pull', () => {
  it('pages the store feed by cursor, in seq order, with what remains', async () => {
    const storeId = await makeStore(fx.pool); // two tax rates
    const station = await enrolStation(fx, storeId);
    await upsertProducts(
      fx.pool,
      storeId,
      Array.from({ length: 25 }, (_, i) => product(String(1000 + i))),
    );
    const first = await pull(station, 0, 10);
    expect(first.changes.map((c) => c.entity)).toEqual([
      ...Array<string>(2).fill('tax_rate'),
      ...Array<string>(8).fill('product'),
    ]);
    expect(first).toMatchObject({ hasMore: true, remaining: 17, cursor: first.changes.at(-1)!.seq });
    const second = await pull(station, first.cursor, 10);
    expect(second.remaining).toBe(7);
    const rest = await pullAll(station, second.cursor, 10);
    const all = [...first.changes, ...second.changes, ...rest.changes];
    expect(all.length).toBe(27);
    const seqs = all.map((c) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(27);
    const nothing = await pull(station, rest.cursor);
    expect(nothing).toEqual({ changes: [], cursor: rest.cursor, hasMore: false, remaining: 0 });
  });

  it('serves only its own store, and only changes that really changed something', async () => {
    const storeA = await makeStore(fx.pool);
    const storeB = await makeStore(fx.pool);
    const a = await enrolStation(fx, storeA);
    const b = await enrolStation(fx, storeB);
    await upsertProducts(fx.pool, storeA, [product('1'), product('2')]);
    const start = (await pullAll(b, 0, 1000)).cursor;
    await upsertProducts(fx.pool, storeB, [product('9')]);
    const again = await upsertProducts(fx.pool, storeA, [product('1'), product('2', 250)]);
    expect(again).toEqual({ changed: 1, unchanged: 1, rejected: [] });
    const fromA = await pullAll(a, 0, 1000);
    expect(fromA.changes.filter((c) => c.entity === 'product').map((c) => c.data)).toMatchObject([
      { plu: '1' },
      { plu: '2', price: 100 },
      { plu: '2', price: 250 },
    ]);
    const fromB = await pull(b, start);
    expect(fromB.changes.map((c) => c.data)).toMatchObject([{ plu: '9' }]);
  });

  it('never serves a later change before an earlier one still in flight, then serves both exactly once', async () => {
    const storeId = await makeStore(fx.pool);
    const station = await enrolStation(fx, storeId);
    const start = (await pullAll(station, 0, 1000)).cursor;
    const insert = (client: { query: (sql: string, params: unknown[]) => Promise<unknown> }, key: string) =>
      client.query(
        `INSERT INTO change_log (store_id, entity, key, data, ordinal) VALUES ($1, 'setting', $2, $3, 0)`,
        [storeId, key, JSON.stringify({ key, value: key })],
      );
    const early = await fx.pool.connect();
    const late = await fx.pool.connect();
    try {
      await early.query('BEGIN');
      await insert(early, 'earlier'); // takes the lower seq, stays open
      await late.query('BEGIN');
      await insert(late, 'later');
      await late.query('COMMIT');

      const whileOpen = await pull(station, start);
      expect(whileOpen.changes).toEqual([]);
      expect(whileOpen.cursor).toBe(start);

      await early.query('COMMIT');
      const after = await pullAll(station, start, 1000);
      expect(after.changes.map((c) => c.entity === 'setting' && c.data.key)).toEqual(['earlier', 'later']);
      expect(await pull(station, after.cursor)).toMatchObject({ changes: [] });
    } finally {
      early.release();
      late.release();
    }
  });

  it('keeps seq order equal to commit order for the server own writers, even across several statements', async () => {
    const storeId = await makeStore(fx.pool);
    const station = await enrolStation(fx, storeId);
    const start = (await pullAll(station, 0, 1000)).cursor;
    const rows = (prefix: string) =>
      Array.from({ length: 3 }, (_, i) => ({
        key: `${prefix}${i}`,
        data: { key: `${prefix}${i}`, value: i },
      }));
    const one = await fx.pool.connect();
    const two = await fx.pool.connect();
    try {
      await one.query('BEGIN');
      await two.query('BEGIN');
      await writeReference(one, storeId, 'setting', rows('a'));
      // The second writer waits for the store lock the first holds until it commits ...
      const second = writeReference(two, storeId, 'setting', rows('b')).then(() => two.query('COMMIT'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      // ... so the first's later statement still gets the next seqs, before any of the second's.
      await writeReference(one, storeId, 'setting', rows('c'));
      await one.query('COMMIT');
      await second;
    } finally {
      one.release();
      two.release();
    }
    const got = await pullAll(station, start, 4);
    expect(got.changes.map((c) => (c.entity === 'setting' ? c.data.key : '?'))).toEqual([
      'a0',
      'a1',
      'a2',
      'c0',
      'c1',
      'c2',
      'b0',
      'b1',
      'b2',
    ]);
  });

  it('refuses a bad cursor or limit', async () => {
    const station = await enrolStation(fx, await makeStore(fx.pool));
    for (const query of ['after=-1', 'after=abc', 'limit=0', 'limit=1001', 'after=1.5']) {
      const answer = await api(fx.server.url, `/v1/changes?${query}`, { token: station.credential });
      expect([query, answer.status, errorCode(answer)]).toEqual([query, 400, 'bad_request']);
    }
  });
});

describe('reference data', () => {
  it('checks products like a station does and refuses unknown tax codes, per row', async () => {
    const storeId = await makeStore(fx.pool);
    const outcome = await upsertProducts(fx.pool, storeId, [
      { ...product('1'), barcodes: ['6901234567892'] },
      { ...product('2'), barcodes: ['6901234567891'] }, // wrong check digit
      { ...product('3'), taxCode: 'VAT99' },
      { ...product('4'), nameZh: '', nameEn: '' },
    ]);
    expect(outcome.changed).toBe(1);
    expect(outcome.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(outcome.rejected[0]!.reason).toMatch(/check digit/);
    expect(outcome.rejected[1]!.reason).toMatch(/VAT99/);
    const stored = await fx.pool.query<{ data: ProductChange }>(
      "SELECT data FROM reference_data WHERE store_id = $1 AND entity = 'product'",
      [storeId],
    );
    // Barcodes are served in the station's normal form (GTIN-14).
    expect(stored.rows.map((r) => r.data.barcodes)).toEqual([['06901234567892']]);
  });

  it('loads products, staff and settings through the admin API, each change in the feed', async () => {
    const storeId = await makeStore(fx.pool);
    const station = await enrolStation(fx, storeId);
    const post = (path: string, body: unknown) =>
      api(fx.server.url, `/v1/admin/stores/${storeId}/${path}`, { token: ADMIN_TOKEN, body });
    expect((await post('products', { products: [product('77')] })).body).toEqual({
      changed: 1,
      unchanged: 0,
      rejected: [],
    });
    const staffId = randomUUID();
    const staff = {
      id: staffId,
      name: '王芳',
      role: 'cashier',
      pinHash: 'scrypt$16384$8$1$salt$hash',
      active: true,
    };
    expect((await post('staff', { staff: [staff] })).status).toBe(200);
    expect(
      (await post('settings', { settings: [{ key: 'receipt.footer', value: '谢谢惠顾' }] })).status,
    ).toBe(200);
    const badProduct = await post('products', { products: [{ ...product('78'), price: -1 }] });
    expect([badProduct.status, errorCode(badProduct)]).toEqual([400, 'bad_request']);
    const unknownField = await post('staff', { staff: [{ ...staff, pin: '1234' }] });
    expect([unknownField.status, errorCode(unknownField)]).toEqual([400, 'bad_request']);
    const duplicateKey = await post('products', { products: [product('79'), product('79')] });
    expect([duplicateKey.status, errorCode(duplicateKey)]).toEqual([400, 'bad_request']);
    const noStore = await api(fx.server.url, '/v1/admin/stores/nowhere/products', {
      token: ADMIN_TOKEN,
      body: { products: [] },
    });
    expect(noStore.status).toBe(404);

    await setSetting(fx.pool, storeId, 'receipt.footer', '谢谢惠顾'); // unchanged: no new change
    await upsertStaff(fx.pool, storeId, [{ ...staff, role: 'cashier', active: false }]);
    const feed = await pullAll(station, 0, 1000);
    expect(feed.changes.map((c) => c.entity)).toEqual([
      'tax_rate',
      'tax_rate',
      'product',
      'staff',
      'setting',
      'staff',
    ]);
    expect(feed.changes.at(-1)).toMatchObject({ entity: 'staff', data: { id: staffId, active: false } });
  });
});
