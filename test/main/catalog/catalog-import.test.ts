import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CatalogService } from '../../../src/main/core/catalog/catalog-service';
import { generateCatalogCsv, generatedRow } from '../../../src/main/core/catalog/generate-csv';
import type { ImportProgress } from '../../../src/shared/ipc/channels/catalog';
import type { StationEvent } from '../../../src/shared/ipc/events';
import { REPO_ROOT } from '../../helpers/paths';
import { connect, unwrap } from '../../helpers/station';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';
import { catalogSnapshot, HEADER, openCatalogStation, writeCsv, type CatalogStation } from './helpers';

let t: CatalogStation;
let files: TempDir;

beforeAll(async () => {
  t = await openCatalogStation();
  files = tempDataDir('countertop-csv-');
});
afterAll(() => {
  t.cleanup();
  files.cleanup();
});

const count = (sql: string, ...args: unknown[]) =>
  t.station.db
    .prepare(sql)
    .pluck()
    .get(...args) as number;
const productByPlu = (plu: string) =>
  t.station.db.prepare('SELECT * FROM products WHERE plu = ?').get(plu) as
    | {
        id: string;
        name_zh: string;
        price: number;
        cost: number | null;
        active: number;
        category_id: string | null;
      }
    | undefined;
const barcodesOf = (id: string) =>
  t.station.db.prepare('SELECT code FROM barcodes WHERE product_id = ? ORDER BY code').pluck().all(id);

describe('CSV import', () => {
  it('imports UTF-8 with and without BOM alike', async () => {
    const rows = [
      HEADER,
      '101,6901234567892,可口可乐 330ml,Coca-Cola 330ml,饮料,piece,3.00,1.90,VAT13,1',
      '102,"6901234567908|96385074",农夫山泉,"Nongfu Spring, 550ml",饮料,,2,,VAT13,',
    ];
    const withBom = await t.station.catalog.importCsv(writeCsv(files.dir, 'bom.csv', rows, { bom: true }));
    expect(withBom).toMatchObject({ imported: 2, updated: 0, rejectedCount: 0, rowsRead: 2 });
    const again = await t.station.catalog.importCsv(writeCsv(files.dir, 'nobom.csv', rows));
    expect(again).toMatchObject({ imported: 0, unchanged: 2, rejectedCount: 0 });

    const water = productByPlu('102')!;
    expect(water).toMatchObject({ name_zh: '农夫山泉', price: 200, cost: null, active: 1 });
    expect(barcodesOf(water.id)).toEqual(['00000096385074', '06901234567908']);
    expect(t.station.catalog.resolveScan('96385074').product.id).toBe(water.id);
    expect(t.station.catalog.search('nfsq').items.map((p) => p.id)).toEqual([water.id]);
    const category = t.station.db
      .prepare('SELECT name_zh FROM categories WHERE id = ?')
      .pluck()
      .get(water.category_id);
    expect(category).toBe('饮料');
    expect(count('SELECT count(*) FROM categories')).toBe(1);
  });

  it('rejects bad rows with their line numbers and imports the rest', async () => {
    const file = writeCsv(files.dir, 'bad.csv', [
      HEADER,
      '201,,好商品,Good,,piece,1.00,,VAT13,1', // line 2: fine
      '202,,,,,piece,1.00,,VAT13,1', // 3: no name
      '203,,坏价格,Bad price,,piece,1.2.3,,VAT13,1', // 4
      '204,,负价格,Negative,,piece,-1,,VAT13,1', // 5
      '205,4006381333932,坏条码,Bad check digit,,piece,1,,VAT13,1', // 6
      '206,,未知税,Unknown tax,,piece,1,,GST5,1', // 7
      '207,4006381333931,第一个,First,,piece,1,,VAT13,1', // 8: fine
      '208,4006381333931,重复条码,Duplicate barcode,,piece,1,,VAT13,1', // 9
      '201,,重复PLU,Duplicate PLU,,piece,1,,VAT13,1', // 10
      '209,6901234567892,抢条码,Owned elsewhere,,piece,1,,VAT13,1', // 11: barcode of PLU 101
      '210,,单位错,Bad unit,,box,1,,VAT13,1', // 12
      '211,,少一列,Short row,,piece,1,,VAT13', // 13
      '213,,多一个,"Multi',
      'line name",,piece,1,,VAT13,1', // 14-15: fine, a quoted field across two lines
      '214,,最后一个,Last,,piece,9.99,,VAT13,yes', // 16: fine
      // 17: a broken quote. csv-parse skips the record and reports it; it may take the next record with it, so
      // it is the last one here.
      '"212,,"引号坏,Broken quote,,piece,1,,VAT13,1',
    ]);
    const report = await t.station.catalog.importCsv(file);
    const byLine = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
    expect(byLine[3]).toMatch(/name missing/);
    expect(byLine[4]).toMatch(/price "1.2.3"/);
    expect(byLine[5]).toMatch(/price "-1"/);
    expect(byLine[6]).toMatch(/check digit/);
    expect(byLine[7]).toMatch(/unknown tax code GST5/);
    expect(byLine[9]).toMatch(/barcode 04006381333931 already on line 8/);
    expect(byLine[10]).toMatch(/PLU 201 already on line 2/);
    expect(byLine[11]).toMatch(/belongs to another product: 可口可乐 330ml \(PLU 101\)/);
    expect(byLine[12]).toMatch(/unit "box"/);
    expect(byLine[13]).toMatch(/expected 10 columns, found 9/);
    expect(byLine[17]).toMatch(/malformed CSV/);
    expect(report.rejectedCount).toBe(report.rejected.length);
    expect(report.imported).toBe(4);
    expect(productByPlu('213')?.name_zh).toBe('多一个');
    expect(productByPlu('214')?.price).toBe(999);
    for (const plu of ['202', '203', '204', '205', '206', '208', '209', '210', '211'])
      expect(productByPlu(plu)).toBeUndefined();
    // The PLU 101 product kept its barcode.
    expect(t.station.catalog.resolveScan('6901234567892').product.plu).toBe('101');
  });

  it('writes a product with all its barcodes or not at all', async () => {
    const file = writeCsv(files.dir, 'atomic.csv', [
      HEADER,
      // The second barcode belongs to PLU 101: neither the product nor its first (new) barcode may appear.
      '301,"5901234123457|6901234567892",半个商品,Half product,,piece,1,,VAT13,1',
    ]);
    const report = await t.station.catalog.importCsv(file);
    expect(report).toMatchObject({ imported: 0, rejectedCount: 1 });
    expect(productByPlu('301')).toBeUndefined();
    expect(count("SELECT count(*) FROM barcodes WHERE code = '05901234123457'")).toBe(0);
    expect(count("SELECT count(*) FROM categories WHERE name_zh = '半'")).toBe(0);
  });

  it('keeps a product whole when a write fails unexpectedly, and writes the others', async () => {
    // A constraint no check foresaw (here a test trigger) rolls the transaction back; it is redone with a
    // savepoint per product, so only that product is refused, with nothing of it left behind.
    t.station.db.exec(
      "CREATE TRIGGER test_refuse AFTER INSERT ON barcodes WHEN new.code = '05901234123457' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    try {
      const file = writeCsv(files.dir, 'savepoint.csv', [
        HEADER,
        '401,,之前,Before,新类别,piece,1,,VAT13,1',
        '402,"6901234567915|5901234123457",出错,Fails,新类别,piece,1,,VAT13,1',
        '403,,之后,After,新类别,piece,1,,VAT13,1',
      ]);
      const report = await t.station.catalog.importCsv(file);
      expect(report).toMatchObject({ imported: 2, rejectedCount: 1 });
      expect(report.rejected[0]).toEqual({
        line: 3,
        reason: expect.stringContaining('SQLITE_CONSTRAINT') as unknown,
      });
      expect(productByPlu('402')).toBeUndefined();
      expect(count("SELECT count(*) FROM barcodes WHERE code = '06901234567915'")).toBe(0);
      expect(productByPlu('401')?.category_id).toBe(productByPlu('403')?.category_id);
      expect(count("SELECT count(*) FROM categories WHERE name_zh = '新类别'")).toBe(1);
      expect(t.station.catalog.search('之后').items).toHaveLength(1);
    } finally {
      t.station.db.exec('DROP TRIGGER test_refuse');
    }
  });

  it('updates on re-import instead of duplicating, keeping what empty cells leave out', async () => {
    const before = productByPlu('101')!;
    const products = count('SELECT count(*) FROM products');
    const file = writeCsv(files.dir, 'update.csv', [
      'plu,barcodes,name_zh,price,tax_code,active',
      '101,,,3.50,VAT13,1', // new price; name, cost and barcodes kept
      ',6901234567908,农夫山泉 新包装,2.20,VAT9,0', // matched by its barcode; renamed; deactivated
    ]);
    const report = await t.station.catalog.importCsv(file);
    expect(report).toMatchObject({ imported: 0, updated: 2, rejectedCount: 0 });
    expect(count('SELECT count(*) FROM products')).toBe(products);
    const cola = productByPlu('101')!;
    expect(cola).toMatchObject({ id: before.id, name_zh: '可口可乐 330ml', price: 350, cost: 190 });
    expect(barcodesOf(cola.id)).toEqual(['06901234567892']);
    const water = productByPlu('102')!;
    expect(water).toMatchObject({ name_zh: '农夫山泉 新包装', active: 0 });
    // A filled barcode cell is the complete list: the EAN-8 is gone.
    expect(barcodesOf(water.id)).toEqual(['06901234567908']);
    expect(t.station.catalog.search('农夫').items).toEqual([]);
  });

  it('reports progress as events and to the caller, and audits each transaction', async () => {
    const events: ImportProgress[] = [];
    const off = t.station.events.on((event: StationEvent) => {
      if (event.name === 'catalog:import-progress') events.push(event.payload);
    });
    const seen: ImportProgress[] = [];
    const file = path.join(files.dir, 'progress.csv');
    await generateCatalogCsv(2500, file, { firstIndex: 500_000 });
    const audits = count("SELECT count(*) FROM audit_log WHERE action = 'catalog.imported'");
    const service = new CatalogService(t.station, { rowsPerTransaction: 1000, importWorkerFile: null });
    const report = await service.importCsv(file, { userId: t.adminId, onProgress: (p) => seen.push(p) });
    off();
    expect(report.imported).toBe(2500);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]).toMatchObject({ phase: 'running', rowsRead: 0, importId: report.importId });
    expect(events.at(-1)).toMatchObject({
      phase: 'done',
      rowsRead: 2500,
      imported: 2500,
      bytesRead: fs.statSync(file).size,
    });
    expect(seen).toEqual(events);
    // 2,500 rows in transactions of 1,000: three audit rows with counts, one finishing row, all by the user.
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'catalog.imported'") - audits).toBe(3);
    const finished = t.station.db
      .prepare(
        "SELECT user_id, details FROM audit_log WHERE action = 'catalog.import_finished' ORDER BY seq DESC LIMIT 1",
      )
      .get() as { user_id: string; details: string };
    expect(finished.user_id).toBe(t.adminId);
    expect(JSON.parse(finished.details)).toMatchObject({
      importId: report.importId,
      imported: 2500,
      rejected: 0,
    });
    const outbox = t.station.db
      .prepare(
        "SELECT payload FROM outbox WHERE type = 'catalog.products_upserted' ORDER BY seq DESC LIMIT 3",
      )
      .pluck()
      .all() as string[];
    expect(outbox.map((p) => (JSON.parse(p) as { productIds: string[] }).productIds.length).sort()).toEqual([
      1000, 1000, 500,
    ]);
  });

  it('imports 20,000 generated products that scan and search', async () => {
    const file = path.join(files.dir, 'big.csv');
    await generateCatalogCsv(20_000, file, { bom: true });
    const report = await t.station.catalog.importCsv(file);
    expect(report).toMatchObject({ rowsRead: 20_000, imported: 20_000, rejectedCount: 0 });
    const row = generatedRow(12_345);
    const match = t.station.catalog.resolveScan(row.barcodes[0]!);
    expect(match.product.plu).toBe(row.plu);
    expect(t.station.catalog.search(row.plu).items[0]?.plu).toBe(row.plu);
    const zh = row.nameZh.split(' ')[0]!;
    expect(t.station.catalog.search(zh, { limit: 50 }).items.length).toBeGreaterThan(0);
    expect(count('SELECT count(*) FROM product_search_pending')).toBe(0);
  });

  it('refuses a file that cannot be an import, writing nothing', async () => {
    const before = catalogSnapshot(t.station);
    await expect(
      t.station.catalog.importCsv(writeCsv(files.dir, 'typo.csv', ['plu,prcie,name_zh,tax_code'])),
    ).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('prcie') as unknown,
    });
    await expect(
      t.station.catalog.importCsv(writeCsv(files.dir, 'nocols.csv', ['plu,name_zh'])),
    ).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('price') as unknown,
    });
    const gbk = path.join(files.dir, 'gbk.csv');
    fs.writeFileSync(gbk, Buffer.from([0x70, 0x6c, 0x75, 0x2c, 0xc3, 0xfb, 0xb3, 0xc6, 0x0a])); // "plu,名称" in GBK
    await expect(t.station.catalog.importCsv(gbk)).rejects.toMatchObject({
      message: expect.stringContaining('UTF-8') as unknown,
    });
    await expect(t.station.catalog.importCsv(writeCsv(files.dir, 'empty.csv', []))).rejects.toMatchObject({
      code: 'bad_input',
    });
    await expect(t.station.catalog.importCsv('relative.csv')).rejects.toMatchObject({ code: 'bad_input' });
    await expect(t.station.catalog.importCsv(path.join(files.dir, 'missing.csv'))).rejects.toMatchObject({
      code: 'bad_input',
    });
    await expect(t.station.catalog.importCsv(files.dir)).rejects.toMatchObject({ code: 'bad_input' });
    const notCsv = path.join(files.dir, 'passwords.txt');
    fs.writeFileSync(notCsv, 'secret\n');
    await expect(t.station.catalog.importCsv(notCsv)).rejects.toMatchObject({
      message: expect.stringContaining('.csv') as unknown,
    });
    expect(catalogSnapshot(t.station)).toBe(before);
  });

  it('runs one import at a time', async () => {
    const file = path.join(files.dir, 'twice.csv');
    await generateCatalogCsv(3000, file, { firstIndex: 700_000 });
    const first = t.station.catalog.importCsv(file);
    await expect(t.station.catalog.importCsv(file)).rejects.toMatchObject({ code: 'conflict' });
    expect((await first).imported).toBe(3000);
  });
});

describe('the import worker', () => {
  let workerFile: string;
  beforeAll(async () => {
    // The same entry scripts/build.mjs bundles to dist/main/import-worker.mjs.
    workerFile = path.join(files.dir, 'import-worker.mjs');
    await build({
      entryPoints: [path.join(REPO_ROOT, 'src/main/core/catalog/import-worker.ts')],
      outfile: workerFile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      logLevel: 'silent',
    });
  }, 60_000);

  it('parses in a worker thread with the same result', async () => {
    const service = new CatalogService(t.station, { importWorkerFile: workerFile });
    const file = path.join(files.dir, 'worker.csv');
    await generateCatalogCsv(4000, file, { firstIndex: 900_000 });
    fs.appendFileSync(file, '999999,,,,,,1,,VAT13,1\n');
    const report = await service.importCsv(file);
    expect(report).toMatchObject({ rowsRead: 4001, imported: 4000, rejectedCount: 1 });
    expect(report.rejected[0]).toEqual({
      line: 4002,
      reason: expect.stringContaining('name missing') as unknown,
    });
    expect(t.station.catalog.resolveScan(generatedRow(903_210).barcodes[0]!).product.plu).toBe(
      generatedRow(903_210).plu,
    );
  });

  it('reports a bad header from the worker as bad_input', async () => {
    const service = new CatalogService(t.station, { importWorkerFile: workerFile });
    await expect(service.importCsv(writeCsv(files.dir, 'w-typo.csv', ['plu,prcie']))).rejects.toMatchObject({
      code: 'bad_input',
    });
  });

  it('falls back to in-process parsing when the worker cannot start', async () => {
    const broken = path.join(files.dir, 'not-a-worker.mjs');
    fs.writeFileSync(broken, 'this is not javascript ((');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const service = new CatalogService(t.station, { importWorkerFile: broken });
    const report = await service.importCsv(
      writeCsv(files.dir, 'fallback.csv', [HEADER, '801,,回退,Fallback,,piece,1,,VAT13,1']),
    );
    expect(report.imported).toBe(1);
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});

describe('through the gate', () => {
  it('imports for a manager and refuses a cashier', async () => {
    const file = writeCsv(files.dir, 'gate.csv', [HEADER, '901,,网关,Gate,,piece,1,,VAT13,1']);
    const report = unwrap(await t.admin('catalog:import', { path: file }));
    expect(report.imported).toBe(1);

    const staff = unwrap(await t.admin('staff:create', { name: 'Cashier', role: 'cashier', pin: '4321' }));
    const cashier = connect(t.station, 'cashier');
    unwrap(await cashier('auth:sign-in', { userId: staff.id, pin: '4321' }));
    const denied = await cashier('catalog:import', { path: file });
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect(denied.error).toMatchObject({ code: 'permission_denied' });
    expect((await cashier('catalog:search', { query: '网关' })).ok).toBe(true);
  });

  it('refuses relative, missing and non-file paths with bad_input', async () => {
    for (const p of ['relative/file.csv', path.join(files.dir, 'nope.csv'), files.dir, 'C:relative']) {
      const r = await t.admin('catalog:import', { path: p });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad_input');
    }
  });
});
