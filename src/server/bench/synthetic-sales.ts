import { randomUUID } from 'node:crypto';
import { money } from '../../shared/domain/money';
import { computeTotals } from '../../shared/domain/totals';
import type { SaleView } from '../../shared/ipc/channels/sale';
import type { PushEvent } from '../../shared/sync/protocol';

/**
 * Sale documents in the exact shape a station pushes (`{ stationId, document: SaleView }`, see
 * src/main/core/sale/checkout.ts), built with the real totals engine, for the push benchmark and the server
 * tests. Tax-inclusive CNY, per-line tax rounding, no cash rounding — a Chinese convenience store.
 */

export interface SyntheticLine {
  plu: string;
  qtyMilli: number;
  unitPrice: number;
  taxRatePpm: number;
}

export interface SyntheticSaleOptions {
  stationId: string;
  lines: readonly SyntheticLine[];
  tender?: 'cash' | 'card';
  /** Cash handed over (default: the amount due, no change). */
  cashGiven?: number;
  at?: Date;
  receiptNo?: string;
  cashierId?: string;
}

export function syntheticSale(options: SyntheticSaleOptions): SaleView {
  const at = (options.at ?? new Date()).toISOString();
  const tender = options.tender ?? 'card';
  const draft = computeTotals({
    lines: options.lines.map((l) => ({
      qtyMilli: l.qtyMilli,
      unitPrice: money(l.unitPrice),
      taxRatePpm: l.taxRatePpm,
    })),
    taxMode: 'inclusive',
    rounding: 'per_line',
    cashIncrement: 1,
  });
  const amount = tender === 'cash' ? Math.max(options.cashGiven ?? draft.total, draft.total) : draft.total;
  const totals = computeTotals({
    lines: options.lines.map((l) => ({
      qtyMilli: l.qtyMilli,
      unitPrice: money(l.unitPrice),
      taxRatePpm: l.taxRatePpm,
    })),
    taxMode: 'inclusive',
    rounding: 'per_line',
    cashIncrement: 1,
    payments: [{ type: tender, amount: money(amount) }],
  });
  return {
    id: randomUUID(),
    kind: 'sale',
    status: 'completed',
    receiptNo: options.receiptNo ?? 'S-000001',
    cashierId: options.cashierId ?? '00000000-0000-4000-8000-000000000001',
    cashierName: '王芳',
    currency: 'CNY',
    taxMode: 'inclusive',
    taxRounding: 'per_line',
    cashIncrement: 1,
    orderDiscount: null,
    note: null,
    reason: null,
    originalSaleId: null,
    createdAt: at,
    updatedAt: at,
    completedAt: at,
    revision: options.lines.length + 3,
    lines: options.lines.map((l, i) => {
      const t = totals.lines[i]!;
      return {
        id: randomUUID(),
        position: i + 1,
        productId: `product-${l.plu}`,
        plu: l.plu,
        scannedCode: null,
        nameZh: `商品${l.plu}`,
        nameEn: `Product ${l.plu}`,
        unit: 'piece' as const,
        qtyMilli: l.qtyMilli,
        qtySource: 'count' as const,
        stockQtyMilli: l.qtyMilli,
        listPrice: l.unitPrice,
        unitPrice: l.unitPrice,
        priceOverridden: false,
        taxRatePpm: l.taxRatePpm,
        discount: null,
        voided: false,
        voidedAt: null,
        voidedBy: null,
        originalLineId: null,
        refundedQtyMilli: 0,
        amounts: { gross: t.gross, discount: t.discount, tax: t.tax, total: t.total },
      };
    }),
    payments: [
      {
        id: randomUUID(),
        tender,
        type: tender,
        amount,
        change: totals.change,
        reference: null,
        approvalCode: tender === 'card' ? 'AUTH0001' : null,
        status: 'approved',
        originalPaymentId: null,
        createdAt: at,
      },
    ],
    totals: {
      subtotal: totals.subtotal,
      lineDiscountTotal: totals.lineDiscountTotal,
      orderDiscount: totals.orderDiscount,
      discountTotal: totals.discountTotal,
      taxTotal: totals.taxTotal,
      total: totals.total,
      taxes: totals.taxes.map((x) => ({
        taxRatePpm: x.taxRatePpm,
        base: x.base,
        tax: x.tax,
        total: x.total,
      })),
      paidCash: totals.paidCash,
      paidNonCash: totals.paidNonCash,
      paid: totals.paid,
      due: totals.due,
      dueCash: totals.dueCash,
      cashRoundingAdjustment: totals.cashRoundingAdjustment,
      payable: totals.payable,
      remaining: totals.remaining,
      change: totals.change,
    },
    related: [],
  };
}

/** An outbox event as the station pushes it. */
export function outboxEvent(seq: number, type: string, payload: unknown, at = new Date()): PushEvent {
  return { eventId: randomUUID(), seq, type, createdAt: at.toISOString(), payload };
}

/** The `sale.completed` event of a synthetic sale, and its audit twin (every sale also writes an audit row). */
export function saleCompletedEvents(stationId: string, seq: number, sale: SaleView): [PushEvent, PushEvent] {
  const at = new Date(sale.completedAt ?? sale.createdAt);
  return [
    outboxEvent(seq, 'sale.completed', { stationId, document: sale }, at),
    outboxEvent(
      seq + 1,
      'audit.appended',
      {
        seq,
        id: randomUUID(),
        at: at.toISOString(),
        user_id: sale.cashierId,
        action: 'sale.completed',
        prev_hash: 'a'.repeat(64),
        hash: 'b'.repeat(64),
        details: {
          saleId: sale.id,
          receiptNo: sale.receiptNo,
          total: sale.totals.total,
          lines: sale.lines.length,
        },
      },
      at,
    ),
  ];
}
