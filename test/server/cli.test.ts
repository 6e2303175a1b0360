import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../src/server/db';
import { migrateServerDatabase } from '../../src/server/index';
import { runEnrolCommand } from '../../src/server/cli/enrol-command';
import { runImportCommand } from '../../src/server/cli/import-command';
import { runServerCommand } from '../../src/server/cli/server-command';
import { EnrolResponseSchema } from '../../src/shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { tempDataDir, type TempDir } from '../helpers/temp-dir';
import { ADMIN_TOKEN, api, makeStore } from './support';

let pg: TestPostgres;
let databaseUrl: string;
let pool: Pool;
let temp: TempDir;

beforeAll(async () => {
  pg = await startPostgres();
  databaseUrl = await pg.newDatabase();
  await migrateServerDatabase(databaseUrl);
  pool = createPool(databaseUrl, 2);
  temp = tempDataDir('countertop-server-cli-');
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await pg?.stop();
  temp?.cleanup();
});

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('server:import', () => {
  it('imports a catalog CSV in the station format and reports each bad row with its line', async () => {
    const storeId = await makeStore(pool);
    const file = path.join(temp.dir, 'catalog.csv');
    fs.writeFileSync(
      file,
      [
        'plu,barcodes,name_zh,name_en,category,unit,price,cost,tax_code,active',
        '101,6901234567892,可乐,Cola,饮料,件,3.50,2.10,VAT13,1',
        '102,,面包,Bread,,piece,abc,,VAT9,1', // line 3: bad price
        '103,,苹果,Apples,水果,kg,8.00,,VAT9,yes',
        ',6901234567908,无PLU,No PLU,,piece,1.00,,VAT13,1', // line 5: the server keys by PLU
        '104,,口香糖,Gum,,piece,1.99,,VAT77,1', // line 6: unknown tax code
        '101,,重复,Duplicate,,piece,1.00,,VAT13,1', // line 7: PLU again
      ].join('\n'),
    );
    const { io, out, err } = captureIo();
    const code = await runImportCommand(['--database-url', databaseUrl, '--store', storeId, file], io, {});
    expect(code).toBe(2);
    expect(err.filter((l) => l.startsWith('line '))).toEqual([
      expect.stringMatching(/^line 3: price "abc"/),
      expect.stringMatching(/^line 5: needs a PLU/),
      expect.stringMatching(/^line 6: tax code VAT77/),
      expect.stringMatching(/^line 7: PLU 101 already on line 2/),
    ]);
    expect(out.at(-1)).toMatch(/6 rows read, 2 products changed, 0 unchanged, 4 rejected/);
    const rows = await pool.query<{
      key: string;
      data: { price: number; unit: string; category: string | null };
    }>("SELECT key, data FROM reference_data WHERE store_id = $1 AND entity = 'product' ORDER BY key", [
      storeId,
    ]);
    expect(rows.rows.map((r) => [r.key, r.data.price, r.data.unit, r.data.category])).toEqual([
      ['101', 350, 'piece', '饮料'],
      ['103', 800, 'kg', '水果'],
    ]);
    // Importing the same file again changes nothing, so stations pull nothing new.
    const again = captureIo();
    await runImportCommand(['--database-url', databaseUrl, '--store', storeId, file], again.io, {});
    expect(again.out.at(-1)).toMatch(/0 products changed, 2 unchanged/);
  });

  it('refuses a missing file, an unknown store and a file that is not a catalog', async () => {
    const missing = captureIo();
    expect(
      await runImportCommand(['--store', 's', '/nonexistent.csv'], missing.io, { DATABASE_URL: databaseUrl }),
    ).toBe(1);
    expect(missing.err[0]).toMatch(/There is no file/);
    const file = path.join(temp.dir, 'other.csv');
    fs.writeFileSync(file, 'name,phone\nA,1\n');
    const unknownStore = captureIo();
    expect(
      await runImportCommand(
        ['--database-url', databaseUrl, '--store', 'nowhere', file],
        unknownStore.io,
        {},
      ),
    ).toBe(1);
    expect(unknownStore.err[0]).toMatch(/no store "nowhere"/);
    const notCatalog = captureIo();
    const storeId = await makeStore(pool);
    expect(
      await runImportCommand(['--database-url', databaseUrl, '--store', storeId, file], notCatalog.io, {}),
    ).toBe(1);
    expect(notCatalog.err[0]).toMatch(/Cannot import .*Unknown column/);
  });
});

describe('server:enrol', () => {
  it('prints a one-time code a station can enrol with', async () => {
    const storeId = await makeStore(pool);
    const { io, out } = captureIo();
    expect(await runEnrolCommand(['--store', storeId], io, { DATABASE_URL: databaseUrl })).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)]);
    const unknown = captureIo();
    expect(await runEnrolCommand(['--store', 'nowhere', '--database-url', databaseUrl], unknown.io, {})).toBe(
      1,
    );
    expect(unknown.err[0]).toMatch(/no store "nowhere"/);

    // The whole path: the server command serves, the printed code enrols a station.
    const tokenFile = path.join(temp.dir, 'admin-token');
    fs.writeFileSync(tokenFile, `${ADMIN_TOKEN}\n`);
    const served = captureIo();
    const { code, server } = await runServerCommand(
      ['--database-url', databaseUrl, '--port', '0', '--host', '127.0.0.1', '--admin-token-file', tokenFile],
      served.io,
      {},
    );
    expect(code).toBe(0);
    try {
      const answer = await api(server!.url, '/v1/enrol', {
        body: { code: out[0], stationId: crypto.randomUUID(), stationName: 'Till', appVersion: '0.1.0' },
      });
      expect(EnrolResponseSchema.parse(answer.body).storeId).toBe(storeId);
      expect((await api(server!.url, '/v1/admin/stores', { token: ADMIN_TOKEN })).status).toBe(200);
    } finally {
      await server!.close();
    }
  });
});

describe('server', () => {
  it('refuses with one clear line when the database is unreachable', async () => {
    const { io, err } = captureIo();
    const result = await runServerCommand(
      ['--database-url', 'postgres://nobody:secret@127.0.0.1:1/none', '--port', '0'],
      io,
      { COUNTERTOP_ADMIN_TOKEN: ADMIN_TOKEN },
    );
    expect(result).toEqual({ code: 1 });
    expect(err).toEqual([
      expect.stringMatching(
        /^Cannot reach the database at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: /,
      ),
    ]);
  });

  it('refuses a database whose schema is newer', async () => {
    const url = await pg.newDatabase();
    await migrateServerDatabase(url);
    const p = createPool(url, 1);
    await p.query('UPDATE server_schema SET version = version + 1');
    await p.end();
    const { io, err } = captureIo();
    const result = await runServerCommand(['--database-url', url, '--port', '0'], io, {
      COUNTERTOP_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    expect(result).toEqual({ code: 1 });
    expect(err).toEqual([expect.stringMatching(/schema is version 4, but this server knows only up to 3/)]);
  });

  it('refuses bad arguments with the usage', async () => {
    for (const argv of [
      ['--port', '80'],
      ['--database-url', databaseUrl],
      ['--database-url', databaseUrl, '--port', '1', '--tls-cert', 'x'],
      ['--what', '1'],
    ]) {
      const { io, err } = captureIo();
      expect((await runServerCommand(argv, io, { COUNTERTOP_ADMIN_TOKEN: ADMIN_TOKEN })).code).toBe(1);
      expect(err.join('\n')).toMatch(/Usage: npm run server/);
    }
    const noToken = captureIo();
    expect(
      (await runServerCommand(['--database-url', databaseUrl, '--port', '0'], noToken.io, {})).code,
    ).toBe(1);
    expect(noToken.err[0]).toMatch(/admin token/);
  });
});
