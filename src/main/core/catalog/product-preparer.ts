import { Worker } from 'node:worker_threads';
import { bundledWorkerFile } from '../../bundled-worker';
import { prepareProduct, type PreparedProduct, type ProductInput, type Rejection } from './product-input';

/**
 * Checks products and computes their pinyin and search entries (prepareProduct) on a worker thread, for writers
 * that receive many products at once without a file — the sync pull. The pull prepares the next page here while
 * the main thread writes the current one: on the 2-core machine a first pull spent a fifth of its time in
 * prepareProduct on the main thread (pinyin-pro and the search columns), time the event loop could not sell in.
 *
 * Like the import worker it never touches the database. Without a bundled worker (vitest runs the sources), or
 * after the worker failed, the same function runs in-process: the result is the same, only where it is computed
 * differs.
 */

export const PREPARE_WORKER_FILE = 'prepare-worker.mjs';

/** One request to the worker and its answer (the index of each input is its `line`). */
export interface PrepareRequest {
  id: number;
  inputs: readonly ProductInput[];
}
export interface PrepareAnswer {
  id: number;
  results: (PreparedProduct | Rejection)[];
}

export type Prepared = PreparedProduct | Rejection;

export function prepareAll(inputs: readonly ProductInput[]): Prepared[] {
  return inputs.map((input, index) => prepareProduct(input, index));
}

export class ProductPreparer {
  private worker: Worker | null = null;
  /** Once the worker failed, everything is prepared in-process. */
  private broken: boolean;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { inputs: readonly ProductInput[]; resolve: (results: Prepared[]) => void }
  >();

  constructor(private readonly workerFile: string | null = bundledWorkerFile(PREPARE_WORKER_FILE)) {
    this.broken = workerFile === null;
  }

  /** The products checked and prepared, in input order (each `line` = its index in `inputs`). Never rejects. */
  prepare(inputs: readonly ProductInput[]): Promise<Prepared[]> {
    const worker = inputs.length === 0 ? null : this.started();
    if (worker === null) return Promise.resolve(prepareAll(inputs));
    const id = this.nextId++;
    return new Promise<Prepared[]>((resolve) => {
      this.pending.set(id, { inputs, resolve });
      // Keeps the process alive only while work is out.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, inputs } satisfies PrepareRequest);
    });
  }

  /** Stops the worker (the next request starts another); requests still out are prepared in-process. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.settleInProcess();
    await worker?.terminate();
  }

  private started(): Worker | null {
    if (this.broken) return null;
    if (this.worker !== null) return this.worker;
    try {
      const worker = new Worker(this.workerFile!);
      worker.unref();
      worker.on('message', (answer: PrepareAnswer) => {
        const request = this.pending.get(answer.id);
        if (request === undefined) return;
        this.pending.delete(answer.id);
        if (this.pending.size === 0) worker.unref();
        request.resolve(answer.results);
      });
      // A worker that dies (it cannot load, runs out of memory) costs speed, never products.
      const fail = (err: unknown) => {
        if (this.worker !== worker) return;
        console.error('The product preparation worker stopped; preparing in-process instead.', err);
        this.worker = null;
        this.broken = true;
        this.settleInProcess();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
      this.worker = worker;
      return worker;
    } catch (err) {
      console.error('The product preparation worker did not start; preparing in-process instead.', err);
      this.broken = true;
      return null;
    }
  }

  private settleInProcess(): void {
    for (const [id, request] of this.pending) {
      this.pending.delete(id);
      request.resolve(prepareAll(request.inputs));
    }
  }
}
