/**
 * Customer pole display (VFD, 2 lines × 20 columns) bytes, the ESC/POS-like command set most pole displays speak
 * (Epson DM-D, and the many compatibles): `1B 40` initialise, `0C` clear, `1F 24 x y` move the cursor to column x,
 * line y (both 1-based), then plain text.
 *
 * Text rule (documented in README): these displays have a single-byte code page and no CJK font, so every line is
 * reduced to printable ASCII before it is sent:
 *  1. Chinese characters → pinyin without tones, capitalised per syllable ("可口可乐" → "KeKouKeLe"), so a
 *     Chinese item name stays recognisable to the customer instead of vanishing;
 *  2. accented Latin letters → their base letter (NFD, combining marks dropped: "Café" → "Cafe");
 *  3. full-width ASCII (U+FF01–FF5E) → its ASCII twin; "¥"/"￥" → "Y", "€" → "E", "£" → "L";
 *  4. anything else → dropped.
 * Lines are cut or padded to exactly 20 columns.
 */
import { pinyin } from 'pinyin-pro';
import { formatMoney, type CurrencyCode, type Money } from '../../shared/domain/money';

export const VFD_COLUMNS = 20;
export const VFD_LINES = 2;

export const VFD_INIT = Uint8Array.of(0x1b, 0x40);
export const VFD_CLEAR = Uint8Array.of(0x0c);
export const vfdCursor = (column: number, line: number): Uint8Array =>
  Uint8Array.of(0x1f, 0x24, column, line);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const SYMBOLS: Readonly<Record<string, string>> = { '¥': 'Y', '￥': 'Y', '€': 'E', '£': 'L', '\u3000': ' ' };

/** Reduces text to what a VFD can show (see the rule above). */
export function toVfdText(text: string): string {
  let s = text;
  if (CJK.test(s)) {
    s = pinyin(s, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
      .map((part) => (CJK.test(part) || /^[a-zü]+$/.test(part) ? capitalise(part) : part))
      .join('');
  }
  s = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code <= 0x7e) out += ch;
    else if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (ch === 'ü') out += 'u';
    else out += SYMBOLS[ch] ?? '';
  }
  return out;
}

function capitalise(syllable: string): string {
  const plain = syllable.replace('ü', 'v');
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

/** One 20-column line: `left` cut to leave room for `right` (right-aligned, never cut) and one space. */
export function vfdLine(left: string, right = ''): string {
  const r = toVfdText(right).slice(0, VFD_COLUMNS);
  const room = r.length === 0 ? VFD_COLUMNS : VFD_COLUMNS - r.length - 1;
  const l = toVfdText(left).slice(0, Math.max(0, room));
  return (l + ' '.repeat(Math.max(0, VFD_COLUMNS - l.length - r.length)) + r).slice(0, VFD_COLUMNS);
}

export interface VfdScreen {
  line1: string;
  line2: string;
}

/** The bytes that show a screen: clear, then each line at column 1 of its row. */
export function vfdScreenBytes(screen: VfdScreen): Uint8Array {
  const l1 = vfdLine(screen.line1);
  const l2 = vfdLine(screen.line2);
  const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const parts = [VFD_CLEAR, vfdCursor(1, 1), ascii(l1), vfdCursor(1, 2), ascii(l2)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Labels in the display's language (ASCII only; the station passes its locale's words). */
export interface VfdLabels {
  total: string;
  change: string;
  paid: string;
  welcome: string;
}

export const DEFAULT_VFD_LABELS: VfdLabels = {
  total: 'TOTAL',
  change: 'CHANGE',
  paid: 'PAID',
  welcome: 'WELCOME',
};

/** Line 1 the last item and its price, line 2 the running total. */
export function itemScreen(
  item: { name: string; price: Money },
  total: Money,
  currency: CurrencyCode,
  labels: VfdLabels = DEFAULT_VFD_LABELS,
): VfdScreen {
  return {
    line1: vfdLine(item.name, formatMoney(item.price, currency)),
    line2: vfdLine(labels.total, formatMoney(total, currency)),
  };
}

/** After the sale: line 1 what was paid, line 2 the change. */
export function changeScreen(
  paid: Money,
  change: Money,
  currency: CurrencyCode,
  labels: VfdLabels = DEFAULT_VFD_LABELS,
): VfdScreen {
  return {
    line1: vfdLine(labels.paid, formatMoney(paid, currency)),
    line2: vfdLine(labels.change, formatMoney(change, currency)),
  };
}
