import { DriverError } from '../../../drivers/printer/errors';
import type { PrinterStatus } from '../../../drivers/printer/escpos-status';
import { EscPosPrinter, drawerKickBytes, type PrintResult } from '../../../drivers/printer/printer';
import { StarLineBuilder } from '../../../drivers/printer/star-builder';
import type { PrinterTransport } from '../../../drivers/printer/transport';
import type { RenderOptions } from '../../../drivers/printer/document-renderer';
import type {
  DeviceState,
  DeviceStatus,
  DrawerConfig,
  PrinterConfig,
} from '../../../shared/ipc/channels/devices';

export interface PrinterDeviceOptions {
  config: PrinterConfig;
  drawer: DrawerConfig;
  transport: PrinterTransport;
  /** `tcp://127.0.0.1:9100`, or for the demo printer the simulator's address. */
  connection: string;
  simulated: boolean;
  now: () => Date;
  /** Called after every change of the printer's (or drawer's) status. */
  onChange: () => void;
  /** Longest wait between reconnect attempts while the printer is away. Default 30 s. */
  maxBackoffMs?: number;
}

/** Conditions under which a job may be sent. */
export const PRINTABLE = new Set(['ready', 'paper_near_end']);

/**
 * The configured receipt printer: the ESC/POS driver over its transport, a status poll while idle (every
 * `pollSeconds`; after a failure it backs off 1 s, 2 s, 4 s … up to 30 s, which is also the reconnect), and the
 * status in the shape the UI shows. Every print and kick goes through the driver's one-command-at-a-time queue.
 */
export class PrinterDevice {
  readonly driver: EscPosPrinter;
  readonly config: PrinterConfig;
  readonly drawer: DrawerConfig;
  readonly connection: string;
  readonly simulated: boolean;
  private state: DeviceState = 'starting';
  private reason: string | null = null;
  private last: PrinterStatus | null = null;
  private updatedAt: string;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  private polling: Promise<void> | null = null;
  private readonly readyListeners = new Set<() => void>();

  constructor(private readonly options: PrinterDeviceOptions) {
    this.config = options.config;
    this.drawer = options.drawer;
    this.connection = options.connection;
    this.simulated = options.simulated;
    this.updatedAt = options.now().toISOString();
    this.driver = new EscPosPrinter({
      transport: options.transport,
      statusTimeoutMs: options.config.statusTimeoutMs,
      drawerPolarity: options.drawer.polarity,
    });
  }

  /** Starts the idle status poll (the first poll runs at once). */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling?.catch(() => undefined);
    await this.driver.close().catch(() => undefined);
  }

  /** Called when the printer becomes able to print (after being unable): the print queue drains. */
  onReady(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** Whether the last status says a job can go (unknown counts as no). */
  get printable(): boolean {
    return this.state === 'online' && this.last !== null && PRINTABLE.has(this.last.condition);
  }

  get lastStatus(): PrinterStatus | null {
    return this.last;
  }

  renderOptions(copy: boolean, openDrawer: boolean): RenderOptions {
    return {
      type: this.config.type,
      paper: this.config.paper,
      copy,
      drawer:
        openDrawer && this.drawer.connection === 'printer'
          ? { pin: this.drawer.pin, pulse: { onMs: this.drawer.pulseOnMs, offMs: this.drawer.pulseOffMs } }
          : null,
    };
  }

  /** Reads status now (also what the self-test's internal check uses). */
  async pollNow(): Promise<PrinterStatus> {
    try {
      const status = await this.driver.status();
      this.observe(status);
      this.failures = 0;
      return status;
    } catch (err) {
      this.fail(err);
      throw err;
    }
  }

  async print(bytes: Uint8Array, idempotencyKey: string): Promise<PrintResult> {
    try {
      const result = await this.driver.print(bytes, { idempotencyKey });
      this.observe(result.statusAfter ?? result.statusBefore);
      return result;
    } catch (err) {
      this.fail(err);
      throw err;
    }
  }

  /** Opens the drawer on the printer's kick-out connector (`ESC p`, or Star's `ESC BEL … BEL/SUB`). */
  async kickDrawer(): Promise<void> {
    const pulse = { onMs: this.drawer.pulseOnMs, offMs: this.drawer.pulseOffMs };
    const bytes =
      this.config.type === 'epson'
        ? drawerKickBytes(this.drawer.pin, pulse)
        : new StarLineBuilder().drawerKick(this.drawer.pin, pulse).build();
    try {
      await this.driver.sendCommand(bytes);
    } catch (err) {
      this.fail(err);
      throw err;
    }
  }

  printerStatus(): DeviceStatus {
    return {
      id: 'printer',
      category: 'receipt_printer',
      connection: this.connection,
      simulated: this.simulated,
      state: this.state,
      condition: this.last?.condition ?? null,
      reason: this.reason,
      updatedAt: this.updatedAt,
    };
  }

  drawerStatus(): DeviceStatus {
    const known = this.state === 'online' && this.last !== null;
    return {
      id: 'drawer',
      category: 'cash_drawer',
      connection: `printer pin ${this.drawer.pin}`,
      simulated: this.simulated,
      state: this.state,
      condition: known ? (this.last!.drawerOpen ? 'open' : 'closed') : null,
      reason: this.reason,
      updatedAt: this.updatedAt,
    };
  }

  // --- internals ----------------------------------------------------------------------------------------------

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.polling = this.poll().finally(() => {
        this.polling = null;
      });
    }, ms);
    // Polling never keeps the process alive by itself.
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      await this.pollNow();
    } catch {
      // recorded by pollNow
    }
    this.schedule(this.nextPollMs());
  }

  private nextPollMs(): number {
    const maxBackoff = this.options.maxBackoffMs ?? 30_000;
    return this.failures === 0
      ? this.config.pollSeconds * 1000
      : Math.min(maxBackoff, 1000 * 2 ** Math.min(this.failures - 1, 10));
  }

  private observe(status: PrinterStatus): void {
    const wasPrintable = this.printable;
    const before = JSON.stringify([this.state, this.last?.condition, this.last?.drawerOpen, this.reason]);
    this.state = 'online';
    this.last = status;
    this.reason = PRINTABLE.has(status.condition) ? null : status.condition;
    this.changed(before);
    if (!wasPrintable && this.printable) for (const l of this.readyListeners) l();
  }

  private fail(err: unknown): void {
    const before = JSON.stringify([this.state, this.last?.condition, this.last?.drawerOpen, this.reason]);
    this.failures += 1;
    if (err instanceof DriverError) {
      const condition = err.details?.['condition'];
      if (typeof condition === 'string' && this.last !== null) {
        // Refused by status: the printer answered, so it is reachable; the condition says why.
        this.state = 'online';
        this.last = { ...this.last, condition: condition as PrinterStatus['condition'] };
        this.reason = condition;
        this.failures = 0;
      } else {
        this.state = 'offline';
        this.last = null;
        const raw = err.details?.['raw'];
        this.reason = `${err.reason}: ${typeof raw === 'string' ? raw : err.message}`;
      }
    } else {
      this.state = 'offline';
      this.last = null;
      this.reason = err instanceof Error ? err.message : String(err);
    }
    this.changed(before);
    // Lost during a print or kick: the reconnect attempts start now, not at the next idle poll.
    if (this.state === 'offline' && this.polling === null) this.schedule(this.nextPollMs());
  }

  private changed(before: string): void {
    const after = JSON.stringify([this.state, this.last?.condition, this.last?.drawerOpen, this.reason]);
    if (after === before) return;
    this.updatedAt = this.options.now().toISOString();
    this.options.onChange();
  }
}
