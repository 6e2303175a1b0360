import { DriverError } from './errors';
import {
  DLE_EOT,
  combineStatus,
  parseErrorCauseByte,
  parseOfflineCauseByte,
  parsePaperByte,
  parsePrinterByte,
  type DrawerPolarity,
  type PrinterStatus,
  type StatusQuery,
} from './escpos-status';
import type { PrinterTransport } from './transport';

export interface EscPosPrinterOptions {
  transport: PrinterTransport;
  /** How long to wait for each `DLE EOT` answer. */
  statusTimeoutMs?: number;
  drawerPolarity?: DrawerPolarity;
  /** How many idempotency keys to remember (oldest forgotten first). */
  rememberKeys?: number;
}

export interface PrintOptions {
  idempotencyKey: string;
}

export interface PrintResult {
  idempotencyKey: string;
  bytes: number;
  printedAt: string;
  statusBefore: PrinterStatus;
  /** Status read right after the job was sent, or null when that read failed (the job was still sent). */
  statusAfter: PrinterStatus | null;
  /** True when this call returned the result of an earlier call with the same key (nothing was sent). */
  replayed: boolean;
}

export interface DrawerPulse {
  /** ON time in ms (2..510, sent in 2 ms units). Default 50 ms. */
  onMs: number;
  /** OFF time in ms (2..510). Default 500 ms. */
  offMs: number;
}

export const DEFAULT_DRAWER_PULSE: DrawerPulse = { onMs: 50, offMs: 500 };

/** `ESC p m t1 t2`: always the full 5 bytes. */
export function drawerKickBytes(pin: 2 | 5, pulse: DrawerPulse = DEFAULT_DRAWER_PULSE): Uint8Array {
  const unit = (ms: number, what: string): number => {
    if (!Number.isFinite(ms) || ms < 2 || ms > 510) {
      throw new DriverError('bad_input', 'bad_input', `Drawer pulse ${what} must be 2..510 ms, got ${ms}`);
    }
    return Math.round(ms / 2);
  };
  return Uint8Array.of(0x1b, 0x70, pin === 2 ? 0x00 : 0x01, unit(pulse.onMs, 'on'), unit(pulse.offMs, 'off'));
}

type Outcome = { ok: true; result: PrintResult } | { ok: false; error: unknown };

/** Errors of prints that failed AFTER sending began: some bytes may be on paper. */
const SENT_FAILURES = new WeakSet<object>();

/**
 * Whether a failed `print` had started sending (the write failed midway): the print queue must not resend such a
 * job on its own. A failure before sending (refused by status, printer not answering) returns false.
 */
export function printMayHaveReachedPaper(err: unknown): boolean {
  return typeof err === 'object' && err !== null && SENT_FAILURES.has(err);
}

/**
 * An ESC/POS printer over a transport. One command at a time (every public call runs through one queue); the
 * transport is opened lazily, so a printer that comes back is used again on the next call.
 */
export class EscPosPrinter {
  private readonly transport: PrinterTransport;
  private readonly statusTimeoutMs: number;
  private readonly polarity: DrawerPolarity;
  private readonly rememberKeys: number;
  private queue: Promise<unknown> = Promise.resolve();
  /** Keys whose job was sent (or whose send failed midway, outcome unknown). */
  private readonly jobs = new Map<string, Promise<Outcome>>();

  constructor(options: EscPosPrinterOptions) {
    this.transport = options.transport;
    this.statusTimeoutMs = options.statusTimeoutMs ?? 1000;
    this.polarity = options.drawerPolarity ?? 'open_when_high';
    this.rememberKeys = options.rememberKeys ?? 1000;
  }

  get address(): string {
    return this.transport.address;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async ensureOpen(): Promise<void> {
    if (!this.transport.isOpen) await this.transport.open();
  }

  private async query(n: StatusQuery): Promise<number> {
    let answer: Uint8Array;
    try {
      answer = await this.transport.request(DLE_EOT(n), 1, this.statusTimeoutMs);
    } catch (e) {
      // A late answer would be taken for the next query's: drop the connection, the next call reopens it.
      if (e instanceof DriverError && e.reason === 'timeout') await this.transport.close();
      throw e;
    }
    const b = answer[0];
    if (b === undefined) {
      throw new DriverError('device_offline', 'protocol', `Empty answer to DLE EOT ${n}`, { raw: 'empty' });
    }
    return b;
  }

  private async readStatus(): Promise<PrinterStatus> {
    await this.ensureOpen();
    const printer = parsePrinterByte(await this.query(1));
    const offlineCause = parseOfflineCauseByte(await this.query(2));
    const errorCause = offlineCause.error ? parseErrorCauseByte(await this.query(3)) : null;
    const paper = parsePaperByte(await this.query(4));
    return combineStatus(printer, offlineCause, paper, errorCause, this.polarity);
  }

  /** Real-time status (`DLE EOT` 1, 2, 4, and 3 when an error is reported). Prints nothing. */
  status(): Promise<PrinterStatus> {
    return this.exclusive(() => this.readStatus());
  }

  /**
   * Sends a prepared ESC/POS job after checking status: paper out, cover open, offline or error → a typed error and
   * nothing is sent. A key seen before returns the earlier result (`replayed: true`) without sending; a key whose
   * send failed midway rethrows that failure (the outcome is unknown: reprint with a new key).
   */
  print(job: Uint8Array, options: PrintOptions): Promise<PrintResult> {
    const key = options.idempotencyKey;
    if (key.length === 0) {
      return Promise.reject(new DriverError('bad_input', 'bad_input', 'A print needs an idempotency key'));
    }
    const earlier = this.jobs.get(key);
    if (earlier !== undefined) {
      return earlier.then((o) => {
        if (o.ok) return { ...o.result, replayed: true };
        throw o.error;
      });
    }
    let sent = false;
    const outcome: Promise<Outcome> = this.exclusive(async () => {
      const statusBefore = await this.readStatus();
      refuseUnlessPrintable(statusBefore);
      sent = true;
      await this.transport.write(job);
      let statusAfter: PrinterStatus | null = null;
      try {
        statusAfter = await this.readStatus();
      } catch {
        statusAfter = null;
      }
      const result: PrintResult = {
        idempotencyKey: key,
        bytes: job.length,
        printedAt: new Date().toISOString(),
        statusBefore,
        statusAfter,
        replayed: false,
      };
      return result;
    }).then(
      (result): Outcome => ({ ok: true, result }),
      (error: unknown): Outcome => {
        // Refused before sending: the key is free for a retry.
        if (!sent) this.jobs.delete(key);
        else if (typeof error === 'object' && error !== null) SENT_FAILURES.add(error);
        return { ok: false, error };
      },
    );
    this.remember(key, outcome);
    return outcome.then((o) => {
      if (o.ok) return o.result;
      throw o.error;
    });
  }

  private remember(key: string, outcome: Promise<Outcome>): void {
    this.jobs.set(key, outcome);
    while (this.jobs.size > this.rememberKeys) {
      const oldest = this.jobs.keys().next();
      if (oldest.done === true) break;
      this.jobs.delete(oldest.value);
    }
  }

  /** `ESC p m t1 t2` on pin 2 (m=0) or pin 5 (m=1). */
  async kickDrawer(pin: 2 | 5, pulse: DrawerPulse = DEFAULT_DRAWER_PULSE): Promise<void> {
    const bytes = drawerKickBytes(pin, pulse);
    return this.exclusive(async () => {
      await this.ensureOpen();
      await this.transport.write(bytes);
    });
  }

  /** Sends prepared command bytes as they are (e.g. a Star Line Mode drawer kick), one command at a time. */
  async sendCommand(bytes: Uint8Array): Promise<void> {
    return this.exclusive(async () => {
      await this.ensureOpen();
      await this.transport.write(bytes);
    });
  }

  close(): Promise<void> {
    return this.exclusive(() => this.transport.close());
  }
}

function refuseUnlessPrintable(s: PrinterStatus): void {
  const details = { raw: s.raw, condition: s.condition };
  switch (s.condition) {
    case 'ready':
    case 'paper_near_end':
      return;
    case 'paper_out':
      throw new DriverError('paper_out', 'paper_out', 'The printer is out of paper', details);
    case 'cover_open':
      throw new DriverError('cover_open', 'cover_open', 'The printer cover is open', details);
    case 'error':
      throw new DriverError('device_offline', 'printer_error', 'The printer reports an error', details);
    case 'offline':
      throw new DriverError('device_offline', 'offline', 'The printer is offline', details);
  }
}
