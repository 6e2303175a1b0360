import fs from 'node:fs';
import { parse, type CsvError, type Info } from 'csv-parse';
import { AppError } from '../../../shared/domain/errors';
import { parseMoney, type CurrencyCode } from '../../../shared/domain/money';
import {
  DuplicateTracker,
  isRejection,
  prepareProduct,
  type PreparedProduct,
  type ProductInput,
  type Rejection,
  type Unit,
} from './product-input';

/**
 * Reads a catalog CSV (columns in README.md) as a stream and turns it into checked products in batches. Pure
 * CPU and file reading, no database: it runs in the import worker, or in-process when there is no worker.
 */

export const CSV_COLUMNS = [
  'plu',
  'barcodes',
  'name_zh',
  'name_en',
  'category',
  'unit',
  'price',
  'cost',
  'tax_code',
  'active',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

export interface CsvReadOptions {
  currency: CurrencyCode;
  /** Products per batch handed to the writer. */
  batchSize?: number;
}

export interface PreparedBatch {
  products: PreparedProduct[];
  /** Rows refused without touching the database (bad price, bad check digit, duplicate in the file …). */
  rejected: Rejection[];
  /** Data rows read so far (the header excluded), including this batch. */
  rowsRead: number;
  bytesRead: number;
}

const DEFAULT_BATCH_SIZE = 2000;
/** A longer record is not a product row; csv-parse stops buffering it instead of eating memory. */
const MAX_RECORD_SIZE = 64 * 1024;

const UNIT_ALIASES: Readonly<Record<string, Unit>> = {
  '': 'piece',
  piece: 'piece',
  pc: 'piece',
  pcs: 'piece',
  ea: 'piece',
  件: 'piece',
  个: 'piece',
  kg: 'kg',
  千克: 'kg',
  公斤: 'kg',
  g: 'g',
  克: 'g',
};

const BOOLEANS: Readonly<Record<string, boolean>> = {
  '': true,
  '1': true,
  true: true,
  yes: true,
  y: true,
  是: true,
  '0': false,
  false: false,
  no: false,
  n: false,
  否: false,
};

type ColumnIndex = Partial<Record<Column, number>>;

function readHeader(record: string[]): ColumnIndex {
  const index: ColumnIndex = {};
  const unknown: string[] = [];
  record.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (name === '') return;
    if (name.includes('\uFFFD')) {
      throw new AppError(
        'bad_input',
        'The file is not UTF-8 (perhaps GBK from Excel). Save it as "CSV UTF-8" and import again.',
      );
    }
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      unknown.push(raw.trim().slice(0, 40));
      return;
    }
    const column = name as Column;
    if (index[column] !== undefined)
      throw new AppError('bad_input', `Column "${column}" appears twice in the header.`);
    index[column] = i;
  });
  if (unknown.length > 0) {
    throw new AppError(
      'bad_input',
      `Unknown column(s) ${unknown.join(', ')}; expected ${CSV_COLUMNS.join(', ')}.`,
      {
        unknown,
      },
    );
  }
  const missing: string[] = [];
  if (index.name_zh === undefined && index.name_en === undefined) missing.push('name_zh or name_en');
  if (index.price === undefined) missing.push('price');
  if (index.tax_code === undefined) missing.push('tax_code');
  if (index.plu === undefined && index.barcodes === undefined) missing.push('plu or barcodes');
  if (missing.length > 0)
    throw new AppError('bad_input', `The header lacks ${missing.join(', ')}.`, { missing });
  return index;
}

/** One data row as a ProductInput, or the reason it is not one. */
export function csvRowToInput(
  record: readonly string[],
  columns: ColumnIndex,
  currency: CurrencyCode,
): ProductInput | string {
  const field = (column: Column): string => {
    const i = columns[column];
    return i === undefined ? '' : (record[i] ?? '').trim();
  };
  const priceText = field('price');
  if (priceText === '') return 'price missing';
  const price = parseMoney(priceText, currency);
  if (price === null || price < 0) return `price "${priceText.slice(0, 20)}" is not an amount in ${currency}`;
  const costText = field('cost');
  let cost: number | null = null;
  if (costText !== '') {
    const parsed = parseMoney(costText, currency);
    if (parsed === null || parsed < 0)
      return `cost "${costText.slice(0, 20)}" is not an amount in ${currency}`;
    cost = parsed;
  }
  const unitText = field('unit').toLowerCase();
  const unit = UNIT_ALIASES[unitText];
  if (unit === undefined) return `unit "${unitText.slice(0, 20)}" is not piece, kg or g`;
  const activeText = field('active').toLowerCase();
  const active = BOOLEANS[activeText];
  if (active === undefined) return `active "${activeText.slice(0, 20)}" is not 1/0, true/false or yes/no`;
  return {
    plu: field('plu'),
    barcodes: field('barcodes')
      .split('|')
      .map((code) => code.trim())
      .filter((code) => code !== ''),
    nameZh: field('name_zh'),
    nameEn: field('name_en'),
    category: field('category'),
    unit,
    price,
    cost,
    taxCode: field('tax_code'),
    active,
  };
}

function countNewlines(record: readonly string[]): number {
  let n = 0;
  for (const value of record) for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Streams `file` and yields checked products in batches. Line numbers are the file's (the header is line 1;
 * a quoted field spanning lines counts them), so a rejected row can be found in a text editor or Excel.
 * @throws AppError('bad_input') for a file that cannot be an import at all (unreadable, bad header).
 */
export async function* readCatalogCsv(file: string, options: CsvReadOptions): AsyncGenerator<PreparedBatch> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const source = fs.createReadStream(file);
  const parser = source.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_SIZE,
    }),
  );
  // pipe() does not forward a read error (a vanished file, EACCES); without this the loop would wait forever.
  source.on('error', (err) => parser.destroy(err));
  const duplicates = new DuplicateTracker();
  let columns: ColumnIndex | null = null;
  let headerLength = 0;
  let products: PreparedProduct[] = [];
  let rejected: Rejection[] = [];
  let rowsRead = 0;
  let bytesRead = 0;
  // A malformed record (an unclosed quote …) is skipped by csv-parse and reported here, with its line.
  parser.on('skip', (err: CsvError & { lines?: number }) => {
    rowsRead += 1;
    rejected.push({ line: err.lines ?? 0, reason: `malformed CSV: ${err.message.slice(0, 120)}` });
  });

  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const { record, info } = item;
      bytesRead = info.bytes;
      if (columns === null) {
        columns = readHeader(record);
        headerLength = record.length;
        continue;
      }
      rowsRead += 1;
      const line = info.lines - countNewlines(record);
      const extra = record.slice(headerLength);
      if (record.length < headerLength || extra.some((value) => value.trim() !== '')) {
        rejected.push({ line, reason: `expected ${headerLength} columns, found ${record.length}` });
      } else {
        const input = csvRowToInput(record, columns, options.currency);
        const prepared = typeof input === 'string' ? { line, reason: input } : prepareProduct(input, line);
        const duplicate = isRejection(prepared) ? null : duplicates.claim(prepared);
        if (isRejection(prepared)) rejected.push(prepared);
        else if (duplicate !== null) rejected.push({ line, reason: duplicate });
        else products.push(prepared);
      }
      if (products.length + rejected.length >= batchSize) {
        yield { products, rejected, rowsRead, bytesRead };
        products = [];
        rejected = [];
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: unknown }).code;
    throw new AppError(
      'bad_input',
      `The file cannot be read as CSV: ${(err as Error).message.slice(0, 200)}`,
      {
        code: typeof code === 'string' ? code : undefined,
      },
    );
  } finally {
    parser.destroy();
    source.destroy();
  }
  if (columns === null)
    throw new AppError('bad_input', 'The file is empty: it needs a header row and products.');
  yield { products, rejected, rowsRead, bytesRead };
}
