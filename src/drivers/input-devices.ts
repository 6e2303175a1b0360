/**
 * The one entry point the device manager uses for the input-side devices and the pole display: give it the
 * configuration, get back started drivers and their statuses. It never throws for a device: a native module that
 * cannot load (node-hid without libusb, serialport without its binding), a bad connection string or a port held by
 * another program makes that device `unavailable` with the reason, and the station starts anyway.
 *
 * Config keys and connection strings are documented in `src/drivers/README.md`.
 */
import { z } from 'zod';
import { DEFAULT_CARD_RULES, type CardRules } from '../shared/domain/card';
import {
  CardReaderSimulator,
  KeyboardCardReader,
  SerialCardReader,
  UnavailableCardReader,
  type CardReader,
  type CardReaderMode,
  type DeviceLog,
} from './card-reader/card-reader';
import { PoleDisplay, UnavailableDisplay, WindowDisplay, type CustomerDisplay } from './display/pole-display';
import { loadNativeHid, type HidLoader } from './hid/node-hid';
import { createHidScanner } from './scanner/hid-scanner';
import { ScannerSimulator, WedgeScanner } from './scanner/in-process-scanner';
import { UnavailableScanner, type Scanner } from './scanner/scanner';
import { SerialScanner } from './scanner/serial-scanner';
import type { BackoffOptions, DeviceStatus } from './serial/device-status';
import { nativeSerialAccess, type SerialAccess } from './serial/line-port';

const CardRulesSchema = z.strictObject({
  memberPrefixes: z.array(z.string().regex(/^[0-9A-Za-z]{1,19}$/)).default([]),
  giftPrefixes: z.array(z.string().regex(/^[0-9A-Za-z]{1,19}$/)).default([]),
  staffPrefixes: z.array(z.string().regex(/^[0-9A-Za-z]{1,19}$/)).default([]),
  defaultKind: z.enum(['member', 'gift', 'staff']).default('member'),
});

/** The JSON shape (device file / settings) of the input devices. Every key is optional. */
export const InputDevicesConfigSchema = z.strictObject({
  scanner: z
    .strictObject({
      /** `hid:<vid>:<pid>[?serial=…&reportId=2&reportSize=64]`, `serial:<path>[?baud=9600]`, `wedge`, `simulated`. */
      connection: z.string().min(1).max(200),
    })
    .optional(),
  cardReader: z
    .strictObject({
      /** `serial:<path>[?baud=9600]`, `keyboard`, `simulated`. */
      connection: z.string().min(1).max(200),
      mode: z.enum(['magstripe', 'uid', 'auto']).optional(),
      rules: CardRulesSchema.optional(),
    })
    .optional(),
  customerDisplay: z
    .strictObject({
      /** `serial:<path>[?baud=9600]` (VFD pole display) or `window`. */
      connection: z.string().min(1).max(200),
    })
    .optional(),
});
export type InputDevicesConfig = z.input<typeof InputDevicesConfigSchema>;

export interface InputDeviceDeps {
  /** node-hid (the fake in tests). */
  loadHid?: HidLoader;
  /** serialport, or binding-mock in tests. */
  loadSerial?: () => Promise<SerialAccess>;
  /** Fault-log writer handed to the card reader (which passes only its own sentences). */
  log?: DeviceLog;
  backoff?: BackoffOptions;
}

export interface InputDevices {
  scanner: Scanner;
  cardReader: CardReader;
  customerDisplay: CustomerDisplay;
  statuses(): { scanner: DeviceStatus; cardReader: DeviceStatus; customerDisplay: DeviceStatus };
  close(): Promise<void>;
}

export type Connection =
  | {
      kind: 'hid';
      vendorId: number;
      productId: number;
      serialNumber?: string;
      reportId?: number | null;
      reportSize?: number;
    }
  | { kind: 'serial'; path: string; baudRate: number }
  | { kind: 'wedge' | 'keyboard' | 'simulated' | 'window' };

const HEX4 = /^(?:0x)?[0-9a-fA-F]{1,4}$/;

/** Parses a connection string. Returns the reason instead of throwing so a typo makes one device unavailable. */
export function parseConnection(
  text: string,
): { ok: true; connection: Connection } | { ok: false; reason: string } {
  if (text === 'wedge' || text === 'keyboard' || text === 'simulated' || text === 'window') {
    return { ok: true, connection: { kind: text } };
  }
  const [head = '', query = ''] = text.split('?', 2);
  const params = new URLSearchParams(query);
  if (head.startsWith('serial:')) {
    const path = head.slice('serial:'.length);
    const baud = params.get('baud') ?? '9600';
    const baudRate = Number(baud);
    if (path === '' || (!path.startsWith('/') && !/^COM\d+$/i.test(path))) {
      return {
        ok: false,
        reason: `Serial path must be a device path such as /dev/ttyACM0 or COM3: "${text}"`,
      };
    }
    if (!/^\d{3,7}$/.test(baud) || baudRate < 300 || baudRate > 4_000_000) {
      return { ok: false, reason: `Bad baud rate "${baud}" in "${text}"` };
    }
    return { ok: true, connection: { kind: 'serial', path, baudRate } };
  }
  if (head.startsWith('hid:')) {
    const [vid = '', pid = '', extra] = head.slice(4).split(':');
    if (!HEX4.test(vid) || !HEX4.test(pid) || extra !== undefined) {
      return { ok: false, reason: `HID connection must be hid:<vendor hex>:<product hex>: "${text}"` };
    }
    const c: Connection = {
      kind: 'hid',
      vendorId: Number.parseInt(vid, 16),
      productId: Number.parseInt(pid, 16),
    };
    const serial = params.get('serial');
    if (serial !== null) c.serialNumber = serial;
    const reportId = params.get('reportId');
    if (reportId !== null) {
      if (reportId === 'none') c.reportId = null;
      else if (/^\d{1,3}$/.test(reportId) && Number(reportId) <= 255) c.reportId = Number(reportId);
      else return { ok: false, reason: `Bad reportId "${reportId}" (0–255 or none)` };
    }
    const reportSize = params.get('reportSize');
    if (reportSize !== null) {
      if (!/^\d{1,3}$/.test(reportSize) || Number(reportSize) < 8)
        return { ok: false, reason: `Bad reportSize "${reportSize}"` };
      c.reportSize = Number(reportSize);
    }
    return { ok: true, connection: c };
  }
  return { ok: false, reason: `Unknown connection "${text}"` };
}

const loadNativeSerial = async (): Promise<SerialAccess> => {
  // Loading once here turns a missing native binding into one clear reason instead of an error per retry.
  await import('serialport');
  return nativeSerialAccess;
};

async function trySerial(
  deps: InputDeviceDeps,
): Promise<{ ok: true; access: SerialAccess } | { ok: false; reason: string }> {
  try {
    return { ok: true, access: await (deps.loadSerial ?? loadNativeSerial)() };
  } catch (e) {
    return {
      ok: false,
      reason: `serialport could not be loaded: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

async function makeScanner(text: string, deps: InputDeviceDeps): Promise<Scanner> {
  const parsed = parseConnection(text);
  if (!parsed.ok) return new UnavailableScanner(text, parsed.reason);
  const c = parsed.connection;
  switch (c.kind) {
    case 'hid': {
      const layout: { reportId?: number | null; reportSize?: number } = {};
      if (c.reportId !== undefined) layout.reportId = c.reportId;
      if (c.reportSize !== undefined) layout.reportSize = c.reportSize;
      return createHidScanner({
        vendorId: c.vendorId,
        productId: c.productId,
        ...(c.serialNumber === undefined ? {} : { serialNumber: c.serialNumber }),
        layout,
        loadHid: deps.loadHid ?? loadNativeHid,
        ...(deps.backoff === undefined ? {} : { backoff: deps.backoff }),
      });
    }
    case 'serial': {
      const serial = await trySerial(deps);
      if (!serial.ok) return new UnavailableScanner(`serial:${c.path}`, serial.reason);
      return new SerialScanner({
        path: c.path,
        baudRate: c.baudRate,
        access: serial.access,
        ...backoffOf(deps),
      });
    }
    case 'wedge':
      return new WedgeScanner();
    case 'simulated':
      return new ScannerSimulator();
    case 'keyboard':
    case 'window':
      return new UnavailableScanner(text, `"${text}" is not a scanner connection`);
  }
}

async function makeCardReader(
  config: NonNullable<InputDevicesConfig['cardReader']>,
  deps: InputDeviceDeps,
): Promise<CardReader> {
  const parsed = parseConnection(config.connection);
  if (!parsed.ok) return new UnavailableCardReader(config.connection, parsed.reason);
  const rules: CardRules =
    config.rules === undefined ? DEFAULT_CARD_RULES : CardRulesSchema.parse(config.rules);
  const mode: CardReaderMode = config.mode ?? 'auto';
  const common = { rules, mode, ...(deps.log === undefined ? {} : { log: deps.log }) };
  const c = parsed.connection;
  switch (c.kind) {
    case 'serial': {
      const serial = await trySerial(deps);
      if (!serial.ok) return new UnavailableCardReader(`serial:${c.path}`, serial.reason);
      return new SerialCardReader({
        ...common,
        path: c.path,
        baudRate: c.baudRate,
        access: serial.access,
        ...backoffOf(deps),
      });
    }
    case 'keyboard':
    case 'wedge':
      return new KeyboardCardReader(common);
    case 'simulated':
      return new CardReaderSimulator(common);
    case 'hid':
    case 'window':
      return new UnavailableCardReader(
        config.connection,
        `"${config.connection}" is not supported for card readers: use keyboard, serial:… or simulated`,
      );
  }
}

async function makeDisplay(text: string, deps: InputDeviceDeps): Promise<CustomerDisplay> {
  const parsed = parseConnection(text);
  if (!parsed.ok) return new UnavailableDisplay(text, parsed.reason);
  const c = parsed.connection;
  if (c.kind === 'window') return new WindowDisplay();
  if (c.kind !== 'serial')
    return new UnavailableDisplay(text, `"${text}" is not a customer display connection`);
  const serial = await trySerial(deps);
  if (!serial.ok) return new UnavailableDisplay(`serial:${c.path}`, serial.reason);
  return new PoleDisplay({ path: c.path, baudRate: c.baudRate, access: serial.access, ...backoffOf(deps) });
}

const backoffOf = (deps: InputDeviceDeps): { backoff?: BackoffOptions } =>
  deps.backoff === undefined ? {} : { backoff: deps.backoff };

/**
 * Creates and opens the scanner, card reader and customer display. Unconfigured devices get the defaults: the
 * simulated scanner and card reader (so the demo and the self-test work without hardware) and the window display.
 * Resolves once every device made its first connection attempt; disconnected devices keep retrying on their own.
 */
export async function startInputDevices(
  config: InputDevicesConfig = {},
  deps: InputDeviceDeps = {},
): Promise<InputDevices> {
  const [scanner, cardReader, customerDisplay] = await Promise.all([
    makeScanner(config.scanner?.connection ?? 'simulated', deps),
    makeCardReader(config.cardReader ?? { connection: 'simulated' }, deps),
    makeDisplay(config.customerDisplay?.connection ?? 'window', deps),
  ]);
  await Promise.all([scanner.open(), cardReader.open(), customerDisplay.open()]);
  return {
    scanner,
    cardReader,
    customerDisplay,
    statuses: () => ({
      scanner: scanner.status,
      cardReader: cardReader.status,
      customerDisplay: customerDisplay.status,
    }),
    close: async () => {
      await Promise.all([scanner.close(), cardReader.close(), customerDisplay.close()]);
    },
  };
}
