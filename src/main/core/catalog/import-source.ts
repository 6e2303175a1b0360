import { Worker } from 'node:worker_threads';
import { bundledWorkerFile } from '../../bundled-worker';
import { AppError, type ErrorData } from '../../../shared/domain/errors';
import { readCatalogCsv, type CsvReadOptions, type PreparedBatch } from './csv-reader';

/**
 * Where an import's checked batches come from: the import worker (parsing, validation and pinyin off the main
 * thread) or, when there is no bundled worker, the same reader in-process.
 *
 * The worker does NOT open the database. better-sqlite3 would allow a second connection, but a second WRITER
 * breaks the station's other transactions: a deferred transaction on the main connection that has read and
 * then wants to write fails at once with SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT (the busy timeout does not apply)
 * whenever the other connection committed in between — during an import that is nearly every sale. So the
 * worker parses and the main connection writes, in short transactions between which the event loop runs.
 */

export const IMPORT_WORKER_FILE = 'import-worker.mjs';

export interface WorkerInput {
  file: string;
  options: CsvReadOptions;
}

/** Messages from the worker. The worker sends a batch only while it holds a credit (see import-worker.ts). */
export type WorkerMessage =
  { type: 'batch'; batch: PreparedBatch } | { type: 'done' } | { type: 'error'; error: ErrorData };

/** Messages to the worker: one credit per batch taken. */
export type WorkerCommand = { type: 'ack' };

/** The bundled import worker, or null (then the import reads in-process). */
export function defaultImportWorkerFile(): string | null {
  return bundledWorkerFile(IMPORT_WORKER_FILE);
}

/**
 * The batches of `file`, from the worker when `workerFile` is given. A worker that cannot start (a packaged app
 * that cannot load it, say) falls back to in-process reading, before anything was read; a failure after that is
 * the import's failure.
 */
export async function* batchesFrom(
  workerFile: string | null,
  file: string,
  options: CsvReadOptions,
): AsyncGenerator<PreparedBatch> {
  if (workerFile !== null) {
    let started = false;
    try {
      for await (const batch of fromWorker(workerFile, { file, options })) {
        started = true;
        yield batch;
      }
      return;
    } catch (err) {
      if (started || err instanceof AppError) throw err;
      console.error('The catalog import worker did not start; importing in-process instead.', err);
    }
  }
  yield* readCatalogCsv(file, options);
}

async function* fromWorker(workerFile: string, input: WorkerInput): AsyncGenerator<PreparedBatch> {
  const worker = new Worker(workerFile, { workerData: input });
  const inbox: WorkerMessage[] = [];
  // Set from the worker's events; an object so the loop below re-reads them after each await.
  const state: { failure: Error | null; exited: boolean } = { failure: null, exited: false };
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: WorkerMessage) => {
    inbox.push(message);
    notify();
  });
  worker.on('error', (err) => {
    state.failure = err;
    notify();
  });
  worker.on('exit', () => {
    state.exited = true;
    notify();
  });
  try {
    for (;;) {
      const message = inbox.shift();
      if (message === undefined) {
        if (state.failure !== null) throw state.failure;
        if (state.exited) throw new Error('The import worker stopped without finishing.');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      switch (message.type) {
        case 'batch':
          worker.postMessage({ type: 'ack' } satisfies WorkerCommand);
          yield message.batch;
          break;
        case 'done':
          return;
        case 'error':
          throw new AppError(
            message.error.code,
            message.error.message,
            message.error.details,
            message.error.action,
          );
      }
    }
  } finally {
    await worker.terminate();
  }
}
