import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import type { Journal } from '../journal';
import type { BarcodeOwner, CatalogRepo, ProductWrite } from './catalog-repo';
import { uuidv7 } from './ids';
import type { PreparedProduct, Rejection } from './product-input';

/**
 * Writes checked products (from the CSV import or upsertProducts): one transaction per batch with the search
 * entries, one outbox row with the product ids for sync and one audit row with the counts.
 */

export interface WriteReport {
  imported: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
  productIds: string[];
}

/** What one import (or API call) shares across its transactions. */
export interface WriteContext {
  importId: string;
  /** The file name, or "api". */
  source: string;
  userId: string | null;
  /** The current transaction's time (updated_at, audit). */
  at: Date;
  taxRates: Map<string, { id: string; active: boolean }>;
  /** Category ids by the name a row gave, known to exist in the database. */
  categories: Map<string, string>;
  /**
   * Queue a `catalog.products_upserted` outbox event (a change made on this station). False for products pulled
   * from the store server: they are the server's facts, and sending them back would echo them forever.
   */
  queueForSync: boolean;
}

/**
 * Search entries written per call while indexing a transaction's products: above a transaction's size, so one
 * sorted pass covers them (see CatalogRepo.indexPending).
 */
const INDEX_CHUNK = 10_000;

/** A row refused by its checks, before it wrote anything. */
class RowRejected extends Error {}

function isConstraintError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

interface KnownKeys {
  idByPlu: Map<string, string>;
  owners: Map<string, BarcodeOwner>;
}

interface RowPlan {
  product: PreparedProduct;
  /** The existing product this row updates, or undefined for a new one. */
  targetId: string | undefined;
  taxId: string;
  /** The row's barcodes the target already has. */
  alreadyOwned: Set<string>;
  /** The named category's id, or null when it must be created (or no category was given). */
  categoryId: string | null;
  current:
    | {
        plu: string | null;
        name_zh: string;
        name_en: string;
        pinyin_initials: string;
        category_id: string | null;
        cost: number | null;
      }
    | undefined;
}

type RowOutcome = { kind: 'imported' | 'updated' | 'unchanged'; id: string; newCategory?: [string, string] };

export class CatalogWriter {
  constructor(
    private readonly db: Db,
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly repo: CatalogRepo,
  ) {}

  /** Audits the end of an import (its batches were audited as they were written). */
  finish(ctx: WriteContext, details: Record<string, unknown>): void {
    this.db.transaction(() => {
      this.journal.audit({
        at: this.clock.now(),
        userId: ctx.userId,
        action: 'catalog.import_finished',
        details: { importId: ctx.importId, file: ctx.source, ...details },
      });
    })();
  }

  newContext(source: string, userId: string | null): WriteContext {
    return {
      importId: uuidv7(),
      source,
      userId,
      at: this.clock.now(),
      taxRates: new Map(),
      categories: new Map(),
      queueForSync: true,
    };
  }

  /**
   * One transaction: the products, their search entries, one outbox row with the ids for sync and one audit row
   * with the counts (`preRejected`, rows refused before the database, are counted in it too).
   *
   * Each product is all-or-nothing. Everything that can refuse a row is checked before the row writes anything,
   * so the fast path needs no savepoint per row (a savepoint copies every page the row touches to a
   * sub-journal, which made the import several times slower). Should a write still fail on a constraint, the
   * whole transaction is rolled back and redone with a savepoint per product, refusing only that product.
   */
  write(
    products: readonly PreparedProduct[],
    preRejected: readonly Rejection[],
    ctx: WriteContext,
  ): WriteReport {
    // Each transaction is stamped with its own time (an import runs for a while).
    ctx.at = this.clock.now();
    try {
      return this.writeChunk(products, preRejected, ctx, false);
    } catch (err) {
      // Categories created in the rolled-back transaction are gone; forget their ids.
      ctx.categories.clear();
      if (!isConstraintError(err)) throw err;
      return this.writeChunk(products, preRejected, ctx, true);
    }
  }

  private writeChunk(
    products: readonly PreparedProduct[],
    preRejected: readonly Rejection[],
    ctx: WriteContext,
    savepoints: boolean,
  ): WriteReport {
    const { db, journal } = this;
    return db.transaction((): WriteReport => {
      const report: WriteReport = { imported: 0, updated: 0, unchanged: 0, rejected: [], productIds: [] };
      ctx.taxRates = new Map(
        this.repo.taxRates.all().map((t) => [t.code, { id: t.id, active: t.active === 1 }]),
      );
      this.repo.directIndexing(true);
      const known = this.knownKeys(products);
      const inserted: Parameters<CatalogRepo['indexInserted']>[0][number][] = [];
      let categoriesCreated = 0;
      for (const product of products) {
        let outcome: RowOutcome;
        try {
          const plan = this.plan(product, ctx, known);
          outcome = savepoints ? this.applyInSavepoint(plan, ctx, known) : this.apply(plan, ctx, known);
        } catch (err) {
          if (err instanceof RowRejected) {
            report.rejected.push({ line: product.line, reason: err.message });
            continue;
          }
          if (savepoints && isConstraintError(err)) {
            const code = (err as { code: string }).code;
            report.rejected.push({ line: product.line, reason: `could not be saved (${code})` });
            continue;
          }
          throw err;
        }
        report[outcome.kind] += 1;
        if (outcome.kind !== 'unchanged') report.productIds.push(outcome.id);
        if (outcome.kind === 'imported') {
          inserted.push({
            id: outcome.id,
            nameZh: product.nameZh,
            nameEn: product.nameEn,
            active: product.active,
            search: product.search,
          });
        }
        if (outcome.newCategory) {
          ctx.categories.set(...outcome.newCategory);
          categoriesCreated += 1;
        }
      }
      this.repo.indexInserted(inserted);
      this.repo.directIndexing(false);
      // Updated products (and anything another writer queued) are re-indexed from their stored rows.
      while (this.repo.indexPending(INDEX_CHUNK) === INDEX_CHUNK);
      if (ctx.queueForSync && report.productIds.length > 0) {
        journal.enqueue(
          'catalog.products_upserted',
          { importId: ctx.importId, productIds: report.productIds },
          ctx.at,
        );
      }
      let firstLine: number | null = null;
      let lastLine: number | null = null;
      for (const { line } of [...products, ...preRejected]) {
        firstLine = firstLine === null ? line : Math.min(firstLine, line);
        lastLine = lastLine === null ? line : Math.max(lastLine, line);
      }
      journal.audit({
        at: ctx.at,
        userId: ctx.userId,
        action: 'catalog.imported',
        details: {
          importId: ctx.importId,
          source: ctx.source,
          firstLine,
          lastLine,
          imported: report.imported,
          updated: report.updated,
          unchanged: report.unchanged,
          rejected: report.rejected.length + preRejected.length,
          categoriesCreated,
        },
      });
      return report;
    })();
  }

  /** Decides what a row will write, reading only; throws RowRejected when it cannot be written. */
  private plan(p: PreparedProduct, ctx: WriteContext, known: KnownKeys): RowPlan {
    const tax = ctx.taxRates.get(p.taxCode);
    if (tax === undefined) throw new RowRejected(`unknown tax code ${p.taxCode}`);
    if (!tax.active) throw new RowRejected(`tax code ${p.taxCode} is inactive`);

    // Which product this row is: by PLU, else by a barcode it already has. A row whose PLU is new but whose
    // barcode belongs to a product with another PLU is refused rather than guessed.
    let targetId = p.plu === null ? undefined : known.idByPlu.get(p.plu);
    const alreadyOwned = new Set<string>();
    for (const code of p.barcodes) {
      const owner = known.owners.get(code);
      if (owner === undefined) continue;
      if (targetId === undefined && !(p.plu !== null && owner.plu !== null)) targetId = owner.id;
      if (owner.id !== targetId) {
        throw new RowRejected(`barcode ${code} belongs to another product: ${describe(owner)}`);
      }
      alreadyOwned.add(code);
    }
    let categoryId: string | null = null;
    if (p.category !== null) {
      categoryId =
        ctx.categories.get(p.category) ?? this.repo.categoryByName.get(p.category, p.category) ?? null;
      if (categoryId !== null) ctx.categories.set(p.category, categoryId);
    }
    const current = targetId === undefined ? undefined : this.repo.productForUpdate.get(targetId);
    if (current === undefined && p.nameZh === '' && p.nameEn === '') {
      throw new RowRejected('name missing: a new product needs name_zh or name_en');
    }
    return { product: p, targetId, taxId: tax.id, alreadyOwned, categoryId, current };
  }

  /**
   * The products and barcode owners the rows name, read in two statements. The rows of one import never share
   * a PLU or barcode (DuplicateTracker), so one row's writes cannot change what another row finds — except a
   * barcode an update removes from its product, which `apply` takes out of `owners`.
   */
  private knownKeys(products: readonly PreparedProduct[]): KnownKeys {
    const plus = products.flatMap((p) => (p.plu === null ? [] : [p.plu]));
    const codes = products.flatMap((p) => p.barcodes);
    return {
      idByPlu: new Map(
        plus.length === 0
          ? []
          : this.repo.productIdsByPlu.all(JSON.stringify(plus)).map((r) => [r.plu, r.id]),
      ),
      owners: new Map(
        codes.length === 0 ? [] : this.repo.barcodeOwners.all(JSON.stringify(codes)).map((r) => [r.code, r]),
      ),
    };
  }

  private applyInSavepoint(plan: RowPlan, ctx: WriteContext, known: KnownKeys): RowOutcome {
    // Inside the batch transaction better-sqlite3 runs this as a SAVEPOINT.
    return this.db.transaction(() => this.apply(plan, ctx, known))();
  }

  /** Writes one planned product and its barcodes. */
  private apply(plan: RowPlan, ctx: WriteContext, known: KnownKeys): RowOutcome {
    const { product: p, targetId, current } = plan;
    const at = ctx.at.toISOString();
    let categoryId = p.category === null ? (current?.category_id ?? null) : plan.categoryId;
    let newCategory: [string, string] | undefined;
    if (p.category !== null && categoryId === null) {
      categoryId = uuidv7(ctx.at.getTime());
      this.repo.insertCategory.run(categoryId, p.category, p.category, at);
      newCategory = [p.category, categoryId];
    }
    // On an update an empty cell keeps the current value (a price file need not repeat names and codes).
    const keepZh = current !== undefined && p.nameZh === '';
    const write: ProductWrite = {
      id: targetId ?? uuidv7(),
      plu: p.plu ?? current?.plu ?? null,
      name_zh: keepZh ? current.name_zh : p.nameZh,
      name_en: p.nameEn === '' && current !== undefined ? current.name_en : p.nameEn,
      pinyin_initials: keepZh ? current.pinyin_initials : p.pinyinInitials,
      category_id: categoryId,
      unit: p.unit,
      price: p.price,
      cost: p.cost ?? current?.cost ?? null,
      tax_rate_id: plan.taxId,
      active: p.active ? 1 : 0,
      updated_at: at,
    };
    const extra = newCategory ? { newCategory } : {};
    if (targetId === undefined) {
      this.repo.insertProduct.run(write);
      for (const code of p.barcodes) this.repo.insertBarcode.run(code, write.id);
      return { kind: 'imported', id: write.id, ...extra };
    }
    let changed = this.repo.updateProduct.run(write).changes > 0;
    // An empty barcode cell keeps the product's barcodes; a filled one is the complete list.
    if (p.barcodes.length > 0) {
      const removed = this.repo.deleteBarcodesExcept.all(write.id, JSON.stringify(p.barcodes));
      for (const code of removed) known.owners.delete(code);
      const added = p.barcodes.filter((code) => !plan.alreadyOwned.has(code));
      for (const code of added) this.repo.insertBarcode.run(code, write.id);
      if (removed.length > 0 || added.length > 0) {
        changed = true;
        this.repo.touchProduct.run(at, write.id);
      }
    }
    return { kind: changed ? 'updated' : 'unchanged', id: write.id, ...extra };
  }
}

function describe(owner: { plu: string | null; name_zh: string; name_en: string }): string {
  const name = owner.name_zh || owner.name_en;
  return owner.plu === null ? name : `${name} (PLU ${owner.plu})`;
}
