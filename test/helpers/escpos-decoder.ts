import iconv from 'iconv-lite';

/**
 * A small ESC/POS decoder for tests: a command table gives each command's parameter length, text runs are
 * decoded (GB18030 inside Chinese mode `FS &` … `FS .`, ASCII/latin1 outside). Unknown commands throw, so a stray
 * byte in a receipt fails the test instead of passing unnoticed.
 */
export type Align = 'left' | 'center' | 'right';

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
  /** QR payloads (function 180 data, decoded UTF-8) in order. */
  qrData: string[];
  cuts: number;
}

export class EscPosDecodeError extends Error {}

export function decodeEscPos(input: Uint8Array): Decoded {
  const buf = input;
  const ops: EscPosOp[] = [];
  let i = 0;
  let chinese = false;

  const at = (k: number): number => {
    const b = buf[k];
    if (b === undefined) throw new EscPosDecodeError(`Truncated command at offset ${i}`);
    return b;
  };
  const take = (n: number): number[] => {
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(at(i + k));
    i += n;
    return out;
  };

  while (i < buf.length) {
    const b = at(i);
    if (b === 0x0a) {
      ops.push({ op: 'lf' });
      i += 1;
      continue;
    }
    if (b === 0x1b) {
      const cmd = at(i + 1);
      i += 2;
      switch (cmd) {
        case 0x40:
          ops.push({ op: 'init' });
          chinese = false;
          break;
        case 0x61: {
          const [n = 0] = take(1);
          const align = n === 0 || n === 0x30 ? 'left' : n === 1 || n === 0x31 ? 'center' : 'right';
          ops.push({ op: 'align', align });
          break;
        }
        case 0x45: {
          const [n = 0] = take(1);
          ops.push({ op: 'bold', on: (n & 1) === 1 });
          break;
        }
        case 0x21: {
          const [n = 0] = take(1);
          ops.push({ op: 'printMode', n });
          break;
        }
        case 0x64: {
          const [n = 0] = take(1);
          ops.push({ op: 'feed', lines: n });
          break;
        }
        case 0x70: {
          const [m = 0, t1 = 0, t2 = 0] = take(3);
          ops.push({
            op: 'drawerKick',
            pin: m === 0 || m === 0x30 ? 2 : 5,
            t1,
            t2,
            bytes: [0x1b, 0x70, m, t1, t2],
          });
          break;
        }
        default:
          throw new EscPosDecodeError(`Unknown command ESC 0x${cmd.toString(16)} at offset ${i - 2}`);
      }
      continue;
    }
    if (b === 0x1d) {
      const cmd = at(i + 1);
      i += 2;
      switch (cmd) {
        case 0x21: {
          const [n = 0] = take(1);
          ops.push({ op: 'size', width: (n >> 4) + 1, height: (n & 0x0f) + 1 });
          break;
        }
        case 0x56: {
          const [m = 0] = take(1);
          const bytes =
            m === 65 || m === 66 || m === 97 || m === 98 ? [0x1d, 0x56, m, ...take(1)] : [0x1d, 0x56, m];
          ops.push({ op: 'cut', bytes });
          break;
        }
        case 0x28: {
          const fnClass = at(i);
          if (fnClass !== 0x6b) throw new EscPosDecodeError(`Unsupported GS ( 0x${fnClass.toString(16)}`);
          i += 1;
          const [pL = 0, pH = 0] = take(2);
          const len = pL + pH * 256;
          const params = Uint8Array.from(take(len));
          ops.push({ op: 'qr', fn: (params[1] ?? 0) + 100, pL, pH, params });
          break;
        }
        case 0x6b: {
          const [m = 0] = take(1);
          if (m <= 6) {
            const data: number[] = [];
            while (at(i) !== 0) data.push(take(1)[0] ?? 0);
            i += 1;
            ops.push({ op: 'barcode', system: m, data: Uint8Array.from(data) });
          } else {
            const [n = 0] = take(1);
            ops.push({ op: 'barcode', system: m, data: Uint8Array.from(take(n)) });
          }
          break;
        }
        case 0x68:
        case 0x77:
        case 0x48:
        case 0x66: {
          const [value = 0] = take(1);
          const command = cmd === 0x68 ? 'height' : cmd === 0x77 ? 'width' : cmd === 0x48 ? 'hri' : 'hriFont';
          ops.push({ op: 'barcodeSetting', command, value });
          break;
        }
        case 0x76: {
          const [zero, mode = 0, xL = 0, xH = 0, yL = 0, yH = 0] = take(6);
          if (zero !== 0x30) throw new EscPosDecodeError('GS v must be GS v 0');
          const widthBytes = xL + xH * 256;
          const heightDots = yL + yH * 256;
          take(widthBytes * heightDots);
          ops.push({ op: 'raster', mode, widthBytes, heightDots });
          break;
        }
        default:
          throw new EscPosDecodeError(`Unknown command GS 0x${cmd.toString(16)} at offset ${i - 2}`);
      }
      continue;
    }
    if (b === 0x1c) {
      const cmd = at(i + 1);
      i += 2;
      if (cmd === 0x26) {
        chinese = true;
        ops.push({ op: 'chineseOn' });
      } else if (cmd === 0x2e) {
        chinese = false;
        ops.push({ op: 'chineseOff' });
      } else {
        throw new EscPosDecodeError(`Unknown command FS 0x${cmd.toString(16)} at offset ${i - 2}`);
      }
      continue;
    }
    if (b === 0x10) {
      const [, cmd, n = 0] = take(3);
      if (cmd !== 0x04) throw new EscPosDecodeError(`Unknown command DLE 0x${(cmd ?? 0).toString(16)}`);
      ops.push({ op: 'statusQuery', n });
      continue;
    }
    if (b < 0x20 || b === 0x7f) {
      throw new EscPosDecodeError(`Unexpected control byte 0x${b.toString(16)} at offset ${i}`);
    }
    // Text run: up to the next control byte (GB18030 lead and trail bytes are all >= 0x30).
    const start = i;
    while (i < buf.length && at(i) >= 0x20 && at(i) !== 0x7f) i += 1;
    const bytes = buf.slice(start, i);
    const text = chinese
      ? iconv.decode(Buffer.from(bytes), 'gb18030')
      : Buffer.from(bytes).toString('latin1');
    ops.push({ op: 'text', text, chinese, bytes });
  }

  return summarise(ops);
}

function summarise(ops: EscPosOp[]): Decoded {
  const lines: DecodedLine[] = [];
  const style = { align: 'left' as Align, bold: false, width: 1, height: 1 };
  let current: DecodedLine | null = null;
  let all = '';
  const qrData: string[] = [];
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
        if (op.fn === 180) qrData.push(Buffer.from(op.params.subarray(3)).toString('utf8'));
        break;
      case 'cut':
        cuts += 1;
        break;
      case 'printMode':
      case 'feed':
      case 'drawerKick':
      case 'chineseOn':
      case 'chineseOff':
      case 'barcode':
      case 'barcodeSetting':
      case 'raster':
      case 'statusQuery':
        break;
    }
  }
  if (current !== null) lines.push(current);
  return { ops, lines, text: all, qrData, cuts };
}
