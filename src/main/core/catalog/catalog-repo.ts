import type { Db } from '../../db/open';
import type { Unit } from './product-input';
import { SEARCH_ID_RANGE, searchColumns, searchIdBase, type SearchColumns } from './search-text';

/**
 * Every SQL statement of the catalog, prepared once per connection, parameters always bound. Services hold the
 * logic; this file holds the queries, so their plans can be checked in one place (see the plan tests).
 */

export interface ProductRow {
  id: string;
  plu: string | null;
  name_zh: string;
  name_en: string;
  unit: Unit;
  price: number;
  cost: number | null;
  tax_rate_id: string;
  tax_code: string;
  rate_ppm: number;
  category_id: string | null;
  active: 0 | 1;
}

export interface BarcodeOwner {
  code: string;
  id: string;
  plu: string | null;
  name_zh: string;
  name_en: string;
}

type SearchEntry = SearchColumns & { rowid: number };

interface PendingRow {
  id: string;
  plu: string | null;
  name_zh: string;
  name_en: string;
  pinyin_initials: string;
  active: 0 | 1;
  search_id: number | null;
}

export interface ProductWrite {
  id: string;
  plu: string | null;
  name_zh: string;
  name_en: string;
  pinyin_initials: string;
  category_id: string | null;
  unit: Unit;
  price: number;
  cost: number | null;
  tax_rate_id: string;
  active: 0 | 1;
  updated_at: string;
}

const PRODUCT_COLUMNS = `p.id, p.plu, p.name_zh, p.name_en, p.unit, p.price, p.cost, p.tax_rate_id,
  t.code AS tax_code, t.rate_ppm, p.category_id, p.active`;

/**
 * One page of FTS matches in rowid order (shortest names first, see migrations/0003_catalog_search.sql). No
 * ORDER BY rank: FTS5 then stops after LIMIT instead of scoring every match. `skip1`/`skip2` are the exact
 * PLU/barcode hits already shown above the page.
 */
const SEARCH_PAGE_SQL = `SELECT rowid FROM product_search
  WHERE product_search MATCH @match AND rowid NOT IN (@skip1, @skip2)
  ORDER BY rowid LIMIT @limit OFFSET @offset`;

/** How many matches there are, counting no further than `cap` (to place the next tier's page). */
const SEARCH_COUNT_SQL = `SELECT count(*) FROM (SELECT rowid FROM product_search
  WHERE product_search MATCH @match AND rowid NOT IN (@skip1, @skip2) LIMIT @cap)`;

export interface SearchParams {
  match: string;
  skip1: number;
  skip2: number;
}

export class CatalogRepo {
  readonly byId;
  readonly byPlu;
  readonly byBarcode;
  readonly bySearchId;
  readonly searchIdOf;
  readonly barcodesOf;
  readonly searchPage;
  readonly searchCount;

  readonly taxRates;
  readonly insertTaxRate;
  readonly updateTaxRate;
  readonly categoryByName;
  readonly insertCategory;
  readonly productIdsByPlu;
  readonly productForUpdate;
  readonly touchProduct;
  readonly barcodeOwners;
  readonly insertProduct;
  readonly updateProduct;
  readonly deleteBarcodesExcept;
  readonly insertBarcode;

  private readonly hasPending;
  readonly pendingBatch;
  private readonly lastSearchId;
  private readonly insertSearchId;
  private readonly moveSearchId;
  private readonly ftsDelete;
  private readonly ftsInsert;
  private readonly deletePending;
  private readonly setDirect;
  private readonly clearDirect;

  constructor(db: Db) {
    const product = (from: string, where: string) =>
      db.prepare<[string], ProductRow>(
        `SELECT ${PRODUCT_COLUMNS} FROM ${from} JOIN tax_rates t ON t.id = p.tax_rate_id WHERE ${where}`,
      );
    this.byId = product('products p', 'p.id = ?');
    this.byPlu = product('products p', 'p.plu = ?');
    this.byBarcode = product('barcodes b JOIN products p ON p.id = b.product_id', 'b.code = ?');
    this.bySearchId = db.prepare<[number], ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM product_search_ids s JOIN products p ON p.id = s.product_id
       JOIN tax_rates t ON t.id = p.tax_rate_id WHERE s.search_id = ?`,
    );
    this.searchIdOf = db
      .prepare<[string], number>('SELECT search_id FROM product_search_ids WHERE product_id = ?')
      .pluck();
    this.barcodesOf = db
      .prepare<[string], string>('SELECT code FROM barcodes WHERE product_id = ? ORDER BY code')
      .pluck();
    this.searchPage = db
      .prepare<[SearchParams & { limit: number; offset: number }], number>(SEARCH_PAGE_SQL)
      .pluck();
    this.searchCount = db.prepare<[SearchParams & { cap: number }], number>(SEARCH_COUNT_SQL).pluck();

    this.taxRates = db.prepare<[], { id: string; code: string; active: 0 | 1 }>(
      'SELECT id, code, active FROM tax_rates',
    );
    this.insertTaxRate = db.prepare(
      `INSERT INTO tax_rates (id, code, name_zh, name_en, rate_ppm, active, updated_at)
       VALUES (@id, @code, @nameZh, @nameEn, @ratePpm, @active, @at)`,
    );
    this.updateTaxRate = db.prepare(
      `UPDATE tax_rates SET name_zh = @nameZh, name_en = @nameEn, rate_ppm = @ratePpm, active = @active,
       updated_at = @at WHERE code = @code`,
    );
    this.categoryByName = db
      .prepare<[string, string], string | null>(
        'SELECT min(id) FROM categories WHERE name_zh = ? OR name_en = ? COLLATE NOCASE',
      )
      .pluck();
    this.insertCategory = db.prepare(
      'INSERT INTO categories (id, name_zh, name_en, updated_at) VALUES (?, ?, ?, ?)',
    );
    // Set-based lookups for a whole transaction's rows: one statement instead of one per row and code.
    this.productIdsByPlu = db.prepare<[string], { plu: string; id: string }>(
      'SELECT p.plu, p.id FROM json_each(?) j JOIN products p ON p.plu = j.value',
    );
    this.barcodeOwners = db.prepare<[string], BarcodeOwner>(
      `SELECT b.code, p.id, p.plu, p.name_zh, p.name_en
       FROM json_each(?) j JOIN barcodes b ON b.code = j.value JOIN products p ON p.id = b.product_id`,
    );
    this.productForUpdate = db.prepare<
      [string],
      {
        plu: string | null;
        name_zh: string;
        name_en: string;
        pinyin_initials: string;
        category_id: string | null;
        cost: number | null;
      }
    >('SELECT plu, name_zh, name_en, pinyin_initials, category_id, cost FROM products WHERE id = ?');
    this.touchProduct = db.prepare<[string, string]>('UPDATE products SET updated_at = ? WHERE id = ?');
    this.insertProduct = db.prepare<[ProductWrite]>(
      `INSERT INTO products (id, plu, name_zh, name_en, pinyin_initials, category_id, unit, price, cost,
         tax_rate_id, active, updated_at)
       VALUES (@id, @plu, @name_zh, @name_en, @pinyin_initials, @category_id, @unit, @price, @cost,
         @tax_rate_id, @active, @updated_at)`,
    );
    // Writes only when something changed, so re-importing the same file touches (and syncs) nothing.
    this.updateProduct = db.prepare<[ProductWrite]>(
      `UPDATE products SET plu = @plu, name_zh = @name_zh, name_en = @name_en, pinyin_initials = @pinyin_initials,
         category_id = @category_id, unit = @unit, price = @price, cost = @cost, tax_rate_id = @tax_rate_id,
         active = @active, updated_at = @updated_at
       WHERE id = @id AND (plu IS NOT @plu OR name_zh IS NOT @name_zh OR name_en IS NOT @name_en
         OR pinyin_initials IS NOT @pinyin_initials OR category_id IS NOT @category_id OR unit IS NOT @unit
         OR price IS NOT @price OR cost IS NOT @cost OR tax_rate_id IS NOT @tax_rate_id OR active IS NOT @active)`,
    );
    this.deleteBarcodesExcept = db
      .prepare<[string, string], string>(
        'DELETE FROM barcodes WHERE product_id = ? AND code NOT IN (SELECT value FROM json_each(?)) RETURNING code',
      )
      .pluck();
    this.insertBarcode = db.prepare<[string, string]>(
      'INSERT INTO barcodes (code, product_id) VALUES (?, ?)',
    );

    this.hasPending = db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM product_search_pending)').pluck();
    this.pendingBatch = db.prepare<[number], PendingRow>(
      // CROSS JOIN keeps the (small) queue as the outer loop; left to itself the planner scans all products.
      `SELECT p.id, p.plu, p.name_zh, p.name_en, p.pinyin_initials, p.active, s.search_id
       FROM product_search_pending q CROSS JOIN products p ON p.id = q.product_id
       LEFT JOIN product_search_ids s ON s.product_id = p.id
       LIMIT ?`,
    );
    this.lastSearchId = db
      .prepare<[number, number], number | null>(
        'SELECT max(search_id) FROM product_search_ids WHERE search_id >= ? AND search_id < ?',
      )
      .pluck();
    this.insertSearchId = db.prepare<[number, string]>(
      'INSERT INTO product_search_ids (search_id, product_id) VALUES (?, ?)',
    );
    this.moveSearchId = db.prepare<[number, number]>(
      'UPDATE product_search_ids SET search_id = ? WHERE search_id = ?',
    );
    this.ftsDelete = db.prepare<[number]>('DELETE FROM product_search WHERE rowid = ?');
    this.ftsInsert = db.prepare<[SearchEntry]>(
      'INSERT INTO product_search (rowid, zh, en, py, hd) VALUES (@rowid, @zh, @en, @py, @hd)',
    );
    this.setDirect = db.prepare('INSERT OR IGNORE INTO product_search_direct (singleton) VALUES (1)');
    this.clearDirect = db.prepare('DELETE FROM product_search_direct');
    this.deletePending = db.prepare<[string]>(
      'DELETE FROM product_search_pending WHERE product_id IN (SELECT value FROM json_each(?))',
    );
  }

  pendingIndexWork(): boolean {
    return this.hasPending.get() === 1;
  }

  /**
   * Writes the search entries of up to `max` queued products (see migrations/0003_catalog_search.sql) and
   * returns how many it wrote. Must run inside a transaction; the caller loops while it returns `max`.
   */
  indexPending(max: number): number {
    const rows = this.pendingBatch.all(max);
    const allocate = this.allocator();
    const entries: SearchEntry[] = [];
    for (const row of rows) {
      const base = searchIdBase(row.name_zh, row.name_en);
      let searchId: number;
      if (row.search_id === null) {
        searchId = allocate(base);
        this.insertSearchId.run(searchId, row.id);
      } else {
        // Normally the update trigger removed the entry already; a contentless table would otherwise keep the
        // old tokens next to the new ones under the same rowid.
        this.ftsDelete.run(row.search_id);
        searchId = row.search_id;
        if (searchId < base || searchId >= base + SEARCH_ID_RANGE) {
          searchId = allocate(base);
          this.moveSearchId.run(searchId, row.search_id);
        }
      }
      if (row.active === 1) {
        entries.push({
          rowid: searchId,
          ...searchColumns(row.name_zh, row.name_en, row.pinyin_initials, row.plu),
        });
      }
    }
    this.writeEntries(entries);
    if (rows.length > 0) this.deletePending.run(JSON.stringify(rows.map((row) => row.id)));
    return rows.length;
  }

  /**
   * Indexes products this transaction has just inserted with `directIndexing` on, with their entries computed
   * beforehand (in the import worker).
   */
  indexInserted(
    products: readonly {
      id: string;
      nameZh: string;
      nameEn: string;
      active: boolean;
      search: SearchColumns;
    }[],
  ): void {
    const allocate = this.allocator();
    const entries: SearchEntry[] = [];
    for (const product of products) {
      const searchId = allocate(searchIdBase(product.nameZh, product.nameEn));
      this.insertSearchId.run(searchId, product.id);
      if (product.active) entries.push({ rowid: searchId, ...product.search });
    }
    this.writeEntries(entries);
  }

  /**
   * While on (inside one transaction), inserted products are not queued for indexing: the caller indexes them
   * with indexInserted before it turns this off again, still in the same transaction.
   */
  directIndexing(on: boolean): void {
    if (on) this.setDirect.run();
    else this.clearDirect.run();
  }

  /** Hands out search ids: the next free id in a name-length range, read once per range and call. */
  private allocator(): (base: number) => number {
    const next = new Map<number, number>();
    return (base) => {
      const id = next.get(base) ?? (this.lastSearchId.get(base, base + SEARCH_ID_RANGE) ?? base) + 1;
      next.set(base, id + 1);
      return id;
    };
  }

  private writeEntries(entries: SearchEntry[]): void {
    // In ascending rowid order: FTS5 flushes its in-memory index whenever a rowid is not above the previous
    // one in the transaction, and one flush per product made the import several times slower.
    entries.sort((a, b) => a.rowid - b.rowid);
    for (const entry of entries) this.ftsInsert.run(entry);
  }
}
