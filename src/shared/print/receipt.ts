/**
 * The receipt of a completed document (sale, refund, post-void) as a `PrintDocument`: pure, so the same function
 * serves the print queue (in the completing transaction), reprints and tests. Labels follow the station locale
 * (zh-CN or en); amounts are plain decimals in the document's currency (no symbol: `¥` is not in every printer
 * font). The barcode carries the receipt number and the QR the document id — both are what the return screen
 * and `sale:get` accept.
 */
import type { Locale } from '../domain/locale';
import { formatMoney, money, type CurrencyCode } from '../domain/money';
import type { SaleView, TenderConfig } from '../ipc/channels/sale';
import type { PrintBlock, PrintDocument } from './print-document';

/** What the card terminal gave for an approved card payment: at most the first 6 / last 4 digits, and its slip. */
export interface CardSlip {
  maskedPan: string | null;
  receiptText: readonly string[];
}

export interface ReceiptContext {
  storeName: string | null;
  locale: Locale;
  tenders: readonly TenderConfig[];
  /** Card details by payment id (missing for payments without any). */
  cards?: Readonly<Record<string, CardSlip>>;
  /** The station's offset from UTC in minutes at the document's time (receipts show local time). */
  utcOffsetMinutes?: number;
  /** The store's own lines under its name (address, phone) and above the thank-you (returns policy …). */
  headerLines?: readonly string[];
  footerLines?: readonly string[];
}

const LABELS = {
  'zh-CN': {
    sale: '销售小票',
    refund: '退货单',
    post_void: '冲销单',
    receiptNo: '单号',
    time: '时间',
    cashier: '收银员',
    original: '原单号',
    discount: '折扣',
    subtotal: '小计',
    discounts: '优惠',
    total: '合计',
    rounding: '现金舍入',
    payable: '应收',
    refundTotal: '退款合计',
    taxIncluded: '税额（含税）',
    taxExcluded: '税额',
    taxLine: (rate: string, base: string) => `${rate} 计税 ${base}`,
    change: '找零',
    card: '卡号',
    auth: '授权码',
    reference: '流水号',
    thanks: '谢谢惠顾，欢迎再来！',
    keep: '请保留此单据',
    items: (n: number) => `共 ${n} 件`,
  },
  en: {
    sale: 'SALES RECEIPT',
    refund: 'REFUND',
    post_void: 'POST-VOID',
    receiptNo: 'Receipt',
    time: 'Time',
    cashier: 'Cashier',
    original: 'Original',
    discount: 'Discount',
    subtotal: 'Subtotal',
    discounts: 'Discounts',
    total: 'Total',
    rounding: 'Cash rounding',
    payable: 'To pay',
    refundTotal: 'Refund total',
    taxIncluded: 'Tax (included)',
    taxExcluded: 'Tax',
    taxLine: (rate: string, base: string) => `${rate} on ${base}`,
    change: 'Change',
    card: 'Card',
    auth: 'Auth code',
    reference: 'Ref',
    thanks: 'Thank you, come again!',
    keep: 'Please keep this receipt',
    items: (n: number) => `${n} item${n === 1 ? '' : 's'}`,
  },
} as const;

/** Thousandths without trailing zeros (pieces) or with three decimals and the unit (weighed goods). */
function qtyText(qtyMilli: number, unit: 'piece' | 'kg' | 'g'): string {
  const negative = qtyMilli < 0;
  const abs = Math.abs(qtyMilli);
  const whole = Math.trunc(abs / 1000);
  const frac = String(abs % 1000).padStart(3, '0');
  const sign = negative ? '-' : '';
  if (unit === 'piece') {
    const trimmed = frac.replace(/0+$/, '');
    return `${sign}${whole}${trimmed ? `.${trimmed}` : ''}`;
  }
  return `${sign}${whole}.${frac}${unit}`;
}

function rateText(ppm: number): string {
  const whole = Math.trunc(ppm / 10_000);
  const frac = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

function percentText(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/** `2026-01-15 17:00:05` in the station's local time (given as an offset, so the function stays pure). */
export function receiptTime(iso: string, utcOffsetMinutes = 0): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + utcOffsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function name(item: { nameZh: string; nameEn: string }, locale: Locale): string {
  const preferred = locale === 'zh-CN' ? item.nameZh : item.nameEn;
  return preferred.trim() !== '' ? preferred : locale === 'zh-CN' ? item.nameEn : item.nameZh;
}

function tenderLabel(code: string, tenders: readonly TenderConfig[], locale: Locale): string {
  const tender = tenders.find((t) => t.code === code);
  if (!tender) return code;
  return locale === 'zh-CN' ? tender.nameZh : tender.nameEn;
}

/** Whether printing this document should open the cash drawer: cash changed hands. */
export function movesCash(sale: SaleView): boolean {
  return sale.payments.some((p) => p.status === 'approved' && p.type === 'cash' && p.amount !== 0);
}

/** The receipt of a completed document. Throws on a document that is not completed (it has no number yet). */
export function receiptDocument(sale: SaleView, ctx: ReceiptContext): PrintDocument {
  if (sale.status !== 'completed' || sale.receiptNo === null || sale.completedAt === null) {
    throw new RangeError(`Only a completed document has a receipt (this one is ${sale.status})`);
  }
  const L = LABELS[ctx.locale];
  const currency: CurrencyCode = sale.currency;
  const amount = (n: number) => formatMoney(money(n), currency);
  const blocks: PrintBlock[] = [{ kind: 'logo' }];
  if (ctx.storeName !== null && ctx.storeName.trim() !== '') {
    blocks.push({ kind: 'text', text: ctx.storeName, align: 'center', bold: true, size: 2 });
  }
  for (const text of ctx.headerLines ?? []) blocks.push({ kind: 'text', text, align: 'center' });
  blocks.push({ kind: 'text', text: L[sale.kind], align: 'center', bold: true });
  blocks.push({ kind: 'rule' });
  blocks.push({ kind: 'columns', left: L.receiptNo, right: sale.receiptNo });
  blocks.push({ kind: 'columns', left: L.time, right: receiptTime(sale.completedAt, ctx.utcOffsetMinutes) });
  blocks.push({ kind: 'columns', left: L.cashier, right: sale.cashierName });
  const original = sale.kind === 'sale' ? undefined : sale.related[0];
  if (original?.receiptNo) blocks.push({ kind: 'columns', left: L.original, right: original.receiptNo });
  blocks.push({ kind: 'rule' });

  const lines = sale.lines.filter((l) => !l.voided && l.amounts !== null);
  for (const line of lines) {
    const a = line.amounts!;
    blocks.push({ kind: 'text', text: name(line, ctx.locale) });
    const unitPrice = amount(line.unitPrice) + (line.unit === 'piece' ? '' : `/${line.unit}`);
    blocks.push({
      kind: 'columns',
      left: `  ${qtyText(line.qtyMilli, line.unit)} x ${unitPrice}`,
      right: amount(a.gross),
    });
    if (a.discount !== 0) {
      const what = line.discount?.type === 'percent' ? ` ${percentText(line.discount.bp)}` : '';
      blocks.push({ kind: 'columns', left: `  ${L.discount}${what}`, right: amount(-a.discount) });
    }
  }
  blocks.push({ kind: 'rule' });

  const { totals } = sale;
  const count = lines.reduce((n, l) => n + (l.unit === 'piece' ? Math.abs(l.qtyMilli) / 1000 : 1), 0);
  blocks.push({
    kind: 'columns',
    left: `${L.subtotal} (${L.items(Math.round(count))})`,
    right: amount(totals.subtotal),
  });
  if (totals.discountTotal !== 0) {
    blocks.push({ kind: 'columns', left: L.discounts, right: amount(-totals.discountTotal) });
  }
  blocks.push({
    kind: 'columns',
    left: sale.kind === 'sale' ? L.total : L.refundTotal,
    right: amount(totals.total),
    bold: true,
  });
  if (totals.cashRoundingAdjustment !== 0) {
    blocks.push({ kind: 'columns', left: L.rounding, right: amount(totals.cashRoundingAdjustment) });
    blocks.push({ kind: 'columns', left: L.payable, right: amount(totals.payable), bold: true });
  }
  if (totals.taxes.length > 0) {
    blocks.push({ kind: 'text', text: sale.taxMode === 'inclusive' ? L.taxIncluded : L.taxExcluded });
    for (const tax of totals.taxes) {
      blocks.push({
        kind: 'columns',
        left: `  ${L.taxLine(rateText(tax.taxRatePpm), amount(tax.base))}`,
        right: amount(tax.tax),
      });
    }
  }
  blocks.push({ kind: 'rule' });

  const slips: string[][] = [];
  for (const p of sale.payments.filter((x) => x.status === 'approved')) {
    blocks.push({
      kind: 'columns',
      left: tenderLabel(p.tender, ctx.tenders, ctx.locale),
      right: amount(p.amount),
    });
    // A gift card's reference is its masked number ("•••• 1234"): printed as the card, like a bank card's.
    const referenceLabel = p.type === 'gift_card' ? L.card : L.reference;
    if (p.reference !== null)
      blocks.push({ kind: 'columns', left: `  ${referenceLabel}`, right: p.reference });
    const card = ctx.cards?.[p.id];
    if (p.type === 'card') {
      if (card?.maskedPan) blocks.push({ kind: 'columns', left: `  ${L.card}`, right: card.maskedPan });
      if (p.approvalCode !== null)
        blocks.push({ kind: 'columns', left: `  ${L.auth}`, right: p.approvalCode });
    }
    if (card && card.receiptText.length > 0) slips.push([...card.receiptText]);
  }
  if (sale.kind === 'sale') {
    blocks.push({ kind: 'columns', left: L.change, right: amount(totals.change), bold: true });
  }
  for (const slip of slips) {
    blocks.push({ kind: 'rule' });
    for (const text of slip) blocks.push({ kind: 'text', text });
  }
  blocks.push({ kind: 'rule' });
  for (const text of ctx.footerLines ?? []) blocks.push({ kind: 'text', text, align: 'center' });
  blocks.push({ kind: 'text', text: sale.kind === 'sale' ? L.thanks : L.keep, align: 'center' });
  blocks.push({ kind: 'barcode', data: sale.receiptNo });
  blocks.push({ kind: 'qr', data: sale.id });

  return {
    kind: 'receipt',
    ref: sale.id,
    title: `${L[sale.kind]} ${sale.receiptNo}`,
    blocks,
    cut: true,
    openDrawer: movesCash(sale),
  };
}
