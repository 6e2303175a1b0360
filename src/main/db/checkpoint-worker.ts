/**
 * The checkpoint worker (bundled to dist/main/checkpoint-worker.mjs). In WAL mode SQLite copies the log back into
 * the database file during whichever commit crosses the auto-checkpoint size: that commit pays for the copy and
 * an extra fsync of the database file, which is what a sale's p99 commit time was made of. The station turns
 * auto-checkpoints off on its writer and this worker, with its own connection, runs PASSIVE checkpoints (they
 * never block the writer) off the main thread.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again.
  }
}, intervalMs);
parentPort?.on('message', (msg: unknown) => {
  if (msg === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort?.close();
  }
});
parentPort?.postMessage('ready');
