import type { Locale } from '../../../shared/domain/locale';
import { formatMoney, money } from '../../../shared/domain/money';
import type { Report } from '../../../shared/ipc/channels/reports';
import type { PrintBlock, PrintDocument } from '../../../shared/print/print-document';

/** Printed labels in the store's language (the receipt printer has no UI translations to draw on). */
const LABELS = {
  'zh-CN': {
    x: 'X 报表（班中）',
    z: 'Z 报表（日结）',
    zNo: 'Z 序号',
    from: '开始',
    to: '截至',
    by: '操作员',
    sales: '销售',
    gross: '折前金额',
    discounts: '折扣',
    returns: '退货',
    postVoids: '整单撤销',
    net: '净额',
    rounding: '现金抹零',
    lineVoids: '删除行',
    voidedSales: '取消交易',
    noSales: '无交易开钱箱',
    taxes: '税额（按税率）',
    tenders: '付款方式',
    cash: '现金',
    floats: '备用金',
    takings: '现金收入',
    paidIn: '存入',
    paidOut: '支出',
    drops: '投库',
    expected: '应有现金',
    counted: '实点现金',
    shifts: '班次',
    difference: '差额',
    cashiers: '收银员',
    count: '笔',
    open: '未结班',
  },
  en: {
    x: 'X REPORT (mid-day)',
    z: 'Z REPORT (end of day)',
    zNo: 'Z No.',
    from: 'From',
    to: 'To',
    by: 'By',
    sales: 'Sales',
    gross: 'Before discounts',
    discounts: 'Discounts',
    returns: 'Returns',
    postVoids: 'Post-voids',
    net: 'Net',
    rounding: 'Cash rounding',
    lineVoids: 'Line voids',
    voidedSales: 'Voided sales',
    noSales: 'No-sale opens',
    taxes: 'Tax by rate',
    tenders: 'Tenders',
    cash: 'Cash',
    floats: 'Opening floats',
    takings: 'Cash takings',
    paidIn: 'Paid in',
    paidOut: 'Paid out',
    drops: 'Drops',
    expected: 'Expected cash',
    counted: 'Counted cash',
    shifts: 'Shifts',
    difference: 'Difference',
    cashiers: 'Cashiers',
    count: 'x',
    open: 'open',
  },
} as const satisfies Record<Locale, Record<string, string>>;

/** `2026-01-15 09:30` in the station's local time (the printer shows what the clock on the wall says). */
function time(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function percent(ppm: number): string {
  const whole = Math.trunc(ppm / 10_000);
  const frac = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}%` : `${whole}%`;
}

/**
 * The report as a print document: plain text blocks the printer service lays out for 80 or 58 mm (CJK text
 * counts two columns there). Pure: the same report gives the same document, so a Z reprint is identical.
 */
export function reportDocument(report: Report, locale: Locale): PrintDocument {
  const L = LABELS[locale];
  const m = (amount: number) => formatMoney(money(amount), report.currency);
  const line = (left: string, amount: number, bold = false): PrintBlock => ({
    kind: 'columns',
    left,
    right: m(amount),
    ...(bold ? { bold } : {}),
  });
  const counted = (left: string, count: number, amount: number): PrintBlock => ({
    kind: 'columns',
    left: `${left} ${count}${L.count}`,
    right: m(amount),
  });
  const blocks: PrintBlock[] = [
    { kind: 'text', text: report.storeName ?? '', align: 'center', bold: true },
    { kind: 'text', text: report.kind === 'Z' ? L.z : L.x, align: 'center', bold: true, size: 2 },
  ];
  if (report.zNumber !== null) {
    blocks.push({ kind: 'columns', left: L.zNo, right: String(report.zNumber).padStart(4, '0'), bold: true });
  }
  blocks.push(
    { kind: 'columns', left: L.from, right: time(report.from) },
    { kind: 'columns', left: L.to, right: time(report.to) },
    { kind: 'columns', left: L.by, right: report.generatedBy },
    { kind: 'rule', double: true },
    counted(L.sales, report.sales.count, report.sales.net),
    line(`  ${L.gross}`, report.sales.gross),
    counted(`  ${L.discounts}`, report.discounts.count, -report.discounts.amount),
    counted(L.returns, report.returns.count, report.returns.amount),
    counted(L.postVoids, report.postVoids.count, report.postVoids.amount),
    { kind: 'rule' },
    line(L.net, report.net, true),
    line(L.rounding, report.rounding),
    counted(L.lineVoids, report.lineVoids.count, report.lineVoids.amount),
    counted(L.voidedSales, report.voidedSales.count, report.voidedSales.amount),
    { kind: 'columns', left: L.noSales, right: String(report.noSales) },
    { kind: 'rule' },
    { kind: 'text', text: L.taxes, bold: true },
  );
  for (const t of report.taxes)
    blocks.push({ kind: 'columns', left: `  ${percent(t.taxRatePpm)} ${m(t.base)}`, right: m(t.tax) });
  blocks.push({ kind: 'rule' }, { kind: 'text', text: L.tenders, bold: true });
  for (const t of report.tenders) blocks.push(counted(`  ${t.tender}`, t.count, t.amount));
  blocks.push(
    { kind: 'rule' },
    { kind: 'text', text: L.cash, bold: true },
    line(`  ${L.floats}`, report.cash.openingFloats),
    line(`  ${L.takings}`, report.cash.takings),
    line(`  ${L.paidIn}`, report.cash.paidIn),
    line(`  ${L.paidOut}`, -report.cash.paidOut),
    line(`  ${L.drops}`, -report.cash.drops),
    line(L.expected, report.cash.expected, true),
  );
  if (report.cash.counted !== null) blocks.push(line(L.counted, report.cash.counted));
  if (report.shifts.length > 0) {
    blocks.push({ kind: 'rule' }, { kind: 'text', text: L.shifts, bold: true });
    for (const s of report.shifts) {
      blocks.push({ kind: 'text', text: `${s.userName} ${time(s.openedAt)}` });
      blocks.push(
        s.difference === null
          ? { kind: 'columns', left: `  ${L.difference}`, right: L.open }
          : line(`  ${L.difference}`, s.difference),
      );
    }
  }
  if (report.cashiers.length > 0) {
    blocks.push({ kind: 'rule' }, { kind: 'text', text: L.cashiers, bold: true });
    for (const c of report.cashiers) {
      blocks.push(counted(`  ${c.name}`, c.sales + c.returns + c.postVoids, c.net));
    }
  }
  blocks.push({ kind: 'rule', double: true }, { kind: 'feed', lines: 2 });
  const ref = report.kind === 'Z' ? `z:${report.zNumber ?? 0}` : `x:${report.businessDayId}:${report.to}`;
  return {
    kind: 'report',
    ref,
    title: report.kind === 'Z' ? `Z ${String(report.zNumber ?? 0).padStart(4, '0')}` : 'X',
    blocks,
    cut: true,
  };
}
