/**
 * The product preparation worker (bundled to dist/main/prepare-worker.mjs, see product-preparer.ts): answers
 * each request with the prepared products, in order. Pure computation; it never opens the database.
 */
import { parentPort } from 'node:worker_threads';
import { prepareAll, type PrepareAnswer, type PrepareRequest } from './product-preparer';

const port = parentPort;
if (port === null) throw new Error('prepare-worker must run as a worker thread');
port.on('message', (request: PrepareRequest) => {
  port.postMessage({ id: request.id, results: prepareAll(request.inputs) } satisfies PrepareAnswer);
});
