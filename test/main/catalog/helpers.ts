import fs from 'node:fs';
import path from 'node:path';
import { GENERATED_TAX_RATES } from '../../../src/main/core/catalog/generate-csv';
import type { ProductInput } from '../../../src/main/core/catalog/product-input';
import type { Station } from '../../../src/main/core/station';
import {
  connect,
  openTestStation,
  TEST_SETUP,
  unwrap,
  type Caller,
  type TestStation,
} from '../../helpers/station';

export interface CatalogStation extends TestStation {
  /** Calls the gate as the administrator set up by first-run setup. */
  admin: Caller;
  adminId: string;
}

/** A set-up CNY station with the VAT13/VAT9/VAT0 tax rates the generated catalogs use. */
export async function openCatalogStation(): Promise<CatalogStation> {
  const test = openTestStation();
  const admin = connect(test.station, 'admin');
  const session = unwrap(await admin('setup:complete', TEST_SETUP));
  test.station.catalog.upsertTaxRates(GENERATED_TAX_RATES, session.user.id);
  return { ...test, admin, adminId: session.user.id };
}

/** Adds products through the catalog's own write path and fails the test on any rejection. */
export function addProducts(station: Station, products: ProductInput[]): string[] {
  const report = station.catalog.upsertProducts(products, null);
  if (report.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(report.rejected)}`);
  return report.productIds;
}

/** Writes a CSV file (lines joined with \n) into `dir`. */
export function writeCsv(
  dir: string,
  name: string,
  lines: string[],
  options: { bom?: boolean } = {},
): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${options.bom ? '\uFEFF' : ''}${lines.join('\n')}\n`, 'utf8');
  return file;
}

export const HEADER = 'plu,barcodes,name_zh,name_en,category,unit,price,cost,tax_code,active';

/** Every row of the tables a catalog write touches, to assert that a refused call wrote nothing. */
export function catalogSnapshot(station: Station): string {
  const tables = [
    'products',
    'barcodes',
    'categories',
    'product_search_ids',
    'product_search_pending',
    'audit_log',
    'outbox',
  ];
  return JSON.stringify(tables.map((t) => station.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()));
}

/** EXPLAIN QUERY PLAN of a statement's SQL, every parameter bound to NULL (the plan does not depend on them). */
export function queryPlan(station: Station, sql: string): string {
  const named = [...new Set(sql.match(/@\w+/g) ?? [])];
  const positional = (sql.match(/\?/g) ?? []).length;
  const statement = station.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const args: unknown[] = named.length > 0 ? [Object.fromEntries(named.map((n) => [n.slice(1), null]))] : [];
  for (let i = 0; i < positional; i++) args.push(null);
  return (statement.all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
}
