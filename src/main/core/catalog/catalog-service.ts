import fs from 'node:fs';
import path from 'node:path';
import { parseScan, type ScanResult } from '../../../shared/domain/barcode';
import { AppError, assertNever } from '../../../shared/domain/errors';
import { CURRENCIES, money } from '../../../shared/domain/money';
import type {
  ImportProgress,
  ImportReport,
  LookupResult,
  ProductDetail,
  ProductSummary,
} from '../../../shared/ipc/channels/catalog';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import type { SettingsRepo } from '../settings';
import { tryBarcodeKey } from './barcode-key';
import { CatalogRepo, type ProductRow } from './catalog-repo';
import { runImport } from './catalog-import';
import { CatalogWriter, type WriteReport } from './catalog-writer';
import { defaultImportWorkerFile } from './import-source';
import { uuidv7 } from './ids';
import { usableInStoreRules } from './in-store-rules';
import {
  DuplicateTracker,
  isRejection,
  prepareProduct,
  type PreparedProduct,
  type ProductInput,
  type Rejection,
} from './product-input';
import { buildSearchMatch } from './search-text';
import type { CatalogReader, ProductForSale, ScanMatch } from './types';

/** What the catalog needs from the station (the Station object itself satisfies it). */
export interface CatalogDeps {
  db: Db;
  settings: SettingsRepo;
  journal: Journal;
  events: StationEvents;
  clock: Clock;
}

export interface CatalogServiceOptions {
  /**
   * The bundled import worker (dist/main/import-worker.mjs). Default: looked up next to the running bundle;
   * when absent (tests, `tsx`), the CSV is parsed in-process. `null` forces in-process parsing.
   */
  importWorkerFile?: string | null;
  /** Products written per transaction during an import (each transaction also writes its audit row). */
  rowsPerTransaction?: number;
}

export interface SearchOptions {
  limit?: number;
  offset?: number;
}

export interface ImportOptions {
  userId?: string | null;
  onProgress?: (progress: ImportProgress) => void;
}

export const MAX_SEARCH_LIMIT = 50;
/** Deeper pages are not for a cashier; the bound keeps a search cheap whatever the renderer asks. */
export const MAX_SEARCH_OFFSET = 5000;
const DEFAULT_ROWS_PER_TRANSACTION = 1000;
/** Queued index entries written before a search (products written by someone else, e.g. the demo seeder). */
const INDEX_CATCH_UP_PER_SEARCH = 2000;

/** A resolved scan before the product is shaped for its reader. */
type Resolved = Omit<ScanMatch, 'product'> & { row: ProductRow };

/**
 * The catalog: scan resolution and search for checkout, product writes and the CSV import for managers.
 * Reads are point queries and one FTS query; nothing loads the catalog whole.
 */
export class CatalogService implements CatalogReader {
  private readonly repo: CatalogRepo;
  private readonly writer: CatalogWriter;
  private readonly rowsPerTransaction: number;
  private readonly importWorkerFile: string | null;
  private importing = false;

  constructor(
    private readonly deps: CatalogDeps,
    options: CatalogServiceOptions = {},
  ) {
    this.repo = new CatalogRepo(deps.db);
    this.writer = new CatalogWriter(deps.db, deps.journal, deps.clock, this.repo);
    this.rowsPerTransaction = options.rowsPerTransaction ?? DEFAULT_ROWS_PER_TRANSACTION;
    this.importWorkerFile =
      options.importWorkerFile === undefined ? defaultImportWorkerFile() : options.importWorkerFile;
  }

  // --- reading ----------------------------------------------------------------------------------------------

  getProduct(id: string): ProductForSale | undefined {
    const row = this.repo.byId.get(id);
    return row && toProductForSale(row);
  }

  /** The product with its barcodes, for the product screen. */
  getProductDetail(id: string): ProductDetail | undefined {
    const row = this.repo.byId.get(id);
    return row && { ...toSummary(row), categoryId: row.category_id, barcodes: this.repo.barcodesOf.all(id) };
  }

  /**
   * Resolves what a scanner sent or a cashier typed: a GTIN in any of its forms, a store's price/weight label,
   * a GS1-128/DataMatrix element string, a plain code, or a PLU.
   * @throws AppError('bad_input', action scan_again, details.reason) for a misread; AppError('not_found') for a
   *   code no product has or a product that is not for sale; AppError('conflict') for a weight label on a
   *   product sold by the piece.
   */
  resolveScan(raw: string): ScanMatch {
    const { row, ...match } = this.resolve(raw);
    return { ...match, product: toProductForSale(row) };
  }

  /** resolveScan for the renderer: the same match, with the product as a summary (tax code, no cost). */
  lookup(raw: string): LookupResult {
    const { row, ...match } = this.resolve(raw);
    return { ...match, product: toSummary(row) };
  }

  private resolve(raw: string): Resolved {
    const scan = this.parse(raw);
    switch (scan.kind) {
      case 'gtin': {
        const row =
          this.repo.byBarcode.get(scan.gtin) ??
          (scan.alternativeGtin === undefined ? undefined : this.repo.byBarcode.get(scan.alternativeGtin));
        return { row: sellable(row, scan.scanned), scanned: scan.scanned };
      }
      case 'in_store': {
        const scanned = scan.gtin.slice(scan.symbology === 'upca' ? 2 : 1);
        const byItem = this.byPlu(scan.itemCode);
        if (byItem === undefined) {
          // A code in the in-store range may also be a fixed label the store registered whole.
          return { row: sellable(this.repo.byBarcode.get(scan.gtin), scanned), scanned };
        }
        const row = sellable(byItem, scanned);
        if (scan.value.type === 'price') return { row, scanned, embeddedPrice: scan.value.amount };
        return { row, scanned, qtyMilli: weightToQtyMilli(scan.value.grams, row) };
      }
      case 'gs1': {
        const scanned = stripAim(raw);
        if (scan.gtin === undefined) {
          throw new AppError('not_found', 'This GS1 code carries no product number (AI 01).', {
            code: scanned.slice(0, 64),
          });
        }
        const resolved: Resolved = { row: sellable(this.repo.byBarcode.get(scan.gtin), scan.gtin), scanned };
        if (scan.netWeightGrams !== undefined)
          resolved.qtyMilli = weightToQtyMilli(scan.netWeightGrams, resolved.row);
        if (scan.batch !== undefined) resolved.batch = scan.batch;
        if (scan.expiry !== undefined) resolved.expiry = scan.expiry;
        return resolved;
      }
      case 'plain':
        return { row: sellable(this.byPlainCode(scan.code), scan.code), scanned: scan.code };
      case 'misread': {
        // A store's own 8/12/13-digit numbers (no check digit) or a long typed PLU still resolve; otherwise the
        // cashier is asked to scan again — a misread says nothing about the catalog.
        const row = scan.code === '' ? undefined : this.byPlainCode(scan.code);
        if (row !== undefined) return { row: sellable(row, scan.code), scanned: scan.code };
        throw new AppError(
          'bad_input',
          'Misread — scan again.',
          { reason: scan.reason, code: scan.code.slice(0, 64) },
          'scan_again',
        );
      }
      default:
        return assertNever(scan, 'scan');
    }
  }

  /**
   * Products by any part of the name (Chinese characters, English words by prefix), pinyin initials or PLU,
   * active products only. Ranked in tiers: exact PLU or barcode; then names, initials or PLUs that START with
   * the query; then the other matches. Within a tier shorter names come first (they are the closer matches),
   * which the index yields in order, so a page costs the same whether 10 or 500,000 products match.
   */
  search(query: string, options: SearchOptions = {}): { items: ProductSummary[]; hasMore: boolean } {
    const limit = clamp(options.limit ?? 20, 1, MAX_SEARCH_LIMIT);
    const offset = clamp(options.offset ?? 0, 0, MAX_SEARCH_OFFSET);
    this.catchUpIndex(INDEX_CATCH_UP_PER_SEARCH);
    const text = query.trim();
    if (text === '') return { items: [], hasMore: false };

    // One row more than the page tells whether there is a next page.
    const want = limit + 1;
    const exact = this.exactMatches(text);
    const rows = exact.slice(offset, offset + want);
    const match = buildSearchMatch(text);
    if (match !== null && rows.length < want) {
      const skip = exact.map((row) => this.repo.searchIdOf.get(row.id) ?? -1);
      const skip1 = skip[0] ?? -1;
      const skip2 = skip[1] ?? -1;
      // No product starts with the first term (typical for a second word such as "green tea"): one tier, and
      // FTS5 need not evaluate the query three times (head, then all NOT head).
      const headless =
        this.repo.searchPage.all({ match: match.firstAtStart, skip1, skip2, limit: 1, offset: 0 }).length ===
        0;
      const tiers = headless ? [match.all] : [match.head, `(${match.all}) NOT (${match.head})`];
      // Position of the page within the FTS tiers (after the exact hits).
      let tierOffset = Math.max(0, offset - exact.length);
      for (const tier of tiers) {
        const page = this.repo.searchPage.all({
          match: tier,
          skip1,
          skip2,
          limit: want - rows.length,
          offset: tierOffset,
        });
        for (const searchId of page) {
          const row = this.repo.bySearchId.get(searchId);
          if (row !== undefined) rows.push(row);
        }
        if (rows.length >= want) break;
        // This tier ran out: the next tier's page starts after however many of this tier's matches the
        // offset has already skipped (counted no further than the offset).
        const inTier =
          page.length > 0
            ? tierOffset + page.length
            : this.repo.searchCount.get({ match: tier, skip1, skip2, cap: tierOffset });
        tierOffset = Math.max(0, tierOffset - (inTier ?? 0));
      }
    }
    return { items: rows.slice(0, limit).map(toSummary), hasMore: rows.length > limit };
  }

  /**
   * Indexes products other writers queued (see migrations/0003_catalog_search.sql), up to `max` of them, in one
   * transaction. The catalog's own writes index in their transaction; this catches up with the rest.
   */
  catchUpIndex(max: number): number {
    if (!this.repo.pendingIndexWork()) return 0;
    return this.deps.db.transaction(() => this.repo.indexPending(max))();
  }

  // --- writing ----------------------------------------------------------------------------------------------

  /** Creates or updates tax rates by code (setup screens, tests, the demo); one transaction with its audit row. */
  upsertTaxRates(
    rates: readonly { code: string; nameZh: string; nameEn: string; ratePpm: number; active?: boolean }[],
    userId: string | null,
  ): void {
    const at = this.deps.clock.now();
    this.deps.db.transaction(() => {
      const existing = new Set(this.repo.taxRates.all().map((t) => t.code));
      for (const rate of rates) {
        const row = { ...rate, active: rate.active === false ? 0 : 1, at: at.toISOString() };
        if (existing.has(rate.code)) this.repo.updateTaxRate.run(row);
        else this.repo.insertTaxRate.run({ ...row, id: uuidv7(at.getTime()) });
      }
      this.deps.journal.audit({
        at,
        userId,
        action: 'catalog.tax_rates_saved',
        details: {
          rates: rates.map((r) => ({ code: r.code, ratePpm: r.ratePpm, active: r.active !== false })),
        },
      });
    })();
  }

  /**
   * Creates or updates products in ONE transaction with one audit row and one outbox row. A product that cannot
   * be written is rejected (with its index in `products` as `line`) and leaves nothing behind; the others are
   * written.
   */
  upsertProducts(
    products: readonly ProductInput[],
    userId: string | null,
    options: {
      fromServer?: boolean;
      /** `products` already prepared (ProductPreparer, `line` = index), in the same order. */
      prepared?: readonly (PreparedProduct | Rejection)[] | undefined;
    } = {},
  ): WriteReport {
    const given = options.prepared?.length === products.length ? options.prepared : undefined;
    const duplicates = new DuplicateTracker();
    const prepared: PreparedProduct[] = [];
    const rejected: Rejection[] = [];
    products.forEach((input, index) => {
      const product = given?.[index] ?? prepareProduct(input, index);
      const duplicate = isRejection(product) ? null : duplicates.claim(product);
      if (isRejection(product)) rejected.push(product);
      else if (duplicate !== null) rejected.push({ line: index, reason: duplicate.replace('line', 'index') });
      else prepared.push(product);
    });
    // Products pulled from the store server (src/main/core/sync) are not queued back to it.
    const ctx = this.writer.newContext(options.fromServer ? 'sync' : 'api', userId);
    if (options.fromServer) ctx.queueForSync = false;
    const report = this.writer.write(prepared, rejected, ctx);
    return { ...report, rejected: [...rejected, ...report.rejected] };
  }

  /**
   * Imports a catalog CSV (columns in README.md): parsed and checked in the import worker when the bundled
   * worker exists (in-process otherwise), written on this connection in transactions of `rowsPerTransaction`
   * products with the event loop running between them. Progress goes to `onProgress` and to every window as
   * `catalog:import-progress`. One import at a time.
   */
  async importCsv(file: string, options: ImportOptions = {}): Promise<ImportReport> {
    if (!path.isAbsolute(file)) throw new AppError('bad_input', 'The import file path must be absolute.');
    // Only catalog files: the error messages quote a file's first line, which must not become a way to read
    // any file the station can.
    if (path.extname(file).toLowerCase() !== '.csv') {
      throw new AppError('bad_input', 'The import file must be a .csv file.');
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new AppError('bad_input', 'The import file does not exist or cannot be read.', { path: file });
    }
    if (!stat.isFile()) throw new AppError('bad_input', 'The import path is not a file.', { path: file });
    const currency = this.deps.settings.get('currency');
    if (currency === null) {
      throw new AppError('setup_required', 'Set up the store (currency) before importing.');
    }
    if (this.importing) throw new AppError('conflict', 'A catalog import is already running.');
    this.importing = true;
    try {
      return await runImport(this.writer, file, {
        currency,
        workerFile: this.importWorkerFile,
        rowsPerTransaction: this.rowsPerTransaction,
        userId: options.userId ?? null,
        bytesTotal: stat.size,
        source: path.basename(file),
        onProgress: (progress) => {
          options.onProgress?.(progress);
          this.deps.events.emit('catalog:import-progress', progress);
        },
      });
    } finally {
      this.importing = false;
    }
  }

  // --- internals --------------------------------------------------------------------------------------------

  private parse(raw: string): ScanResult {
    const { settings, clock } = this.deps;
    const currency = settings.get('currency');
    const currencyDecimals = currency === null ? 2 : CURRENCIES[currency].decimals;
    const rules = usableInStoreRules(settings.get('inStoreRules'), currencyDecimals);
    return parseScan(raw, rules, { currencyDecimals, currentYear: clock.now().getUTCFullYear() });
  }

  /** A scale's item code is the PLU; scales pad it with zeros ("00123"), catalogs often do not ("123"). */
  private byPlu(code: string): ProductRow | undefined {
    const row = this.repo.byPlu.get(code);
    if (row !== undefined) return row;
    const unpadded = code.replace(/^0+(?=.)/, '');
    return unpadded === code ? undefined : this.repo.byPlu.get(unpadded);
  }

  private byPlainCode(code: string): ProductRow | undefined {
    const key = tryBarcodeKey(code);
    return (key.ok ? this.repo.byBarcode.get(key.key) : undefined) ?? this.byPlu(code.trim());
  }

  /** Active products whose PLU or barcode is exactly the query (at most two: PLU and barcode are unique). */
  private exactMatches(text: string): ProductRow[] {
    const rows: ProductRow[] = [];
    const byPlu = this.repo.byPlu.get(text);
    if (byPlu?.active === 1) rows.push(byPlu);
    const key = tryBarcodeKey(text);
    const byCode = key.ok ? this.repo.byBarcode.get(key.key) : undefined;
    if (byCode?.active === 1 && byCode.id !== byPlu?.id) rows.push(byCode);
    return rows;
  }
}

// --- helpers -------------------------------------------------------------------------------------------------

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

function stripAim(raw: string): string {
  return raw.trim().replace(/^\][A-Za-z][0-9A-Za-z]/, '');
}

function toProductForSale(row: ProductRow): ProductForSale {
  return {
    id: row.id,
    plu: row.plu,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    unit: row.unit,
    price: money(row.price),
    cost: row.cost === null ? null : money(row.cost),
    taxRateId: row.tax_rate_id,
    taxRatePpm: row.rate_ppm,
    active: row.active === 1,
  };
}

function toSummary(row: ProductRow): ProductSummary {
  return {
    id: row.id,
    plu: row.plu,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    unit: row.unit,
    price: row.price,
    taxCode: row.tax_code,
    taxRatePpm: row.rate_ppm,
    active: row.active === 1,
  };
}

/** The product row for a sale, or the not_found a cashier understands (unknown code, or not for sale). */
function sellable(row: ProductRow | undefined, code: string): ProductRow {
  const shown = code.slice(0, 64);
  if (row === undefined)
    throw new AppError('not_found', `No product has the code ${shown}.`, { code: shown });
  if (row.active !== 1) {
    throw new AppError(
      'not_found',
      `${row.name_zh || row.name_en} (${shown}) is not for sale: the product is inactive.`,
      { code: shown, productId: row.id, reason: 'inactive' },
    );
  }
  return row;
}

/** Quantity in thousandths of the selling unit from a weight in grams. */
function weightToQtyMilli(grams: number, product: ProductRow): number {
  switch (product.unit) {
    case 'kg':
      return grams;
    case 'g':
      return grams * 1000;
    case 'piece':
      throw new AppError(
        'conflict',
        `This label carries a weight, but ${product.name_zh || product.name_en} is sold by the piece. Check the product's unit.`,
        { productId: product.id },
      );
    default:
      return assertNever(product.unit, 'unit');
  }
}
