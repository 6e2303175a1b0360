/**
 * The backup check worker (bundled to dist/main/backup-check-worker.mjs): runs the full `PRAGMA
 * integrity_check` of a decrypted backup on its own thread, so verifying a large backup never holds up a sale.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BackupError } from './errors';
import { checkDatabaseFile, type CheckExpectations } from './files';

const { file, expect } = workerData as { file: string; expect: CheckExpectations };
try {
  parentPort?.postMessage({ ok: true, value: checkDatabaseFile(file, expect) });
} catch (err) {
  parentPort?.postMessage({
    ok: false,
    problem: err instanceof BackupError ? err.problem : 'damaged',
    message: err instanceof Error ? err.message : String(err),
  });
}
