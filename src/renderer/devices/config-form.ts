/**
 * The device configuration form's state and its translation to and from the stored configuration document
 * (`DeviceConfigSchema`). Pure functions: the screen keeps a `ConfigForm`, builds the document on "Save",
 * checks it with the contract's own schema for early feedback, and the core validates it again.
 */
import {
  BAUD_RATES,
  DeviceConfigSchema,
  parsePrinterConnection,
  formatPrinterConnection,
  type DeviceConfig,
  type DiscoveredDevice,
} from '../../shared/ipc/channels/devices';

export const PRINTER_KINDS = ['simulated', 'tcp', 'serial', 'usb', 'none'] as const;
export type PrinterKind = (typeof PRINTER_KINDS)[number];

export const SCANNER_KINDS = ['simulated', 'wedge', 'hid', 'serial', 'none'] as const;
export const CARD_READER_KINDS = ['simulated', 'keyboard', 'serial', 'none'] as const;
export const DISPLAY_KINDS = ['window', 'serial', 'none'] as const;
export const TERMINAL_KINDS = ['simulated', 'network', 'none'] as const;
export type InputKind = (typeof SCANNER_KINDS)[number] | (typeof CARD_READER_KINDS)[number] | 'window';
export type TerminalKind = (typeof TERMINAL_KINDS)[number];

export interface PrinterForm {
  kind: PrinterKind;
  host: string;
  port: string;
  serialPath: string;
  baud: string;
  usbPath: string;
  type: DeviceConfig['printer']['type'];
  paper: DeviceConfig['printer']['paper'];
}

export interface DrawerForm {
  connection: DeviceConfig['drawer']['connection'];
  pin: '2' | '5';
  pulseOnMs: string;
  pulseOffMs: string;
  polarity: DeviceConfig['drawer']['polarity'];
}

/** A scanner, card reader or customer display: the kind, and where (serial port / HID device). */
export interface InputForm {
  kind: InputKind;
  serialPath: string;
  baud: string;
  /** `hid:vvvv:pppp[?serial=…]` */
  hid: string;
}

export interface TerminalForm {
  kind: TerminalKind;
  url: string;
  poiId: string;
  saleId: string;
  caFile: string;
  servername: string;
}

export interface ConfigForm {
  printer: PrinterForm;
  drawer: DrawerForm;
  scanner: InputForm;
  cardReader: InputForm & { mode: string };
  customerDisplay: InputForm;
  paymentTerminal: TerminalForm;
}

const SERIAL = /^serial:(\/[^?\s]+|COM\d+)(?:\?baud=(\d+))?$/;

function inputFormOf(connection: string, fallback: InputKind): InputForm {
  const form: InputForm = { kind: fallback, serialPath: '', baud: '9600', hid: '' };
  const serial = SERIAL.exec(connection);
  if (serial) return { ...form, kind: 'serial', serialPath: serial[1] ?? '', baud: serial[2] ?? '9600' };
  if (connection.startsWith('hid:')) return { ...form, kind: 'hid', hid: connection };
  if (connection === 'simulated' && fallback === 'window') return form;
  const known: readonly string[] = [...SCANNER_KINDS, ...CARD_READER_KINDS, ...DISPLAY_KINDS];
  return known.includes(connection) ? { ...form, kind: connection as InputKind } : form;
}

function inputConnectionOf(form: InputForm): string {
  if (form.kind === 'serial') return `serial:${form.serialPath.trim()}?baud=${form.baud}`;
  if (form.kind === 'hid') return form.hid.trim();
  return form.kind;
}

/** The scanner connection that opens a discovered HID device (by serial number when it has one). */
export function hidConnectionOf(device: DiscoveredDevice): string {
  const base = `hid:${device.vendorId ?? ''}:${device.productId ?? ''}`;
  return device.serialNumber ? `${base}?serial=${encodeURIComponent(device.serialNumber)}` : base;
}

/** A discovered device as the technician recognises it: path, names, vendor:product. */
export function describeDiscovered(d: DiscoveredDevice): string {
  const names = [d.manufacturer, d.product].filter((x): x is string => x !== null).join(' ');
  const ids = d.vendorId && d.productId ? `${d.vendorId}:${d.productId}` : null;
  return [d.path, names || null, ids ? `(${ids})` : null, d.serialNumber ? `S/N ${d.serialNumber}` : null]
    .filter((x): x is string => x !== null)
    .join(' · ');
}

export function formOf(config: DeviceConfig): ConfigForm {
  const parsed = parsePrinterConnection(config.printer.connection);
  const printer: PrinterForm = {
    kind: 'simulated',
    host: '',
    port: '9100',
    serialPath: '',
    baud: '19200',
    usbPath: '/dev/usb/lp0',
    type: config.printer.type,
    paper: config.printer.paper,
  };
  if (typeof parsed !== 'string') {
    printer.kind = parsed.kind;
    if (parsed.kind === 'tcp') Object.assign(printer, { host: parsed.host, port: String(parsed.port) });
    if (parsed.kind === 'serial')
      Object.assign(printer, { serialPath: parsed.path, baud: String(parsed.baudRate) });
    if (parsed.kind === 'usb') printer.usbPath = parsed.path;
  }
  const terminal = config.paymentTerminal;
  const network = terminal.connection !== 'simulated' && terminal.connection !== 'none';
  return {
    printer,
    drawer: {
      connection: config.drawer.connection,
      pin: config.drawer.pin === 5 ? '5' : '2',
      pulseOnMs: String(config.drawer.pulseOnMs),
      pulseOffMs: String(config.drawer.pulseOffMs),
      polarity: config.drawer.polarity,
    },
    scanner: inputFormOf(config.scanner.connection, 'simulated'),
    cardReader: {
      ...inputFormOf(config.cardReader.connection, 'simulated'),
      mode: typeof config.cardReader['mode'] === 'string' ? config.cardReader['mode'] : 'auto',
    },
    customerDisplay: inputFormOf(config.customerDisplay.connection, 'window'),
    paymentTerminal: {
      kind: network ? 'network' : (terminal.connection as TerminalKind),
      url: network ? terminal.connection : '',
      poiId: terminal.poiId ?? '',
      saleId: terminal.saleId ?? '',
      caFile: terminal.tls?.caFile ?? '',
      servername: terminal.tls?.servername ?? '',
    },
  };
}

function printerConnectionOf(p: PrinterForm): string {
  switch (p.kind) {
    case 'tcp':
      return `tcp://${p.host.trim()}:${p.port.trim() || '9100'}`;
    case 'serial':
      return `serial:${p.serialPath.trim()}?baud=${p.baud}`;
    case 'usb':
      return `usb:${p.usbPath.trim()}`;
    case 'simulated':
    case 'none':
      return formatPrinterConnection({ kind: p.kind });
  }
}

/** A number field's text as a number when it is one (else the text, which the schema refuses by field). */
const numberOf = (text: string): number | string => (/^\d+$/.test(text.trim()) ? Number(text) : text);

/**
 * The configuration document of the form. Settings the form does not show (printer timeouts, the card
 * reader's number rules, a scanner's HID report options) are kept from `base`, the configuration loaded.
 */
export function configOf(form: ConfigForm, base: DeviceConfig): unknown {
  const t = form.paymentTerminal;
  const tls = {
    ...(t.caFile.trim() ? { caFile: t.caFile.trim() } : {}),
    ...(t.servername.trim() ? { servername: t.servername.trim() } : {}),
  };
  const input = (key: 'scanner' | 'cardReader' | 'customerDisplay', f: InputForm) => {
    const connection = inputConnectionOf(f);
    // A new connection drops the old one's options; the card reader's rules stay (they are not per port).
    return connection === base[key].connection ? base[key] : { ...base[key], connection };
  };
  return {
    printer: {
      ...base.printer,
      connection: printerConnectionOf(form.printer),
      type: form.printer.type,
      paper: form.printer.paper,
    },
    drawer: {
      connection: form.drawer.connection,
      pin: numberOf(form.drawer.pin),
      pulseOnMs: numberOf(form.drawer.pulseOnMs),
      pulseOffMs: numberOf(form.drawer.pulseOffMs),
      polarity: form.drawer.polarity,
    },
    scanner: input('scanner', form.scanner),
    cardReader: { ...input('cardReader', form.cardReader), mode: form.cardReader.mode },
    customerDisplay: input('customerDisplay', form.customerDisplay),
    paymentTerminal:
      t.kind === 'network'
        ? {
            connection: t.url.trim(),
            poiId: t.poiId.trim(),
            ...(t.saleId.trim() ? { saleId: t.saleId.trim() } : {}),
            ...(Object.keys(tls).length > 0 ? { tls } : {}),
          }
        : { connection: t.kind },
  };
}

/** Problems by field path (`printer.connection`, `paymentTerminal.poiId` …). */
export type Issues = Readonly<Record<string, string>>;

/** The contract's own check, for feedback before the core is asked (which checks again). */
export function checkConfig(config: unknown): Issues {
  const parsed = DeviceConfigSchema.safeParse(config);
  if (parsed.success) return {};
  return issuesOf(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

/** The first problem of each path; an empty path stands for the whole document. */
export function issuesOf(list: readonly { path: string; message: string }[]): Issues {
  const out: Record<string, string> = {};
  for (const { path, message } of list) out[path || '_'] ??= message;
  return out;
}

export const BAUDS: readonly string[] = BAUD_RATES.map(String);
