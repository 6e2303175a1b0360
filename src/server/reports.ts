import { z } from 'zod';
import type { Pool } from './db';

/**
 * The back office's sales figures across stations, from the projections the push writes: per store and
 * business day, per station, per tender. Amounts are integer minor units; refunds and post-voids count
 * negative, so `total` is the net takings. Dates are the store's local business dates, both ends included.
 */

const DateText = z.iso.date();

export const SalesReportQuerySchema = z
  .strictObject({
    from: DateText,
    to: DateText,
    groupBy: z.enum(['store_day', 'station', 'tender']).default('store_day'),
    store: z.string().min(1).max(64).optional(),
  })
  .refine((q) => q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] });
export type SalesReportQuery = z.input<typeof SalesReportQuerySchema>;

export interface StoreDayRow {
  storeId: string;
  businessDate: string;
  sales: number;
  returns: number;
  total: number;
  tax: number;
  payable: number;
}

export interface StationRow {
  storeId: string;
  stationId: string;
  stationName: string;
  sales: number;
  returns: number;
  total: number;
  tax: number;
  payable: number;
}

export interface TenderRow {
  storeId: string;
  tender: string;
  tenderType: string;
  payments: number;
  amount: number;
}

export type SalesReport =
  | { groupBy: 'store_day'; rows: StoreDayRow[] }
  | { groupBy: 'station'; rows: StationRow[] }
  | { groupBy: 'tender'; rows: TenderRow[] };

/** Sums arrive as numeric text; they are far inside 2^53 for any real store (amounts are capped at 10^13). */
const n = (text: string | null): number => Number(text ?? 0);

export async function salesReport(pool: Pool, input: SalesReportQuery): Promise<SalesReport> {
  const q = SalesReportQuerySchema.parse(input);
  const params = [q.from, q.to, q.store ?? null];
  const figures = `count(*) FILTER (WHERE kind = 'sale') AS sales, count(*) FILTER (WHERE kind <> 'sale') AS returns,
                   sum(total) AS total, sum(tax) AS tax, sum(payable) AS payable`;
  const where = 'business_date BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR store_id = $3)';
  switch (q.groupBy) {
    case 'store_day': {
      const rows = await pool.query<Record<string, string>>(
        `SELECT store_id, to_char(business_date, 'YYYY-MM-DD') AS day, ${figures}
           FROM sales WHERE ${where} GROUP BY store_id, business_date ORDER BY store_id, business_date`,
        params,
      );
      return {
        groupBy: 'store_day',
        rows: rows.rows.map((r) => ({
          storeId: r.store_id!,
          businessDate: r.day!,
          sales: n(r.sales!),
          returns: n(r.returns!),
          total: n(r.total!),
          tax: n(r.tax!),
          payable: n(r.payable!),
        })),
      };
    }
    case 'station': {
      const rows = await pool.query<Record<string, string>>(
        `SELECT x.store_id, x.station_id, st.name, x.sales, x.returns, x.total, x.tax, x.payable
           FROM (SELECT store_id, station_id, ${figures} FROM sales WHERE ${where} GROUP BY store_id, station_id) x
           JOIN stations st ON st.id = x.station_id
          ORDER BY x.store_id, st.name, x.station_id`,
        params,
      );
      return {
        groupBy: 'station',
        rows: rows.rows.map((r) => ({
          storeId: r.store_id!,
          stationId: r.station_id!,
          stationName: r.name!,
          sales: n(r.sales!),
          returns: n(r.returns!),
          total: n(r.total!),
          tax: n(r.tax!),
          payable: n(r.payable!),
        })),
      };
    }
    case 'tender': {
      const rows = await pool.query<Record<string, string>>(
        `SELECT store_id, tender, tender_type, count(*) AS payments, sum(amount) AS amount
           FROM sale_payments WHERE ${where}
          GROUP BY store_id, tender, tender_type ORDER BY store_id, tender`,
        params,
      );
      return {
        groupBy: 'tender',
        rows: rows.rows.map((r) => ({
          storeId: r.store_id!,
          tender: r.tender!,
          tenderType: r.tender_type!,
          payments: n(r.payments!),
          amount: n(r.amount!),
        })),
      };
    }
  }
}
