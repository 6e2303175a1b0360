/** Row shapes of the sale tables (migrations/0004_sales.sql), as better-sqlite3 returns them. */
import type { TaxRounding, TenderType } from '../../../shared/domain/totals';
import type { TaxMode } from '../../../shared/domain/locale';
import type { DocumentKind, PaymentStatus, QtySource, SaleStatus } from '../../../shared/ipc/channels/sale';

export type Series = 'S' | 'R' | 'V';
export type DiscountType = 'percent' | 'amount';
export type ProductUnit = 'piece' | 'kg' | 'g';

export interface SaleRow {
  id: string;
  kind: DocumentKind;
  status: SaleStatus;
  station_id: string;
  series: Series;
  receipt_seq: number | null;
  receipt_no: string | null;
  original_sale_id: string | null;
  cashier_id: string;
  currency: string;
  tax_mode: TaxMode;
  tax_rounding: TaxRounding;
  cash_increment: number;
  order_discount_type: DiscountType | null;
  order_discount_value: number | null;
  order_discount_approval_id: string | null;
  note: string | null;
  reason: string | null;
  subtotal: number;
  discount_total: number;
  tax_total: number;
  total: number;
  rounding: number;
  paid: number;
  change_given: number;
  totals: string;
  revision: number;
  created_at: string;
  updated_at: string;
  parked_at: string | null;
  completed_at: string | null;
  voided_at: string | null;
  voided_by: string | null;
  void_approval_id: string | null;
}

export interface LineRow {
  id: string;
  sale_id: string;
  position: number;
  product_id: string;
  plu: string | null;
  scanned_code: string | null;
  name_zh: string;
  name_en: string;
  unit: ProductUnit;
  tax_rate_id: string;
  tax_rate_ppm: number;
  qty_milli: number;
  qty_source: QtySource;
  stock_qty_milli: number;
  list_price: number;
  unit_price: number;
  price_override_by: string | null;
  price_override_approval_id: string | null;
  discount_type: DiscountType | null;
  discount_value: number | null;
  discount_by: string | null;
  discount_approval_id: string | null;
  batch: string | null;
  expiry: string | null;
  voided: 0 | 1;
  voided_at: string | null;
  voided_by: string | null;
  void_approval_id: string | null;
  original_line_id: string | null;
  gross: number;
  discount: number;
  tax: number;
  total: number;
  added_by: string;
  created_at: string;
  updated_at: string;
}

export interface PaymentRow {
  id: string;
  sale_id: string;
  position: number;
  tender_code: string;
  tender_type: TenderType;
  amount: number;
  change_given: number;
  reference: string | null;
  approval_code: string | null;
  status: PaymentStatus;
  original_payment_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** Gift-card payments (migrations/0011_gift_cards.sql): the card key, and 1 when accepted offline. */
  gift_card_key: string | null;
  gift_card_offline: 0 | 1;
}

/** A document with its lines and payments, read in one go. */
export interface SaleDocument {
  sale: SaleRow;
  lines: LineRow[];
  payments: PaymentRow[];
}
