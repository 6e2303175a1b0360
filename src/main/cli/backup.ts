/** Entry point of `npm run backup` (bundled to dist/main/backup.mjs). */
import path from 'node:path';
import { runBackup } from './backup-command';
import { processIo } from './cli-io';

process.exit(
  await runBackup(process.argv.slice(2), {
    io: processIo,
    terminal: { input: process.stdin, output: process.stderr },
    // dist/main/backup.mjs → the app root
    appRoot: path.resolve(import.meta.dirname, '../..'),
  }),
);
