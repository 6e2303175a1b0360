import { randomBytes, randomUUID } from 'node:crypto';
import { MIN_INTERVAL_MS } from '../../../drivers/discovery/discovery';
import { listDevices, type DeviceListers } from '../../../drivers/discovery/list-devices';
import { DEMO_DRAWER, EscPosSimulator } from '../../../drivers/printer/simulator';
import { AppError } from '../../../shared/domain/errors';
import { PaperRoll, type PaperReceipt } from '../../../drivers/printer/paper-roll';
import { TcpTransport, SerialTransport, type PrinterTransport } from '../../../drivers/printer/transport';
import { UsbTransport } from '../../../drivers/printer/usb-transport';
import {
  formatPrinterConnection,
  parsePrinterConnection,
  type DeviceConfig,
  type DeviceListing,
  type DeviceStatus,
  type PrintJob,
} from '../../../shared/ipc/channels/devices';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import type { PrintingService } from '../printing/printing-service';
import { localTime } from '../selftest/self-test';
import { testPageDocument } from '../selftest/test-page';
import { DeviceConfigRepo, parseDeviceConfig, type StoredDeviceConfig } from './device-config';
import { PrinterDevice } from './printer-device';

/**
 * A device the manager lists besides the printer and drawer (scanner, card reader, display, the self-test's
 * additions): it reports its status and is stopped with the others. Call `DeviceManager.notify()` when its
 * status changes.
 */
export interface ManagedDevice {
  readonly id: string;
  status(): DeviceStatus;
  stop?(): Promise<void>;
  /** A health check that refreshes the status (the payment terminal's nexo diagnosis), bounded by `timeoutMs`. */
  check?(timeoutMs: number): Promise<unknown>;
}

export interface DeviceManagerDeps {
  db: Db;
  clock: Clock;
  events: StationEvents;
  journal: Journal;
  printing: PrintingService;
}

export interface DeviceStartOptions {
  /** Where the demo printer listens when the printer is `simulated` (default 127.0.0.1, a free port). */
  simulatorPort?: number;
  /** Reconnect backoff cap (tests shorten it). */
  maxBackoffMs?: number;
  /**
   * The demo printer's drawer is closed again this long after a kick, as if by a person (default 3 s); null
   * leaves it open until the self-test's "close the drawer" simulator control closes it.
   */
  demoDrawerCloseMs?: number | null;
}

/**
 * The station's devices: reads the configuration (SQLite, or a `--devices` file stored there), opens the
 * receipt printer on its transport — or starts the loopback printer simulator as the demo printer — and keeps
 * every device's status, pushed to the UI as `devices:changed`. A device that cannot be reached or loaded shows
 * `offline` / `unavailable` with the reason; the station runs on regardless.
 */
export class DeviceManager {
  readonly configs: DeviceConfigRepo;
  private printerDevice: PrinterDevice | null = null;
  private simulator: EscPosSimulator | null = null;
  private paper: PaperRoll | null = null;
  private printerPlaceholder: DeviceStatus | null = null;
  private readonly others = new Map<string, ManagedDevice>();
  private readonly appliedListeners = new Set<(config: DeviceConfig) => Promise<void>>();
  private lastEmitted = '';
  private startOptions: DeviceStartOptions = {};
  private applying: Promise<void> = Promise.resolve();
  private started = false;
  private listers: DeviceListers = {};
  private listing: { at: number; value: Promise<DeviceListing> } | null = null;

  constructor(private readonly deps: DeviceManagerDeps) {
    this.configs = new DeviceConfigRepo(deps.db);
  }

  get printer(): PrinterDevice | null {
    return this.printerDevice;
  }

  /** The demo printer (only when the printer is `simulated`): tests and the self-test can script its state. */
  get demoPrinter(): EscPosSimulator | null {
    return this.simulator;
  }

  config(): StoredDeviceConfig {
    return this.configs.get();
  }

  /** Validates, stores (audited in the same transaction) and applies a configuration. */
  async configure(
    input: unknown,
    source: 'channel' | 'file',
    userId: string | null,
  ): Promise<StoredDeviceConfig> {
    const config = parseDeviceConfig(input, source === 'file' ? 'device file' : 'device configuration');
    const at = this.deps.clock.now();
    this.deps.db.transaction(() => {
      this.configs.set(config, source, userId, at);
      this.deps.journal.audit({ at, userId, action: 'devices.configured', details: { source, config } });
    })();
    // Before start() (a --devices file at launch) the configuration is only stored: start() opens it.
    if (this.started) await this.apply();
    return this.configs.get();
  }

  /** Opens the configured devices. Never throws for a device problem: it shows in the device's status. */
  async start(options: DeviceStartOptions = {}): Promise<void> {
    this.startOptions = options;
    this.started = true;
    this.deps.printing.recoverInterrupted();
    await this.apply();
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.applying.catch(() => undefined);
    await this.stopPrinter();
    for (const d of this.others.values()) await d.stop?.().catch(() => undefined);
  }

  /**
   * Runs after each application of the configuration (start, every change), once the printer is opened: the
   * owners of the other devices (the input-device hub) open theirs from the same configuration.
   */
  onApplied(listener: (config: DeviceConfig) => Promise<void>): () => void {
    this.appliedListeners.add(listener);
    return () => this.appliedListeners.delete(listener);
  }

  register(device: ManagedDevice): void {
    this.others.set(device.id, device);
    this.notify();
  }

  /** Removes a listed device (its owner detached it). */
  unregister(id: string): void {
    if (this.others.delete(id)) this.notify();
  }

  /** A listed device other than the printer and drawer, by id. */
  device(id: string): ManagedDevice | null {
    return this.others.get(id) ?? null;
  }

  statuses(): DeviceStatus[] {
    const list: DeviceStatus[] = [];
    if (this.printerDevice) list.push(this.printerDevice.printerStatus(), this.printerDevice.drawerStatus());
    else if (this.printerPlaceholder) list.push(this.printerPlaceholder);
    for (const d of this.others.values()) list.push(d.status());
    return list;
  }

  /** Pushes `devices:changed` when anything differs from what was last pushed. */
  notify(): void {
    const devices = this.statuses();
    const key = JSON.stringify(devices);
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    this.deps.events.emit('devices:changed', { devices });
  }

  /**
   * What is plugged in: serial ports, HID devices, USB printer files. A native module that does not load leaves
   * its transport empty with the reason. At most one listing a second (HID listing walks the USB bus).
   */
  discover(): Promise<DeviceListing> {
    const now = Date.now();
    if (this.listing && now - this.listing.at < MIN_INTERVAL_MS) return this.listing.value;
    const value = listDevices(this.listers).then((l) => ({
      ...l,
      listedAt: this.deps.clock.now().toISOString(),
    }));
    this.listing = { at: now, value };
    return value;
  }

  /** Replaces the listers `discover()` uses (tests: fake node-hid, a serial list, a missing module). */
  useListers(listers: DeviceListers): void {
    this.listers = listers;
    this.listing = null;
  }

  /**
   * Prints the self-test's test page on the configured printer through the print queue (queued and audited in
   * one transaction), so the technician sees the setting work right after saving it.
   */
  testPrint(stationId: string, userId: string | null): PrintJob {
    const printer = this.printerDevice;
    if (!printer) {
      const status = this.printerPlaceholder;
      throw new AppError(
        'device_offline',
        status?.state === 'disabled'
          ? 'No printer is configured.'
          : `The printer is not available${status?.reason ? `: ${status.reason}` : ''}.`,
        { device: 'printer' },
        'call_technician',
      );
    }
    const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
    const testCode = `TEST-${Array.from(randomBytes(6), (b) => alphabet[b % alphabet.length]).join('')}`;
    const at = this.deps.clock.now();
    const doc = testPageDocument({
      runId: randomUUID(),
      stationId,
      time: localTime(at),
      printer: {
        connection: printer.connection,
        type: printer.config.type === 'epson' ? 'ESC/POS' : 'Star',
        paper: printer.config.paper,
        condition: printer.lastStatus?.condition ?? 'unknown',
      },
      testCode,
    });
    const queue = this.deps.printing.queue;
    const jobId = this.deps.db.transaction(() => {
      const id = queue.insert(doc, { copy: false, userId, at });
      this.deps.journal.audit({
        at,
        userId,
        action: 'devices.test_printed',
        details: { jobId: id, connection: printer.connection },
      });
      return id;
    })();
    const job = queue.get(jobId)!;
    this.deps.events.emit('printing:job-changed', { job });
    this.deps.printing.kick(true);
    return job;
  }

  /** The demo printer's last receipts, newest first; null with a real printer. */
  paperStrip(limit: number): PaperReceipt[] | null {
    return this.paper?.latest(limit) ?? null;
  }

  // --- internals ----------------------------------------------------------------------------------------------

  private apply(): Promise<void> {
    const run = this.applying.catch(() => undefined).then(() => this.applyNow());
    this.applying = run;
    return run;
  }

  private async applyNow(): Promise<void> {
    await this.stopPrinter();
    const { config } = this.configs.get();
    await this.startPrinter(config);
    for (const listener of this.appliedListeners) await listener(config).catch(() => undefined);
    this.notify();
  }

  private async stopPrinter(): Promise<void> {
    this.deps.printing.attachPrinter(null);
    const device = this.printerDevice;
    this.printerDevice = null;
    await device?.stop();
    const sim = this.simulator;
    this.simulator = null;
    this.paper = null;
    await sim?.close();
  }

  private placeholder(state: DeviceStatus['state'], connection: string, reason: string | null): void {
    this.printerPlaceholder = {
      id: 'printer',
      category: 'receipt_printer',
      connection,
      simulated: false,
      state,
      condition: null,
      reason,
      updatedAt: this.deps.clock.now().toISOString(),
    };
  }

  private async startPrinter(config: DeviceConfig): Promise<void> {
    const parsed = parsePrinterConnection(config.printer.connection);
    if (typeof parsed === 'string') {
      this.placeholder('unavailable', config.printer.connection, parsed);
      return;
    }
    const connection = formatPrinterConnection(parsed);
    let transport: PrinterTransport;
    let simulated = false;
    switch (parsed.kind) {
      case 'none':
        this.placeholder('disabled', 'none', null);
        return;
      case 'simulated': {
        try {
          this.simulator = await EscPosSimulator.start({
            port: this.startOptions.simulatorPort ?? 0,
            dialect: config.printer.type,
            // The demo drawer is wired as configured, so the pin and polarity settings behave as on a till.
            drawer:
              config.drawer.connection === 'printer'
                ? {
                    pin: config.drawer.pin,
                    polarity: config.drawer.polarity,
                    autoCloseMs:
                      this.startOptions.demoDrawerCloseMs === undefined
                        ? DEMO_DRAWER.autoCloseMs
                        : this.startOptions.demoDrawerCloseMs,
                  }
                : undefined,
          });
        } catch (err) {
          this.placeholder(
            'unavailable',
            'simulated',
            `The demo printer could not start: ${(err as Error).message}`,
          );
          return;
        }
        this.paper = new PaperRoll(this.simulator.device, config.printer.type, 50, () =>
          this.deps.clock.now(),
        );
        transport = new TcpTransport({ host: this.simulator.host, port: this.simulator.port });
        simulated = true;
        break;
      }
      case 'tcp':
        transport = new TcpTransport({ host: parsed.host, port: parsed.port });
        break;
      case 'serial':
        // serialport is native: when it cannot load, the printer is unavailable (the station still runs).
        try {
          await import('serialport');
        } catch (err) {
          this.placeholder('unavailable', connection, `serialport cannot load: ${(err as Error).message}`);
          return;
        }
        transport = new SerialTransport({ path: parsed.path, baudRate: parsed.baudRate });
        break;
      case 'usb':
        transport = new UsbTransport({ path: parsed.path });
        break;
    }
    this.printerPlaceholder = null;
    const device = new PrinterDevice({
      config: config.printer,
      drawer: config.drawer,
      transport,
      connection: simulated && this.simulator ? `simulated (${this.simulator.address})` : connection,
      simulated,
      now: () => this.deps.clock.now(),
      onChange: () => this.notify(),
      ...(this.startOptions.maxBackoffMs !== undefined
        ? { maxBackoffMs: this.startOptions.maxBackoffMs }
        : {}),
    });
    this.printerDevice = device;
    this.deps.printing.attachPrinter(device);
    device.start();
  }
}
