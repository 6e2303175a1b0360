/**
 * `npm run bench:sync`: store sync measured from the station's side, end to end (station-sync-bench.ts).
 *
 *   npm run bench:sync -- [--products 1000000] [--sales 100000] [--json FILE]
 *                      [--push-window N] [--changes-per-transaction N]   (station tuning, for experiments)
 *
 * A throwaway PostgreSQL with its durability settings ON (fsync, synchronous commit: what a real server does),
 * the store server in its own process (as in production, where the station is another machine), and a real
 * station in this process with `synchronous=FULL`. Figures (stable names, the `npm run bench` JSON shape):
 * sync.push_backlog (sales/s), sync.first_pull (s), sync.pull_products (products/s), sync.lookup_during_pull
 * (ms), sync.search_after_pull (ms). Prints the figures and the correctness checks; exits 1 when a check fails
 * (a fast wrong answer is no figure). Asserts no timing.
 *
 * Bundled to dist/main/ (not dist/server/): the station finds its worker bundles (checkpoints, integrity check)
 * next to the running script, as the real station does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPool } from '../db';
import { startDevPostgres } from '../dev-postgres';
import { failedChecks, runStationSyncBench } from './station-sync-bench';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '1000000' },
    sales: { type: 'string', default: '100000' },
    json: { type: 'string' },
    'push-window': { type: 'string' },
    'changes-per-transaction': { type: 'string' },
  },
  strict: true,
});
const PRODUCTS = Number(values.products);
const SALES = Number(values.sales);
if (!Number.isSafeInteger(PRODUCTS) || PRODUCTS < 100 || !Number.isSafeInteger(SALES) || SALES < 0) {
  console.error('--products must be a whole number ≥ 100 and --sales a whole number ≥ 0');
  process.exit(2);
}

const appRoot = path.resolve(import.meta.dirname, '../..');
const log = (line: string) => process.stdout.write(`${line}\n`);

function startServerProcess(
  databaseUrl: string,
  adminToken: string,
): Promise<{ url: string; child: ChildProcess }> {
  const script = path.join(appRoot, 'dist/server/server.mjs');
  const child = spawn(
    process.execPath,
    [script, '--database-url', databaseUrl, '--port', '0', '--host', '127.0.0.1'],
    { env: { ...process.env, COUNTERTOP_ADMIN_TOKEN: adminToken }, stdio: ['ignore', 'pipe', 'inherit'] },
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

async function main(): Promise<number> {
  log(
    `Countertop sync bench: ${PRODUCTS.toLocaleString('en')} products, ${SALES.toLocaleString('en')} sales ` +
      `(PostgreSQL durable, server in its own process, ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
  );
  const pg = await startDevPostgres({ durable: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-sync-bench-'));
  let child: ChildProcess | null = null;
  try {
    const databaseUrl = await pg.newDatabase();
    const server = await startServerProcess(databaseUrl, randomUUID() + randomUUID());
    child = server.child;
    const pool = createPool(databaseUrl, 2);
    try {
      const result = await runStationSyncBench({
        serverUrl: server.url,
        pool,
        dataDir,
        migrationsDir: path.join(appRoot, 'migrations'),
        products: PRODUCTS,
        sales: SALES,
        log,
        ...(values['push-window'] === undefined ? {} : { pushWindow: Number(values['push-window']) }),
        ...(values['changes-per-transaction'] === undefined
          ? {}
          : { changesPerTransaction: Number(values['changes-per-transaction']) }),
      });
      log('');
      log('name                      unit             p50         p99        n');
      for (const f of result.figures) {
        log(
          `${f.name.padEnd(25)} ${f.unit.padEnd(11)} ${String(f.p50).padStart(11)} ${String(f.p99).padStart(11)} ${String(f.n).padStart(8)}`,
        );
      }
      if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(result.figures, null, 2)}\n`);
      const failures = failedChecks(result.checks, PRODUCTS, SALES);
      log('');
      log(failures.length === 0 ? 'checks: all passed' : `checks FAILED:\n  ${failures.join('\n  ')}`);
      return failures.length === 0 ? 0 : 1;
    } finally {
      await pool.end();
    }
  } finally {
    child?.kill('SIGTERM');
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
