import type { Money } from '../../../shared/domain/money';

/** What checkout needs to know about a product: read through the catalog, never sent by the renderer. */
export interface ProductForSale {
  id: string;
  plu: string | null;
  nameZh: string;
  nameEn: string;
  unit: 'piece' | 'kg' | 'g';
  price: Money;
  cost: Money | null;
  taxRateId: string;
  taxRatePpm: number;
  active: boolean;
}

/** A scanned or typed code resolved to a product, with what the barcode itself carried. */
export interface ScanMatch {
  product: ProductForSale;
  /** The code as scanned (after the AIM prefix was stripped). */
  scanned: string;
  /** Quantity from a weight-embedded barcode or a GS1 310n element, in thousandths of the selling unit. */
  qtyMilli?: number;
  /** Line price from a price-embedded barcode (replaces unit price × quantity). */
  embeddedPrice?: Money;
  batch?: string;
  expiry?: string;
}

/**
 * The catalog as checkout reads it. `resolveScan` throws AppError: `bad_input` with action `scan_again` and
 * details.reason for a misread (wrong check digit …), `not_found` for a valid code no product has.
 */
export interface CatalogReader {
  resolveScan(raw: string): ScanMatch;
  getProduct(id: string): ProductForSale | undefined;
}
