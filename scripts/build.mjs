// Builds every bundle: the renderer with Vite, the Node-side entry points with esbuild.
// Native and host modules stay external (loaded from node_modules at run time, unpacked from the asar).
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const external = [
  'playwright-core',
  'electron',
  'better-sqlite3',
  'serialport',
  '@serialport/*',
  'node-hid',
  'node-thermal-printer',
  'ws',
  'pg',
  'iconv-lite',
  'zod',
];
const define = { __COUNTERTOP_VERSION__: JSON.stringify(pkg.version) };

/** Node entry points: [source, output, format]. */
const nodeEntries = [
  ['src/main/electron/main.ts', 'dist/main/electron.cjs', 'cjs'],
  ['src/main/cli/serve.ts', 'dist/main/serve.mjs', 'esm'],
  ['src/main/cli/audit-verify.ts', 'dist/main/audit-verify.mjs', 'esm'],
  ['src/main/cli/backup.ts', 'dist/main/backup.mjs', 'esm'],
  ['src/main/cli/restore.ts', 'dist/main/restore.mjs', 'esm'],
  ['src/main/cli/selftest.ts', 'dist/main/selftest.mjs', 'esm'],
  ['src/main/bench/bench.ts', 'dist/main/bench.mjs', 'esm'],
  ['src/main/core/catalog/import-worker.ts', 'dist/main/import-worker.mjs', 'esm'],
  ['src/main/core/catalog/prepare-worker.ts', 'dist/main/prepare-worker.mjs', 'esm'],
  ['src/main/db/integrity-worker.ts', 'dist/main/integrity-worker.mjs', 'esm'],
  ['src/main/db/checkpoint-worker.ts', 'dist/main/checkpoint-worker.mjs', 'esm'],
  ['src/main/core/backup/check-worker.ts', 'dist/main/backup-check-worker.mjs', 'esm'],
  ['src/server/cli/server-main.ts', 'dist/server/server.mjs', 'esm'],
  ['src/server/cli/enrol-main.ts', 'dist/server/enrol.mjs', 'esm'],
  ['src/server/cli/import-main.ts', 'dist/server/import.mjs', 'esm'],
  ['src/server/cli/gift-card-main.ts', 'dist/server/gift-card.mjs', 'esm'],
  ['src/server/bench/push-bench.ts', 'dist/server/push-bench.mjs', 'esm'],
  // The station side of sync, end to end; next to the station's worker bundles, which it loads as the app does.
  ['src/server/bench/sync-bench.ts', 'dist/main/sync-bench.mjs', 'esm'],
];

const started = Date.now();
await Promise.all([
  viteBuild({ configFile: path.join(root, 'vite.renderer.config.ts'), logLevel: 'warn' }),
  ...nodeEntries
    .filter(([src]) => fs.existsSync(path.join(root, src)))
    .map(([src, out, format]) =>
      esbuild({
        entryPoints: [path.join(root, src)],
        outfile: path.join(root, out),
        bundle: true,
        platform: 'node',
        target: 'node22',
        format,
        external,
        define,
        sourcemap: 'linked',
        logLevel: 'warning',
        banner:
          format === 'esm'
            ? {
                js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
              }
            : undefined,
      }),
    ),
  // The preload runs sandboxed: one CommonJS file that may require only 'electron'.
  fs.existsSync(path.join(root, 'src/preload/index.ts'))
    ? esbuild({
        entryPoints: [path.join(root, 'src/preload/index.ts')],
        outfile: path.join(root, 'dist/preload/preload.cjs'),
        bundle: true,
        platform: 'node',
        target: 'chrome130',
        format: 'cjs',
        external: ['electron'],
        logLevel: 'warning',
      })
    : Promise.resolve(),
]);
console.log(`Built in ${Date.now() - started} ms`);
