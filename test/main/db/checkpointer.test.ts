import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../../src/main/db/checkpointer';
import { openDatabase, type Db } from '../../../src/main/db/open';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-ckpt-'));
  dirs.push(dir);
  return dir;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The worker as the build ships it: bundled to .mjs (vitest cannot start a TypeScript worker). */
async function bundledWorker(dir: string): Promise<string> {
  const outfile = path.join(dir, 'checkpoint-worker.mjs');
  await build({
    entryPoints: [path.resolve('src/main/db/checkpoint-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['better-sqlite3'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    absWorkingDir: path.resolve('.'),
    nodePaths: [path.resolve('node_modules')],
    logLevel: 'silent',
  });
  fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
  return outfile;
}

describe('startCheckpointer', () => {
  it('takes checkpoints off the writer: auto-checkpoint off, the worker copies the log into the file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 's.db');
    const db = openDatabase({ file, migrationsDir: path.resolve('migrations') });
    dbs.push(db);
    const stop = startCheckpointer(db, file, await bundledWorker(dir), 20);
    await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === 0, 'the worker to take over');
    const before = fs.statSync(file).size;
    const insert = db.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, '\"x\"', 'now')");
    for (let i = 0; i < 2000; i++) db.transaction(() => insert.run(`key-${i}-${'x'.repeat(80)}`))();
    await until(() => fs.statSync(file).size > before, 'the database file to receive the checkpointed pages');
    stop();
  });

  it('leaves SQLite auto-checkpointing on when the worker cannot run', async () => {
    const dir = tempDir();
    const file = path.join(dir, 's.db');
    const db = openDatabase({ file, migrationsDir: path.resolve('migrations') });
    dbs.push(db);
    const broken = path.join(dir, 'checkpoint-worker.mjs');
    fs.writeFileSync(broken, 'throw new Error("cannot start");');
    startCheckpointer(db, file, broken, 20);
    await new Promise((r) => setTimeout(r, 300));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(startCheckpointer(db, file, null)).toBeTypeOf('function');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
