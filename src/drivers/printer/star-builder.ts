import iconv from 'iconv-lite';
import thermal from 'node-thermal-printer';
import { DriverError } from './errors';
import type { DrawerPulse } from './printer';
import type { Align, ReceiptBytesBuilder } from './receipt-builder';

/**
 * Star Line Mode bytes for Star receipt printers (TSP100/TSP650/mC-Print in Star mode). The command table comes
 * from node-thermal-printer's STAR type (its buffer API: alignment, emphasis, character size, CODE128, init);
 * raw buffers replace it where 4.6.1 is wrong or missing:
 *
 * - Chinese: `ESC p` (Chinese character mode) + GB18030 + `ESC q`. Never `FS &`: in Star Line Mode `FS` fires
 *   the drawer, and node-thermal-printer's `append` would re-encode every CJK character through code pages;
 * - QR: the library never sends the data command `ESC GS y D 1 m nL nH` and counts UTF-16 units, so it is
 *   built here with the BYTE length;
 * - cut: one `ESC d 3` (feed and partial cut), without the library's vertical tabs and trailing `ESC @`;
 * - drawer: `ESC BEL n1 n2` (pulse in 10 ms units) then `BEL` (drawer 1, pin 2) or `SUB` (drawer 2, pin 5);
 *   the library always kicks drawer 1 with a fixed pulse.
 */
const ESC = 0x1b;
const GS = 0x1d;

export class StarLineBuilder implements ReceiptBytesBuilder {
  private readonly printer = new thermal.ThermalPrinter({
    type: thermal.PrinterTypes.STAR,
    // No interface: only the buffer is used; the driver owns the transport.
    interface: '',
  });

  private add(bytes: ArrayLike<number>): this {
    this.printer.add(Buffer.from(Uint8Array.from(bytes)));
    return this;
  }

  /** `ESC @` (the library's `initHardware` is not in its type definitions). */
  init(): this {
    return this.add([ESC, 0x40]);
  }

  align(a: Align): this {
    if (a === 'left') this.printer.alignLeft();
    else if (a === 'center') this.printer.alignCenter();
    else this.printer.alignRight();
    return this;
  }

  bold(on: boolean): this {
    this.printer.bold(on);
    return this;
  }

  /** Star has normal and double (width and height); the documents use 1 or 2. */
  size(width: number, height: number): this {
    if (width >= 2 || height >= 2) this.printer.setTextQuadArea();
    else this.printer.setTextNormal();
    return this;
  }

  text(s: string): this {
    for (const run of s.match(/[\x20-\x7e]+|[^\x20-\x7e]+/g) ?? []) {
      if (/^[\x20-\x7e]+$/.test(run)) {
        this.add(Buffer.from(run, 'ascii'));
      } else {
        const printable = Array.from(run, (ch) =>
          (ch.codePointAt(0) ?? 0) < 0x20 || ch === '\x7f' ? ' ' : ch,
        ).join('');
        this.add([ESC, 0x70]);
        this.add(iconv.encode(printable, 'gb18030'));
        this.add([ESC, 0x71]);
      }
    }
    return this;
  }

  line(s = ''): this {
    this.text(s);
    this.printer.newLine();
    return this;
  }

  feed(lines: number): this {
    for (let i = 0; i < Math.max(0, Math.min(20, Math.round(lines))); i++) this.printer.newLine();
    return this;
  }

  /** QR model 2, correction M: `ESC GS y S 0 2`, `ESC GS y S 1 1`, `ESC GS y S 2 n`, data, `ESC GS y P`. */
  qr(text: string, moduleSize = 6): this {
    const data = Buffer.from(text, 'utf8');
    if (data.length > 7089) throw new RangeError('QR data too long');
    const cell = Math.min(8, Math.max(1, Math.round(moduleSize)));
    this.add([ESC, GS, 0x79, 0x53, 0x30, 0x02]);
    this.add([ESC, GS, 0x79, 0x53, 0x31, 0x01]);
    this.add([ESC, GS, 0x79, 0x53, 0x32, cell]);
    this.add([ESC, GS, 0x79, 0x44, 0x31, 0x00, data.length & 0xff, data.length >> 8]);
    this.add(data);
    return this.add([ESC, GS, 0x79, 0x50]);
  }

  /** CODE128 through the library (`ESC b 6 2 2 h data RS`: HRI below, medium modules). */
  code128(data: string, height = 80): this {
    if (!/^[\x20-\x7e]+$/.test(data)) throw new RangeError('CODE128 takes printable ASCII only');
    this.printer.code128(data, { text: 2, width: 'MEDIUM', height: Math.min(255, Math.max(1, height)) });
    return this;
  }

  drawerKick(pin: 2 | 5, pulse: DrawerPulse): this {
    const unit = (ms: number, what: string): number => {
      if (!Number.isFinite(ms) || ms < 10 || ms > 2550) {
        throw new DriverError(
          'bad_input',
          'bad_input',
          `Star drawer pulse ${what} must be 10..2550 ms, got ${ms}`,
        );
      }
      return Math.round(ms / 10);
    };
    return this.add([ESC, 0x07, unit(pulse.onMs, 'on'), unit(pulse.offMs, 'off'), pin === 2 ? 0x07 : 0x1a]);
  }

  cut(): this {
    return this.add([ESC, 0x64, 0x03]);
  }

  build(): Uint8Array {
    const buffer = this.printer.getBuffer() as Buffer | null;
    return buffer === null ? new Uint8Array(0) : new Uint8Array(buffer);
  }
}
