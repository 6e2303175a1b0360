/** Entry point of `npm run selftest` (bundled to dist/main/selftest.mjs); usable over SSH and in scripts. */
import path from 'node:path';
import { processIo } from './cli-io';
import { runSelftest } from './selftest-command';

process.exit(
  await runSelftest(process.argv.slice(2), {
    io: processIo,
    // dist/main/selftest.mjs → the app root holds migrations/
    appRoot: path.resolve(import.meta.dirname, '../..'),
  }),
);
