import fs from 'node:fs';
import { DriverError } from './errors';
import type { PrinterTransport } from './transport';

export interface UsbTransportOptions {
  /** The Linux USB printer class device, e.g. `/dev/usb/lp0` (the user needs the `lp` group). */
  path: string;
  /** How often a pending read looks for bytes (the device file is non-blocking). Default 10 ms. */
  pollMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function offline(reason: DriverError['reason'], message: string, err: unknown): DriverError {
  const e = err as NodeJS.ErrnoException;
  const raw = e instanceof Error ? (e.code ? `${e.code}: ${e.message}` : e.message) : String(err);
  return new DriverError('device_offline', reason, message, { raw });
}

const wouldBlock = (err: unknown): boolean => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
};

/**
 * The Linux USB printer device (`usblp`, `/dev/usb/lp*`): a character device opened read/write and
 * NON-BLOCKING, so a printer that never answers cannot park a libuv worker thread in `read(2)` forever; reads
 * poll until their timeout instead. Status answers (`DLE EOT`) come back on the same file.
 *
 * Unplugging the printer makes the next write or read fail (ENODEV / EIO): the file is closed and the next call
 * reopens it, which fails (ENOENT) until the printer is back.
 */
export class UsbTransport implements PrinterTransport {
  readonly address: string;
  private readonly path: string;
  private readonly pollMs: number;
  private fd: number | null = null;
  private rx: Buffer = Buffer.alloc(0);
  private reading = false;

  constructor(options: UsbTransportOptions) {
    this.path = options.path;
    this.pollMs = options.pollMs ?? 10;
    this.address = `usb:${this.path}`;
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  async open(): Promise<void> {
    if (this.fd !== null) return;
    const { O_RDWR, O_NONBLOCK, O_NOCTTY } = fs.constants;
    try {
      this.fd = await new Promise<number>((resolve, reject) =>
        fs.open(this.path, O_RDWR | O_NONBLOCK | O_NOCTTY, (err, fd) => (err ? reject(err) : resolve(fd))),
      );
    } catch (err) {
      throw offline('connect_refused', `Cannot open ${this.address}`, err);
    }
    this.rx = Buffer.alloc(0);
  }

  private requireFd(): number {
    if (this.fd === null) {
      throw new DriverError('device_offline', 'closed', `${this.address} is not open`, { raw: 'not open' });
    }
    return this.fd;
  }

  /** Fails the device: closes the file so the next call reopens it. */
  private async broken(err: unknown, what: string): Promise<never> {
    await this.close();
    throw offline('socket_error', `${what} ${this.address} failed`, err);
  }

  async write(buf: Uint8Array): Promise<void> {
    const fd = this.requireFd();
    let offset = 0;
    while (offset < buf.length) {
      try {
        offset += await new Promise<number>((resolve, reject) =>
          fs.write(fd, buf, offset, buf.length - offset, null, (err, n) => (err ? reject(err) : resolve(n))),
        );
      } catch (err) {
        // The printer's buffer is full: it drains as it prints.
        if (wouldBlock(err)) {
          await sleep(this.pollMs);
          continue;
        }
        return this.broken(err, 'Write to');
      }
    }
  }

  /** Reads what is there now, without waiting. */
  private async drain(): Promise<void> {
    const fd = this.requireFd();
    const chunk = Buffer.alloc(256);
    for (;;) {
      let n: number;
      try {
        n = await new Promise<number>((resolve, reject) =>
          fs.read(fd, chunk, 0, chunk.length, null, (err, got) => (err ? reject(err) : resolve(got))),
        );
      } catch (err) {
        if (wouldBlock(err)) return;
        return this.broken(err, 'Read from');
      }
      if (n === 0) return;
      this.rx = Buffer.concat([this.rx, chunk.subarray(0, n)]);
    }
  }

  async read(n: number, timeoutMs: number): Promise<Uint8Array> {
    if (this.reading) throw new DriverError('internal', 'bad_input', 'A read is already pending');
    this.reading = true;
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (this.rx.length >= n) {
          const out = new Uint8Array(this.rx.subarray(0, n));
          this.rx = this.rx.subarray(n);
          return out;
        }
        await this.drain();
        if (this.rx.length >= n) continue;
        if (Date.now() >= deadline) {
          throw new DriverError(
            'device_offline',
            'timeout',
            `${this.address} did not answer within ${timeoutMs} ms`,
            {
              raw: `timeout after ${timeoutMs} ms, ${this.rx.length}/${n} bytes`,
            },
          );
        }
        await sleep(this.pollMs);
      }
    } finally {
      this.reading = false;
    }
  }

  async request(bytes: Uint8Array, expectLen: number, timeoutMs: number): Promise<Uint8Array> {
    // A late answer to an earlier query must not be taken for this one.
    await this.drain();
    this.rx = Buffer.alloc(0);
    await this.write(bytes);
    return this.read(expectLen, timeoutMs);
  }

  async close(): Promise<void> {
    const fd = this.fd;
    this.fd = null;
    this.rx = Buffer.alloc(0);
    if (fd === null) return;
    await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
  }
}
