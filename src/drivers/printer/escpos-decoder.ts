import iconv from 'iconv-lite';

/**
 * A small decoder for the receipt printer byte streams this station sends: a command table gives each command's
 * parameter length, text runs are decoded (GB18030 inside Chinese mode, ASCII/latin1 outside). Two dialects:
 *
 * - `epson`: ESC/POS (Chinese mode `FS &` … `FS .`, drawer `ESC p m t1 t2`, QR `GS ( k`, CODE128 `GS k 73`);
 * - `star`: Star Line Mode (Chinese mode `ESC p` … `ESC q`, drawer pulse `ESC BEL n1 n2` then `BEL`/`SUB`, QR
 *   `ESC GS y`, CODE128 `ESC b 6 … RS`, cut `ESC d n`).
 *
 * Shipped (not only a test helper): the demo printer keeps what it printed decoded, for the paper strip. Unknown
 * commands throw, so a stray byte fails a test instead of passing unnoticed.
 */
export type Align = 'left' | 'center' | 'right';
export type EscPosDialect = 'epson' | 'star';

export type EscPosOp =
  | { op: 'init' }
  | { op: 'align'; align: Align }
  | { op: 'bold'; on: boolean }
  | { op: 'printMode'; n: number }
  | { op: 'size'; width: number; height: number }
  | { op: 'feed'; lines: number }
  | { op: 'cut'; bytes: number[] }
  | { op: 'drawerKick'; pin: 2 | 5; t1: number; t2: number; bytes: number[] }
  | { op: 'chineseOn' }
  | { op: 'chineseOff' }
  | { op: 'qr'; fn: number; pL: number; pH: number; params: Uint8Array }
  | { op: 'barcode'; system: number; data: Uint8Array }
  | { op: 'barcodeSetting'; command: 'height' | 'width' | 'hri' | 'hriFont'; value: number }
  | { op: 'raster'; mode: number; widthBytes: number; heightDots: number }
  | { op: 'statusQuery'; n: number }
  | { op: 'lf' }
  | { op: 'text'; text: string; chinese: boolean; bytes: Uint8Array };

export interface DecodedLine {
  text: string;
  align: Align;
  bold: boolean;
  width: number;
  height: number;
}

export interface Decoded {
  ops: EscPosOp[];
  /** Printed lines (text between LFs) with the style in force at the line's start. */
  lines: DecodedLine[];
  /** All text joined with `\n` at every LF. */
  text: string;
  /** QR payloads (decoded UTF-8) in order. */
  qrData: string[];
  /** CODE128 payloads (without the code set prefix) in order. */
  barcodes: string[];
  cuts: number;
  /** Byte offset just after each cut: where one paper receipt ends. */
  cutEnds: number[];
}

export class EscPosDecodeError extends Error {}

const hex = (b: number): string => `0x${b.toString(16)}`;

class Reader {
  i = 0;
  constructor(readonly buf: Uint8Array) {}
  at(k: number): number {
    const b = this.buf[k];
    if (b === undefined) throw new EscPosDecodeError(`Truncated command at offset ${this.i}`);
    return b;
  }
  take(n: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(this.at(this.i + k));
    this.i += n;
    return out;
  }
  get done(): boolean {
    return this.i >= this.buf.length;
  }
}

export function decodeEscPos(input: Uint8Array, dialect: EscPosDialect = 'epson'): Decoded {
  const r = new Reader(input);
  const ops: EscPosOp[] = [];
  const state = { chinese: false };
  const cutEnds: number[] = [];
  while (!r.done) {
    if (ops.at(-1)?.op === 'cut' && cutEnds.at(-1) !== r.i) cutEnds.push(r.i);
    const b = r.at(r.i);
    if (b === 0x0a) {
      ops.push({ op: 'lf' });
      r.i += 1;
      continue;
    }
    if (b === 0x10) {
      const [, cmd, n = 0] = r.take(3);
      if (cmd !== 0x04) throw new EscPosDecodeError(`Unknown command DLE ${hex(cmd ?? 0)}`);
      ops.push({ op: 'statusQuery', n });
      continue;
    }
    const handled = dialect === 'epson' ? epsonCommand(r, b, ops, state) : starCommand(r, b, ops, state);
    if (handled) continue;
    if (b < 0x20 || b === 0x7f) {
      throw new EscPosDecodeError(`Unexpected control byte ${hex(b)} at offset ${r.i}`);
    }
    // Text run: up to the next control byte (GB18030 lead and trail bytes are all >= 0x30).
    const start = r.i;
    while (!r.done && r.at(r.i) >= 0x20 && r.at(r.i) !== 0x7f) r.i += 1;
    const bytes = input.slice(start, r.i);
    const text = state.chinese
      ? iconv.decode(Buffer.from(bytes), 'gb18030')
      : Buffer.from(bytes).toString('latin1');
    ops.push({ op: 'text', text, chinese: state.chinese, bytes });
  }
  if (ops.at(-1)?.op === 'cut' && cutEnds.at(-1) !== r.i) cutEnds.push(r.i);
  return { ...summarise(ops), cutEnds };
}

function epsonCommand(r: Reader, b: number, ops: EscPosOp[], state: { chinese: boolean }): boolean {
  if (b === 0x1b) {
    const cmd = r.at(r.i + 1);
    r.i += 2;
    switch (cmd) {
      case 0x40:
        ops.push({ op: 'init' });
        state.chinese = false;
        return true;
      case 0x61: {
        const [n = 0] = r.take(1);
        const align = n === 0 || n === 0x30 ? 'left' : n === 1 || n === 0x31 ? 'center' : 'right';
        ops.push({ op: 'align', align });
        return true;
      }
      case 0x45: {
        const [n = 0] = r.take(1);
        ops.push({ op: 'bold', on: (n & 1) === 1 });
        return true;
      }
      case 0x21: {
        const [n = 0] = r.take(1);
        ops.push({ op: 'printMode', n });
        return true;
      }
      case 0x64: {
        const [n = 0] = r.take(1);
        ops.push({ op: 'feed', lines: n });
        return true;
      }
      case 0x70: {
        const [m = 0, t1 = 0, t2 = 0] = r.take(3);
        ops.push({
          op: 'drawerKick',
          pin: m === 0 || m === 0x30 ? 2 : 5,
          t1,
          t2,
          bytes: [0x1b, 0x70, m, t1, t2],
        });
        return true;
      }
      default:
        throw new EscPosDecodeError(`Unknown command ESC ${hex(cmd)} at offset ${r.i - 2}`);
    }
  }
  if (b === 0x1d) {
    const cmd = r.at(r.i + 1);
    r.i += 2;
    switch (cmd) {
      case 0x21: {
        const [n = 0] = r.take(1);
        ops.push({ op: 'size', width: (n >> 4) + 1, height: (n & 0x0f) + 1 });
        return true;
      }
      case 0x56: {
        const [m = 0] = r.take(1);
        const bytes =
          m === 65 || m === 66 || m === 97 || m === 98 ? [0x1d, 0x56, m, ...r.take(1)] : [0x1d, 0x56, m];
        ops.push({ op: 'cut', bytes });
        return true;
      }
      case 0x28: {
        const fnClass = r.at(r.i);
        if (fnClass !== 0x6b) throw new EscPosDecodeError(`Unsupported GS ( ${hex(fnClass)}`);
        r.i += 1;
        const [pL = 0, pH = 0] = r.take(2);
        const params = Uint8Array.from(r.take(pL + pH * 256));
        ops.push({ op: 'qr', fn: (params[1] ?? 0) + 100, pL, pH, params });
        return true;
      }
      case 0x6b: {
        const [m = 0] = r.take(1);
        if (m <= 6) {
          const data: number[] = [];
          while (r.at(r.i) !== 0) data.push(r.take(1)[0] ?? 0);
          r.i += 1;
          ops.push({ op: 'barcode', system: m, data: Uint8Array.from(data) });
        } else {
          const [n = 0] = r.take(1);
          ops.push({ op: 'barcode', system: m, data: Uint8Array.from(r.take(n)) });
        }
        return true;
      }
      case 0x68:
      case 0x77:
      case 0x48:
      case 0x66: {
        const [value = 0] = r.take(1);
        const command = cmd === 0x68 ? 'height' : cmd === 0x77 ? 'width' : cmd === 0x48 ? 'hri' : 'hriFont';
        ops.push({ op: 'barcodeSetting', command, value });
        return true;
      }
      case 0x76: {
        const [zero, mode = 0, xL = 0, xH = 0, yL = 0, yH = 0] = r.take(6);
        if (zero !== 0x30) throw new EscPosDecodeError('GS v must be GS v 0');
        const widthBytes = xL + xH * 256;
        const heightDots = yL + yH * 256;
        r.take(widthBytes * heightDots);
        ops.push({ op: 'raster', mode, widthBytes, heightDots });
        return true;
      }
      default:
        throw new EscPosDecodeError(`Unknown command GS ${hex(cmd)} at offset ${r.i - 2}`);
    }
  }
  if (b === 0x1c) {
    const cmd = r.at(r.i + 1);
    r.i += 2;
    if (cmd === 0x26) {
      state.chinese = true;
      ops.push({ op: 'chineseOn' });
    } else if (cmd === 0x2e) {
      state.chinese = false;
      ops.push({ op: 'chineseOff' });
    } else {
      throw new EscPosDecodeError(`Unknown command FS ${hex(cmd)} at offset ${r.i - 2}`);
    }
    return true;
  }
  return false;
}

/** Star Line Mode pulse units are 10 ms (ESC BEL n1 n2); reported as t1/t2 like ESC/POS's for the tests. */
function starCommand(r: Reader, b: number, ops: EscPosOp[], state: { chinese: boolean }): boolean {
  if (b !== 0x1b) return false;
  const cmd = r.at(r.i + 1);
  r.i += 2;
  switch (cmd) {
    case 0x40:
      ops.push({ op: 'init' });
      state.chinese = false;
      return true;
    case 0x45:
      ops.push({ op: 'bold', on: true });
      return true;
    case 0x46:
      ops.push({ op: 'bold', on: false });
      return true;
    case 0x69: {
      // ESC i n1 n2: n1 = height multiplier - 1, n2 = width multiplier - 1.
      const [h = 0, w = 0] = r.take(2);
      ops.push({ op: 'size', width: (w % 0x30) + 1, height: (h % 0x30) + 1 });
      return true;
    }
    case 0x70:
      state.chinese = true;
      ops.push({ op: 'chineseOn' });
      return true;
    case 0x71:
      state.chinese = false;
      ops.push({ op: 'chineseOff' });
      return true;
    case 0x64: {
      const [n = 0] = r.take(1);
      ops.push({ op: 'cut', bytes: [0x1b, 0x64, n] });
      return true;
    }
    case 0x07: {
      // ESC BEL n1 n2 sets the pulse; the kick itself is the next byte: BEL (drawer 1, pin 2) or SUB (pin 5).
      const [t1 = 0, t2 = 0, fire = 0] = r.take(3);
      if (fire !== 0x07 && fire !== 0x1a) {
        throw new EscPosDecodeError(`ESC BEL must be followed by BEL or SUB, got ${hex(fire)}`);
      }
      ops.push({
        op: 'drawerKick',
        pin: fire === 0x07 ? 2 : 5,
        t1,
        t2,
        bytes: [0x1b, 0x07, t1, t2, fire],
      });
      return true;
    }
    case 0x62: {
      // ESC b n1 n2 n3 n4 data RS
      const [system = 0, , , height = 0] = r.take(4);
      const data: number[] = [];
      while (r.at(r.i) !== 0x1e) data.push(r.take(1)[0] ?? 0);
      r.i += 1;
      ops.push({ op: 'barcodeSetting', command: 'height', value: height });
      ops.push({ op: 'barcode', system, data: Uint8Array.from(data) });
      return true;
    }
    case 0x1d: {
      const sub = r.at(r.i);
      r.i += 1;
      if (sub === 0x61) {
        const [n = 0] = r.take(1);
        ops.push({
          op: 'align',
          align: n === 0 || n === 0x30 ? 'left' : n === 1 || n === 0x31 ? 'center' : 'right',
        });
        return true;
      }
      if (sub === 0x79) {
        const [fn = 0] = r.take(1);
        if (fn === 0x53) {
          const [what = 0, n = 0] = r.take(2);
          ops.push({ op: 'qr', fn: 0x53, pL: what, pH: n, params: Uint8Array.of(what, n) });
          return true;
        }
        if (fn === 0x44) {
          // ESC GS y D 1 m nL nH data
          const [one, , nL = 0, nH = 0] = r.take(4);
          if (one !== 0x31)
            throw new EscPosDecodeError(`ESC GS y D must be followed by 1, got ${hex(one ?? 0)}`);
          const params = Uint8Array.from(r.take(nL + nH * 256));
          ops.push({ op: 'qr', fn: 0x44, pL: nL, pH: nH, params });
          return true;
        }
        if (fn === 0x50) {
          ops.push({ op: 'qr', fn: 0x50, pL: 0, pH: 0, params: new Uint8Array(0) });
          return true;
        }
        throw new EscPosDecodeError(`Unknown command ESC GS y ${hex(fn)}`);
      }
      throw new EscPosDecodeError(`Unknown command ESC GS ${hex(sub)} at offset ${r.i - 3}`);
    }
    default:
      throw new EscPosDecodeError(`Unknown Star command ESC ${hex(cmd)} at offset ${r.i - 2}`);
  }
}

function summarise(ops: EscPosOp[]): Omit<Decoded, 'cutEnds'> {
  const lines: DecodedLine[] = [];
  const style = { align: 'left' as Align, bold: false, width: 1, height: 1 };
  let current: DecodedLine | null = null;
  let all = '';
  const qrData: string[] = [];
  const barcodes: string[] = [];
  let cuts = 0;
  for (const op of ops) {
    switch (op.op) {
      case 'init':
        Object.assign(style, { align: 'left', bold: false, width: 1, height: 1 });
        break;
      case 'align':
        style.align = op.align;
        break;
      case 'bold':
        style.bold = op.on;
        break;
      case 'size':
        style.width = op.width;
        style.height = op.height;
        break;
      case 'text':
        current ??= { text: '', ...style };
        current.text += op.text;
        all += op.text;
        break;
      case 'lf':
        lines.push(current ?? { text: '', ...style });
        current = null;
        all += '\n';
        break;
      case 'qr':
        // ESC/POS function 180 (params after `1 P 0`); Star ESC GS y D (the data itself).
        if (op.fn === 180) qrData.push(Buffer.from(op.params.subarray(3)).toString('utf8'));
        if (op.fn === 0x44) qrData.push(Buffer.from(op.params).toString('utf8'));
        break;
      case 'barcode': {
        const data = Buffer.from(op.data).toString('latin1');
        // ESC/POS CODE128 carries a `{B` code set prefix and `{{` for a literal brace; Star's is plain.
        if (op.system === 73) barcodes.push(data.replace(/^\{B/, '').replace(/\{\{/g, '{'));
        else if (op.system === 6 || op.system === 0x36) barcodes.push(data);
        break;
      }
      case 'cut':
        cuts += 1;
        break;
      case 'printMode':
      case 'feed':
      case 'drawerKick':
      case 'chineseOn':
      case 'chineseOff':
      case 'barcodeSetting':
      case 'raster':
      case 'statusQuery':
        break;
    }
  }
  if (current !== null) lines.push(current);
  return { ops, lines, text: all, qrData, barcodes, cuts };
}
