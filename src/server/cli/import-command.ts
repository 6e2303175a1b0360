import fs from 'node:fs';
import { AppError } from '../../shared/domain/errors';
import { importCatalogCsv } from '../catalog-import';
import { createPool, migrate } from '../db';
import { HttpError } from '../http';
import { databaseUrlOf, describeDatabaseError, parseArgs, UsageError, type CliIo } from './args';

/**
 * `npm run server:import -- --database-url URL --store S FILE`: imports a catalog CSV (the station's columns,
 * see the README's catalog section). Exit 0 when every row was imported, 2 when some rows were rejected (each
 * printed with its line number; the rest is imported), 1 when the import could not run.
 */

const USAGE = 'Usage: npm run server:import -- --database-url URL --store S FILE.csv';
const MAX_LISTED = 200;

export async function runImportCommand(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  let databaseUrl: string;
  let storeId: string;
  let file: string;
  try {
    const args = parseArgs(argv, ['database-url', 'store']);
    databaseUrl = databaseUrlOf(args, env);
    storeId = args.options.get('store') ?? '';
    if (storeId === '') throw new UsageError('Give the store with --store S.');
    if (args.positional.length !== 1) throw new UsageError('Give exactly one CSV file.');
    file = args.positional[0]!;
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  if (!fs.existsSync(file)) {
    io.err(`There is no file ${file}.`);
    return 1;
  }
  const pool = createPool(databaseUrl, 2);
  try {
    await migrate(pool);
    let lastShown = 0;
    const report = await importCatalogCsv(pool, storeId, file, (progress) => {
      if (progress.rowsRead - lastShown >= 50_000) {
        lastShown = progress.rowsRead;
        io.err(`… ${progress.rowsRead} rows read`);
      }
    });
    for (const r of report.rejected.slice(0, MAX_LISTED)) io.err(`line ${r.line}: ${r.reason}`);
    if (report.rejected.length > MAX_LISTED)
      io.err(`… and ${report.rejected.length - MAX_LISTED} more rejected rows`);
    io.out(
      `Imported ${file} into ${storeId}: ${report.rowsRead} rows read, ${report.changed} products changed, ${report.unchanged} unchanged, ${report.rejected.length} rejected.`,
    );
    return report.rejected.length > 0 ? 2 : 0;
  } catch (err) {
    if (err instanceof AppError || err instanceof HttpError) io.err(`Cannot import ${file}: ${err.message}`);
    else io.err(describeDatabaseError(err, databaseUrl));
    return 1;
  } finally {
    await pool.end();
  }
}
