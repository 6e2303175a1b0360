import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductInput } from '../../../src/main/core/catalog/product-input';
import { GENERATED_TAX_RATES } from '../../../src/main/core/catalog/generate-csv';
import { prepareAll, ProductPreparer } from '../../../src/main/core/catalog/product-preparer';
import { generatedProduct } from '../../../src/server/bench/catalog-load';
import { REPO_ROOT } from '../../helpers/paths';
import { unwrap } from '../../helpers/station';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';
import { openSyncStation, until, type SyncStation } from '../sync/fixture';
import { LoopbackStoreServer } from '../sync/loopback-server';

/**
 * The product preparation worker (dist/main/prepare-worker.mjs): the sync pull prepares the next page's
 * products there while the main thread writes the current page. Built here from the same entry as
 * scripts/build.mjs, because vitest runs the sources (where the service falls back to in-process work).
 */

let files: TempDir;
let workerFile: string;

beforeAll(async () => {
  files = tempDataDir('countertop-prepare-');
  workerFile = path.join(files.dir, 'prepare-worker.mjs');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'src/main/core/catalog/prepare-worker.ts')],
    outfile: workerFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'silent',
  });
}, 60_000);

afterAll(() => files?.cleanup());

/** A generated product (the bench's), as a writer supplies it. */
const inputOf = (index: number): ProductInput => generatedProduct(index);

const BAD: ProductInput[] = [
  { plu: 'bad plu!', price: 100, taxCode: 'VAT13', nameZh: '坏' },
  { plu: '77', price: -1, taxCode: 'VAT13', nameZh: '负价' },
  { price: 100, taxCode: 'VAT13', nameZh: '无编码' },
];

describe('ProductPreparer', () => {
  it('prepares in the worker exactly what prepareProduct gives in-process, rejections included', async () => {
    const preparer = new ProductPreparer(workerFile);
    const inputs = [...Array.from({ length: 2000 }, (_, i) => inputOf(700_000 + i)), ...BAD];
    // Several requests out at once come back each to its caller, in order.
    const [a, b] = await Promise.all([preparer.prepare(inputs), preparer.prepare(inputs.slice(0, 10))]);
    expect(a).toEqual(prepareAll(inputs));
    expect(b).toEqual(prepareAll(inputs.slice(0, 10)));
    expect(a.slice(-3).map((r) => ('reason' in r ? r.line : null))).toEqual([2000, 2001, 2002]);
    await preparer.close();
    // Closed, it starts a new worker for the next request.
    expect(await preparer.prepare(inputs.slice(0, 3))).toEqual(prepareAll(inputs.slice(0, 3)));
    await preparer.close();
  });

  it('prepares in-process when the worker cannot start, and when it is closed with work out', async () => {
    const missing = new ProductPreparer(path.join(files.dir, 'no-such-worker.mjs'));
    const inputs = Array.from({ length: 50 }, (_, i) => inputOf(10 + i));
    expect(await missing.prepare(inputs)).toEqual(prepareAll(inputs));
    await missing.close();

    const closing = new ProductPreparer(workerFile);
    const out = closing.prepare(inputs);
    await closing.close();
    expect(await out).toEqual(prepareAll(inputs));
  });
});

describe('the sync pull with the preparation worker', () => {
  let server: LoopbackStoreServer;
  let st: SyncStation;
  afterAll(async () => {
    st?.cleanup();
    await server?.close();
  });

  it('applies pulled products prepared in the worker: searchable, with a bad one skipped', async () => {
    server = await new LoopbackStoreServer().start();
    for (const rate of GENERATED_TAX_RATES) {
      server.addChange({ entity: 'tax_rate', data: { ...rate, active: true } });
    }
    const count = 2500;
    for (let i = 0; i < count; i++) {
      server.addChange({ entity: 'product', data: generatedProduct(800_000 + i) });
    }
    // A product the station cannot take (unknown tax code) is skipped and logged, the rest applied.
    server.addChange({ entity: 'product', data: { ...generatedProduct(899_999), taxCode: 'NOPE' } });
    st = await openSyncStation({
      prepareWorkerFile: workerFile,
      changesPerTransaction: 400,
      pageSize: 1000,
    });
    unwrap(await st.admin('sync:enrol', { serverUrl: server.url, code: 'ENROL-123456' }));
    const changes = GENERATED_TAX_RATES.length + count + 1;
    await until(() => st.station.sync.status().cursor === changes, 'every change pulled', 30_000);
    const products = st.station.db.prepare('SELECT count(*) FROM products').pluck().get() as number;
    expect(products).toBe(count);
    const sample = inputOf(800_000 + 1234);
    expect(st.station.catalog.resolveScan(sample.barcodes![0]!).product.plu).toBe(sample.plu);
    const hits = unwrap(await st.admin('catalog:search', { query: sample.nameZh!, limit: 5 }));
    expect(hits.items.map((p) => p.plu)).toContain(sample.plu);
    expect(st.logs.some((l) => l.includes(inputOf(899_999).plu!) && l.includes('NOPE'))).toBe(true);
  });
});
