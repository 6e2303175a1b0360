// `npm run sync:soak -- [--stations 4] [--seconds 60] [--seed N] [--database-url URL]`
// Bundles the soak (test/main/sync/soak-cli.ts) with esbuild and runs it with plain node. Loopback only,
// bounded in time; exits non-zero when a check fails. See test/main/sync/soak-runner.ts.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countertop-sync-soak-'));
const outfile = path.join(root, 'dist', 'soak', 'sync-soak.mjs');
try {
  await build({
    entryPoints: [path.join(root, 'test/main/sync/soak-cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Native and resolvable-at-run-time modules stay in node_modules (the bundle lives inside the repository).
    external: [
      'better-sqlite3',
      'pg',
      'pg-native',
      'esbuild',
      'zod',
      'pinyin-pro',
      'csv-parse',
      'iconv-lite',
    ],
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
  });
  process.exitCode = run.status ?? 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
