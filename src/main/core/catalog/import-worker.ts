/**
 * The catalog import worker (bundled to dist/main/import-worker.mjs): reads and checks the CSV off the main
 * thread and posts batches to the catalog service, which writes them (see import-source.ts for why the worker
 * never opens the database). At most CREDITS batches are in flight, so a fast parser cannot fill memory while
 * the writer catches up.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/domain/errors';
import { readCatalogCsv } from './csv-reader';
import type { WorkerCommand, WorkerInput, WorkerMessage } from './import-source';

const CREDITS = 2;

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('import-worker must run as a worker thread');
  const input = workerData as WorkerInput;
  const send = (message: WorkerMessage) => port.postMessage(message);
  let credits = CREDITS;
  let wake: (() => void) | null = null;
  port.on('message', (command: WorkerCommand) => {
    if (command.type === 'ack') {
      credits += 1;
      wake?.();
      wake = null;
    }
  });
  try {
    for await (const batch of readCatalogCsv(input.file, input.options)) {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits -= 1;
      send({ type: 'batch', batch });
    }
    send({ type: 'done' });
  } catch (err) {
    const error =
      err instanceof AppError
        ? err.toData()
        : {
            code: 'bad_input' as const,
            message: `The file cannot be imported: ${(err as Error).message.slice(0, 200)}`,
          };
    send({ type: 'error', error });
  }
  // The port stays open: the service terminates the worker once it has taken the last message.
}

void main();
