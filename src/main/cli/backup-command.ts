import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MIN_PASSPHRASE_LENGTH } from '../../shared/ipc/channels/backup';
import { DEFAULT_SCRYPT, deriveKey } from '../core/backup/format';
import { restoreDatabase } from '../core/backup/restore';
import { writeBackup } from '../core/backup/write-backup';
import { STATION_DATABASE_FILE as DATABASE_FILE } from './station-files';
import { describeError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io';
import { parseMaintenanceArgs } from './maintenance-args';
import { readPassphrase, type PassphraseTerminal } from './passphrase';

export interface MaintenanceRuntime {
  io: CliIo;
  /** Where a passphrase is typed when no file is given. */
  terminal: PassphraseTerminal;
  /** The app root: `migrations/` is found under it (restore opens the result like the station does). */
  appRoot: string;
  now?: () => Date;
}

export const BACKUP_USAGE = `Usage: npm run backup -- --data-dir DIR --out FILE [--passphrase-file P]

Writes an encrypted backup (AES-256-GCM, key from the passphrase by scrypt) of the station database to FILE,
verified before it is given its name. Without --passphrase-file the passphrase is asked for on the terminal.`;

export const RESTORE_USAGE = `Usage: npm run restore -- --data-dir DIR --in FILE [--passphrase-file P]

Replaces the station database with a backup, after checking the backup completely. Stop the station first.
The previous database is kept as station.db.before-restore-<time>. Without --passphrase-file the passphrase
is asked for on the terminal. On any failure the current database is left exactly as it was.`;

/** `npm run backup`: returns the exit code. */
export async function runBackup(argv: readonly string[], runtime: MaintenanceRuntime): Promise<number> {
  const { io } = runtime;
  const parsed = parseMaintenanceArgs(argv, { required: ['data-dir', 'out'], optional: ['passphrase-file'] });
  if (parsed.kind === 'help') {
    io.out(BACKUP_USAGE);
    return EXIT_OK;
  }
  if (parsed.kind === 'error') {
    io.err(`backup: ${parsed.message}`);
    return EXIT_USAGE;
  }
  const dataDir = path.resolve(parsed.values['data-dir'] ?? '');
  const outFile = path.resolve(parsed.values.out ?? '');
  const file = path.join(dataDir, DATABASE_FILE);
  try {
    if (!fs.existsSync(file)) throw new Error(`no station database at ${file}`);
    if (fs.existsSync(outFile)) throw new Error(`${outFile} already exists; choose a new file name`);
    const passphrase = await readPassphrase({
      file: parsed.values['passphrase-file'],
      terminal: runtime.terminal,
      confirm: true,
    });
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new Error(`the passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
    }
    const key = await deriveKey(passphrase, randomBytes(16), DEFAULT_SCRYPT);
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const written = await writeBackup({
        db,
        outFile,
        key,
        workDir: dataDir,
        now: runtime.now?.() ?? new Date(),
      });
      io.out(
        `Backup written and verified: ${written.file} (${written.bytes} bytes, schema ${written.schemaVersion}).`,
      );
    } finally {
      db.close();
    }
    return EXIT_OK;
  } catch (err) {
    io.err(`backup failed: ${describeError(err)}`);
    return EXIT_FAILED;
  }
}

/** `npm run restore`: returns the exit code. */
export async function runRestore(argv: readonly string[], runtime: MaintenanceRuntime): Promise<number> {
  const { io } = runtime;
  const parsed = parseMaintenanceArgs(argv, { required: ['data-dir', 'in'], optional: ['passphrase-file'] });
  if (parsed.kind === 'help') {
    io.out(RESTORE_USAGE);
    return EXIT_OK;
  }
  if (parsed.kind === 'error') {
    io.err(`restore: ${parsed.message}`);
    return EXIT_USAGE;
  }
  const dataDir = path.resolve(parsed.values['data-dir'] ?? '');
  const inFile = path.resolve(parsed.values.in ?? '');
  try {
    if (!fs.existsSync(dataDir)) throw new Error(`the data folder ${dataDir} does not exist`);
    const passphrase = await readPassphrase({
      file: parsed.values['passphrase-file'],
      terminal: runtime.terminal,
      confirm: false,
    });
    const result = await restoreDatabase({
      dataDir,
      databaseFile: path.join(dataDir, DATABASE_FILE),
      inFile,
      passphrase,
      migrationsDir: path.join(runtime.appRoot, 'migrations'),
      now: runtime.now?.() ?? new Date(),
    });
    io.out(
      `Restored ${inFile} (schema ${result.schemaVersion}).` +
        (result.keptAs ? ` The previous database is kept as ${result.keptAs}.` : ''),
    );
    return EXIT_OK;
  } catch (err) {
    io.err(`restore failed: ${describeError(err)}`);
    return EXIT_FAILED;
  }
}
