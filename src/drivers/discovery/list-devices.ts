import fs from 'node:fs/promises';
import { loadNativeHid, tryLoadHid, type HidLoader } from '../hid/node-hid';
import { errorText } from '../serial/device-status';
import { nativeSerialAccess, type SerialPortInfo } from '../serial/line-port';
import { fromHidDevice, fromSerialPort, type DiscoveredDevice } from './discovery';

/**
 * One listing of what is plugged in, for the technician's device configuration: serial ports, HID devices and
 * the Linux USB printer device files (`/dev/usb/lp*`). The native modules (serialport, node-hid) are loaded here
 * and may fail to load (no libudev, ABI mismatch): that transport is then empty and the reason is returned with
 * what the others found. Never throws.
 */

export type ListedTransport = 'serial' | 'hid' | 'usb_printer';

export interface DeviceListing {
  serial: DiscoveredDevice[];
  hid: DiscoveredDevice[];
  /** Paths such as `/dev/usb/lp0` (a printer on the USB printer class driver). */
  usbPrinters: string[];
  /** A transport that could not be listed, and why. */
  problems: { transport: ListedTransport; reason: string }[];
}

export interface DeviceListers {
  /** `SerialPort.list()`; default: serialport, loaded on first use. */
  serial?: () => Promise<SerialPortInfo[]>;
  /** node-hid's loader (its `devices()` walks the USB bus: callers must not call this in a loop). */
  loadHid?: HidLoader;
  /** The USB printer device files; default: the `lp*` entries of `/dev/usb`. */
  usbPrinters?: () => Promise<string[]>;
}

async function listUsbPrinterFiles(): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir('/dev/usb');
  } catch (err) {
    // No USB printer class device on this machine (or not Linux): nothing to list, nothing wrong.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => /^lp\d+$/.test(n))
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)))
    .map((n) => `/dev/usb/${n}`);
}

export async function listDevices(listers: DeviceListers = {}): Promise<DeviceListing> {
  const out: DeviceListing = { serial: [], hid: [], usbPrinters: [], problems: [] };

  try {
    const ports = await (listers.serial ?? (() => nativeSerialAccess.list()))();
    out.serial = ports.map(fromSerialPort).sort((a, b) => (a.path ?? '').localeCompare(b.path ?? ''));
  } catch (err) {
    out.problems.push({ transport: 'serial', reason: `serial ports cannot be listed: ${errorText(err)}` });
  }

  const hid = await tryLoadHid(listers.loadHid ?? loadNativeHid);
  if (!hid.ok) out.problems.push({ transport: 'hid', reason: hid.reason });
  else {
    try {
      const seen = new Map<string, DiscoveredDevice>();
      // A composite device lists one entry per interface; the POS (0x8C) interface stands for it when present.
      for (const info of hid.hid.devices()) {
        const d = fromHidDevice(info);
        const known = seen.get(d.key);
        if (!known || (known.usagePage !== 0x8c && d.usagePage === 0x8c)) seen.set(d.key, d);
      }
      out.hid = [...seen.values()].sort((a, b) => a.key.localeCompare(b.key));
    } catch (err) {
      out.problems.push({ transport: 'hid', reason: `HID devices cannot be listed: ${errorText(err)}` });
    }
  }

  try {
    out.usbPrinters = await (listers.usbPrinters ?? listUsbPrinterFiles)();
  } catch (err) {
    out.problems.push({
      transport: 'usb_printer',
      reason: `USB printers cannot be listed: ${errorText(err)}`,
    });
  }
  return out;
}
