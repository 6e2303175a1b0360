import { readCatalogCsv } from '../main/core/catalog/csv-reader';
import type { CurrencyCode } from '../shared/domain/money';
import { getStore } from './admin';
import type { Pool } from './db';
import { HttpError } from './http';
import { upsertProducts, type ProductChange } from './reference-data';

/**
 * Imports a catalog CSV into a store's reference data. The file is read and checked by the station's own CSV
 * reader (src/main/core/catalog/csv-reader.ts: same columns, same aliases, same line numbers, same row checks),
 * then written in batches, each batch one transaction through upsertProducts, so a bad row is reported with
 * its line and never stops the import, and every changed product reaches the change log.
 */

export interface ImportReport {
  rowsRead: number;
  changed: number;
  unchanged: number;
  rejected: { line: number; reason: string }[];
}

export async function importCatalogCsv(
  pool: Pool,
  storeId: string,
  file: string,
  onProgress?: (report: ImportReport) => void,
): Promise<ImportReport> {
  const store = await getStore(pool, storeId);
  if (store === null) throw new HttpError(404, 'bad_request', `There is no store "${storeId}".`);
  const report: ImportReport = { rowsRead: 0, changed: 0, unchanged: 0, rejected: [] };
  for await (const batch of readCatalogCsv(file, {
    currency: store.currency as CurrencyCode,
    batchSize: 2000,
  })) {
    report.rowsRead = batch.rowsRead;
    report.rejected.push(...batch.rejected);
    const lines: number[] = [];
    const products: ProductChange[] = [];
    for (const p of batch.products) {
      if (p.plu === null) {
        report.rejected.push({ line: p.line, reason: 'needs a PLU: the store server keys products by PLU' });
        continue;
      }
      lines.push(p.line);
      products.push({
        plu: p.plu,
        barcodes: p.barcodes,
        nameZh: p.nameZh,
        nameEn: p.nameEn,
        category: p.category,
        unit: p.unit,
        price: p.price,
        cost: p.cost,
        taxCode: p.taxCode,
        active: p.active,
      });
    }
    if (products.length > 0) {
      const outcome = await upsertProducts(pool, storeId, products);
      report.changed += outcome.changed;
      report.unchanged += outcome.unchanged;
      for (const r of outcome.rejected) report.rejected.push({ line: lines[r.index] ?? 0, reason: r.reason });
    }
    onProgress?.(report);
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}
