import net from 'node:net';
import type { Duplex } from 'node:stream';
import { DriverError } from './errors';

/**
 * A byte pipe to a printer. The driver owns it (node-thermal-printer's interfaces never read status). Every failure
 * is a `DriverError` with code `device_offline` and the raw detail in `details.raw`.
 */
export interface PrinterTransport {
  /** Human-readable address for logs, e.g. `tcp://10.0.0.5:9100`. */
  readonly address: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** Resolves when the bytes are handed to the OS (after `drain` when the socket buffer was full). */
  write(buf: Uint8Array): Promise<void>;
  /** Reads exactly `n` bytes or fails with reason `timeout`. */
  read(n: number, timeoutMs: number): Promise<Uint8Array>;
  /** Drops stale input, writes `bytes`, then reads exactly `expectLen` bytes. */
  request(bytes: Uint8Array, expectLen: number, timeoutMs: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface TcpTransportOptions {
  host: string;
  port?: number;
  connectTimeoutMs?: number;
}

/** A serial port as this transport uses it (serialport's `SerialPort`, or `SerialPortMock` in tests). */
export type SerialPortLike = Duplex & {
  open(cb: (err: Error | null) => void): void;
  readonly isOpen: boolean;
};

export interface SerialTransportOptions {
  path: string;
  baudRate?: number;
  /** Creates the (not yet opened) port; defaults to serialport's `SerialPort` with `autoOpen: false`. */
  createPort?: (path: string, baudRate: number) => SerialPortLike | Promise<SerialPortLike>;
}

interface PendingRead {
  n: number;
  resolve: (b: Uint8Array) => void;
  reject: (e: DriverError) => void;
  timer: NodeJS.Timeout;
}

const offline = (reason: DriverError['reason'], message: string, raw: unknown): DriverError =>
  new DriverError('device_offline', reason, message, { raw: rawDetail(raw) });

function rawDetail(raw: unknown): string {
  if (raw instanceof Error) {
    const code = (raw as NodeJS.ErrnoException).code;
    return code !== undefined ? `${code}: ${raw.message}` : raw.message;
  }
  return String(raw);
}

/**
 * The byte handling shared by every stream transport: an input buffer, at most one pending read with a timeout,
 * writes that wait for `drain`, and every stream error turned into a `DriverError`.
 */
abstract class DuplexTransport implements PrinterTransport {
  abstract readonly address: string;
  private stream: Duplex | null = null;
  private rx: Buffer = Buffer.alloc(0);
  private pending: PendingRead | null = null;

  abstract open(): Promise<void>;

  get isOpen(): boolean {
    return this.stream !== null && !this.stream.destroyed;
  }

  protected attach(stream: Duplex): void {
    this.stream = stream;
    this.rx = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      this.rx = this.rx.length === 0 ? chunk : Buffer.concat([this.rx, chunk]);
      this.settleRead();
    });
    stream.on('error', (err) => {
      this.failRead(offline('socket_error', `Connection to ${this.address} failed`, err));
    });
    stream.on('close', () => {
      if (this.stream === stream) this.stream = null;
      this.failRead(offline('closed', `Connection to ${this.address} closed`, 'closed'));
    });
  }

  private settleRead(): void {
    const p = this.pending;
    if (p === null || this.rx.length < p.n) return;
    const out = new Uint8Array(this.rx.subarray(0, p.n));
    this.rx = this.rx.subarray(p.n);
    this.pending = null;
    clearTimeout(p.timer);
    p.resolve(out);
  }

  private failRead(err: DriverError): void {
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.reject(err);
  }

  private requireStream(): Duplex {
    if (this.stream === null || this.stream.destroyed) {
      throw offline('closed', `Connection to ${this.address} is not open`, 'not open');
    }
    return this.stream;
  }

  async write(buf: Uint8Array): Promise<void> {
    const stream = this.requireStream();
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = (err?: DriverError): void => {
        if (settled) return;
        settled = true;
        stream.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onClose = (): void =>
        done(offline('closed', `Connection to ${this.address} closed while writing`, 'closed'));
      stream.once('close', onClose);
      const flushed = stream.write(buf, (err) => {
        if (err) done(offline('socket_error', `Write to ${this.address} failed`, err));
        else if (flushed) done();
      });
      if (!flushed) stream.once('drain', () => done());
    });
  }

  async read(n: number, timeoutMs: number): Promise<Uint8Array> {
    if (this.pending !== null) throw new DriverError('internal', 'bad_input', 'A read is already pending');
    if (this.rx.length >= n) {
      const out = new Uint8Array(this.rx.subarray(0, n));
      this.rx = this.rx.subarray(n);
      return out;
    }
    this.requireStream();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failRead(
          new DriverError(
            'device_offline',
            'timeout',
            `${this.address} did not answer within ${timeoutMs} ms`,
            {
              raw: `timeout after ${timeoutMs} ms, ${this.rx.length}/${n} bytes`,
            },
          ),
        );
      }, timeoutMs);
      this.pending = { n, resolve, reject, timer };
    });
  }

  async request(bytes: Uint8Array, expectLen: number, timeoutMs: number): Promise<Uint8Array> {
    this.rx = Buffer.alloc(0);
    await this.write(bytes);
    return this.read(expectLen, timeoutMs);
  }

  close(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    this.failRead(offline('closed', `Connection to ${this.address} closed`, 'closed by driver'));
    if (stream === null || stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      stream.once('close', () => resolve());
      stream.destroy();
    });
  }
}

/** Raw TCP (JetDirect / port 9100) transport. */
export class TcpTransport extends DuplexTransport {
  readonly address: string;
  private readonly host: string;
  private readonly port: number;
  private readonly connectTimeoutMs: number;

  constructor(options: TcpTransportOptions) {
    super();
    this.host = options.host;
    this.port = options.port ?? 9100;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3000;
    this.address = `tcp://${this.host}:${this.port}`;
  }

  open(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const socket = new net.Socket();
      socket.setNoDelay(true);
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        socket.destroy();
        reject(
          offline(
            'connect_timeout',
            `No connection to ${this.address} within ${this.connectTimeoutMs} ms`,
            'connect timeout',
          ),
        );
      }, this.connectTimeoutMs);
      socket.once('connect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.attach(socket);
        resolve();
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        const reason = err.code === 'ECONNREFUSED' ? 'connect_refused' : 'socket_error';
        reject(offline(reason, `Cannot connect to ${this.address}`, err));
      });
      socket.connect(this.port, this.host);
    });
  }
}

/** Serial (RS-232 / USB CDC) transport over serialport. */
export class SerialTransport extends DuplexTransport {
  readonly address: string;
  private readonly path: string;
  private readonly baudRate: number;
  private readonly createPort: (path: string, baudRate: number) => SerialPortLike | Promise<SerialPortLike>;

  constructor(options: SerialTransportOptions) {
    super();
    this.path = options.path;
    this.baudRate = options.baudRate ?? 19200;
    // serialport is native: loaded on first open, so a missing binding fails this device only.
    this.createPort =
      options.createPort ??
      (async (path, baudRate) => {
        const { SerialPort } = await import('serialport');
        return new SerialPort({ path, baudRate, autoOpen: false });
      });
    this.address = `serial:${this.path}?baud=${this.baudRate}`;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    let port: SerialPortLike;
    try {
      port = await this.createPort(this.path, this.baudRate);
    } catch (e) {
      throw offline('socket_error', `Cannot create serial port ${this.address}`, e);
    }
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err) reject(offline('connect_refused', `Cannot open ${this.address}`, err));
        else resolve();
      });
    });
    this.attach(port);
  }
}
