/**
 * `npm run bench:sync [-- --sales N] [--audit] [--pull-products N]`: the store server's sync throughput.
 *
 * Starts a throwaway PostgreSQL with its durability settings ON (fsync, synchronous commit: what a real server
 * does), the store server as its own process (as in production: the pushing station is another machine, so
 * the client's work must not share the server's event loop), enrols one station and pushes a backlog of N
 * sales (default 100,000) in batches of 100, one batch at a time as a station does (the request bodies are
 * built before the clock starts; about 3 kB per sale). With --audit every sale
 * also carries its audit event, as the station's outbox does. Then, optionally, loads a catalog of N products
 * and times a new station's first pull of it. Prints the figures; asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createEnrolmentCode,
  createStore,
  upsertProducts,
  upsertTaxRates,
  type ProductChange,
} from '../admin';
import { createPool, migrate } from '../db';
import { startDevPostgres } from '../dev-postgres';
import {
  EnrolResponseSchema,
  MAX_PUSH_BATCH,
  PullResponseSchema,
  PushResponseSchema,
  type PushEvent,
} from '../../shared/sync/protocol';
import { outboxEvent, saleCompletedEvents, syntheticSale, type SyntheticLine } from './synthetic-sales';

const ADMIN_TOKEN = randomUUID() + randomUUID();

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} needs a whole number`);
  return value;
}

const SALES = option('sales', 100_000);
const WITH_AUDIT = process.argv.includes('--audit');
const PULL_PRODUCTS = option('pull-products', 0);

function startServerProcess(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
  const child = spawn(
    process.execPath,
    [script, '--database-url', databaseUrl, '--port', '0', '--host', '127.0.0.1'],
    {
      env: { ...process.env, COUNTERTOP_ADMIN_TOKEN: ADMIN_TOKEN },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (\S+)/.exec(seen);
      if (match) resolve({ url: match[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
}

const LINE_CHOICES: SyntheticLine[] = [
  { plu: '101', qtyMilli: 1000, unitPrice: 350, taxRatePpm: 130_000 },
  { plu: '102', qtyMilli: 2000, unitPrice: 1200, taxRatePpm: 90_000 },
  { plu: '103', qtyMilli: 1000, unitPrice: 199, taxRatePpm: 130_000 },
  { plu: '10001', qtyMilli: 1250, unitPrice: 800, taxRatePpm: 90_000 },
  { plu: '104', qtyMilli: 3000, unitPrice: 550, taxRatePpm: 130_000 },
];

/** The request bodies of the backlog, built one batch ahead of the push that needs them. */
function* batches(stationId: string): Generator<{ body: string; sales: number; events: number }> {
  let seq = 1;
  let made = 0;
  const start = Date.parse('2026-03-01T01:00:00Z');
  while (made < SALES) {
    const events: PushEvent[] = [];
    let sales = 0;
    while (made < SALES && events.length + (WITH_AUDIT ? 2 : 1) <= MAX_PUSH_BATCH) {
      const lines = LINE_CHOICES.slice(0, 2 + (made % 4));
      const sale = syntheticSale({
        stationId,
        lines,
        tender: made % 3 === 0 ? 'cash' : 'card',
        at: new Date(start + made * 20_000),
        receiptNo: `S-${String(made + 1).padStart(6, '0')}`,
      });
      if (WITH_AUDIT) {
        events.push(...saleCompletedEvents(stationId, seq, sale));
        seq += 2;
      } else {
        events.push(
          outboxEvent(seq, 'sale.completed', { stationId, document: sale }, new Date(sale.completedAt!)),
        );
        seq += 1;
      }
      made += 1;
      sales += 1;
    }
    yield { body: JSON.stringify({ events }), sales, events: events.length };
  }
}

async function benchPush(url: string, databaseUrl: string): Promise<void> {
  const pool = createPool(databaseUrl, 2);
  await migrate(pool);
  await createStore(pool, { id: 'bench', name: 'Bench store', currency: 'CNY', timeZone: 'Asia/Shanghai' });
  const code = await createEnrolmentCode(pool, 'bench');
  await pool.end();
  const enrolled = EnrolResponseSchema.parse(
    await (
      await fetch(`${url}/v1/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          code,
          stationId: randomUUID(),
          stationName: 'Bench till',
          appVersion: 'bench',
        }),
      })
    ).json(),
  );
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${enrolled.credential}` };
  let sales = 0;
  let events = 0;
  let bytes = 0;
  const latencies: number[] = [];
  // The backlog is built before the clock starts: a real station is another machine, and building sales here
  // would take CPU from the server and PostgreSQL on the same cores.
  const madeAt = performance.now();
  const backlog = [...batches(enrolled.stationId)];
  console.log(
    `  backlog of ${backlog.length} batches built in ${((performance.now() - madeAt) / 1000).toFixed(1)} s`,
  );
  const started = performance.now();
  for (const batch of backlog) {
    const t0 = performance.now();
    const res = await fetch(`${url}/v1/events`, { method: 'POST', headers, body: batch.body });
    const answer = PushResponseSchema.parse(await res.json());
    latencies.push(performance.now() - t0);
    const refused = answer.results.filter((r) => r.status !== 'created');
    if (refused.length > 0) throw new Error(`the server refused events: ${JSON.stringify(refused[0])}`);
    sales += batch.sales;
    events += batch.events;
    bytes += batch.body.length;
    if (sales % 20_000 < batch.sales) {
      const s = (performance.now() - started) / 1000;
      console.log(`  … ${sales} sales in ${s.toFixed(1)} s (${Math.round(sales / s)} sales/s)`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(1);
  console.log(
    `push: ${sales} sales (${events} events, ${(bytes / 1e6).toFixed(0)} MB) in ${seconds.toFixed(1)} s = ` +
      `${Math.round(sales / seconds)} sales/s, ${Math.round(events / seconds)} events/s; ` +
      `batch latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`,
  );
}

async function benchPull(url: string, databaseUrl: string): Promise<void> {
  const pool = createPool(databaseUrl, 2);
  await createStore(pool, {
    id: 'catalog',
    name: 'Catalog store',
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
  });
  await upsertTaxRates(pool, 'catalog', [
    { code: 'VAT13', nameZh: '增值税13%', nameEn: 'VAT 13%', ratePpm: 130_000, active: true },
  ]);
  const loadStart = performance.now();
  for (let i = 0; i < PULL_PRODUCTS; i += 5000) {
    const products: ProductChange[] = [];
    for (let j = i; j < Math.min(PULL_PRODUCTS, i + 5000); j++) {
      products.push({
        plu: `P${j}`,
        barcodes: [],
        nameZh: `商品 ${j}`,
        nameEn: `Product ${j}`,
        category: `Category ${j % 50}`,
        unit: 'piece',
        price: 100 + (j % 5000),
        cost: null,
        taxCode: 'VAT13',
        active: true,
      });
    }
    await upsertProducts(pool, 'catalog', products);
  }
  console.log(
    `catalog: ${PULL_PRODUCTS} products loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
  );
  const code = await createEnrolmentCode(pool, 'catalog');
  await pool.end();
  const enrolled = EnrolResponseSchema.parse(
    await (
      await fetch(`${url}/v1/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, stationId: randomUUID(), stationName: 'New till', appVersion: 'bench' }),
      })
    ).json(),
  );
  const headers = { authorization: `Bearer ${enrolled.credential}` };
  const started = performance.now();
  let cursor = 0;
  let changes = 0;
  let serving = 0;
  for (;;) {
    const t0 = performance.now();
    const res = await fetch(`${url}/v1/changes?after=${cursor}&limit=1000`, { headers });
    const text = await res.text();
    serving += performance.now() - t0;
    const page = PullResponseSchema.parse(JSON.parse(text));
    changes += page.changes.length;
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `pull: ${changes} changes in ${seconds.toFixed(1)} s (${Math.round(changes / seconds)} changes/s with the client's zod parse; ` +
      `${(serving / 1000).toFixed(1)} s of it waiting for the server)`,
  );
}

const pg = await startDevPostgres({ durable: true });
let child: ChildProcess | null = null;
try {
  const databaseUrl = await pg.newDatabase();
  const server = await startServerProcess(databaseUrl);
  child = server.child;
  console.log(
    `Store server sync benchmark (PostgreSQL durable, server in its own process, ${SALES} sales${WITH_AUDIT ? ' + audit events' : ''})`,
  );
  if (SALES > 0) await benchPush(server.url, databaseUrl);
  if (PULL_PRODUCTS > 0) await benchPull(server.url, databaseUrl);
} finally {
  child?.kill('SIGTERM');
  await pg.stop();
}
