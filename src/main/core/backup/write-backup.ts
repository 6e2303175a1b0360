import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../db/open';
import { decryptFile, encryptFileTo } from './crypto-file';
import { BackupError, ioError } from './errors';
import type { BackupKey } from './format';
import { checkDatabaseFileAsync, ensureDir, fsyncDir, removeDatabaseFiles } from './files';

export interface WriteBackupOptions {
  /** The live station connection: SQLite's online backup copies it while sales go on. */
  db: Db;
  outFile: string;
  key: BackupKey;
  /**
   * Where the plaintext snapshot and the verification copy live while they exist: the station's data folder
   * (it already holds the plaintext database), never the backup folder, which may be a USB stick.
   */
  workDir: string;
  now: Date;
}

export interface WrittenBackup {
  file: string;
  bytes: number;
  schemaVersion: number;
}

/**
 * One backup, start to finish:
 * 1. `db.backup()` (SQLite's online backup, in steps between which the event loop runs, so selling goes on;
 *    writes on this connection are carried into the copy) to a scratch file in the data folder;
 * 2. encrypt it to a temp file next to the target, fsync;
 * 3. verify that temp file: decrypt it to scratch, `PRAGMA integrity_check`, schema version as expected;
 * 4. rename it into place and fsync the folder — a half-written or unverified backup never bears the name.
 * The scratch files are removed whatever happens.
 */
export async function writeBackup({
  db,
  outFile,
  key,
  workDir,
  now,
}: WriteBackupOptions): Promise<WrittenBackup> {
  const targetDir = path.dirname(path.resolve(outFile));
  ensureDir(workDir, 'station work folder');
  ensureDir(targetDir, 'backup folder');
  const id = randomUUID();
  const snapshot = path.join(workDir, `backup-snapshot-${id}.db`);
  const verifyCopy = path.join(workDir, `backup-verify-${id}.db`);
  const partial = path.join(targetDir, `.${path.basename(outFile)}.${id}.partial`);
  try {
    try {
      await db.backup(snapshot);
    } catch (err) {
      throw ioError('copy the station database', err);
    }
    // The snapshot's schema is the live one (a migration never runs while the station is open).
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;

    let bytes: number;
    try {
      const out = await fsp.open(partial, 'wx');
      try {
        ({ bytes } = await encryptFileTo(snapshot, out, key, { schemaVersion, createdAt: now }));
        await out.sync();
      } finally {
        await out.close();
      }
    } catch (err) {
      throw ioError(`write the backup to ${targetDir}`, err);
    }
    removeDatabaseFiles(snapshot);

    await decryptFile(partial, verifyCopy, () => Promise.resolve(key));
    await checkDatabaseFileAsync(verifyCopy, { expectSchema: schemaVersion });

    try {
      await fsp.rename(partial, outFile);
      await fsyncDir(targetDir);
    } catch (err) {
      throw ioError(`put the backup in place as ${outFile}`, err);
    }
    return { file: path.resolve(outFile), bytes, schemaVersion };
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw ioError('write the backup', err);
  } finally {
    removeDatabaseFiles(snapshot);
    removeDatabaseFiles(verifyCopy);
    fs.rmSync(partial, { force: true });
  }
}
