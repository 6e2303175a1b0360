import { Worker } from 'node:worker_threads';
import { bundledWorkerFile } from '../bundled-worker';
import type { Db } from './open';

export const CHECKPOINT_WORKER_FILE = 'checkpoint-worker.mjs';

/**
 * Moves WAL checkpoints off the commit path (see checkpoint-worker.ts). Only once the worker says it is running
 * are the writer's auto-checkpoints turned off; without the bundled worker (tests) or if it fails, SQLite's own
 * auto-checkpoint stays on, so the log never grows without bound. Returns a stop function.
 */
export function startCheckpointer(
  db: Db,
  file: string,
  workerFile = bundledWorkerFile(CHECKPOINT_WORKER_FILE),
  intervalMs = 1000,
): () => void {
  if (workerFile === null) return () => undefined;
  let worker: Worker | null = new Worker(workerFile, { workerData: { file, intervalMs } });
  const fallBack = () => {
    worker = null;
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  worker.once('message', (msg) => {
    if (msg === 'ready' && db.open) db.pragma('wal_autocheckpoint = 0');
  });
  worker.once('error', fallBack);
  worker.once('exit', (code) => {
    if (code !== 0) fallBack();
  });
  worker.unref();
  return () => {
    worker?.postMessage('stop');
    worker = null;
  };
}
