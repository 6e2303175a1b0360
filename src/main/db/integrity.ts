import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { bundledWorkerFile } from '../bundled-worker';
import type { Db } from './open';

export const INTEGRITY_WORKER_FILE = 'integrity-worker.mjs';

/** `PRAGMA quick_check`: an empty list when the file is sound, otherwise the first problems SQLite found. */
export function quickCheck(db: Db): string[] {
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  return rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
}

/**
 * Checks a database file off the main thread. quick_check reads every page: about 1.5 s per 300 MB here, so on
 * a million-product catalog it would keep a till from starting for several seconds. The station opens with a
 * cheap structural check, becomes ready, and this runs beside it; a damaged file then stops business writes
 * (see Station) and is reported, never overwritten. Without the bundled worker (tests) it runs in-process on a
 * second read-only connection, after the current turn of the event loop.
 */
export function checkIntegrityInBackground(
  file: string,
  workerFile = bundledWorkerFile(INTEGRITY_WORKER_FILE),
): Promise<string[]> {
  if (workerFile === null) return checkInProcess(file);
  return new Promise((resolve) => {
    let answered = false;
    const worker = new Worker(workerFile, { workerData: { file } });
    worker.once('message', (msg: { problems: string[] }) => {
      answered = true;
      resolve(msg.problems);
    });
    // A worker that cannot start or dies says nothing about the file: check it here instead (a slower start
    // beats calling a sound database damaged).
    worker.once('error', () => {
      if (!answered) resolve(checkInProcess(file));
    });
    worker.once('exit', (code) => {
      if (!answered && code !== 0) resolve(checkInProcess(file));
    });
    // A till that is shutting down does not wait for the check.
    worker.unref();
  });
}

/** The same check on a second read-only connection in this thread, after the current turn of the event loop. */
function checkInProcess(file: string): Promise<string[]> {
  return new Promise((resolve) =>
    setImmediate(() => {
      try {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        try {
          resolve(quickCheck(db));
        } finally {
          db.close();
        }
      } catch (err) {
        resolve([`cannot read the database: ${(err as Error).message}`]);
      }
    }),
  );
}
