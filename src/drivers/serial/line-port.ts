import { EventEmitter } from 'node:events';
import { realpath } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import {
  Backoff,
  InputDeviceError,
  errorText,
  rawHex,
  statusNow,
  type BackoffOptions,
  type DeviceStatus,
} from './device-status';

/** A serial port as this module uses it: serialport's `SerialPort` or `SerialPortMock` (tests). */
export type SerialPortLike = Duplex & {
  open(cb: (err: Error | null) => void): void;
  close(cb?: (err: Error | null) => void): void;
  drain(cb: (err: Error | null) => void): void;
  readonly isOpen: boolean;
};

export interface SerialPortInfo {
  path: string;
  vendorId?: string | undefined;
  productId?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
}

/** How a serial device is reached. Injected so tests use `@serialport/binding-mock`. */
export interface SerialAccess {
  /** Creates the (not yet opened) port. */
  createPort(path: string, baudRate: number): SerialPortLike | Promise<SerialPortLike>;
  /** Lists the ports present now (the presence check before reconnecting). */
  list(): Promise<SerialPortInfo[]>;
}

/** serialport itself, loaded on first use: a missing native binding makes this device unavailable, nothing else. */
export const nativeSerialAccess: SerialAccess = {
  async createPort(path, baudRate) {
    const { SerialPort } = await import('serialport');
    return new SerialPort({ path, baudRate, autoOpen: false });
  },
  async list() {
    const { SerialPort } = await import('serialport');
    return SerialPort.list();
  },
};

export interface SerialLinePortOptions {
  path: string;
  baudRate?: number;
  access?: SerialAccess;
  backoff?: BackoffOptions;
  /** Longest line kept while waiting for CR/LF; beyond it the line is dropped with an `overlong` error. */
  maxLineLength?: number;
  /**
   * Card readers set this: errors then carry only the length of the bad data, never the bytes (they could be track
   * data, which must not reach a log).
   */
  redactRaw?: boolean;
}

interface LinePortEvents {
  line: [line: string];
  error: [error: InputDeviceError];
  status: [status: DeviceStatus];
}

const CR = 0x0d;
const LF = 0x0a;
const GS = 0x1d;
const isLineByte = (b: number): boolean => b === GS || (b >= 0x20 && b <= 0x7e);

/**
 * A serial device that sends CR/LF-terminated ASCII lines (scanners, magstripe readers in serial mode) and may take
 * bytes (pole displays). It owns the port: opens it, splits lines, turns bad data into typed `error` events (the
 * line is dropped, nothing crashes, the buffer stays bounded), and when the port goes away reports `disconnected`
 * and reopens it with backoff once it is listed again. A port that is present but cannot be opened (held by another
 * program, no permission) is `unavailable` with the reason, and retried with the same backoff.
 *
 * The `error` event always has a listener (this class adds one), so an unhandled bad line never throws.
 */
export class SerialLinePort extends EventEmitter<LinePortEvents> {
  readonly path: string;
  readonly baudRate: number;
  private readonly access: SerialAccess;
  private readonly backoff: Backoff;
  private readonly maxLineLength: number;
  private readonly redactRaw: boolean;
  private port: SerialPortLike | null = null;
  private line: number[] = [];
  private lineHasGarbage = false;
  private discarding = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = true;
  private current: DeviceStatus = statusNow('closed');

  constructor(options: SerialLinePortOptions) {
    super();
    this.path = options.path;
    this.baudRate = options.baudRate ?? 9600;
    this.access = options.access ?? nativeSerialAccess;
    this.backoff = new Backoff(options.backoff);
    this.maxLineLength = options.maxLineLength ?? 1024;
    this.redactRaw = options.redactRaw ?? false;
    this.on('error', () => undefined);
  }

  get status(): DeviceStatus {
    return this.current;
  }

  /** Bytes held while waiting for a terminator (bounded by `maxLineLength`). */
  get pendingLength(): number {
    return this.line.length;
  }

  /** Starts (and keeps) the port open. Resolves with the status after the first attempt; never rejects. */
  async open(): Promise<DeviceStatus> {
    if (!this.closed) return this.current;
    this.closed = false;
    await this.connect();
    return this.current;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const port = this.port;
    this.port = null;
    this.clearLine();
    if (port !== null && port.isOpen) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    this.setStatus('closed', null);
  }

  /** Writes bytes (pole display). Fails with a typed error when the port is not connected. */
  write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (port === null || !port.isOpen) {
      return Promise.reject(
        new InputDeviceError('device_offline', 'not_open', `Serial port ${this.path} is not connected`, {
          state: this.current.state,
        }),
      );
    }
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes), (err) => {
        if (err) {
          reject(
            new InputDeviceError('device_offline', 'write_failed', `Write to ${this.path} failed`, {
              raw: errorText(err),
            }),
          );
          return;
        }
        port.drain(() => resolve());
      });
    });
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    if (this.closed) return;
    let present: boolean;
    try {
      present = await this.isPresent();
    } catch (e) {
      this.setStatus('unavailable', `Cannot list serial ports: ${errorText(e)}`);
      this.scheduleRetry();
      return;
    }
    if (this.closed) return;
    if (!present) {
      this.setStatus('disconnected', `${this.path} is not present`);
      this.scheduleRetry();
      return;
    }
    let port: SerialPortLike;
    try {
      port = await this.access.createPort(this.path, this.baudRate);
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (e) {
      // Present but not openable: held by another program (EBUSY / lock), no permission (EACCES), bad settings.
      this.setStatus('unavailable', `Cannot open ${this.path}: ${errorText(e)}`);
      this.scheduleRetry();
      return;
    }
    if (this.closed) {
      port.close();
      return;
    }
    this.attach(port);
    this.backoff.reset();
    this.setStatus('connected', null);
  }

  /**
   * Listed now? A configured `/dev/serial/by-id/…` path is a symlink that `SerialPort.list()` does not show (it lists
   * `/dev/ttyACM0`), so the link is resolved first; the link disappears while the device is unplugged.
   */
  private async isPresent(): Promise<boolean> {
    const listed = (await this.access.list()).map((p) => p.path);
    if (listed.includes(this.path)) return true;
    const target = await realpath(this.path).catch(() => null);
    return target !== null && target !== this.path && listed.includes(target);
  }

  private attach(port: SerialPortLike): void {
    this.port = port;
    this.clearLine();
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    // serialport emits 'error' before a disconnect close; the close is what we act on.
    port.on('error', () => undefined);
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      if (this.port !== port) return;
      this.port = null;
      this.clearLine();
      if (this.closed) return;
      this.setStatus(
        'disconnected',
        err ? `${this.path} went away: ${errorText(err)}` : `${this.path} closed`,
      );
      this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => void this.connect(), this.backoff.delay());
  }

  private setStatus(state: DeviceStatus['state'], reason: string | null): void {
    // The first reason of a disconnect is the telling one; later retries only repeat "not present".
    if (this.current.state === state && (state !== 'unavailable' || this.current.reason === reason)) return;
    this.current = statusNow(state, reason);
    this.emit('status', this.current);
  }

  private receive(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (b === CR || b === LF) {
        this.endLine();
        continue;
      }
      if (this.discarding) continue;
      if (this.line.length >= this.maxLineLength) {
        this.fail('overlong', `More than ${this.maxLineLength} bytes from ${this.path} without CR/LF`);
        this.discarding = true;
        continue;
      }
      if (!isLineByte(b)) this.lineHasGarbage = true;
      this.line.push(b);
    }
  }

  private endLine(): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    if (this.line.length === 0) return;
    if (this.lineHasGarbage) {
      this.fail('garbage', `Unreadable bytes from ${this.path}`);
      return;
    }
    const text = String.fromCharCode(...this.line);
    this.clearLine();
    this.emit('line', text);
  }

  private fail(reason: 'garbage' | 'overlong', message: string): void {
    const bytes = Uint8Array.from(this.line);
    this.clearLine();
    const details = this.redactRaw ? { length: bytes.length } : { raw: rawHex(bytes), length: bytes.length };
    this.emit('error', new InputDeviceError('bad_input', reason, message, details));
    bytes.fill(0);
  }

  private clearLine(): void {
    this.line.fill(0);
    this.line = [];
    this.lineHasGarbage = false;
  }
}
