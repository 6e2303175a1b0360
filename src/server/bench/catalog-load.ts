import { tryBarcodeKey } from '../../main/core/catalog/barcode-key';
import { GENERATED_TAX_RATES, generatedRow } from '../../main/core/catalog/generate-csv';
import { inTransaction, type Pool } from '../db';
import { upsertTaxRates, type ProductChange } from '../reference-data';
import { writeReference } from '../reference-data';

/**
 * Loads a synthetic catalog into a store on the server, fast, through the server's own change-log writer
 * (`writeReference`: current state + change log in one statement per batch, the store row locked), so the
 * feed a station pulls is exactly what an admin import would have produced — only without the per-row
 * checks and pinyin of the admin API, which the generated rows do not need (they are valid by construction,
 * barcodes already in their stored GTIN-14 form).
 *
 * Product `i` is the station generator's row `i` (`generatedRow`), so the bench and its test can predict any
 * product's barcode, name and PLU.
 */

/** Rows per transaction: big enough that the load is bound by PostgreSQL, small enough to keep memory flat. */
const LOAD_BATCH = 20_000;

export async function loadTaxRates(pool: Pool, storeId: string): Promise<void> {
  await upsertTaxRates(
    pool,
    storeId,
    GENERATED_TAX_RATES.map((t) => ({ ...t, active: true })),
  );
}

/** Product number `i` as the server stores and serves it. */
export function generatedProduct(i: number): ProductChange {
  const row = generatedRow(i);
  // generatedRow's line: plu,barcodes,name_zh,name_en,category,unit,price,cost,tax_code,active; the generated
  // names and categories never need CSV quoting.
  const cells = row.line.split(',');
  return {
    plu: row.plu,
    barcodes: row.barcodes.map((code) => {
      const key = tryBarcodeKey(code);
      if (!key.ok) throw new Error(`generated barcode ${code} is invalid`);
      return key.key;
    }),
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    category: cells[4] ?? null,
    unit: cells[5] === 'kg' ? 'kg' : 'piece',
    price: yuanToFen(cells[6] ?? '0'),
    cost: yuanToFen(cells[7] ?? '0'),
    taxCode: cells[8] ?? 'VAT13',
    active: true,
  };
}

function yuanToFen(text: string): number {
  const [whole = '0', cents = '00'] = text.split('.');
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
}

/** Writes products 0 … n-1 into the store; returns how many the change log gained. */
export async function loadCatalog(
  pool: Pool,
  storeId: string,
  n: number,
  onProgress?: (loaded: number) => void,
): Promise<number> {
  let changed = 0;
  for (let start = 0; start < n; start += LOAD_BATCH) {
    const rows: { key: string; data: ProductChange }[] = [];
    for (let i = start; i < Math.min(n, start + LOAD_BATCH); i++) {
      const product = generatedProduct(i);
      rows.push({ key: product.plu, data: product });
    }
    changed += await inTransaction(pool, (client) => writeReference(client, storeId, 'product', rows));
    onProgress?.(Math.min(n, start + LOAD_BATCH));
  }
  return changed;
}
