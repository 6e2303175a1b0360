/**
 * The store-sync soak: 4 real stations (temp dirs) selling concurrently through the fault proxy to TWO store
 * server processes on one PostgreSQL, servers SIGKILLed mid-batch and restarted, reference data changed on the
 * server while the stations sell. Then the faults stop, everything heals, and the checks run:
 *
 *   1. every sale of every station exists exactly once on the server;
 *   2. no per-station sequence gaps (the server holds seq 1..N of each station, N = the station's last seq);
 *   3. stock ledger sums match the sales (station lines = station ledger = server ledger, per product);
 *   4. every pulled change arrived exactly once (each station applied exactly the server's change log);
 *   5. the outboxes are empty (and nothing was quarantined or rejected).
 *
 * Used by `npm run sync:soak` (scripts/sync-soak.mjs) and, shorter, by soak.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import pg from 'pg';
import { hashPin } from '../../../src/main/core/auth/pin-hash';
import { systemClock } from '../../../src/main/core/clock';
import { Station } from '../../../src/main/core/station';
import { FaultProxy, seededRandom } from '../../helpers/fault-proxy';
import { MIGRATIONS_DIR, REPO_ROOT } from '../../helpers/paths';
import { startPostgres } from '../../helpers/postgres';
import { connect, TEST_SETUP, unwrap } from '../../helpers/station';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';
import { cashierCaller, ringSale } from './ring';

export interface SoakOptions {
  stations?: number;
  /** How long the stations sell under faults (the healing afterwards is bounded separately). */
  seconds?: number;
  seed?: number;
  /** An existing PostgreSQL (a fresh database is created in it); default: a throwaway cluster. */
  databaseUrl?: string;
  healSeconds?: number;
  log?: (line: string) => void;
}

export interface SoakCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SoakReport {
  ok: boolean;
  checks: SoakCheck[];
  stats: Record<string, number | string>;
}

const STORE = 'soak-store';
const ADMIN_TOKEN = 'soak-admin-token-0123456789';
const CASHIER = { id: '0190a5e0-0000-7000-8000-000000005a0c', pin: '1357' };
const PLUS = Array.from({ length: 12 }, (_, i) => String(8001 + i));

interface ServerProcess {
  port: number;
  child: ChildProcess | null;
  kills: number;
}

interface SoakStation {
  station: Station;
  temp: TempDir;
  pulledSeqs: number[];
  sales: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSoak(options: SoakOptions = {}): Promise<SoakReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stationCount = options.stations ?? 4;
  const sellMs = (options.seconds ?? 60) * 1000;
  const random = seededRandom(options.seed ?? Date.now());
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    // --- PostgreSQL and two server processes ------------------------------------------------------------------
    let databaseUrl: string;
    if (options.databaseUrl !== undefined) {
      const admin = new pg.Client({ connectionString: options.databaseUrl });
      await admin.connect();
      const name = `soak_${Date.now()}`;
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(options.databaseUrl);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
    } else {
      const cluster = await startPostgres();
      cleanups.push(() => cluster.stop());
      databaseUrl = await cluster.newDatabase();
    }
    const work = tempDataDir('countertop-soak-');
    cleanups.push(() => work.cleanup());
    const serverFile = await bundleServer(work.dir);
    const servers: ServerProcess[] = [];
    for (let i = 0; i < 2; i++) {
      const server: ServerProcess = { port: await freePort(), child: null, kills: 0 };
      servers.push(server);
      await startServer(server, serverFile, databaseUrl, log);
    }
    cleanups.push(() => {
      for (const s of servers) s.child?.kill('SIGKILL');
    });
    const admin = new AdminApi(servers);

    // --- the store's reference data -------------------------------------------------------------------------
    await admin.post(`/v1/admin/stores`, { id: STORE, name: '压力测试店', currency: 'CNY' });
    await admin.post(`/v1/admin/stores/${STORE}/tax-rates`, {
      taxRates: [{ code: 'VAT13', nameZh: '增值税13%', nameEn: 'VAT 13%', ratePpm: 130_000, active: true }],
    });
    await admin.post(`/v1/admin/stores/${STORE}/products`, {
      products: PLUS.map((plu, i) => productOf(plu, 100 + i * 37)),
    });
    await admin.post(`/v1/admin/stores/${STORE}/staff`, {
      staff: [
        {
          id: CASHIER.id,
          name: '压测收银员',
          role: 'cashier',
          pinHash: await hashPin(CASHIER.pin),
          active: true,
        },
      ],
    });

    // --- the fault proxy and the stations ------------------------------------------------------------------------
    let killArmed: number | null = null;
    const proxy = await new FaultProxy({
      upstreams: servers.map((s) => ({ host: '127.0.0.1', port: s.port })),
      seed: options.seed ?? 7,
      dropHoldMs: 6_000,
      maxDelayMs: 800,
      onForward: (index, _method, url) => {
        // Kill the armed server the moment a push batch reaches it: the batch is in flight, maybe half-committed.
        if (killArmed === index && url.startsWith('/v1/events')) {
          killArmed = null;
          const server = servers[index]!;
          server.kills += 1;
          server.child?.kill('SIGKILL');
          log(`  killed server ${index} mid-batch`);
          setTimeout(
            () =>
              void startServer(server, serverFile, databaseUrl, log).catch((e: unknown) =>
                log(`  restart failed: ${String(e)}`),
              ),
            800,
          );
        }
      },
    }).start();
    cleanups.push(() => proxy.close());

    const stations: SoakStation[] = [];
    proxy.faultsEnabled = false; // a one-time code must not be lost to a dropped answer
    for (let i = 0; i < stationCount; i++) {
      const temp = tempDataDir(`countertop-soak-station${i}-`);
      const pulledSeqs: number[] = [];
      const station = Station.open({
        dataDir: temp.dir,
        migrationsDir: MIGRATIONS_DIR,
        version: 'soak',
        clock: systemClock,
        logger: { error: () => undefined },
        sync: {
          pollIntervalMs: 400,
          pushDelayMs: 50,
          backoff: { baseMs: 50, capMs: 1_500 },
          requestTimeoutMs: 4_000,
          log: () => undefined,
          onPage: (page) => pulledSeqs.push(...page.seqs),
        },
      });
      const s: SoakStation = { station, temp, pulledSeqs, sales: 0 };
      stations.push(s);
      cleanups.push(() => {
        station.close();
        temp.cleanup();
      });
      const gate = connect(station, 'soak-admin');
      unwrap(await gate('setup:complete', TEST_SETUP));
      const code = (await admin.post<{ code: string }>(`/v1/admin/stores/${STORE}/enrolment-codes`, {})).code;
      unwrap(await gate('sync:enrol', { serverUrl: proxy.url, code }));
    }
    for (const s of stations) {
      await until(
        () => s.station.auth.users.get(CASHIER.id) !== undefined && hasProducts(s.station),
        30_000,
        'first pull',
      );
    }
    proxy.faultsEnabled = true;
    log(`soak: ${stationCount} stations selling for ${sellMs / 1000} s through the fault proxy`);

    // --- selling, server-side changes and server kills -----------------------------------------------------------
    const sellUntil = Date.now() + sellMs;
    const sellers = stations.map(async (s) => {
      const caller = cashierCaller(s.station, CASHIER.id);
      while (Date.now() < sellUntil) {
        await ringSale(s.station, caller, PLUS, 1 + Math.floor(random() * 3), random);
        s.sales += 1;
        await sleep(20 + random() * 80);
      }
    });
    let adminChanges = 0;
    const changer = (async () => {
      while (Date.now() < sellUntil) {
        await sleep(300 + random() * 500);
        const plu = PLUS[Math.floor(random() * PLUS.length)]!;
        try {
          await admin.post(`/v1/admin/stores/${STORE}/products`, {
            products: [productOf(plu, 100 + Math.floor(random() * 900))],
          });
          adminChanges += 1;
        } catch {
          // Both servers down for a moment: the next change goes later.
        }
      }
    })();
    const killer = (async () => {
      for (const [fraction, index] of [
        [0.3, 0],
        [0.6, 1],
      ] as const) {
        const at = sellUntil - sellMs + sellMs * fraction;
        await sleep(Math.max(0, at - Date.now()));
        killArmed = index;
      }
    })();
    await Promise.all([...sellers, changer, killer]);

    // --- healing -------------------------------------------------------------------------------------------------
    proxy.faultsEnabled = false;
    killArmed = null;
    for (const s of servers)
      if (s.child === null || s.child.exitCode !== null || s.child.signalCode !== null)
        await startServer(s, serverFile, databaseUrl, log);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    cleanups.push(() => pool.end());
    const lastChange = Number(
      (
        await pool.query<{ n: string }>(
          'SELECT coalesce(max(seq), 0) AS n FROM change_log WHERE store_id = $1',
          [STORE],
        )
      ).rows[0]!.n,
    );
    log(`soak: healing (faults off, both servers up, last change ${lastChange})`);
    const healBy = Date.now() + (options.healSeconds ?? 90) * 1000;
    for (;;) {
      const settled = stations.every((s) => {
        const status = s.station.sync.status();
        return status.pendingEvents === 0 && status.cursor >= lastChange;
      });
      if (settled) break;
      if (Date.now() > healBy) break;
      for (const s of stations) s.station.sync.syncNow();
      await sleep(250);
    }
    // Let the last cycles finish (no more writes racing the checks).
    for (const s of stations) await s.station.sync.stop();

    // --- checks --------------------------------------------------------------------------------------------------
    const checks = await runChecks(pool, stations, lastChange);
    const stats: Record<string, number | string> = {
      sales: stations.reduce((n, s) => n + s.sales, 0),
      adminChanges,
      serverKills: servers.reduce((n, s) => n + s.kills, 0),
      ...Object.fromEntries(Object.entries(proxy.counts).map(([k, v]) => [`proxy.${k}`, v])),
    };
    return { ok: checks.every((c) => c.ok), checks, stats };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // Best effort: a temp folder or a process that is already gone.
      }
    }
  }
}

async function runChecks(pool: pg.Pool, stations: SoakStation[], lastChange: number): Promise<SoakCheck[]> {
  const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[]) =>
    (await pool.query<T>(sql, params)).rows;
  const checks: SoakCheck[] = [];
  const check = (name: string, problems: string[], okDetail: string) =>
    checks.push({
      name,
      ok: problems.length === 0,
      detail: problems.length === 0 ? okDetail : problems.slice(0, 5).join('; '),
    });

  const salesProblems: string[] = [];
  const seqProblems: string[] = [];
  const stockProblems: string[] = [];
  const pullProblems: string[] = [];
  const drainProblems: string[] = [];
  let totalSales = 0;
  const changeLog = (
    await q<{ seq: string }>('SELECT seq FROM change_log WHERE store_id = $1 ORDER BY seq', [STORE])
  ).map((r) => Number(r.seq));
  const serverPrices = new Map(
    (
      await q<{ key: string; price: number }>(
        "SELECT key, (data->>'price')::int AS price FROM reference_data WHERE store_id = $1 AND entity = 'product'",
        [STORE],
      )
    ).map((r) => [r.key, r.price]),
  );

  for (const [i, s] of stations.entries()) {
    const db = s.station.db;
    const id = s.station.id;
    const name = `station ${i}`;
    // 1. sales exactly once
    const local = db
      .prepare("SELECT id FROM sales WHERE kind = 'sale' AND status = 'completed'")
      .pluck()
      .all() as string[];
    totalSales += local.length;
    const remote = await q<{ id: string; n: string }>(
      "SELECT body->'document'->>'id' AS id, count(*) AS n FROM station_events WHERE station_id = $1 AND type = 'sale.completed' GROUP BY 1",
      [id],
    );
    const remoteCount = new Map(remote.map((r) => [r.id, Number(r.n)]));
    const missing = local.filter((sale) => !remoteCount.has(sale));
    const twice = remote.filter((r) => Number(r.n) !== 1);
    const unknown = remote.filter((r) => !local.includes(r.id));
    const projected = Number(
      (
        await q<{ n: string }>("SELECT count(*) AS n FROM sales WHERE station_id = $1 AND kind = 'sale'", [
          id,
        ])
      )[0]!.n,
    );
    if (missing.length > 0) salesProblems.push(`${name}: ${missing.length} sales missing on the server`);
    if (twice.length > 0) salesProblems.push(`${name}: ${twice.length} sales stored more than once`);
    if (unknown.length > 0)
      salesProblems.push(`${name}: ${unknown.length} server sales the station does not have`);
    if (projected !== local.length)
      salesProblems.push(`${name}: ${projected} sale rows on the server, ${local.length} on the station`);

    // 2. sequences without gaps
    const lastSeq = (db.prepare('SELECT coalesce(max(seq), 0) FROM outbox').pluck().get() as number) ?? 0;
    const seqs = (
      await q<{ seq: string }>('SELECT seq FROM station_events WHERE station_id = $1 ORDER BY seq', [id])
    ).map((r) => Number(r.seq));
    const gaps = seqs.length !== lastSeq || seqs.some((seq, k) => seq !== k + 1);
    if (gaps) seqProblems.push(`${name}: server holds ${seqs.length} events for seq 1..${lastSeq}`);

    // 3. stock ledger = sales, on both sides
    const lines = new Map(
      (
        db
          .prepare(
            "SELECT l.product_id AS p, sum(l.stock_qty_milli) AS q FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.status = 'completed' AND l.voided = 0 GROUP BY 1",
          )
          .all() as { p: string; q: number }[]
      ).map((r) => [r.p, -r.q]),
    );
    const ledger = new Map(
      (
        db.prepare('SELECT product_id AS p, sum(delta_milli) AS q FROM stock_movements GROUP BY 1').all() as {
          p: string;
          q: number;
        }[]
      ).map((r) => [r.p, r.q]),
    );
    const serverLedger = new Map(
      (
        await q<{ p: string; q: string }>(
          'SELECT product_id AS p, sum(qty_delta_milli) AS q FROM stock_movements WHERE station_id = $1 GROUP BY 1',
          [id],
        )
      ).map((r) => [r.p, Number(r.q)]),
    );
    for (const product of new Set([...lines.keys(), ...ledger.keys(), ...serverLedger.keys()])) {
      const [a, b, c] = [lines.get(product) ?? 0, ledger.get(product) ?? 0, serverLedger.get(product) ?? 0];
      if (a !== b || b !== c)
        stockProblems.push(`${name}: product ${product} lines ${a}, station ledger ${b}, server ledger ${c}`);
    }

    // 4. pulled changes exactly once
    const pulled = [...s.pulledSeqs].sort((x, y) => x - y);
    const dupes = pulled.filter((seq, k) => k > 0 && pulled[k - 1] === seq);
    if (dupes.length > 0) pullProblems.push(`${name}: changes applied twice: ${dupes.slice(0, 5).join(',')}`);
    const pulledSet = new Set(pulled);
    const notPulled = changeLog.filter((seq) => !pulledSet.has(seq));
    if (notPulled.length > 0) pullProblems.push(`${name}: ${notPulled.length} changes never applied`);
    if (pulled.length !== changeLog.length && dupes.length === 0 && notPulled.length === 0)
      pullProblems.push(`${name}: applied changes the log does not have`);
    if (s.station.sync.status().cursor !== lastChange)
      pullProblems.push(`${name}: cursor ${s.station.sync.status().cursor}, server at ${lastChange}`);
    for (const [plu, price] of serverPrices) {
      const here = db.prepare('SELECT price FROM products WHERE plu = ?').pluck().get(plu);
      if (here !== price)
        pullProblems.push(`${name}: PLU ${plu} costs ${String(here)} here, ${price} on the server`);
    }

    // 5. outbox drained, nothing quarantined or rejected
    const status = s.station.sync.status();
    if (status.pendingEvents !== 0)
      drainProblems.push(`${name}: ${status.pendingEvents} events still waiting`);
    if (status.quarantined !== 0) drainProblems.push(`${name}: ${status.quarantined} events quarantined`);
    const rejected = Number(
      (await q<{ n: string }>('SELECT count(*) AS n FROM rejected_events WHERE station_id = $1', [id]))[0]!.n,
    );
    if (rejected !== 0) drainProblems.push(`${name}: ${rejected} events rejected by the server`);
  }
  check(
    'every sale exists exactly once on the server',
    salesProblems,
    `${totalSales} sales from ${stations.length} stations`,
  );
  check('no per-station sequence gaps', seqProblems, 'every station: seq 1..N all on the server');
  check(
    'stock ledger sums match the sales',
    stockProblems,
    'sale lines = station ledger = server ledger, per product',
  );
  check(
    'every pulled change arrived exactly once',
    pullProblems,
    `${changeLog.length} changes applied once on each station`,
  );
  check('outboxes empty, nothing quarantined or rejected', drainProblems, 'all outboxes drained');
  return checks;
}

function hasProducts(station: Station): boolean {
  return (station.db.prepare('SELECT count(*) FROM products').pluck().get() as number) >= PLUS.length;
}

function productOf(plu: string, price: number) {
  return {
    plu,
    barcodes: [],
    nameZh: `压测商品${plu}`,
    nameEn: `Soak product ${plu}`,
    category: null,
    unit: 'piece',
    price,
    cost: null,
    taxCode: 'VAT13',
    active: true,
  };
}

/** The admin API of whichever server process answers. */
class AdminApi {
  constructor(private readonly servers: ServerProcess[]) {}

  async post<T = unknown>(pathname: string, body: unknown): Promise<T> {
    let lastError: unknown = null;
    for (let attempt = 0; attempt < 20; attempt++) {
      const server = this.servers[attempt % this.servers.length]!;
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}${pathname}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const text = await res.text();
        if (res.ok) return JSON.parse(text) as T;
        if (res.status < 500) throw new Error(`admin ${pathname}: ${res.status} ${text}`);
        lastError = new Error(`admin ${pathname}: ${res.status}`);
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('admin ')) throw err;
        lastError = err;
      }
      await sleep(100);
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }
}

async function bundleServer(dir: string): Promise<string> {
  const outfile = path.join(dir, 'store-server.mjs');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'src/server/cli/server-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: ['pg-native'],
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  // The server finds its SQL migrations next to the bundle or in the repository.
  const migrations = path.join(REPO_ROOT, 'src/server/migrations');
  if (fs.existsSync(migrations)) fs.cpSync(migrations, path.join(dir, 'migrations'), { recursive: true });
  return outfile;
}

async function startServer(
  server: ServerProcess,
  file: string,
  databaseUrl: string,
  log: (line: string) => void,
): Promise<void> {
  const child = spawn(
    process.execPath,
    [file, '--database-url', databaseUrl, '--port', String(server.port)],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, COUNTERTOP_ADMIN_TOKEN: ADMIN_TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  server.child = child;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`store server exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`store server did not start: ${stderr}`);
    await sleep(100);
  }
  void log;
}

function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`soak: timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Prints a report as the soak's result table. */
export function formatReport(report: SoakReport): string {
  const lines = report.checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.name} — ${c.detail}`);
  lines.push(
    `stats: ${Object.entries(report.stats)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  lines.push(report.ok ? 'soak: all checks passed' : 'soak: CHECKS FAILED');
  return lines.join('\n');
}
