import { EventEmitter } from 'node:events';
import { hex4, type HidDeviceInfo } from '../hid/node-hid';
import { errorText } from '../serial/device-status';
import type { SerialPortInfo } from '../serial/line-port';

/**
 * Device discovery in the style of Odoo's IoT box: list serial ports and HID devices every few seconds, diff by
 * vendor:product:serial, and report what was attached and detached, so the technician screen can offer the new
 * device and a driver can claim it.
 *
 * The listers are injected (`SerialPort.list`, `HID.devices`; fakes in tests). A pass never overlaps the previous
 * one and the interval has a floor (`MIN_INTERVAL_MS`): each `HID.devices()` call walks the USB bus.
 */

export type DiscoveryTransport = 'serial' | 'hid';

export interface DiscoveredDevice {
  transport: DiscoveryTransport;
  /** The diff key: `serial|hid:vvvv:pppp:<serial number>`, or `…:<path>` for a device without a serial number. */
  key: string;
  /** Four lower-case hex digits, or null when the port has no USB identity (a built-in ttyS). */
  vendorId: string | null;
  productId: string | null;
  serialNumber: string | null;
  path: string | null;
  manufacturer: string | null;
  product: string | null;
  /** HID only: the usage page of the first interface seen (0x8C = POS barcode scanner). */
  usagePage: number | null;
}

export interface DeviceListers {
  serial?: () => Promise<SerialPortInfo[]>;
  hid?: () => HidDeviceInfo[] | Promise<HidDeviceInfo[]>;
}

export interface DiscoveryEvents {
  attached: [device: DiscoveredDevice];
  detached: [device: DiscoveredDevice];
  /** A lister failed (node-hid not loadable, udev gone): that transport keeps its last known devices. */
  error: [failure: { transport: DiscoveryTransport; reason: string }];
}

export interface DiscoveryChanges {
  attached: DiscoveredDevice[];
  detached: DiscoveredDevice[];
}

export const MIN_INTERVAL_MS = 1000;
export const DEFAULT_INTERVAL_MS = 3000;

const normHex = (id: string | undefined): string | null => {
  if (id === undefined || id === '') return null;
  const n = Number.parseInt(id, 16);
  return Number.isFinite(n) ? hex4(n) : null;
};
const orNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

export function fromSerialPort(p: SerialPortInfo): DiscoveredDevice {
  const vendorId = normHex(p.vendorId);
  const productId = normHex(p.productId);
  const serialNumber = orNull(p.serialNumber);
  return {
    transport: 'serial',
    key: `serial:${vendorId ?? '-'}:${productId ?? '-'}:${serialNumber ?? p.path}`,
    vendorId,
    productId,
    serialNumber,
    path: p.path,
    manufacturer: orNull(p.manufacturer),
    product: null,
    usagePage: null,
  };
}

export function fromHidDevice(d: HidDeviceInfo): DiscoveredDevice {
  const vendorId = hex4(d.vendorId);
  const productId = hex4(d.productId);
  const serialNumber = orNull(d.serialNumber);
  return {
    transport: 'hid',
    key: `hid:${vendorId}:${productId}:${serialNumber ?? d.path ?? '-'}`,
    vendorId,
    productId,
    serialNumber,
    path: orNull(d.path),
    manufacturer: orNull(d.manufacturer),
    product: orNull(d.product),
    usagePage: d.usagePage ?? null,
  };
}

export class DeviceDiscovery extends EventEmitter<DiscoveryEvents> {
  private readonly listers: DeviceListers;
  private readonly intervalMs: number;
  private known = new Map<string, DiscoveredDevice>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private pass: Promise<DiscoveryChanges> | null = null;

  constructor(options: { listers: DeviceListers; intervalMs?: number }) {
    super();
    this.listers = options.listers;
    this.intervalMs = Math.max(MIN_INTERVAL_MS, options.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.on('error', () => undefined);
  }

  /** Devices present after the last pass, sorted by key. */
  get devices(): DiscoveredDevice[] {
    return [...this.known.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  /** One listing pass now (a pass already running is joined, not repeated). Emits and returns the changes. */
  scan(): Promise<DiscoveryChanges> {
    this.pass ??= this.runPass().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  /** Scans now, then every `intervalMs` after the previous pass finished. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = (): void => {
      void this.scan().finally(() => {
        if (this.running) this.timer = setTimeout(loop, this.intervalMs);
      });
    };
    loop();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async list(transport: DiscoveryTransport): Promise<DiscoveredDevice[] | null> {
    try {
      if (transport === 'serial') {
        const lister = this.listers.serial;
        return lister === undefined ? [] : (await lister()).map(fromSerialPort);
      }
      const lister = this.listers.hid;
      return lister === undefined ? [] : (await lister()).map(fromHidDevice);
    } catch (e) {
      this.emit('error', { transport, reason: errorText(e) });
      return null;
    }
  }

  private async runPass(): Promise<DiscoveryChanges> {
    const next = new Map<string, DiscoveredDevice>();
    for (const transport of ['serial', 'hid'] as const) {
      const found = await this.list(transport);
      if (found === null) {
        for (const [k, d] of this.known) if (d.transport === transport) next.set(k, d);
        continue;
      }
      // A composite HID device lists one entry per interface; the first one stands for the device.
      for (const d of found) if (!next.has(d.key)) next.set(d.key, d);
    }
    const attached = [...next.values()].filter((d) => !this.known.has(d.key));
    const detached = [...this.known.values()].filter((d) => !next.has(d.key));
    this.known = next;
    for (const d of detached) this.emit('detached', d);
    for (const d of attached) this.emit('attached', d);
    return { attached, detached };
  }
}
