import type { CurrencyCode } from '../../../shared/domain/money';
import type { TenderType } from '../../../shared/domain/totals';
import type { Report } from '../../../shared/ipc/channels/reports';
import type { CashMovementKind } from '../../../shared/ipc/channels/shift';

/**
 * Everything an X or Z report is built from, as plain rows (read by report-rows.ts). The builder below is pure:
 * the same rows give the same report, which is what the tests check against a scripted day.
 */
export interface ReportInput {
  kind: 'X' | 'Z';
  zNumber: number | null;
  businessDayId: string;
  stationId: string;
  storeName: string | null;
  currency: CurrencyCode;
  from: string;
  to: string;
  generatedBy: string;
  documents: readonly ReportDocument[];
  payments: readonly ReportPayment[];
  /** Audit rows of the day that are not documents: line voids, voided open sales, no-sale opens. */
  events: readonly ReportEvent[];
  shifts: readonly ReportShift[];
  movements: readonly ReportMovement[];
  /** Names of the users the rows mention. */
  userNames: ReadonlyMap<string, string>;
}

export interface ReportDocument {
  id: string;
  kind: 'sale' | 'refund' | 'post_void';
  cashierId: string;
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  rounding: number;
  /** The document's tax breakdown (its stored totals snapshot). */
  taxes: readonly { taxRatePpm: number; base: number; tax: number; total: number }[];
}

export interface ReportPayment {
  saleId: string;
  tender: string;
  type: TenderType;
  /** Net of change given; negative when money went back. */
  amount: number;
}

export interface ReportEvent {
  userId: string | null;
  action: 'sale.line_voided' | 'sale.line_quantity_reduced' | 'sale.voided' | 'drawer.no_sale';
  /** The money the event concerned (voided line value, voided sale total); 0 for a no-sale. */
  amount: number;
}

export interface ReportShift {
  id: string;
  userId: string;
  openedAt: string;
  closedAt: string | null;
  openingFloat: number;
  expectedCash: number | null;
  countedCash: number | null;
}

export interface ReportMovement {
  shiftId: string;
  kind: CashMovementKind;
  amount: number;
  reason: string;
  userId: string;
  at: string;
}

interface CashierTally {
  sales: number;
  returns: number;
  postVoids: number;
  lineVoids: number;
  net: number;
}

export function buildReport(input: ReportInput): Report {
  const name = (id: string | null) => (id === null ? '' : (input.userNames.get(id) ?? ''));
  const docs = input.documents;
  const sum = <T>(list: readonly T[], f: (x: T) => number) => list.reduce((a, x) => a + f(x), 0);
  const ofKind = (kind: ReportDocument['kind']) => docs.filter((d) => d.kind === kind);
  const sales = ofKind('sale');
  const returns = ofKind('refund');
  const postVoids = ofKind('post_void');

  const taxes = new Map<number, { base: number; tax: number; total: number }>();
  for (const d of docs) {
    for (const t of d.taxes) {
      const entry = taxes.get(t.taxRatePpm) ?? { base: 0, tax: 0, total: 0 };
      entry.base += t.base;
      entry.tax += t.tax;
      entry.total += t.total;
      taxes.set(t.taxRatePpm, entry);
    }
  }

  const tenders = new Map<string, { tender: string; type: TenderType; count: number; amount: number }>();
  for (const p of input.payments) {
    const entry = tenders.get(p.tender) ?? { tender: p.tender, type: p.type, count: 0, amount: 0 };
    entry.count += 1;
    entry.amount += p.amount;
    tenders.set(p.tender, entry);
  }

  const events = (action: ReportEvent['action']) => input.events.filter((e) => e.action === action);
  const lineVoids = [...events('sale.line_voided'), ...events('sale.line_quantity_reduced')];
  const voidedSales = events('sale.voided');

  const movementTotal = (kind: CashMovementKind) =>
    sum(
      input.movements.filter((m) => m.kind === kind),
      (m) => m.amount,
    );
  const openingFloats = sum(input.shifts, (s) => s.openingFloat);
  const takings = sum(
    input.payments.filter((p) => p.type === 'cash'),
    (p) => p.amount,
  );
  const paidIn = movementTotal('paid_in');
  const paidOut = movementTotal('paid_out');
  const drops = movementTotal('drop');
  const closed = input.shifts.filter((s) => s.countedCash !== null);

  const cashiers = new Map<string, CashierTally>();
  const tally = (id: string) => {
    let t = cashiers.get(id);
    if (!t) {
      t = { sales: 0, returns: 0, postVoids: 0, lineVoids: 0, net: 0 };
      cashiers.set(id, t);
    }
    return t;
  };
  for (const d of docs) {
    const t = tally(d.cashierId);
    if (d.kind === 'sale') t.sales += 1;
    else if (d.kind === 'refund') t.returns += 1;
    else t.postVoids += 1;
    t.net += d.total;
  }
  for (const e of lineVoids) if (e.userId !== null) tally(e.userId).lineVoids += 1;

  return {
    kind: input.kind,
    zNumber: input.zNumber,
    businessDayId: input.businessDayId,
    stationId: input.stationId,
    storeName: input.storeName,
    currency: input.currency,
    from: input.from,
    to: input.to,
    generatedBy: input.generatedBy,
    sales: {
      count: sales.length,
      gross: sum(sales, (d) => d.subtotal),
      discounts: sum(sales, (d) => d.discountTotal),
      net: sum(sales, (d) => d.total),
    },
    returns: { count: returns.length, amount: sum(returns, (d) => d.total) },
    postVoids: { count: postVoids.length, amount: sum(postVoids, (d) => d.total) },
    net: sum(docs, (d) => d.total),
    rounding: sum(docs, (d) => d.rounding),
    tax: sum(docs, (d) => d.taxTotal),
    lineVoids: { count: lineVoids.length, amount: sum(lineVoids, (e) => e.amount) },
    voidedSales: { count: voidedSales.length, amount: sum(voidedSales, (e) => e.amount) },
    noSales: events('drawer.no_sale').length,
    discounts: {
      count: sales.filter((d) => d.discountTotal !== 0).length,
      amount: sum(sales, (d) => d.discountTotal),
    },
    taxes: [...taxes.entries()].sort(([a], [b]) => a - b).map(([taxRatePpm, t]) => ({ taxRatePpm, ...t })),
    tenders: [...tenders.values()].sort((a, b) => a.tender.localeCompare(b.tender)),
    cash: {
      openingFloats,
      takings,
      paidIn,
      paidOut,
      drops,
      expected: openingFloats + takings + paidIn - paidOut - drops,
      counted: closed.length === 0 ? null : sum(closed, (s) => s.countedCash ?? 0),
    },
    movements: input.movements.map((m) => ({
      kind: m.kind,
      amount: m.amount,
      reason: m.reason,
      userName: name(m.userId),
      at: m.at,
    })),
    shifts: input.shifts.map((s) => ({
      id: s.id,
      userName: name(s.userId),
      openedAt: s.openedAt,
      closedAt: s.closedAt,
      openingFloat: s.openingFloat,
      expectedCash: s.expectedCash,
      countedCash: s.countedCash,
      difference: s.expectedCash === null || s.countedCash === null ? null : s.countedCash - s.expectedCash,
    })),
    cashiers: [...cashiers.entries()]
      .map(([userId, t]) => ({ userId, name: name(userId), ...t }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId)),
  };
}
