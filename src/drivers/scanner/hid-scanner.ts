import { MAX_SCAN_LENGTH } from '../../shared/domain/scan-event';
import {
  HID_USAGE_PAGE_BARCODE_SCANNER,
  hex4,
  loadNativeHid,
  tryLoadHid,
  type HidDeviceHandle,
  type HidDeviceInfo,
  type HidLoader,
  type NodeHidModule,
} from '../hid/node-hid';
import {
  Backoff,
  InputDeviceError,
  errorText,
  rawHex,
  statusNow,
  type BackoffOptions,
  type DeviceStatus,
} from '../serial/device-status';
import {
  DEFAULT_HID_POS_LAYOUT,
  HidPosAssembler,
  parseHidPosReport,
  type HidPosLayout,
} from './hid-pos-report';
import { ScannerBase, UnavailableScanner, type Scanner } from './scanner';

export interface HidScannerOptions {
  hid: NodeHidModule;
  vendorId: number;
  productId: number;
  /** Pick one of several identical scanners. */
  serialNumber?: string;
  layout?: Partial<HidPosLayout>;
  backoff?: BackoffOptions;
  /** A multi-report read whose next report does not come within this time is dropped. Default 1000 ms. */
  assemblyTimeoutMs?: number;
}

/**
 * A USB HID POS scanner (usage page 0x8C) read with node-hid. Reports are parsed and multi-report barcodes joined;
 * a short or malformed report is an `error` event with the raw bytes (the read is dropped). When the device goes
 * away (node-hid `error`), the scanner reports `disconnected`, then looks for the device again with backoff —
 * `HID.devices()` walks the USB bus, so it is never called in a tight loop — and reopens it when it is listed.
 */
export class HidScanner extends ScannerBase implements Scanner {
  readonly source = 'hid' as const;
  readonly deviceId: string;
  private readonly hid: NodeHidModule;
  private readonly options: HidScannerOptions;
  private readonly layout: HidPosLayout;
  private readonly backoff: Backoff;
  private readonly assembler = new HidPosAssembler(MAX_SCAN_LENGTH);
  private readonly assemblyTimeoutMs: number;
  private handle: HidDeviceHandle | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private assemblyTimer: NodeJS.Timeout | null = null;
  private closed = true;

  constructor(options: HidScannerOptions) {
    super();
    this.hid = options.hid;
    this.options = options;
    this.layout = { ...DEFAULT_HID_POS_LAYOUT, ...options.layout };
    this.backoff = new Backoff(options.backoff);
    this.assemblyTimeoutMs = options.assemblyTimeoutMs ?? 1000;
    this.deviceId = `hid:${hex4(options.vendorId)}:${hex4(options.productId)}`;
  }

  open(): Promise<DeviceStatus> {
    if (this.closed) {
      this.closed = false;
      this.connect();
    }
    return Promise.resolve(this.current);
  }

  close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.dropHandle();
    this.setStatus(statusNow('closed'));
    return Promise.resolve();
  }

  private find(list: HidDeviceInfo[]): HidDeviceInfo | undefined {
    const { vendorId, productId, serialNumber } = this.options;
    return list.find(
      (d) =>
        d.vendorId === vendorId &&
        d.productId === productId &&
        d.path !== undefined &&
        // A composite scanner also lists a keyboard interface; only the POS interface sends these reports.
        (d.usagePage === undefined || d.usagePage === HID_USAGE_PAGE_BARCODE_SCANNER) &&
        (serialNumber === undefined || d.serialNumber === serialNumber),
    );
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.closed) return;
    let info: HidDeviceInfo | undefined;
    try {
      info = this.find(this.hid.devices());
    } catch (e) {
      this.setStatus(statusNow('unavailable', `Cannot list HID devices: ${errorText(e)}`));
      this.scheduleRetry();
      return;
    }
    if (info?.path === undefined) {
      this.setStatus(statusNow('disconnected', `${this.deviceId} is not plugged in`));
      this.scheduleRetry();
      return;
    }
    let handle: HidDeviceHandle;
    try {
      handle = new this.hid.HID(info.path);
    } catch (e) {
      // Listed but not openable: on Linux usually a missing udev rule (permission on /dev/hidraw*).
      this.setStatus(
        statusNow('unavailable', `Cannot open ${this.deviceId} (${info.path}): ${errorText(e)}`),
      );
      this.scheduleRetry();
      return;
    }
    this.handle = handle;
    handle.on('data', (report) => this.receive(report));
    handle.on('error', (err) => {
      if (this.handle !== handle) return;
      this.dropHandle();
      if (this.closed) return;
      this.setStatus(statusNow('disconnected', `${this.deviceId} went away: ${errorText(err)}`));
      this.scheduleRetry();
    });
    this.backoff.reset();
    this.setStatus(statusNow('connected'));
  }

  private dropHandle(): void {
    this.clearAssembly();
    const handle = this.handle;
    this.handle = null;
    if (handle === null) return;
    handle.removeAllListeners('data');
    // Keep an error listener: node-hid may still emit after close, and an unhandled 'error' would throw.
    handle.removeAllListeners('error');
    handle.on('error', () => undefined);
    try {
      handle.close();
    } catch {
      // Closing a device that was unplugged fails on some platforms; it is gone either way.
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => this.connect(), this.backoff.delay());
  }

  private clearAssembly(): void {
    if (this.assemblyTimer !== null) clearTimeout(this.assemblyTimer);
    this.assemblyTimer = null;
    this.assembler.reset();
  }

  private fail(problem: InputDeviceError['reason'], message: string, raw: Uint8Array): void {
    this.emit(
      'error',
      new InputDeviceError('bad_input', problem, message, { raw: rawHex(raw), length: raw.length }),
    );
  }

  private receive(report: Buffer): void {
    const bytes = new Uint8Array(report);
    const parsed = parseHidPosReport(bytes, this.layout);
    if (!parsed.ok) {
      this.clearAssembly();
      this.fail(parsed.problem, `${this.deviceId}: ${parsed.message}`, bytes);
      return;
    }
    const step = this.assembler.add(parsed.report);
    if ('problem' in step) {
      this.clearAssembly();
      this.fail(step.problem, `${this.deviceId}: ${step.message}`, bytes);
      return;
    }
    if (this.assemblyTimer !== null) clearTimeout(this.assemblyTimer);
    this.assemblyTimer = null;
    if (!step.done) {
      this.assemblyTimer = setTimeout(() => {
        this.assembler.reset();
        this.assemblyTimer = null;
        this.fail('bad_report', `${this.deviceId}: a multi-report barcode was never completed`, bytes);
      }, this.assemblyTimeoutMs);
      return;
    }
    this.deliver(`${step.aim ?? ''}${String.fromCharCode(...step.data)}`, step.data);
  }
}

/**
 * Loads node-hid (injectable) and returns a HID scanner, or an `UnavailableScanner` with the reason when the native
 * module cannot load (libusb missing, ABI mismatch). Never throws.
 */
export async function createHidScanner(
  options: Omit<HidScannerOptions, 'hid'> & { loadHid?: HidLoader },
): Promise<Scanner> {
  const loaded = await tryLoadHid(options.loadHid ?? loadNativeHid);
  if (!loaded.ok) {
    return new UnavailableScanner(`hid:${hex4(options.vendorId)}:${hex4(options.productId)}`, loaded.reason);
  }
  return new HidScanner({ ...options, hid: loaded.hid });
}
