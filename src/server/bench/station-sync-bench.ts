/**
 * The station's side of store sync, measured end to end against the real store server on PostgreSQL:
 *
 * 1. First pull: the server's store gets N products (through its own change-log writer, see catalog-load.ts);
 *    a NEW station enrols through the gate (`sync:enrol`) and its real sync loop (`station.sync`) pulls the whole
 *    catalog into its SQLite. Meanwhile a simulated scanner calls `catalog:lookup` and `sale:scan` through the
 *    gate at a fixed rate; each call's latency is counted from the moment it was DUE, not from when the busy
 *    event loop got round to it — a call made from the same thread right after the previous one could never
 *    see the loop being blocked by a page apply. Afterwards the catalog must be complete and searchable.
 * 2. Push: with the loop stopped, the same station rings sales through its sale service (scan, tender,
 *    complete: the sale, its audit rows and their outbox rows, exactly as a till writes them; past 5,000 the
 *    backlog is filled with copies of those with their own identities, see outbox-backlog.ts); then the loop starts and
 *    drains the backlog through the real pusher. The server must hold every sale exactly once.
 *
 * Used by `npm run bench:sync` (sync-bench.ts, server in its own process) and by a small-N smoke test that
 * asserts the checks, never the timings.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { GENERATED_TAX_RATES, generatedRow } from '../../main/core/catalog/generate-csv';
import type { Caller } from '../../main/core/auth/auth-service';
import { Station } from '../../main/core/station';
import type { PageReport } from '../../main/core/sync/change-applier';
import type { PushReport } from '../../main/core/sync/pusher';
import type { Result } from '../../shared/domain/errors';
import { permissionsOf, type Role } from '../../shared/domain/permissions';
import type { Channel, InputOf, OutputOf } from '../../shared/ipc/contract';
import { createEnrolmentCode, createStore } from '../admin';
import type { Pool } from '../db';
import { loadCatalog, loadTaxRates } from './catalog-load';
import { appendSaleCopies, saleTemplates } from './outbox-backlog';

/** One figure, in the shape `npm run bench -- --json FILE` writes. */
export interface SyncFigure {
  name: string;
  unit: string;
  p50: number;
  p99: number;
  n: number;
}

export interface StationSyncBenchOptions {
  serverUrl: string;
  /** Admin access to the server's database (store, catalog, enrolment codes, checks). */
  pool: Pool;
  /** Where the bench station's database lives (an empty folder). */
  dataDir: string;
  migrationsDir: string;
  products: number;
  sales: number;
  log?: (line: string) => void;
  /** How often the simulated scanner calls the gate during the pull (default 50 ms). */
  probeIntervalMs?: number;
  /** Give up waiting for the pull or the push after this long (default 15 min). */
  timeoutMs?: number;
  /**
   * Sales rung through the sale service (default 5,000); the rest of the backlog are copies of them with their
   * own ids (outbox-backlog.ts).
   */
  realSales?: number;
  /** Push batches in flight (the station's default when absent). */
  pushWindow?: number;
  /** Pulled changes per SQLite transaction (the station's default when absent). */
  changesPerTransaction?: number;
}

/** What the bench verified; every one must hold for the figures to mean anything. */
export interface SyncBenchChecks {
  /** Changes the server's feed holds for the store (tax rates + products). */
  feedChanges: number;
  /** Changes the station applied, and how many of them it saw more than once or out of order. */
  pulledChanges: number;
  pulledOutOfOrder: number;
  stationProducts: number;
  /** Products with a search entry, and products still waiting to be indexed. */
  indexedProducts: number;
  indexPending: number;
  /** Search hits for a pulled product's PLU, Chinese name and pinyin initials (each must be ≥ 1). */
  searchHits: { plu: number; name: number; pinyin: number };
  salesRung: number;
  /** Outbox rows (all types) and sale.completed rows waiting when the push started. */
  backlogEvents: number;
  backlogSales: number;
  /** What the server holds for this station afterwards. */
  serverEvents: number;
  serverSales: number;
  /** Every outbox row the station wrote (sales, audit rows, voids of the scanner's carts …), and how many wait. */
  outboxEvents: number;
  outboxPending: number;
  quarantined: number;
}

export interface StationSyncBenchResult {
  figures: SyncFigure[];
  checks: SyncBenchChecks;
  /** Human-readable lines (also sent to `log` as they happen). */
  notes: string[];
}

const SYNC_TIMEOUT_MS = 15 * 60_000;
/** Sales rung per outer transaction while filling the outbox (each sale is a savepoint in it). */
const RING_BATCH = 500;
/** Sales rung for real before the backlog is filled with copies of them. */
const REAL_SALES = 5000;

type Call = <C extends Channel>(channel: C, input: InputOf<C>) => Promise<OutputOf<C>>;

function caller(station: Station, connectionId: string): Call {
  station.gate.registerConnection(connectionId);
  return async (channel, input) => {
    const r = (await station.gate.handle(connectionId, channel, input)) as Result<OutputOf<typeof channel>>;
    if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
}

/** The bench's signed-in admin as the sale service sees a caller. */
function benchCaller(station: Station): Caller {
  const row = station.db
    .prepare<[], { id: string; name: string; role: Role }>(
      "SELECT id, name, role FROM users WHERE role = 'admin'",
    )
    .get();
  if (row === undefined) throw new Error('the bench station has no admin');
  return {
    connectionId: 'bench',
    user: { id: row.id, name: row.name, role: row.role },
    permissions: new Set(permissionsOf(row.role)),
    locked: false,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function latencyFigure(name: string, samples: readonly number[]): SyncFigure {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    name,
    unit: 'ms',
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    n: sorted.length,
  };
}

function single(name: string, unit: string, value: number, n: number): SyncFigure {
  return { name, unit, p50: value, p99: value, n };
}

/** A deterministic PRNG (mulberry32) so every run scans the same products. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first barcode of a random piece-sold product among the first `among` (weighed ones need a weight). */
function pieceCode(random: () => number, among: number): string {
  for (;;) {
    const row = generatedRow(Math.floor(random() * among));
    if (!row.nameZh.includes('散装')) return row.barcodes[0]!;
  }
}

function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runStationSyncBench(options: StationSyncBenchOptions): Promise<StationSyncBenchResult> {
  const { pool, products: N, sales: S } = options;
  const notes: string[] = [];
  const note = (line: string) => {
    notes.push(line);
    options.log?.(line);
  };
  const timeoutMs = options.timeoutMs ?? SYNC_TIMEOUT_MS;
  const probeIntervalMs = options.probeIntervalMs ?? 50;
  if (!Number.isSafeInteger(N) || N < 100) throw new Error('products must be a whole number ≥ 100');
  if (!Number.isSafeInteger(S) || S < 0) throw new Error('sales must be a whole number ≥ 0');

  // --- the server's catalog ----------------------------------------------------------------------------------
  const storeId = `bench-${Date.now().toString(36)}`;
  await createStore(pool, { id: storeId, name: '基准店 Bench store', currency: 'CNY' });
  await loadTaxRates(pool, storeId);
  const loadStart = performance.now();
  let lastLoadNote = loadStart;
  await loadCatalog(pool, storeId, N, (loaded) => {
    if (performance.now() - lastLoadNote > 10_000) {
      lastLoadNote = performance.now();
      note(`  server catalog: ${loaded.toLocaleString('en')} products loaded`);
    }
  });
  const feedChanges = Number(
    (await pool.query<{ n: string }>('SELECT count(*) AS n FROM change_log WHERE store_id = $1', [storeId]))
      .rows[0]?.n ?? 0,
  );
  note(
    `server catalog: ${N.toLocaleString('en')} products (${feedChanges.toLocaleString('en')} changes in the feed) ` +
      `loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
  );

  // --- a new station ----------------------------------------------------------------------------------------
  let pulledChanges = 0;
  let pulledOutOfOrder = 0;
  let lastSeq = 0;
  let pullDone: () => void = () => undefined;
  const pulled = new Promise<void>((resolve) => (pullDone = resolve));
  let pushedAcks = 0;
  let pushTarget = Infinity;
  let pushDone: () => void = () => undefined;
  let pushed = new Promise<void>((resolve) => (pushDone = resolve));
  const syncLog: string[] = [];
  const station = Station.open({
    dataDir: options.dataDir,
    migrationsDir: options.migrationsDir,
    version: 'sync-bench',
    logger: { error: (message) => syncLog.push(message) },
    sync: {
      ...(options.pushWindow === undefined ? {} : { pushWindow: options.pushWindow }),
      ...(options.changesPerTransaction === undefined
        ? {}
        : { changesPerTransaction: options.changesPerTransaction }),
      log: (line) => {
        if (syncLog.length < 20) syncLog.push(line);
      },
      onPage: (page: PageReport) => {
        for (const seq of page.seqs) {
          if (seq <= lastSeq) pulledOutOfOrder += 1;
          lastSeq = Math.max(lastSeq, seq);
        }
        pulledChanges += page.seqs.length;
        if (pulledChanges >= feedChanges) pullDone();
      },
      onPush: (report: PushReport) => {
        pushedAcks += report.created + report.duplicate + report.rejected;
        if (pushedAcks >= pushTarget) pushDone();
      },
      onRetry: (delayMs, failure) => note(`  sync retry in ${delayMs} ms: ${failure.message}`),
    },
  });
  try {
    const call = caller(station, 'bench');
    await call('setup:complete', {
      storeName: '基准店 Bench store',
      currency: 'CNY',
      locale: 'zh-CN',
      taxMode: 'inclusive',
      adminName: 'Bench',
      adminPin: '2468',
    });

    // --- first pull, with a scanner at work -------------------------------------------------------------------
    const code = await createEnrolmentCode(pool, storeId);
    const lookupMs: number[] = [];
    const scanMs: number[] = [];
    let pulling = true;
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    const pullStart = performance.now();
    loopDelay.enable();
    await call('sync:enrol', { serverUrl: options.serverUrl, code });
    const scan: { failure: Error | null } = { failure: null };
    const scanner = (async () => {
      const random = rng(42);
      let due = performance.now();
      let tick = 0;
      while (pulling) {
        due += probeIntervalMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        // Products applied so far: the feed serves them in load order after the tax rates.
        const available = Math.min(N, pulledChanges - GENERATED_TAX_RATES.length);
        if (!pulling || available < 1) continue;
        const barcode = pieceCode(random, available);
        if (tick % 2 === 0) {
          await call('catalog:lookup', { code: barcode });
          lookupMs.push(performance.now() - due);
        } else {
          await call('sale:scan', { code: barcode });
          scanMs.push(performance.now() - due);
        }
        tick += 1;
        // A cashier's cart holds tens of lines, not thousands: void it now and then (not measured).
        if (tick % 40 === 0) await call('sale:void', { reason: 'bench' });
        // Behind schedule after a long block: the scans queued meanwhile are measured from their due times.
      }
    })().catch((err: unknown) => {
      scan.failure = err instanceof Error ? err : new Error(String(err));
    });
    await deadline(pulled, timeoutMs, 'the first pull');
    const pullSeconds = (performance.now() - pullStart) / 1000;
    pulling = false;
    await scanner;
    if (scan.failure !== null) throw scan.failure;
    loopDelay.disable();
    if ((await call('sale:current', {})) !== null) await call('sale:void', { reason: 'bench' });
    note(
      `first pull: ${pulledChanges.toLocaleString('en')} changes in ${pullSeconds.toFixed(1)} s ` +
        `(${Math.round(N / pullSeconds).toLocaleString('en')} products/s); event loop blocked p99 ` +
        `${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
    );
    const during = [...lookupMs, ...scanMs];
    note(
      `  during the pull: ${lookupMs.length} lookups p50 ${pctText(lookupMs, 50)} p99 ${pctText(lookupMs, 99)} ms; ` +
        `${scanMs.length} scans p50 ${pctText(scanMs, 50)} p99 ${pctText(scanMs, 99)} ms (from when each was due)`,
    );

    // --- searchable afterwards? --------------------------------------------------------------------------------
    const db = station.db;
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    const stationProducts = count('SELECT count(*) FROM products');
    const indexPendingBefore = count('SELECT count(*) FROM product_search_pending');
    const last = generatedRow(N - 1);
    const zhName = last.nameZh.split(' ')[0]!;
    const initials = db
      .prepare('SELECT pinyin_initials FROM products WHERE plu = ?')
      .pluck()
      .get(last.plu) as string;
    const searchMs: number[] = [];
    const timedSearch = async (query: string) => {
      const t0 = performance.now();
      const found = await call('catalog:search', { query, limit: 20 });
      searchMs.push(performance.now() - t0);
      return found.items.length;
    };
    const searchHits = {
      plu: await timedSearch(last.plu),
      name: await timedSearch(zhName),
      pinyin: await timedSearch(initials.slice(0, 4)),
    };
    const random = rng(7);
    for (let i = 0; i < 200; i++) {
      const row = generatedRow(Math.floor(random() * N));
      const zh = row.nameZh.split(' ')[0]!;
      const start = Math.floor(random() * Math.max(1, zh.length - 2));
      await timedSearch(i % 2 === 0 ? zh.slice(start, start + 2) : (row.nameEn.split(' ')[1] ?? 'tea'));
    }
    const indexedProducts = count('SELECT count(*) FROM product_search_ids');
    const indexPending = count('SELECT count(*) FROM product_search_pending');
    note(
      `  searchable: ${indexedProducts.toLocaleString('en')} of ${stationProducts.toLocaleString('en')} products indexed ` +
        `(${indexPendingBefore} were waiting after the pull); first search ${searchMs[0]!.toFixed(1)} ms, ` +
        `hits plu/name/pinyin ${searchHits.plu}/${searchHits.name}/${searchHits.pinyin}`,
    );

    const figures: SyncFigure[] = [
      single('sync.first_pull', 's', round(pullSeconds, 1), N),
      single('sync.pull_products', 'products/s', Math.round(N / pullSeconds), N),
      latencyFigure('sync.lookup_during_pull', during),
      latencyFigure('sync.search_after_pull', searchMs),
    ];

    // --- a backlog of real sales, pushed --------------------------------------------------------------------
    await station.sync.stop();
    let backlogEvents = 0;
    let backlogSales = 0;
    if (S > 0) {
      await call('shift:open', { float: { total: 0 } });
      // The sale service itself (what the gate's sale handlers call), as the signed-in admin: the same
      // transactions, documents, audit and outbox rows, without the gate's zod parse of five SaleViews per sale.
      const cashier = benchCaller(station);
      const { cart, checkout } = station.sales;
      const ringStart = performance.now();
      const ringRandom = rng(11);
      const rung = Math.min(S, options.realSales ?? REAL_SALES);
      const seqBefore = count('SELECT coalesce(max(seq), 0) FROM outbox');
      for (let done = 0; done < rung;) {
        const n = Math.min(RING_BATCH, rung - done);
        // One fsync per batch keeps the setup fast; each sale is its own savepoint inside it.
        db.exec('BEGIN');
        try {
          for (let i = 0; i < n; i++) {
            const lines = 1 + Math.floor(ringRandom() * 5);
            for (let k = 0; k < lines; k++) cart.scan(cashier, pieceCode(ringRandom, N));
            const view = checkout.startTender(cashier);
            await checkout.addTender(cashier, { tender: 'cash', amount: view.totals.dueCash });
            checkout.complete(cashier);
          }
          db.exec('COMMIT');
        } catch (err) {
          db.exec('ROLLBACK');
          throw err;
        }
        done += n;
      }
      note(
        `  sales rung: ${rung.toLocaleString('en')} in ${((performance.now() - ringStart) / 1000).toFixed(0)} s`,
      );
      if (S > rung) {
        const copyStart = performance.now();
        appendSaleCopies(db, saleTemplates(db, seqBefore), S - rung, rung + 1);
        note(
          `  sales copied: ${(S - rung).toLocaleString('en')} (new ids and receipt numbers) in ` +
            `${((performance.now() - copyStart) / 1000).toFixed(1)} s`,
        );
      }
      backlogEvents = count('SELECT count(*) FROM outbox WHERE acked_at IS NULL');
      backlogSales = count("SELECT count(*) FROM outbox WHERE acked_at IS NULL AND type = 'sale.completed'");
      pushTarget = backlogEvents;
      pushedAcks = 0;
      pushed = new Promise<void>((resolve) => (pushDone = resolve));
      const pushStart = performance.now();
      station.sync.start();
      await deadline(pushed, timeoutMs, 'the push');
      const pushSeconds = (performance.now() - pushStart) / 1000;
      note(
        `push: ${backlogSales.toLocaleString('en')} sales (${backlogEvents.toLocaleString('en')} outbox events) in ` +
          `${pushSeconds.toFixed(1)} s = ${Math.round(backlogSales / pushSeconds).toLocaleString('en')} sales/s, ` +
          `${Math.round(backlogEvents / pushSeconds).toLocaleString('en')} events/s`,
      );
      figures.unshift(
        single('sync.push_backlog', 'sales/s', Math.round(backlogSales / pushSeconds), backlogSales),
      );
      await station.sync.stop();
    }

    const serverCount = async (sql: string) =>
      Number((await pool.query<{ n: string }>(sql, [station.id])).rows[0]?.n ?? 0);
    const checks: SyncBenchChecks = {
      feedChanges,
      pulledChanges,
      pulledOutOfOrder,
      stationProducts,
      indexedProducts,
      indexPending,
      searchHits,
      salesRung: S,
      backlogEvents,
      backlogSales,
      serverEvents: await serverCount('SELECT count(*) AS n FROM station_events WHERE station_id = $1'),
      serverSales: await serverCount(
        "SELECT count(*) AS n FROM sales WHERE station_id = $1 AND kind = 'sale'",
      ),
      outboxEvents: count('SELECT count(*) FROM outbox'),
      outboxPending: count('SELECT count(*) FROM outbox WHERE acked_at IS NULL'),
      quarantined: count('SELECT count(*) FROM sync_quarantine'),
    };
    if (syncLog.length > 0) note(`  sync log: ${syncLog.slice(0, 5).join(' | ')}`);
    return { figures, checks, notes };
  } finally {
    station.close();
  }
}

/** The checks a run must pass; each failure is one line. */
export function failedChecks(c: SyncBenchChecks, products: number, sales: number): string[] {
  const failures: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  expect(
    c.pulledChanges === c.feedChanges,
    `pulled ${c.pulledChanges} changes, the feed has ${c.feedChanges}`,
  );
  expect(c.pulledOutOfOrder === 0, `${c.pulledOutOfOrder} changes arrived twice or out of order`);
  expect(c.stationProducts === products, `the station has ${c.stationProducts} products, not ${products}`);
  expect(c.indexedProducts === products, `${c.indexedProducts} products are indexed, not ${products}`);
  expect(c.indexPending === 0, `${c.indexPending} products still wait for their search entry`);
  expect(
    c.searchHits.plu > 0 && c.searchHits.name > 0 && c.searchHits.pinyin > 0,
    `a search found nothing: ${JSON.stringify(c.searchHits)}`,
  );
  if (sales > 0) {
    expect(c.backlogSales === sales, `the outbox held ${c.backlogSales} sales, not ${sales}`);
    expect(c.serverSales === sales, `the server holds ${c.serverSales} sales, not ${sales}`);
    expect(
      c.serverEvents === c.outboxEvents,
      `the server holds ${c.serverEvents} of ${c.outboxEvents} events`,
    );
    expect(c.outboxPending === 0, `${c.outboxPending} outbox rows are still waiting`);
    expect(c.quarantined === 0, `${c.quarantined} events were quarantined`);
  }
  return failures;
}

function pctText(samples: readonly number[], p: number): string {
  return percentile(
    [...samples].sort((a, b) => a - b),
    p,
  ).toFixed(1);
}
