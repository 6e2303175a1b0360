import type { z } from 'zod';
import {
  SettingChangeSchema,
  type ChangeEntity,
  type ProductChangeSchema,
  type StaffChangeSchema,
  type TaxRateChangeSchema,
} from '../shared/sync/protocol';
import { isRejection, prepareProduct } from '../main/core/catalog/product-input';
import { inTransaction, type Pool, type PoolClient } from './db';
import { HttpError, badRequest } from './http';

/**
 * Reference data the server owns (products, tax rates, staff, settings), per store. A write changes the
 * current state in `reference_data` and appends each row that really changed to `change_log`, in the same
 * transaction; an unchanged row appends nothing, so re-importing a catalog costs stations nothing.
 *
 * Every change-log writer first locks its store's row (`FOR NO KEY UPDATE`, held to commit), so within a store
 * change-log seqs are handed out in commit order. That is what makes a pull cursor safe even for a transaction
 * that writes several batches; the pull's xid rule (pull.ts) additionally covers writers outside this module.
 */

export type ProductChange = z.infer<typeof ProductChangeSchema>;
export type TaxRateChange = z.infer<typeof TaxRateChangeSchema>;
export type StaffChange = z.infer<typeof StaffChangeSchema>;
export type SettingChange = z.infer<typeof SettingChangeSchema>;

/** The most rows one write takes; bigger loads go in several calls (the CSV import does). */
export const MAX_UPSERT_BATCH = 5000;

export interface UpsertOutcome {
  /** Rows that differed from the stored state and were appended to the change log. */
  changed: number;
  unchanged: number;
  /** Rows refused, by their index in the call. Nothing of a refused row is written. */
  rejected: { index: number; reason: string }[];
}

interface Row {
  key: string;
  data: unknown;
}

/** Locks the store's change log until commit and returns its current length; 404 for an unknown store. */
async function lockStore(client: PoolClient, storeId: string): Promise<number> {
  const store = await client.query<{ change_count: string }>(
    'SELECT change_count FROM stores WHERE id = $1 FOR NO KEY UPDATE',
    [storeId],
  );
  const row = store.rows[0];
  if (row === undefined) throw new HttpError(404, 'bad_request', `There is no store "${storeId}".`);
  return Number(row.change_count);
}

/** Writes rows of one entity inside the caller's transaction; returns how many changed. */
export async function writeReference(
  client: PoolClient,
  storeId: string,
  entity: ChangeEntity,
  rows: readonly Row[],
): Promise<number> {
  const base = await lockStore(client, storeId);
  if (rows.length === 0) return 0;
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.key)) throw badRequest(`${entity} "${row.key}" appears twice in one batch.`);
    seen.add(row.key);
  }
  const result = await client.query<{ changed: string }>(
    `WITH input AS (
       SELECT key, data FROM unnest($3::text[], $4::jsonb[]) AS t (key, data)
     ), upserted AS (
       INSERT INTO reference_data AS r (store_id, entity, key, data)
       SELECT $1, $2, key, data FROM input
       ON CONFLICT (store_id, entity, key) DO UPDATE SET data = EXCLUDED.data, updated_at = now()
         WHERE r.data IS DISTINCT FROM EXCLUDED.data
       RETURNING key, data
     ), logged AS (
       INSERT INTO change_log (store_id, entity, key, data, ordinal)
       SELECT $1, $2, key, data, $5::bigint + row_number() OVER () FROM upserted
       RETURNING 1
     )
     SELECT count(*) AS changed FROM logged`,
    [storeId, entity, rows.map((r) => r.key), rows.map((r) => JSON.stringify(r.data)), base],
  );
  const changed = Number(result.rows[0]?.changed ?? 0);
  if (changed > 0) {
    await client.query('UPDATE stores SET change_count = change_count + $2 WHERE id = $1', [
      storeId,
      changed,
    ]);
  }
  return changed;
}

function checkBatchSize(length: number): void {
  if (length > MAX_UPSERT_BATCH)
    throw badRequest(`At most ${MAX_UPSERT_BATCH} rows per call (got ${length}).`);
}

/**
 * A product as the server stores and serves it: barcodes in their normal form (GTIN-14 for GS1 codes), names
 * trimmed. The row checks are the station's own (product-input.ts), so a product the server accepts is one
 * every station can store.
 */
export function checkProduct(product: ProductChange): ProductChange | string {
  if (product.nameZh.trim() === '' && product.nameEn.trim() === '') return 'needs a Chinese or English name';
  const prepared = prepareProduct(
    {
      plu: product.plu,
      barcodes: product.barcodes,
      nameZh: product.nameZh,
      nameEn: product.nameEn,
      category: product.category,
      unit: product.unit,
      price: product.price,
      cost: product.cost,
      taxCode: product.taxCode,
      active: product.active,
    },
    0,
  );
  if (isRejection(prepared)) return prepared.reason;
  return {
    plu: prepared.plu ?? product.plu,
    barcodes: prepared.barcodes,
    nameZh: prepared.nameZh,
    nameEn: prepared.nameEn,
    category: prepared.category,
    unit: prepared.unit,
    price: prepared.price,
    cost: prepared.cost,
    taxCode: prepared.taxCode,
    active: prepared.active,
  };
}

/** The store's tax codes among `codes`. */
async function knownTaxCodes(
  client: PoolClient,
  storeId: string,
  codes: readonly string[],
): Promise<Set<string>> {
  const found = await client.query<{ key: string }>(
    "SELECT key FROM reference_data WHERE store_id = $1 AND entity = 'tax_rate' AND key = ANY($2::text[])",
    [storeId, [...new Set(codes)]],
  );
  return new Set(found.rows.map((r) => r.key));
}

/** Products keyed by PLU. A product whose tax code the store does not have is refused (stations could not sell it). */
export async function upsertProducts(
  pool: Pool,
  storeId: string,
  products: readonly ProductChange[],
): Promise<UpsertOutcome> {
  checkBatchSize(products.length);
  return inTransaction(pool, async (client) => {
    const rejected: UpsertOutcome['rejected'] = [];
    const checked: { index: number; product: ProductChange }[] = [];
    products.forEach((input, index) => {
      const result = checkProduct(input);
      if (typeof result === 'string') rejected.push({ index, reason: result });
      else checked.push({ index, product: result });
    });
    const taxCodes = await knownTaxCodes(
      client,
      storeId,
      checked.map((c) => c.product.taxCode),
    );
    const rows: Row[] = [];
    for (const { index, product } of checked) {
      if (taxCodes.has(product.taxCode)) rows.push({ key: product.plu, data: product });
      else
        rejected.push({ index, reason: `tax code ${product.taxCode} is not one of the store's tax rates` });
    }
    const changed = await writeReference(client, storeId, 'product', rows);
    rejected.sort((a, b) => a.index - b.index);
    return { changed, unchanged: rows.length - changed, rejected };
  });
}

async function upsertSimple<T>(
  pool: Pool,
  storeId: string,
  entity: ChangeEntity,
  items: readonly T[],
  keyOf: (item: T) => string,
): Promise<UpsertOutcome> {
  checkBatchSize(items.length);
  return inTransaction(pool, async (client) => {
    const changed = await writeReference(
      client,
      storeId,
      entity,
      items.map((item) => ({ key: keyOf(item), data: item })),
    );
    return { changed, unchanged: items.length - changed, rejected: [] };
  });
}

export const upsertTaxRates = (pool: Pool, storeId: string, rates: readonly TaxRateChange[]) =>
  upsertSimple(pool, storeId, 'tax_rate', rates, (r) => r.code);

/** Staff with their PIN hashes (the station's scrypt format); the server never sees a PIN. */
export const upsertStaff = (pool: Pool, storeId: string, staff: readonly StaffChange[]) =>
  upsertSimple(pool, storeId, 'staff', staff, (s) => s.id);

export const upsertSettings = (pool: Pool, storeId: string, settings: readonly SettingChange[]) =>
  upsertSimple(pool, storeId, 'setting', settings, (s) => s.key);

export const setSetting = (pool: Pool, storeId: string, key: string, value: unknown) =>
  upsertSettings(pool, storeId, [SettingChangeSchema.parse({ key, value })]);
