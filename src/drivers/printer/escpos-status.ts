import { EscPosProtocolError } from './errors';

/**
 * Pure parsing of ESC/POS real-time status (`DLE EOT n` = `10 04 n`, n = 1..4). Every answer byte must carry the
 * signature `(b & 0x93) === 0x12` (bits 1 and 4 set, bits 0 and 7 clear); a byte failing it is an
 * `EscPosProtocolError` carrying the raw byte.
 */
export type StatusQuery = 1 | 2 | 3 | 4;

export const DLE_EOT = (n: StatusQuery): Uint8Array => Uint8Array.of(0x10, 0x04, n);

export const STATUS_SIGNATURE_MASK = 0x93;
export const STATUS_SIGNATURE = 0x12;

export const hasStatusSignature = (b: number): boolean =>
  Number.isInteger(b) && b >= 0 && b <= 0xff && (b & STATUS_SIGNATURE_MASK) === STATUS_SIGNATURE;

/** n=1: printer status. */
export interface PrinterByte {
  raw: number;
  /** Bit 2: drawer kick-out connector pin 3 is high. Polarity (open = high or low) is a drawer setting. */
  drawerSensorHigh: boolean;
  /** Bit 3. */
  offline: boolean;
}

/** n=2: offline cause. */
export interface OfflineCauseByte {
  raw: number;
  /** Bit 2. */
  coverOpen: boolean;
  /** Bit 3: paper is being fed by the feed button. */
  feedButton: boolean;
  /** Bit 5: printing stopped by paper end. */
  paperEndStop: boolean;
  /** Bit 6: an error occurred (query n=3 for the cause). */
  error: boolean;
}

/** n=3: error cause. */
export interface ErrorCauseByte {
  raw: number;
  /** Bit 3. */
  cutterError: boolean;
  /** Bit 5. */
  unrecoverable: boolean;
  /** Bit 6. */
  autoRecoverable: boolean;
}

/** n=4: roll paper sensor. */
export interface PaperByte {
  raw: number;
  /** Bits 2-3 (`0x0C`). */
  nearEnd: boolean;
  /** Bits 5-6 (`0x60`). */
  out: boolean;
}

export interface StatusByteMap {
  1: PrinterByte;
  2: OfflineCauseByte;
  3: ErrorCauseByte;
  4: PaperByte;
}

function checked(n: StatusQuery, b: number): number {
  if (!hasStatusSignature(b)) throw new EscPosProtocolError(n, b);
  return b;
}

const bit = (b: number, mask: number): boolean => (b & mask) !== 0;

export function parsePrinterByte(b: number): PrinterByte {
  const raw = checked(1, b);
  return { raw, drawerSensorHigh: bit(raw, 0x04), offline: bit(raw, 0x08) };
}

export function parseOfflineCauseByte(b: number): OfflineCauseByte {
  const raw = checked(2, b);
  return {
    raw,
    coverOpen: bit(raw, 0x04),
    feedButton: bit(raw, 0x08),
    paperEndStop: bit(raw, 0x20),
    error: bit(raw, 0x40),
  };
}

export function parseErrorCauseByte(b: number): ErrorCauseByte {
  const raw = checked(3, b);
  return {
    raw,
    cutterError: bit(raw, 0x08),
    unrecoverable: bit(raw, 0x20),
    autoRecoverable: bit(raw, 0x40),
  };
}

export function parsePaperByte(b: number): PaperByte {
  const raw = checked(4, b);
  return { raw, nearEnd: bit(raw, 0x0c), out: bit(raw, 0x60) };
}

export function parseStatusByte<N extends StatusQuery>(n: N, b: number): StatusByteMap[N];
export function parseStatusByte(n: StatusQuery, b: number): StatusByteMap[StatusQuery] {
  switch (n) {
    case 1:
      return parsePrinterByte(b);
    case 2:
      return parseOfflineCauseByte(b);
    case 3:
      return parseErrorCauseByte(b);
    case 4:
      return parsePaperByte(b);
  }
}

/** The one-word summary the UI and the print gate use (the most specific cause wins over plain offline). */
export type PrinterCondition = 'offline' | 'cover_open' | 'paper_out' | 'error' | 'paper_near_end' | 'ready';

/** Combined answer to n=1, 2, 4 (and 3 when n=2 reports an error). */
export interface PrinterStatus {
  condition: PrinterCondition;
  online: boolean;
  coverOpen: boolean;
  paperNearEnd: boolean;
  paperOut: boolean;
  feedButton: boolean;
  error: boolean;
  cutterError: boolean;
  unrecoverableError: boolean;
  autoRecoverableError: boolean;
  /** Raw drawer sensor bit (n=1 bit 2). */
  drawerSensorHigh: boolean;
  /** The sensor bit interpreted with the configured polarity. */
  drawerOpen: boolean;
  raw: { printer: number; offlineCause: number; errorCause: number | null; paper: number };
}

export type DrawerPolarity = 'open_when_high' | 'open_when_low';

export function combineStatus(
  printer: PrinterByte,
  offlineCause: OfflineCauseByte,
  paper: PaperByte,
  errorCause: ErrorCauseByte | null,
  polarity: DrawerPolarity = 'open_when_high',
): PrinterStatus {
  const paperOut = paper.out || offlineCause.paperEndStop;
  const error = offlineCause.error;
  const condition: PrinterCondition = offlineCause.coverOpen
    ? 'cover_open'
    : paperOut
      ? 'paper_out'
      : error
        ? 'error'
        : printer.offline
          ? 'offline'
          : paper.nearEnd
            ? 'paper_near_end'
            : 'ready';
  return {
    condition,
    online: !printer.offline,
    coverOpen: offlineCause.coverOpen,
    paperNearEnd: paper.nearEnd,
    paperOut,
    feedButton: offlineCause.feedButton,
    error,
    cutterError: errorCause?.cutterError ?? false,
    unrecoverableError: errorCause?.unrecoverable ?? false,
    autoRecoverableError: errorCause?.autoRecoverable ?? false,
    drawerSensorHigh: printer.drawerSensorHigh,
    drawerOpen: polarity === 'open_when_high' ? printer.drawerSensorHigh : !printer.drawerSensorHigh,
    raw: {
      printer: printer.raw,
      offlineCause: offlineCause.raw,
      errorCause: errorCause?.raw ?? null,
      paper: paper.raw,
    },
  };
}
