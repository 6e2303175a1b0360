#!/usr/bin/env node
// The long crash soak: the same test as CI (test/main/sale/crash.test.ts), with 500 SIGKILLs instead of 50.
// Usage: node scripts/crash-soak.mjs [kills]     (default 500; the CRASH_KILLS environment variable also works)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kills = process.argv[2] ?? process.env.CRASH_KILLS ?? '500';
if (!/^\d+$/.test(kills) || Number(kills) < 1) {
  console.error(`crash-soak: the number of kills must be a positive integer, got "${kills}"`);
  process.exit(2);
}
const vitest = path.join(
  root,
  'node_modules',
  '.bin',
  process.platform === 'win32' ? 'vitest.cmd' : 'vitest',
);
const result = spawnSync(vitest, ['run', '--project', 'unit', 'test/main/sale/crash.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CRASH_KILLS: kills },
});
process.exit(result.status ?? 1);
