/**
 * Money, quantities and product names for people, and the keypad's text back into integers. Money stays in
 * integer minor units end to end: display goes through `formatMoney`, typed amounts through `parseMoney`.
 */
import type { Locale } from '../shared/domain/locale';
import { CURRENCIES, formatMoney, money, parseMoney, type CurrencyCode } from '../shared/domain/money';
import { MAX_AMOUNT, MAX_QTY_MILLI } from '../shared/domain/totals';

/** "1234567.50" → "1,234,567.50" (the sign and decimals untouched). */
function groupThousands(plain: string): string {
  const [whole = '', frac] = plain.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** `¥1,234.50`, `-¥3.00`: symbol, grouping and the currency's decimals. */
export function formatAmount(amount: number, currency: CurrencyCode): string {
  const plain = formatMoney(money(Math.abs(amount)), currency);
  return `${amount < 0 ? '-' : ''}${CURRENCIES[currency].symbol}${groupThousands(plain)}`;
}

/** The amount as a plain decimal ("37.40"), for inputs and speech. */
export function plainAmount(amount: number, currency: CurrencyCode): string {
  return formatMoney(money(amount), currency);
}

/** A typed amount in minor units, or null when it is not a valid non-negative amount for the currency. */
export function parseAmount(text: string, currency: CurrencyCode): number | null {
  const parsed = parseMoney(text.replace(/,/g, ''), currency);
  if (parsed === null || parsed < 0 || parsed > MAX_AMOUNT) return null;
  return parsed;
}

export type ProductUnit = 'piece' | 'kg' | 'g';

/** Thousandths as a decimal without trailing zeros: 1250 → "1.25", 3000 → "3". */
export function formatMilli(milli: number): string {
  const negative = milli < 0;
  const abs = Math.abs(milli);
  const whole = Math.trunc(abs / 1000);
  const frac = String(abs % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** A line quantity: "3" for pieces, "1.25 kg" for weighed goods. */
export function formatQty(qtyMilli: number, unit: ProductUnit): string {
  if (unit === 'piece') return formatMilli(qtyMilli);
  // Weights keep their three decimals: a scale reads grams, and "1.250 kg" is what the label says.
  const negative = qtyMilli < 0;
  const abs = Math.abs(qtyMilli);
  const text = `${Math.trunc(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
  return `${negative ? '-' : ''}${text} ${unit}`;
}

/** A unit price: "¥3.00", or "¥6.90/kg" for weighed goods. */
export function formatUnitPrice(price: number, unit: ProductUnit, currency: CurrencyCode): string {
  return unit === 'piece' ? formatAmount(price, currency) : `${formatAmount(price, currency)}/${unit}`;
}

/** "1.25" → 1250 thousandths; at most three decimals, more than zero, within the contract's range. */
export function parseQtyMilli(text: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{0,3}))?$/.exec(text.trim());
  if (!m) return null;
  const [, whole = '0', frac = ''] = m;
  const milli = Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
  return milli >= 1 && milli <= MAX_QTY_MILLI ? milli : null;
}

/** "12.5" (%) → 1250 basis points; 0 < p ≤ 100, at most two decimals. */
export function parsePercentBp(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(text.trim());
  if (!m) return null;
  const [, whole = '0', frac = ''] = m;
  const bp = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return bp >= 1 && bp <= 10_000 ? bp : null;
}

/** 1250 bp → "12.5%". */
export function formatPercent(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/** 130000 ppm → "13%". */
export function formatTaxRate(ppm: number): string {
  const whole = Math.trunc(ppm / 10_000);
  const frac = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/** The product's name in the UI language, falling back to the other one when it is missing. */
export function productName(item: { nameZh: string; nameEn: string }, locale: Locale): string {
  const preferred = locale === 'zh-CN' ? item.nameZh : item.nameEn;
  return preferred.trim() !== '' ? preferred : locale === 'zh-CN' ? item.nameEn : item.nameZh;
}

/** A configured tender's name in the UI language. */
export function tenderName(
  code: string,
  tenders: readonly { code: string; nameZh: string; nameEn: string }[],
  locale: Locale,
): string {
  const tender = tenders.find((t) => t.code === code);
  if (!tender) return code;
  return locale === 'zh-CN' ? tender.nameZh : tender.nameEn;
}

/** A document's date and time in full, as on a printed receipt. */
export function formatDocumentTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}
