import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRejectedEvents, listStations } from '../../src/server/admin';
import { createEnrolmentCode } from '../../src/server/admin';
import { outboxEvent, saleCompletedEvents, syntheticSale } from '../../src/server/bench/synthetic-sales';
import { salesReport } from '../../src/server/reports';
import { canonicalJson } from '../../src/shared/sync/canonical-json';
import type { SaleView } from '../../src/shared/ipc/channels/sale';
import {
  EnrolResponseSchema,
  MAX_PUSH_BODY_BYTES,
  PushResponseSchema,
  type PushEvent,
} from '../../src/shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { unwrap } from '../helpers/station';
import { openSaleStation, PRODUCTS, priceLabel, weightLabel } from '../main/sale/fixture';
import {
  api,
  enrolStation,
  errorCode,
  makeStore,
  push,
  pushResults,
  startServerFixture,
  statuses,
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

const LINES = [
  { plu: '101', qtyMilli: 3000, unitPrice: 350, taxRatePpm: 130_000 },
  { plu: '102', qtyMilli: 1000, unitPrice: 1200, taxRatePpm: 90_000 },
];

function sale(
  station: EnrolledStation,
  options: Partial<Parameters<typeof syntheticSale>[0]> = {},
): SaleView {
  return syntheticSale({
    stationId: station.stationId,
    lines: LINES,
    at: new Date('2026-03-10T04:00:00Z'),
    ...options,
  });
}

const saleEvent = (station: EnrolledStation, seq: number, doc = sale(station)): PushEvent =>
  outboxEvent(
    seq,
    'sale.completed',
    { stationId: station.stationId, document: doc },
    new Date(doc.completedAt!),
  );

async function count(sql: string, ...params: unknown[]): Promise<number> {
  const result = await fx.pool.query<{ n: string }>(sql, params);
  return Number(result.rows[0]!.n);
}

async function newStation(): Promise<EnrolledStation> {
  return enrolStation(fx, await makeStore(fx.pool));
}

describe('push', () => {
  it('stores each event once: created, then duplicate on a retry, with its projections', async () => {
    const station = await newStation();
    const events = [...saleCompletedEvents(station.stationId, 1, sale(station)), saleEvent(station, 3)];
    expect(statuses(await pushResults(fx, station, events))).toEqual(['created', 'created', 'created']);
    const retry = await pushResults(fx, station, events);
    expect(retry).toEqual(events.map((e) => ({ eventId: e.eventId, seq: e.seq, status: 'duplicate' })));
    expect(
      await count('SELECT count(*) AS n FROM station_events WHERE station_id = $1', station.stationId),
    ).toBe(3);
    expect(await count('SELECT count(*) AS n FROM sales WHERE station_id = $1', station.stationId)).toBe(2);
    // 3 × 3.50 + 12.00 per sale, one card payment each, two stock movements each.
    expect(await count('SELECT sum(total) AS n FROM sales WHERE station_id = $1', station.stationId)).toBe(
      4500,
    );
    expect(
      await count('SELECT sum(amount) AS n FROM sale_payments WHERE store_id = $1', station.storeId),
    ).toBe(4500);
    expect(
      await count(
        'SELECT sum(qty_delta_milli) AS n FROM stock_movements WHERE station_id = $1',
        station.stationId,
      ),
    ).toBe(-8000);
    const [listed] = await listStations(fx.pool, station.storeId);
    expect(listed).toMatchObject({ lastSeq: 3 });
    expect(listed!.lastSeenAt).not.toBeNull();
  });

  it('stores each body exactly as its canonical JSON, whatever characters it carries', async () => {
    const station = await newStation();
    const notes = [
      'a\u001eb',
      'quote " and \\ backslash',
      '中文 收银',
      '{"not":"json inside"}',
      '\u001f\t\n',
    ];
    const events = notes.map((note, i) =>
      outboxEvent(i + 1, 'audit.appended', { z: 1, note, a: [note, { y: note, b: 2 }] }, new Date()),
    );
    expect(statuses(await pushResults(fx, station, events))).toEqual(notes.map(() => 'created'));
    const stored = await fx.pool.query<{ seq: string; body: string }>(
      'SELECT seq, body::text AS body FROM station_events WHERE station_id = $1 ORDER BY seq',
      [station.stationId],
    );
    expect(stored.rows.map((r) => r.body)).toEqual(events.map((e) => canonicalJson(e.payload)));
    expect(statuses(await pushResults(fx, station, events))).toEqual(notes.map(() => 'duplicate'));
  });

  it('answers in request order, mixing created, duplicate and rejected', async () => {
    const station = await newStation();
    const first = saleEvent(station, 1);
    await pushResults(fx, station, [first]);
    const unknown = outboxEvent(2, 'loyalty.points_awarded', { stationId: station.stationId });
    const next = saleEvent(station, 3);
    const results = await pushResults(fx, station, [first, unknown, next]);
    expect(statuses(results)).toEqual(['duplicate', 'rejected:unknown_type', 'created']);
    expect(results.map((r) => r.eventId)).toEqual([first.eventId, unknown.eventId, next.eventId]);
  });

  it('rejects an event that names another station (a station pushes only its own events)', async () => {
    const station = await newStation();
    const other = await enrolStation(fx, station.storeId, 'Till 2');
    const foreign = outboxEvent(1, 'sale.completed', { stationId: other.stationId, document: sale(other) });
    const results = await pushResults(fx, station, [foreign]);
    expect(results[0]).toMatchObject({ status: 'rejected', code: 'bad_payload' });
    expect(await count('SELECT count(*) AS n FROM station_events WHERE event_id = $1', foreign.eventId)).toBe(
      0,
    );
    expect(await count('SELECT count(*) AS n FROM sales')).toBeGreaterThanOrEqual(0);
    const quarantined = await listRejectedEvents(fx.pool, station.storeId);
    expect(quarantined.map((r) => [r.eventId, r.code])).toEqual([[foreign.eventId, 'bad_payload']]);
  });

  it('an event stored for one station is not a duplicate for another', async () => {
    const a = await newStation();
    const b = await enrolStation(fx, a.storeId, 'Till 2');
    const event = outboxEvent(1, 'shift.opened', { shiftId: randomUUID() });
    expect(statuses(await pushResults(fx, a, [event]))).toEqual(['created']);
    expect(statuses(await pushResults(fx, b, [event]))).toEqual(['rejected:conflicting_body']);
  });

  it('keeps the first body when an event id comes back with a different body', async () => {
    const station = await newStation();
    const original = saleEvent(station, 1);
    await pushResults(fx, station, [original]);
    const tampered = structuredClone(original);
    (tampered.payload as { document: SaleView }).document.cashierId = 'someone-else';
    const results = await pushResults(fx, station, [tampered]);
    expect(results[0]).toMatchObject({ status: 'rejected', code: 'conflicting_body' });
    const stored = await fx.pool.query<{ cashier: string }>(
      "SELECT body->'document'->>'cashierId' AS cashier FROM station_events WHERE event_id = $1",
      [original.eventId],
    );
    expect(stored.rows[0]!.cashier).toBe('00000000-0000-4000-8000-000000000001');
    expect((await listRejectedEvents(fx.pool, station.storeId))[0]).toMatchObject({
      code: 'conflicting_body',
      seq: 1,
    });
    // Key order does not make a body different.
    const reordered = {
      ...original,
      payload: Object.fromEntries(Object.entries(original.payload as object).reverse()),
    };
    expect(statuses(await pushResults(fx, station, [reordered]))).toEqual(['duplicate']);
  });

  it('rejects a sequence going backwards (a new event on a seq already used)', async () => {
    const station = await newStation();
    await pushResults(fx, station, [saleEvent(station, 1), saleEvent(station, 2)]);
    const backwards = saleEvent(station, 2);
    const results = await pushResults(fx, station, [backwards, saleEvent(station, 3)]);
    expect(statuses(results)).toEqual(['rejected:seq_conflict', 'created']);
    expect(await count('SELECT count(*) AS n FROM sales WHERE station_id = $1', station.stationId)).toBe(3);
    // The same seq twice inside one batch: the second loses.
    const twice = await pushResults(fx, station, [saleEvent(station, 4), saleEvent(station, 4)]);
    expect(statuses(twice)).toEqual(['created', 'rejected:seq_conflict']);
  });

  it('flags a document whose totals do not add up, records it and does not apply it', async () => {
    const station = await newStation();
    const doc = sale(station);
    doc.totals.total += 100;
    doc.totals.payable += 100;
    doc.totals.paid += 100;
    doc.payments[0]!.amount += 100;
    const inflatedLine = sale(station);
    inflatedLine.lines[0]!.amounts!.total += 50;
    inflatedLine.totals.total += 50;
    inflatedLine.totals.payable += 50;
    inflatedLine.totals.paid += 50;
    inflatedLine.payments[0]!.amount += 50;
    const results = await pushResults(fx, station, [
      saleEvent(station, 1, doc),
      saleEvent(station, 2, inflatedLine),
    ]);
    expect(statuses(results)).toEqual(['rejected:totals_mismatch', 'rejected:totals_mismatch']);
    expect(await count('SELECT count(*) AS n FROM sales WHERE station_id = $1', station.stationId)).toBe(0);
    expect((await listRejectedEvents(fx.pool, station.storeId)).map((r) => r.code)).toEqual([
      'totals_mismatch',
      'totals_mismatch',
    ]);
  });

  it('refuses a malformed document, a wrong currency and a payload that is not an object', async () => {
    const station = await newStation();
    const usd = sale(station);
    usd.currency = 'USD';
    const results = await pushResults(fx, station, [
      outboxEvent(1, 'sale.completed', { stationId: station.stationId, document: { id: 'nope' } }),
      saleEvent(station, 2, usd),
      outboxEvent(3, 'shift.opened', 'not an object'),
      outboxEvent(4, 'refund.completed', { stationId: station.stationId, document: sale(station) }),
    ]);
    expect(statuses(results)).toEqual([
      'rejected:bad_payload',
      'rejected:bad_payload',
      'rejected:bad_payload',
      'rejected:bad_payload',
    ]);
  });

  it('refuses more than 100 events and a body over the limit, before storing anything', async () => {
    const station = await newStation();
    const many = Array.from({ length: 101 }, (_, i) => outboxEvent(i + 1, 'shift.opened', {}));
    const tooMany = await push(fx, station, many);
    expect([tooMany.status, errorCode(tooMany)]).toEqual([400, 'bad_request']);
    const big = outboxEvent(1, 'audit.appended', { details: { blob: 'x'.repeat(MAX_PUSH_BODY_BYTES) } });
    const tooBig = await push(fx, station, [big]);
    expect([tooBig.status, errorCode(tooBig)]).toEqual([413, 'payload_too_large']);
    const malformed = await api(fx.server.url, '/v1/events', {
      token: station.credential,
      rawBody: '{"events": [',
    });
    expect([malformed.status, errorCode(malformed)]).toEqual([400, 'bad_request']);
    const badEvent = await push(fx, station, [{ ...outboxEvent(1, 'shift.opened', {}), seq: 0 }]);
    expect([badEvent.status, errorCode(badEvent)]).toEqual([400, 'bad_request']);
    expect(
      await count('SELECT count(*) AS n FROM station_events WHERE station_id = $1', station.stationId),
    ).toBe(0);
    // The connection still works after the refused body.
    expect(statuses(await pushResults(fx, station, [outboxEvent(1, 'shift.opened', {})]))).toEqual([
      'created',
    ]);
  });

  it('stores a batch pushed concurrently over several connections exactly once, without errors', async () => {
    const station = await newStation();
    const batch = Array.from({ length: 50 }, (_, i) => saleEvent(station, i + 1));
    const answers = await Promise.all(Array.from({ length: 4 }, () => push(fx, station, batch)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const perEvent = batch.map((_, i) =>
      answers.map((a) => PushResponseSchema.parse(a.body).results[i]!.status).sort(),
    );
    for (const outcome of perEvent)
      expect(outcome).toEqual(['created', 'duplicate', 'duplicate', 'duplicate']);
    expect(
      await count('SELECT count(*) AS n FROM station_events WHERE station_id = $1', station.stationId),
    ).toBe(50);
    expect(await count('SELECT count(*) AS n FROM sales WHERE station_id = $1', station.stationId)).toBe(50);
    expect(fx.logged).toEqual([]);
  });
});

describe('documents from a real station', () => {
  it('accepts every outbox event of sales, a refund and a post-void, and projects them exactly', async () => {
    const st = await openSaleStation();
    try {
      const { till, sup } = st;
      st.setSettings({ cashIncrement: 10 });
      // Sale 1: counted, weighed and price-labelled goods, 10 % off the order, cash with rounding and change.
      unwrap(await sup('sale:scan', { code: PRODUCTS.cola.barcode, qtyMilli: 3000 }));
      unwrap(await sup('sale:scan', { code: weightLabel(PRODUCTS.apples.plu, 1250) }));
      unwrap(await sup('sale:scan', { code: priceLabel(PRODUCTS.apples.plu, 1234) }));
      unwrap(await sup('sale:discount-order', { discount: { type: 'percent', bp: 1000 } }));
      unwrap(await sup('sale:start-tender', {}));
      unwrap(await sup('sale:add-tender', { tender: 'cash', amount: 5000 }));
      const first = unwrap(await sup('sale:complete', {}));
      // Sale 2: bread, paid by WeChat; then post-voided.
      unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
      unwrap(await till('sale:start-tender', {}));
      unwrap(await till('sale:add-tender', { tender: 'wechat', amount: 1200, reference: 'WX-1' }));
      const second = unwrap(await till('sale:complete', {}));
      const cola = first.lines.find((l) => l.nameEn === 'cola')!.id;
      const refund = unwrap(
        await sup('refund:create', { saleId: first.id, lines: [{ lineId: cola, qtyMilli: 1000 }] }),
      );
      const voided = unwrap(await sup('sale:post-void', { saleId: second.id }));

      const outbox = st.station.db
        .prepare<[], { seq: number; event_id: string; type: string; payload: string; created_at: string }>(
          'SELECT seq, event_id, type, payload, created_at FROM outbox ORDER BY seq',
        )
        .all();
      const events: PushEvent[] = outbox.map((r) => ({
        eventId: r.event_id,
        seq: r.seq,
        type: r.type,
        createdAt: r.created_at,
        payload: JSON.parse(r.payload) as unknown,
      }));
      const stationId = (events.find((e) => e.type === 'sale.completed')!.payload as { stationId: string })
        .stationId;
      const storeId = await makeStore(fx.pool);
      const code = await createEnrolmentCode(fx.pool, storeId);
      const enrolled = EnrolResponseSchema.parse(
        (
          await api(fx.server.url, '/v1/enrol', {
            body: { code, stationId, stationName: 'Real', appVersion: 'test' },
          })
        ).body,
      );
      const station: EnrolledStation = { stationId, credential: enrolled.credential, storeId };
      const results = [];
      for (let i = 0; i < events.length; i += 100)
        results.push(...(await pushResults(fx, station, events.slice(i, i + 100))));
      const refused = results.filter((r) => r.status !== 'created');
      expect(refused).toEqual([]);

      const rows = await fx.pool.query<{
        id: string;
        kind: string;
        total: string;
        payable: string;
        tax: string;
      }>('SELECT id, kind, total, tax, payable FROM sales WHERE station_id = $1 ORDER BY id', [stationId]);
      expect(rows.rows.map((r) => [r.id, r.kind, Number(r.total), Number(r.tax), Number(r.payable)])).toEqual(
        [first, second, refund, voided]
          .sort((x, y) => (x.id < y.id ? -1 : 1))
          .map((d) => [d.id, d.kind, d.totals.total, d.totals.taxTotal, d.totals.payable]),
      );
      const tenders = await salesReport(fx.pool, {
        from: '2026-01-01',
        to: '2026-12-31',
        groupBy: 'tender',
        store: storeId,
      });
      const cashNet = [first, refund].flatMap((d) => d.payments).reduce((a, p) => a + p.amount - p.change, 0);
      expect(tenders.rows).toEqual([
        { storeId, tender: 'cash', tenderType: 'cash', payments: 2, amount: cashNet },
        { storeId, tender: 'wechat', tenderType: 'external', payments: 2, amount: 0 },
      ]);
      // Stock: the sales took it, the refund and the post-void put back what they returned.
      const stock = await fx.pool.query<{ product_id: string; qty: string }>(
        'SELECT product_id, sum(qty_delta_milli) AS qty FROM stock_movements WHERE station_id = $1 GROUP BY product_id',
        [stationId],
      );
      const byProduct = Object.fromEntries(stock.rows.map((r) => [r.product_id, Number(r.qty)]));
      expect(byProduct[PRODUCTS.cola.id]).toBe(-2000);
      expect(byProduct[PRODUCTS.bread.id]).toBe(0);
    } finally {
      st.cleanup();
    }
  });
});

describe('sales reports', () => {
  it('sums sales per store and day, per station and per tender, refunds counting negative', async () => {
    const storeId = await makeStore(fx.pool);
    const a = await enrolStation(fx, storeId, 'A till');
    const b = await enrolStation(fx, storeId, 'B till');
    // 23:30 UTC on 9 March is 07:30 on 10 March in Shanghai: business dates are local.
    const day1 = new Date('2026-03-09T23:30:00Z');
    const day2 = new Date('2026-03-11T02:00:00Z');
    await pushResults(fx, a, [
      saleEvent(a, 1, sale(a, { at: day1, tender: 'cash', cashGiven: 5000 })),
      saleEvent(a, 2, sale(a, { at: day2 })),
    ]);
    await pushResults(fx, b, [saleEvent(b, 1, sale(b, { at: day1 }))]);

    const perDay = await salesReport(fx.pool, { from: '2026-03-10', to: '2026-03-11', store: storeId });
    expect(perDay.rows).toEqual([
      {
        storeId,
        businessDate: '2026-03-10',
        sales: 2,
        returns: 0,
        total: 4500,
        tax: 440,
        payable: 4500,
      },
      {
        storeId,
        businessDate: '2026-03-11',
        sales: 1,
        returns: 0,
        total: 2250,
        tax: 220,
        payable: 2250,
      },
    ]);
    const perStation = await salesReport(fx.pool, {
      from: '2026-03-10',
      to: '2026-03-10',
      groupBy: 'station',
      store: storeId,
    });
    expect(
      perStation.rows.map((r) => ['stationName' in r ? r.stationName : '', 'total' in r ? r.total : 0]),
    ).toEqual([
      ['A till', 2250],
      ['B till', 2250],
    ]);
    const answer = await api(
      fx.server.url,
      `/v1/admin/reports/sales?from=2026-03-01&to=2026-03-31&groupBy=tender&store=${storeId}`,
      { token: 'test-admin-token-0123456789abcdef' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      groupBy: 'tender',
      rows: [
        { storeId, tender: 'card', tenderType: 'card', payments: 2, amount: 4500 },
        { storeId, tender: 'cash', tenderType: 'cash', payments: 1, amount: 2250 },
      ],
    });
    const bad = await api(fx.server.url, '/v1/admin/reports/sales?from=2026-04-01&to=2026-03-01', {
      token: 'test-admin-token-0123456789abcdef',
    });
    expect([bad.status, errorCode(bad)]).toEqual([400, 'bad_request']);
  });
});
