/**
 * The integrity check of a decrypted backup runs in a worker thread in the bundled app; here the worker is
 * bundled with esbuild into a temp folder and run for real on a sound and on a damaged database.
 */
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabaseFileAsync } from '../../../src/main/core/backup/files';
import { REPO_ROOT } from '../../helpers/paths';

let dir: { dir: string; cleanup(): void };
let worker: string;

beforeAll(async () => {
  // Inside the repository, so the bundle's `import 'better-sqlite3'` resolves from its node_modules.
  const cache = path.join(REPO_ROOT, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const made = fs.mkdtempSync(path.join(cache, 'ct-check-worker-'));
  dir = { dir: made, cleanup: () => fs.rmSync(made, { recursive: true, force: true }) };
  worker = path.join(dir.dir, 'backup-check-worker.mjs');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'src/main/core/backup/check-worker.ts')],
    outfile: worker,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
});
afterAll(() => dir.cleanup());

function stationLike(file: string, userVersion: number): void {
  const db = new Database(file);
  db.exec('CREATE TABLE station (singleton INTEGER PRIMARY KEY, id TEXT); CREATE TABLE t (x TEXT);');
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200));
  })();
  db.pragma(`user_version = ${userVersion}`);
  db.close();
}

describe('the backup check worker', () => {
  it('passes a sound station database and reports its schema', async () => {
    const file = path.join(dir.dir, 'sound.db');
    stationLike(file, 5);
    await expect(checkDatabaseFileAsync(file, { maxSchema: 8 }, worker)).resolves.toEqual({
      schemaVersion: 5,
    });
    await expect(checkDatabaseFileAsync(file, { maxSchema: 4 }, worker)).rejects.toMatchObject({
      problem: 'too_new',
    });
  });

  it('refuses a damaged database with the problem SQLite found', async () => {
    const file = path.join(dir.dir, 'damaged.db');
    stationLike(file, 5);
    const bytes = fs.readFileSync(file);
    // Scribble over a table page in the middle of the file (not the header): integrity_check must notice.
    bytes.fill(0x5a, 4096 * 3, 4096 * 3 + 2048);
    fs.writeFileSync(file, bytes);
    await expect(checkDatabaseFileAsync(file, {}, worker)).rejects.toMatchObject({ problem: 'damaged' });
  });
});
