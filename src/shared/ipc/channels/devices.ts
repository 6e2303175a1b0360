/**
 * Device channels: the device configuration (technician), live device status, the print queue (status, retry,
 * reprint), the demo printer's paper strip, and "no sale" (open the drawer without a sale).
 *
 * The configuration is one document. `--devices FILE` and `devices:config-set` take the same shape, parsed by
 * `DeviceConfigSchema`; everything is optional and defaulted, so `{ "printer": { "connection":
 * "tcp://127.0.0.1:9100" } }` is a complete file (EPSON, 80 mm, drawer on the printer's pin 2, other devices
 * simulated).
 */
import { z } from 'zod';
import { channel, type ChannelSpec } from '../channel';
import { Empty, IdSchema } from '../schemas';
import { PRINT_DOCUMENT_KINDS } from '../../print/print-document';
import { ApprovalInputSchema } from './sale';

// --- connections -----------------------------------------------------------------------------------------------

/** Where a printer is: a network printer, a serial port, the Linux USB printer device, the simulator, or none. */
export type PrinterConnection =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string; baudRate: number }
  | { kind: 'usb'; path: string }
  | { kind: 'simulated' }
  | { kind: 'none' };

export const BAUD_RATES = [2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

/**
 * `tcp://HOST[:PORT]` (default port 9100), `serial:PATH[?baud=N]` (default 19200), `usb:PATH` (e.g.
 * `/dev/usb/lp0`), `simulated`, `none`. Returns the parsed connection or a sentence saying what is wrong.
 */
export function parsePrinterConnection(text: string): PrinterConnection | string {
  const s = text.trim();
  if (s === 'simulated') return { kind: 'simulated' };
  if (s === 'none') return { kind: 'none' };
  const tcp = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(s);
  if (tcp) {
    const port = tcp[2] === undefined ? 9100 : Number(tcp[2]);
    if (port < 1 || port > 65_535) return `port ${port} is not 1..65535`;
    return { kind: 'tcp', host: (tcp[1] ?? '').replace(/^\[|\]$/g, ''), port };
  }
  const serial = /^serial:(\/[^?\s]+)(?:\?baud=(\d+))?$/.exec(s);
  if (serial) {
    const baudRate = serial[2] === undefined ? 19200 : Number(serial[2]);
    if (!(BAUD_RATES as readonly number[]).includes(baudRate)) {
      return `baud ${baudRate} is not one of ${BAUD_RATES.join(', ')}`;
    }
    return { kind: 'serial', path: serial[1] ?? '', baudRate };
  }
  const usb = /^usb:(\/[^?\s]+)$/.exec(s);
  if (usb) return { kind: 'usb', path: usb[1] ?? '' };
  return 'use tcp://HOST:PORT, serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0, simulated or none';
}

export function formatPrinterConnection(c: PrinterConnection): string {
  switch (c.kind) {
    case 'tcp':
      return `tcp://${c.host.includes(':') ? `[${c.host}]` : c.host}:${c.port}`;
    case 'serial':
      return `serial:${c.path}?baud=${c.baudRate}`;
    case 'usb':
      return `usb:${c.path}`;
    case 'simulated':
    case 'none':
      return c.kind;
  }
}

const PrinterConnectionSchema = z
  .string()
  .max(200)
  .superRefine((value, ctx) => {
    const parsed = parsePrinterConnection(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });

/** A device another area configures (scanner, card reader, terminal, display): `simulated` until then. */
const OtherDeviceSchema = z.looseObject({ connection: z.string().max(200).default('simulated') });

/** `https://HOST[:PORT][/path]`; plain `http://` only to a loopback address (the simulator, tests). */
const TERMINAL_URL =
  /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?(\/[A-Za-z0-9._~/-]*)?$/;

/** A terminal connection's problem in words, or null when it is usable. */
export function terminalConnectionProblem(text: string): string | null {
  if (text === 'simulated' || text === 'none') return null;
  const m = TERMINAL_URL.exec(text);
  if (!m) return 'use simulated, none, or the terminal URL such as https://192.168.1.20:8443/nexo';
  const port = m[3] === undefined ? null : Number(m[3]);
  if (port !== null && (port < 1 || port > 65_535)) return `port ${port} is not 1..65535`;
  const host = (m[2] ?? '').replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (m[1] === 'http' && !loopback)
    return 'a terminal on the network needs https:// (plain http only on 127.0.0.1)';
  return null;
}

/**
 * The semi-integrated card terminal (nexo Sale-to-POI over HTTP(S), Adyen's local Terminal API):
 * `simulated` (the demo terminal on loopback), `none`, or a terminal URL with its POIID. The short forms
 * `"simulated"` / `"none"` are accepted for `{ "connection": … }`. TLS is what the driver supports: a CA file to
 * trust (Adyen: its terminal root certificate) and the name the certificate must carry when it differs from the
 * host in the URL (Adyen: the POIID); the certificate is always verified.
 */
export const PaymentTerminalConfigSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { connection: value } : value),
  z
    .strictObject({
      connection: z.string().trim().max(200).default('simulated'),
      /** The terminal's POIID, e.g. `V400m-346403161` (every message carries it; the answer must match). */
      poiId: z
        .string()
        .trim()
        .regex(/^[\x21-\x7e]{1,64}$/, 'letters, digits and signs, no spaces, at most 64')
        .optional(),
      /** Our SaleID in the message header; default `CT` + the start of the station id. */
      saleId: z
        .string()
        .trim()
        .regex(/^[\x21-\x7e]{1,64}$/, 'letters, digits and signs, no spaces, at most 64')
        .optional(),
      tls: z
        .strictObject({
          /** PEM file of the CA that signed the terminal's certificate (absolute path). */
          caFile: z.string().trim().min(2).max(500).startsWith('/', 'an absolute path').optional(),
          /** The name checked in the terminal's certificate instead of the URL's host. */
          servername: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9._-]{1,253}$/, 'a host name or the POIID')
            .optional(),
        })
        .optional(),
    })
    .superRefine((value, ctx) => {
      const problem = terminalConnectionProblem(value.connection);
      if (problem !== null) {
        ctx.addIssue({ code: 'custom', path: ['connection'], message: problem });
        return;
      }
      const url = value.connection !== 'simulated' && value.connection !== 'none';
      if (url && value.poiId === undefined) {
        ctx.addIssue({ code: 'custom', path: ['poiId'], message: "the terminal's POIID is required" });
      }
      if (!url && (value.poiId !== undefined || value.saleId !== undefined || value.tls !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['connection'],
          message: 'poiId, saleId and tls belong to a terminal URL',
        });
      }
      if (value.tls !== undefined && !value.connection.startsWith('https://')) {
        ctx.addIssue({ code: 'custom', path: ['tls'], message: 'tls applies to an https:// terminal' });
      }
    }),
);
export type PaymentTerminalConfig = z.output<typeof PaymentTerminalConfigSchema>;

// --- configuration ---------------------------------------------------------------------------------------------

export const PrinterConfigSchema = z.strictObject({
  connection: PrinterConnectionSchema.default('simulated'),
  /** Command language: ESC/POS (`epson`) or Star Line Mode (`star`). */
  type: z.enum(['epson', 'star']).default('epson'),
  paper: z.enum(['80mm', '58mm']).default('80mm'),
  /** How long to wait for each `DLE EOT` answer before the printer counts as not answering. */
  statusTimeoutMs: z.number().int().min(100).max(10_000).default(1500),
  /** Status poll interval while idle. */
  pollSeconds: z.number().int().min(1).max(60).default(3),
});

export const DrawerConfigSchema = z.strictObject({
  /** The drawer hangs on the printer's kick-out connector, or there is none. */
  connection: z.enum(['printer', 'none']).default('printer'),
  pin: z.union([z.literal(2), z.literal(5)]).default(2),
  /** Kick pulse ON / OFF time (ESC/POS sends 2 ms units, Star 10 ms units). */
  pulseOnMs: z.number().int().min(10).max(510).default(100),
  pulseOffMs: z.number().int().min(10).max(510).default(500),
  /** What the drawer sensor (DLE EOT 1, bit 2) reads when the drawer is open; drawers differ. */
  polarity: z.enum(['open_when_high', 'open_when_low']).default('open_when_high'),
});

export const DeviceConfigSchema = z.strictObject({
  printer: PrinterConfigSchema.prefault({}),
  drawer: DrawerConfigSchema.prefault({}),
  scanner: OtherDeviceSchema.prefault({}),
  cardReader: OtherDeviceSchema.prefault({}),
  paymentTerminal: PaymentTerminalConfigSchema.prefault({}),
  customerDisplay: OtherDeviceSchema.prefault({}),
});
export type DeviceConfig = z.infer<typeof DeviceConfigSchema>;
export type DeviceConfigInput = z.input<typeof DeviceConfigSchema>;
export type PrinterConfig = DeviceConfig['printer'];
export type DrawerConfig = DeviceConfig['drawer'];

// --- status ----------------------------------------------------------------------------------------------------

export const DEVICE_CATEGORIES = [
  'receipt_printer',
  'cash_drawer',
  'scanner',
  'card_reader',
  'payment_terminal',
  'customer_display',
] as const;
export type DeviceCategory = (typeof DEVICE_CATEGORIES)[number];

/**
 * `online` works; `offline` is configured but not answering (it is retried with backoff); `unavailable` cannot
 * work at all on this machine (a native library or device file missing); `disabled` is configured as `none`.
 */
export const DEVICE_STATES = ['starting', 'online', 'offline', 'unavailable', 'disabled'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export const DeviceStatusSchema = z.object({
  id: z.string(),
  category: z.enum(DEVICE_CATEGORIES),
  connection: z.string(),
  simulated: z.boolean(),
  state: z.enum(DEVICE_STATES),
  /** Printer: ready, paper_near_end, paper_out, cover_open, offline, error. Drawer: open, closed. */
  condition: z.string().nullable(),
  /** Why it is not online, in words for the technician (the raw driver detail). */
  reason: z.string().nullable(),
  updatedAt: z.string(),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

// --- print queue -----------------------------------------------------------------------------------------------

export const PRINT_JOB_STATUSES = ['queued', 'printing', 'printed', 'failed'] as const;
export type PrintJobStatus = (typeof PRINT_JOB_STATUSES)[number];

export const PrintErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** The driver's finer reason: paper_out, cover_open, timeout, connect_refused, interrupted … */
  reason: z.string().nullable(),
  /** Whether bytes of the failed attempt may have reached the printer. */
  sent: z.boolean(),
});
export type PrintError = z.infer<typeof PrintErrorSchema>;

export const PrintJobSchema = z.object({
  id: IdSchema,
  kind: z.enum(PRINT_DOCUMENT_KINDS),
  ref: z.string(),
  title: z.string(),
  copy: z.boolean(),
  status: z.enum(PRINT_JOB_STATUSES),
  attempts: z.number().int(),
  lastError: PrintErrorSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  printedAt: z.string().nullable(),
});
export type PrintJob = z.infer<typeof PrintJobSchema>;

export const PaperLineSchema = z.object({
  text: z.string(),
  align: z.enum(['left', 'center', 'right']),
  bold: z.boolean(),
  width: z.number().int(),
  height: z.number().int(),
});
export type PaperLine = z.infer<typeof PaperLineSchema>;

export const PaperReceiptSchema = z.object({
  /** Order in which the demo printer received it. */
  seq: z.number().int(),
  receivedAt: z.string(),
  lines: z.array(PaperLineSchema),
  barcodes: z.array(z.string()),
  qrData: z.array(z.string()),
  drawerKicked: z.boolean(),
  cut: z.boolean(),
});
export type PaperReceipt = z.infer<typeof PaperReceiptSchema>;

// --- discovery -------------------------------------------------------------------------------------------------

/** A serial port or HID device found plugged in (the technician picks one instead of typing a path). */
export const DiscoveredDeviceSchema = z.object({
  transport: z.enum(['serial', 'hid']),
  /** `serial|hid:vvvv:pppp:<serial number or path>`: the same device on another USB port keeps its key. */
  key: z.string(),
  /** Four lower-case hex digits as `lsusb` prints them; null for a port without a USB identity (ttyS0). */
  vendorId: z.string().nullable(),
  productId: z.string().nullable(),
  serialNumber: z.string().nullable(),
  path: z.string().nullable(),
  manufacturer: z.string().nullable(),
  product: z.string().nullable(),
  /** HID: the usage page (0x8C = a POS barcode scanner). */
  usagePage: z.number().int().nullable(),
});
export type DiscoveredDevice = z.infer<typeof DiscoveredDeviceSchema>;

export const DeviceListingSchema = z.object({
  serial: z.array(DiscoveredDeviceSchema),
  hid: z.array(DiscoveredDeviceSchema),
  /** Linux USB printer device files (`/dev/usb/lp0` …). */
  usbPrinters: z.array(z.string()),
  /** A transport that could not be listed (a native module that does not load, say), with the reason. */
  problems: z.array(z.object({ transport: z.enum(['serial', 'hid', 'usb_printer']), reason: z.string() })),
  listedAt: z.string(),
});
export type DeviceListing = z.infer<typeof DeviceListingSchema>;

// --- channels --------------------------------------------------------------------------------------------------

/** The stored configuration, where it came from (`default`: nothing stored yet) and when it was saved. */
export const ConfigViewSchema = z.object({
  config: DeviceConfigSchema,
  source: z.enum(['default', 'channel', 'file']),
  updatedAt: z.string().nullable(),
});

export type ConfigView = z.infer<typeof ConfigViewSchema>;

export const devicesChannels = {
  /** Every device with its live status (also pushed as `devices:changed`). */
  'devices:status': channel({ input: Empty, output: z.array(DeviceStatusSchema), access: 'signed_in' }),
  'devices:config-get': channel({ input: Empty, output: ConfigViewSchema, access: 'devices.configure' }),
  /** Validates, stores (audited `devices.configured`) and applies the configuration at once. */
  'devices:config-set': channel({
    input: z.strictObject({ config: z.unknown() }),
    output: ConfigViewSchema,
    access: 'devices.configure',
  }),
  /**
   * Serial ports, HID devices (vendor / product id, serial number, path, names) and USB printer files plugged in
   * now. A listing at most once a second (each HID listing walks the USB bus): a quicker call gets the last one.
   */
  'devices:discover': channel({ input: Empty, output: DeviceListingSchema, access: 'devices.configure' }),
  /** Prints the test page on the configured printer through the print queue (audited `devices.test_printed`). */
  'devices:test-print': channel({ input: Empty, output: PrintJobSchema, access: 'devices.configure' }),

  /** Print jobs, newest first; `ref` filters to one document's jobs (a sale id). */
  'printing:jobs': channel({
    input: z.strictObject({
      ref: z.string().min(1).max(120).optional(),
      limit: z.number().int().min(1).max(100).optional(),
    }),
    output: z.array(PrintJobSchema),
    access: 'sale.operate',
  }),
  /** Sends a queued or failed job again (never a printed one: that is a reprint). */
  'printing:retry': channel({
    input: z.strictObject({ jobId: IdSchema }),
    output: PrintJobSchema,
    access: 'sale.operate',
  }),
  /** A copy of a completed document's receipt ("COPY / 副本"), by document id or receipt number. */
  'printing:reprint': channel({
    input: z.strictObject({ ref: z.string().trim().min(1).max(64) }),
    output: PrintJobSchema,
    access: 'sale.operate',
  }),
  /** The demo printer's last receipts as decoded lines; `available: false` with a real printer. */
  'printing:paper-strip': channel({
    input: z.strictObject({ limit: z.number().int().min(1).max(50).optional() }),
    output: z.object({ available: z.boolean(), receipts: z.array(PaperReceiptSchema) }),
    access: 'signed_in',
  }),

  /**
   * Opens the cash drawer without a sale. Needs `drawer.no_sale`, or a supervisor's approval (same flow as the
   * sale approvals: `permission_denied` with `details.approvalRequestId`, then the same call with `approval`).
   */
  'drawer:no-sale': channel({
    input: z.strictObject({
      reason: z.string().trim().max(80).optional(),
      approval: ApprovalInputSchema.optional(),
    }),
    output: z.object({ openedAt: z.string() }),
    access: 'sale.operate',
  }),
} as const satisfies Record<string, ChannelSpec>;
