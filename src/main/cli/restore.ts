/** Entry point of `npm run restore` (bundled to dist/main/restore.mjs). */
import path from 'node:path';
import { runRestore } from './backup-command';
import { processIo } from './cli-io';

process.exit(
  await runRestore(process.argv.slice(2), {
    io: processIo,
    terminal: { input: process.stdin, output: process.stderr },
    // dist/main/restore.mjs → the app root holds migrations/
    appRoot: path.resolve(import.meta.dirname, '../..'),
  }),
);
