import iconv from 'iconv-lite';
import { drawerKickBytes, type DrawerPulse } from './printer';

/**
 * A small ESC/POS (EPSON) byte builder. Own code rather than node-thermal-printer's buffer because that one is wrong
 * where it matters here (4.6.1): its QR store length is `str.length` (UTF-16 units, not bytes), its China setting
 * never sends `FS &`, and its cut adds vertical tabs and a trailing `ESC @`.
 */
export type Align = 'left' | 'center' | 'right';
export type PaperWidth = '80mm' | '58mm';

export const COLUMNS: Record<PaperWidth, number> = { '80mm': 48, '58mm': 32 };

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

/** True for characters a printer draws two columns wide (CJK, fullwidth forms, Hangul). */
export function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0x303e) ||
    (codePoint >= 0x3041 && codePoint <= 0x33ff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/** Printed width in columns (CJK = 2). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return w;
}

/** Wraps to `columns`, breaking at spaces when a word fits on a line, otherwise between characters. */
export function wrapText(text: string, columns: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let width = 0;
    const tokens = paragraph.match(/\s+|[^\s]+/g) ?? [''];
    for (const token of tokens) {
      const tw = displayWidth(token);
      if (/^\s+$/.test(token)) {
        if (width > 0 && width + tw <= columns) {
          line += token;
          width += tw;
        }
        continue;
      }
      if (width + tw <= columns) {
        line += token;
        width += tw;
        continue;
      }
      if (width > 0 && tw <= columns) {
        lines.push(line.trimEnd());
        line = token;
        width = tw;
        continue;
      }
      for (const ch of token) {
        const cw = displayWidth(ch);
        if (width + cw > columns && width > 0) {
          lines.push(line.trimEnd());
          line = '';
          width = 0;
        }
        line += ch;
        width += cw;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** `left` then spaces then `right` in exactly `columns` (left is truncated when both do not fit). */
export function twoColumns(left: string, right: string, columns: number): string {
  const rw = displayWidth(right);
  let l = left;
  while (l.length > 0 && displayWidth(l) + 1 + rw > columns) l = Array.from(l).slice(0, -1).join('');
  const gap = Math.max(1, columns - displayWidth(l) - rw);
  return l + ' '.repeat(gap) + right;
}

/** What a document renderer needs from a printer dialect (ESC/POS here, Star Line Mode in star-builder.ts). */
export interface ReceiptBytesBuilder {
  init(): this;
  align(a: Align): this;
  bold(on: boolean): this;
  size(width: number, height: number): this;
  /** Text without a line feed; Chinese goes out in the dialect's Chinese mode as GB18030. */
  text(s: string): this;
  line(s?: string): this;
  feed(lines: number): this;
  qr(text: string, moduleSize?: number): this;
  code128(data: string, height?: number): this;
  drawerKick(pin: 2 | 5, pulse: DrawerPulse): this;
  /** Exactly one cut command. */
  cut(): this;
  build(): Uint8Array;
}

export class EscPosBuilder implements ReceiptBytesBuilder {
  private readonly chunks: Uint8Array[] = [];

  raw(bytes: ArrayLike<number>): this {
    this.chunks.push(Uint8Array.from(bytes));
    return this;
  }

  /** `ESC @` */
  init(): this {
    return this.raw([ESC, 0x40]);
  }

  /** `ESC a n` */
  align(a: Align): this {
    return this.raw([ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2]);
  }

  /** `ESC E n` */
  bold(on: boolean): this {
    return this.raw([ESC, 0x45, on ? 1 : 0]);
  }

  /** `GS ! n`: high nibble width-1, low nibble height-1 (1..8 each). */
  size(width: number, height: number): this {
    const w = clampInt(width, 1, 8) - 1;
    const h = clampInt(height, 1, 8) - 1;
    return this.raw([GS, 0x21, (w << 4) | h]);
  }

  /**
   * Text without a line feed. ASCII goes out as is; every run of other characters is sent in Chinese mode:
   * `FS &`, the GB18030 bytes, `FS .`.
   */
  text(s: string): this {
    for (const run of s.match(/[\x20-\x7e]+|[^\x20-\x7e]+/g) ?? []) {
      if (/^[\x20-\x7e]+$/.test(run)) {
        this.chunks.push(Uint8Array.from(Buffer.from(run, 'ascii')));
      } else {
        const printable = Array.from(run, (ch) =>
          (ch.codePointAt(0) ?? 0) < 0x20 || ch === '\x7f' ? ' ' : ch,
        ).join('');
        this.raw([FS, 0x26]);
        this.chunks.push(Uint8Array.from(iconv.encode(printable, 'gb18030')));
        this.raw([FS, 0x2e]);
      }
    }
    return this;
  }

  line(s = ''): this {
    return this.text(s).raw([LF]);
  }

  /** `ESC d n` */
  feed(lines: number): this {
    return this.raw([ESC, 0x64, clampInt(lines, 0, 255)]);
  }

  /**
   * QR code, model 2: `GS ( k` functions 165 (model), 167 (module size), 169 (error correction), 180 (store:
   * pL pH = data BYTES + 3) and 181 (print). The text is sent as UTF-8.
   */
  qr(text: string, moduleSize = 6, correction: 'L' | 'M' | 'Q' | 'H' = 'M'): this {
    const data = Buffer.from(text, 'utf8');
    const len = data.length + 3;
    if (len > 0xffff || data.length > 7089) throw new RangeError('QR data too long');
    const ec = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 }[correction];
    this.raw([GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]);
    this.raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, clampInt(moduleSize, 1, 16)]);
    this.raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, ec]);
    this.raw([GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30]);
    this.chunks.push(Uint8Array.from(data));
    return this.raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]);
  }

  /** CODE128 code set B with HRI below: `GS k 73 n {B data` (n counts `{B` too; `{` is escaped as `{{`). */
  code128(data: string, height = 80): this {
    if (!/^[\x20-\x7e]+$/.test(data)) throw new RangeError('CODE128 (code set B) takes printable ASCII only');
    const body = Buffer.from('{B' + data.replace(/\{/g, '{{'), 'ascii');
    if (body.length > 255) throw new RangeError('CODE128 data too long');
    this.raw([GS, 0x68, clampInt(height, 1, 255)]); // GS h
    this.raw([GS, 0x77, 2]); // GS w
    this.raw([GS, 0x48, 2]); // GS H: HRI below
    this.raw([GS, 0x6b, 73, body.length]);
    this.chunks.push(Uint8Array.from(body));
    return this;
  }

  /** `ESC p m t1 t2`, always the full 5 bytes. */
  drawerKick(pin: 2 | 5, pulse: DrawerPulse): this {
    return this.raw(drawerKickBytes(pin, pulse));
  }

  /** `GS V 66 n`: feed n dots, then partial cut. */
  cut(feedDots = 3): this {
    return this.raw([GS, 0x56, 66, clampInt(feedDots, 0, 255)]);
  }

  build(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function clampInt(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(n)));
}

// --- the receipt document ---------------------------------------------------------------------------

export interface ReceiptLine {
  text: string;
  bold?: boolean;
  align?: Align;
  /** Character size multiplier (width and height). */
  size?: 1 | 2;
}

export interface ReceiptItem {
  name: string;
  qty: string;
  price: string;
  total: string;
}

export interface ReceiptTotal {
  label: string;
  amount: string;
  bold?: boolean;
}

export interface ReceiptDocument {
  paper: PaperWidth;
  header: ReceiptLine[];
  items: ReceiptItem[];
  totals: ReceiptTotal[];
  footer: ReceiptLine[];
  qr?: string;
  barcode?: string;
}

/** Builds a complete receipt: `ESC @`, content, one cut at the end. */
export function buildReceipt(doc: ReceiptDocument): Uint8Array {
  const columns = COLUMNS[doc.paper];
  const b = new EscPosBuilder().init();
  const styled = (l: ReceiptLine, defaultAlign: Align): void => {
    const size = l.size ?? 1;
    b.align(l.align ?? defaultAlign)
      .bold(l.bold ?? false)
      .size(size, size);
    for (const line of wrapText(l.text, Math.floor(columns / size))) b.line(line);
    if (size !== 1) b.size(1, 1);
    if (l.bold === true) b.bold(false);
  };
  const rule = (): void => {
    b.align('left').line('-'.repeat(columns));
  };

  for (const l of doc.header) styled(l, 'center');
  rule();
  b.align('left');
  for (const item of doc.items) {
    for (const line of wrapText(item.name, columns)) b.line(line);
    b.line(twoColumns(`  ${item.qty} x ${item.price}`, item.total, columns));
  }
  rule();
  for (const t of doc.totals) {
    b.bold(t.bold ?? false).line(twoColumns(t.label, t.amount, columns));
  }
  b.bold(false);
  if (doc.footer.length > 0) rule();
  for (const l of doc.footer) styled(l, 'center');
  if (doc.qr !== undefined)
    b.align('center')
      .qr(doc.qr, doc.paper === '58mm' ? 4 : 6)
      .line();
  if (doc.barcode !== undefined) b.align('center').code128(doc.barcode).line();
  b.align('left').feed(3).cut();
  return b.build();
}
