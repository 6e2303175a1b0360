/**
 * `npm run bench`: the speed and memory figures of the station core, measured through the real IPC gate (the
 * same path a renderer call takes: contract lookup, zod parse, permission check, handler, output check) on a
 * real SQLite file with `synchronous=FULL`.
 *
 *   npm run bench -- [--products 1000000] [--sales 100000] [--json FILE] [--keep DIR]
 *
 * Figures (names are stable so runs can be compared): import.csv, startup.ready, lookup.barcode, search.name,
 * search.pinyin, sale.commit, memory.rss. Timing belongs here, never in tests.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Station } from '../core/station';
import { generateCatalogCsv, generatedRow } from '../core/catalog/generate-csv';
import { APP_VERSION } from '../version';
import type { Result } from '../../shared/domain/errors';
import type { Channel, InputOf, OutputOf } from '../../shared/ipc/contract';
import { percentile, summarise, timeMs, type Figure } from './stats';
import { measureScanToRender } from './ui-bench';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '1000000' },
    sales: { type: 'string', default: '100000' },
    json: { type: 'string' },
    keep: { type: 'string' },
    'no-ui': { type: 'boolean', default: false },
  },
  strict: true,
});
const PRODUCTS = Number(values.products);
const SALES = Number(values.sales);
if (!Number.isSafeInteger(PRODUCTS) || PRODUCTS < 100 || !Number.isSafeInteger(SALES) || SALES < 0) {
  console.error('--products must be an integer ≥ 100 and --sales an integer ≥ 0');
  process.exit(2);
}

const appRoot = path.resolve(import.meta.dirname, '../..');
const migrationsDir = path.join(appRoot, 'migrations');
const dataDir = values.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ct-bench-'));
const figures: Figure[] = [];
const log = (line: string) => process.stdout.write(`${line}\n`);

/** A deterministic PRNG so every run looks up the same codes. */
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

function caller(station: Station, connectionId: string) {
  station.gate.registerConnection(connectionId);
  return async <C extends Channel>(channel: C, input: InputOf<C>): Promise<OutputOf<C>> => {
    const r = (await station.gate.handle(connectionId, channel, input)) as Result<OutputOf<C>>;
    if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
}

async function main(): Promise<void> {
  log(
    `Countertop bench ${APP_VERSION}: ${PRODUCTS.toLocaleString('en')} products, ${SALES.toLocaleString('en')} past sales, data in ${dataDir}`,
  );
  let station = Station.open({ dataDir, migrationsDir, version: APP_VERSION });
  let call = caller(station, 'bench');
  await call('setup:complete', {
    storeName: 'Bench Mart',
    currency: 'CNY',
    locale: 'zh-CN',
    taxMode: 'inclusive',
    adminName: 'Bench',
    adminPin: '2468',
  });
  // Cash needs the drawer's open shift (src/main/core/shift): the bench sells cash all day.
  await call('shift:open', { float: { total: 0 } });
  station.catalog.upsertTaxRates(
    [
      { code: 'VAT13', nameZh: '增值税13%', nameEn: 'VAT 13%', ratePpm: 130_000 },
      { code: 'VAT9', nameZh: '增值税9%', nameEn: 'VAT 9%', ratePpm: 90_000 },
      { code: 'VAT0', nameZh: '免税', nameEn: 'Exempt', ratePpm: 0 },
    ],
    null,
  );

  // --- import.csv --------------------------------------------------------------------------------------------
  const csv = path.join(dataDir, 'catalog.csv');
  await generateCatalogCsv(PRODUCTS, csv);
  let lastReport = 0;
  const importMs = await timeMs(async () => {
    const report = await station.catalog.importCsv(csv, {
      onProgress: (p) => {
        const now = Date.now();
        if (now - lastReport > 5000) {
          lastReport = now;
          log(`  import: ${JSON.stringify(p)}`);
        }
      },
    });
    if (report.rejected.length > 0)
      throw new Error(`import rejected rows: ${JSON.stringify(report.rejected.slice(0, 3))}`);
  });
  figures.push(summarise('import.csv', [importMs]));
  fs.rmSync(csv);

  // --- past sales (setup, not measured): real sales through the service, batched in outer transactions ------
  /** Barcodes of random piece-sold products (weighed ones would need a weight at the till). */
  const codes = (n: number, seed: number) => {
    const random = rng(seed);
    const out: string[] = [];
    while (out.length < n) {
      const row = generatedRow(Math.floor(random() * PRODUCTS));
      if (!row.nameZh.includes('散装')) out.push(row.barcodes[0] ?? '');
    }
    return out;
  };
  const historyCodes = codes(Math.min(SALES, 5000) * 3, 7);
  const BATCH = 500;
  for (let done = 0; done < SALES;) {
    const n = Math.min(BATCH, SALES - done);
    // Nested service transactions become savepoints: one fsync per batch keeps the setup fast.
    await call('sale:current', {});
    station.db.exec('BEGIN');
    try {
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 3; k++)
          await call('sale:scan', { code: historyCodes[((done + i) * 3 + k) % historyCodes.length] ?? '' });
        const view = await call('sale:start-tender', {});
        await call('sale:add-tender', { tender: 'cash', amount: view.totals.dueCash });
        await call('sale:complete', {});
      }
      station.db.exec('COMMIT');
    } catch (err) {
      station.db.exec('ROLLBACK');
      throw err;
    }
    done += n;
    if (done % 10_000 === 0 || done === SALES) log(`  past sales: ${done.toLocaleString('en')}`);
  }
  station.close();

  // --- startup.ready: a fresh process from start to "Station ready" on this database -------------------------
  const startups: number[] = [];
  for (let i = 0; i < 5; i++) startups.push(await timeServeStartup());
  figures.push(summarise('startup.ready', startups));

  station = Station.open({ dataDir, migrationsDir, version: APP_VERSION });
  call = caller(station, 'bench');
  const admin = station.db.prepare("SELECT id FROM users WHERE role = 'admin'").pluck().get() as string;
  await call('auth:sign-in', { userId: admin, pin: '2468' });

  // --- lookup.barcode ------------------------------------------------------------------------------------------
  const lookups = codes(20_000, 11);
  const lookupMs: number[] = [];
  for (const code of lookups) lookupMs.push(await timeMs(() => call('catalog:lookup', { code })));
  figures.push(summarise('lookup.barcode', lookupMs.slice(2000)));

  // --- search.name / search.pinyin -----------------------------------------------------------------------------
  const random = rng(13);
  const nameQueries: string[] = [];
  const pinyinQueries: string[] = [];
  for (let i = 0; i < 1200; i++) {
    const row = generatedRow(Math.floor(random() * PRODUCTS));
    const zh = row.nameZh.replace(/\s.*$/, '');
    const start = Math.floor(random() * Math.max(1, zh.length - 2));
    nameQueries.push(
      i % 3 === 0 ? (row.nameEn.split(' ')[1]?.slice(0, 4) ?? 'cola') : zh.slice(start, start + 2),
    );
    const product = station.catalog.lookup(row.barcodes[0] ?? '');
    const initials = station.db
      .prepare('SELECT pinyin_initials FROM products WHERE id = ?')
      .pluck()
      .get(product.product.id) as string;
    const s = Math.floor(random() * Math.max(1, initials.length - 2));
    pinyinQueries.push(initials.slice(s, s + 3) || 'kl');
  }
  const searchTimes = async (queries: string[]) => {
    const out: number[] = [];
    for (const query of queries) out.push(await timeMs(() => call('catalog:search', { query, limit: 20 })));
    return out.slice(200);
  };
  figures.push(summarise('search.name', await searchTimes(nameQueries)));
  figures.push(summarise('search.pinyin', await searchTimes(pinyinQueries)));

  // --- sale.commit: 10 lines, cash, durable ------------------------------------------------------------------
  const saleCodes = codes(500 * 10, 17);
  const commitMs: number[] = [];
  for (let s = 0; s < 500; s++) {
    for (let k = 0; k < 10; k++) await call('sale:scan', { code: saleCodes[s * 10 + k] ?? '' });
    const view = await call('sale:start-tender', {});
    await call('sale:add-tender', { tender: 'cash', amount: view.totals.dueCash });
    commitMs.push(await timeMs(() => call('sale:complete', {})));
  }
  figures.push(summarise('sale.commit', commitMs.slice(50)));

  const rssMb = process.memoryUsage().rss / (1024 * 1024);
  figures.push({ name: 'memory.rss', unit: 'MB', p50: Math.round(rssMb), p99: Math.round(rssMb), n: 1 });
  station.close();

  // --- ui.scan_to_render: 200 scans into one cart in Chromium ------------------------------------------------
  let uiP95: number | null = null;
  if (!values['no-ui']) {
    const samples = await measureScanToRender({
      serveScript: path.join(appRoot, 'dist/main/serve.mjs'),
      dataDir,
      userName: 'Bench',
      pin: '2468',
      codes: codes(200, 23),
    });
    figures.push(summarise('ui.scan_to_render', samples));
    uiP95 =
      Math.round(
        percentile(
          [...samples].sort((a, b) => a - b),
          95,
        ) * 1000,
      ) / 1000;
  }

  log('');
  log('name              unit      p50       p99      n');
  for (const f of figures) {
    log(
      `${f.name.padEnd(17)} ${f.unit.padEnd(4)} ${String(f.p50).padStart(9)} ${String(f.p99).padStart(9)} ${String(f.n).padStart(6)}`,
    );
  }
  if (uiP95 !== null) log(`ui.scan_to_render p95: ${uiP95} ms (200-line cart)`);
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(figures, null, 2)}\n`);
  if (!values.keep) fs.rmSync(dataDir, { recursive: true, force: true });
}

/** Spawns the built browser host on the bench database and times it until it prints "Station ready". */
function timeServeStartup(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [path.join(appRoot, 'dist/main/serve.mjs'), '--port', '0', '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Station ready: ')) {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        child.once('exit', () => resolve(ms));
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      if (!out.includes('Station ready: ')) reject(new Error(`serve exited with ${code}: ${out}`));
    });
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
