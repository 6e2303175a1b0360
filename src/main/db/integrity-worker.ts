/**
 * The integrity worker (bundled to dist/main/integrity-worker.mjs): runs `PRAGMA quick_check` on its own
 * read-only connection, so a large database is checked without holding up the till (WAL lets it read while
 * the station writes).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { quickCheck } from './integrity';

const { file } = workerData as { file: string };
try {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    parentPort?.postMessage({ problems: quickCheck(db) });
  } finally {
    db.close();
  }
} catch (err) {
  parentPort?.postMessage({ problems: [`cannot read the database: ${(err as Error).message}`] });
}
