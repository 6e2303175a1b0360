/**
 * Never lose a sale: a child process sells in a loop through the real sale service and is killed with SIGKILL at
 * random moments. After every kill the database must pass integrity_check, every sale whose completion had
 * returned must be there with its lines, payments, stock movements, outbox row and audit row, the receipt
 * numbers must have no gaps, the audit chain must verify, and the open cart must still hold every line whose
 * scan had returned.
 *
 * CI runs CRASH_KILLS (default 50) kills; scripts/crash-soak.mjs runs 500. SIGKILL tests what the process can
 * lose; a power cut additionally relies on synchronous=FULL, which open.ts asserts at start.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src/main/core/station';
import { auditHash, GENESIS_HASH, type AuditRow } from '../../../src/main/core/journal';
import { MIGRATIONS_DIR, REPO_ROOT } from '../../helpers/paths';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';
import { openSaleStation } from './fixture';

const KILLS = Number(process.env.CRASH_KILLS ?? 50);
/** Kill this long after the child reported ready: long enough for a few sales, short enough to land anywhere. */
const MIN_DELAY_MS = 5;
const MAX_DELAY_MS = 220;

let temp: TempDir;
let childFile: string;
let dataDir: string;

beforeAll(async () => {
  temp = tempDataDir('countertop-crash-');
  dataDir = path.join(temp.dir, 'station');
  childFile = path.join(temp.dir, 'crash-child.cjs');
  // The child is the real service bundled for plain `node` (tests run TypeScript through vitest; a child cannot).
  await build({
    entryPoints: [path.join(REPO_ROOT, 'test/main/sale/crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile: childFile,
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
  const fx = await openSaleStation(dataDir);
  fx.setSettings({ cashIncrement: 10 });
  fx.station.close();
}, 60_000);

afterAll(() => temp.cleanup());

interface RunOutput {
  ready: { saleId: string | null; lines: number } | null;
  lines: { saleId: string; count: number }[];
  commits: { saleId: string; receiptNo: string }[];
  errors: string[];
}

/** Starts the child, kills it `delay` ms after it is ready, and returns the lines it completed before dying. */
function runAndKill(delay: number): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childFile, dataDir, MIGRATIONS_DIR], {
      env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.includes('READY'))
        timer = setTimeout(() => child.kill('SIGKILL'), delay);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(watchdog);
      if (timer) clearTimeout(timer);
      // Only whole lines count: a line cut by the kill was not confirmed.
      const complete = out
        .slice(0, out.lastIndexOf('\n') + 1)
        .split('\n')
        .filter(Boolean);
      const result: RunOutput = { ready: null, lines: [], commits: [], errors: [] };
      for (const line of complete) {
        const [kind, a = '', b = ''] = line.split(' ');
        if (kind === 'READY') result.ready = { saleId: a === '-' ? null : a, lines: Number(b) };
        else if (kind === 'LINE') result.lines.push({ saleId: a, count: Number(b) });
        else if (kind === 'COMMIT') result.commits.push({ saleId: a, receiptNo: b });
        else result.errors.push(line);
      }
      if (signal !== 'SIGKILL')
        result.errors.push(`child exited by itself (${String(signal)}): ${err.slice(0, 2000)}`);
      resolve(result);
    });
  });
}

interface Check {
  committed: Map<string, string>;
  lastCart: { saleId: string; count: number } | null;
  auditSeq: number;
  auditHash: string;
}

/** Everything a kill must not have broken, checked with a fresh connection of our own. */
function verify(state: Check): { sales: number } {
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);

    const seqs = db
      .prepare(
        "SELECT receipt_seq FROM sales WHERE series = 'S' AND status = 'completed' ORDER BY receipt_seq",
      )
      .pluck()
      .all() as number[];
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const last = db.prepare("SELECT last_seq FROM receipt_counters WHERE series = 'S'").pluck().get() as
      number | undefined;
    expect(last ?? 0).toBe(seqs.length);

    // Per-sale facts in bulk (a query per sale would make the soak run quadratic).
    const byId = <T>(sql: string) =>
      new Map((db.prepare(sql).raw().all() as [string, T][]).map(([k, v]) => [k, v]));
    const sales = db
      .prepare("SELECT id, status, receipt_no, total, rounding FROM sales WHERE kind = 'sale'")
      .all() as { id: string; status: string; receipt_no: string | null; total: number; rounding: number }[];
    const sale = new Map(sales.map((r) => [r.id, r]));
    const activeLines = byId<number>(
      'SELECT sale_id, count(*) FROM sale_lines WHERE voided = 0 GROUP BY sale_id',
    );
    const lineSum = byId<number>(
      'SELECT sale_id, sum(total) FROM sale_lines WHERE voided = 0 GROUP BY sale_id',
    );
    const paid = byId<number>(
      "SELECT sale_id, sum(amount - change_given) FROM payments WHERE status = 'approved' GROUP BY sale_id",
    );
    const moves = byId<number>('SELECT sale_id, count(*) FROM stock_movements GROUP BY sale_id');
    const outbox = byId<number>(
      "SELECT json_extract(payload, '$.document.id'), count(*) FROM outbox WHERE type = 'sale.completed' GROUP BY 1",
    );
    const audit = byId<number>(
      "SELECT json_extract(details, '$.saleId'), count(*) FROM audit_log WHERE action = 'sale.completed' GROUP BY 1",
    );
    for (const [id, receiptNo] of state.committed) {
      const row = sale.get(id);
      expect(row, `committed sale ${receiptNo} is missing`).toMatchObject({
        status: 'completed',
        receipt_no: receiptNo,
      });
    }
    // Every completed sale (also one killed between commit and print) is whole: all or nothing.
    const completed = sales.filter((r) => r.status === 'completed');
    for (const row of completed) {
      const n = activeLines.get(row.id) ?? 0;
      expect(n, `sale ${row.receipt_no} has no lines`).toBeGreaterThan(0);
      expect(lineSum.get(row.id)).toBe(row.total);
      expect(paid.get(row.id)).toBe(row.total + row.rounding);
      expect(moves.get(row.id)).toBe(n);
      expect(outbox.get(row.id), `sale ${row.receipt_no} without its outbox row`).toBe(1);
      expect(audit.get(row.id), `sale ${row.receipt_no} without its audit row`).toBe(1);
    }
    expect(completed.length).toBeGreaterThanOrEqual(state.committed.size);

    // The cart the child was filling still holds every line whose scan had returned.
    if (state.lastCart) {
      const row = sale.get(state.lastCart.saleId);
      expect(row, 'the open cart vanished').toBeDefined();
      expect(['open', 'tendering', 'completed']).toContain(row!.status);
      expect(activeLines.get(state.lastCart.saleId) ?? 0).toBeGreaterThanOrEqual(state.lastCart.count);
    }

    // The audit chain is intact (checked incrementally: rows before the last check cannot change).
    const rows = db
      .prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq')
      .all(state.auditSeq) as AuditRow[];
    for (const r of rows) {
      expect(r.prev_hash).toBe(state.auditHash);
      expect(auditHash(r)).toBe(r.hash);
      state.auditHash = r.hash;
      state.auditSeq = r.seq;
    }
    return { sales: completed.length };
  } finally {
    db.close();
  }
}

describe('never lose a sale', () => {
  it(
    `survives ${KILLS} SIGKILLs at random moments`,
    async () => {
      const state: Check = { committed: new Map(), lastCart: null, auditSeq: 0, auditHash: GENESIS_HASH };
      let resumedCarts = 0;
      let killedMidCart = 0;
      for (let kill = 0; kill < KILLS; kill++) {
        const delay = MIN_DELAY_MS + Math.floor(Math.random() * (MAX_DELAY_MS - MIN_DELAY_MS));
        const run = await runAndKill(delay);
        expect(run.errors, run.errors.join('\n')).toEqual([]);
        expect(run.ready, 'the child never got ready').not.toBeNull();
        // At start the child must have found the cart the previous kill left (if it was not committed).
        if (
          state.lastCart &&
          !state.committed.has(state.lastCart.saleId) &&
          run.ready?.saleId !== state.lastCart.saleId
        ) {
          const status = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
          try {
            const s = status
              .prepare('SELECT status FROM sales WHERE id = ?')
              .pluck()
              .get(state.lastCart.saleId);
            expect(s, 'an open cart was not resumed after the restart').toBe('completed');
          } finally {
            status.close();
          }
        }
        if (run.ready?.saleId) resumedCarts += 1;
        for (const c of run.commits) state.committed.set(c.saleId, c.receiptNo);
        const lastLine = run.lines.at(-1);
        if (lastLine && !state.committed.has(lastLine.saleId)) {
          state.lastCart = lastLine;
          killedMidCart += 1;
        } else if (lastLine || run.commits.length > 0) {
          state.lastCart = null;
        }
        verify(state);
      }
      const { sales } = verify(state);
      console.log(
        `crash test: ${KILLS} kills, ${sales} sales on disk (${state.committed.size} confirmed), ` +
          `${killedMidCart} kills with a cart open, ${resumedCarts} restarts resumed a cart`,
      );
      expect(state.committed.size).toBeGreaterThan(KILLS / 2);
      expect(resumedCarts).toBeGreaterThan(0);
    },
    Math.max(60_000, KILLS * 2_000),
  );
});
