/**
 * The one typed event every scanner source produces (keyboard wedge in the renderer, USB HID POS, serial, and the
 * shipped simulator), so the core handles a scan the same way whatever delivered it.
 *
 * The AIM symbology identifier (ISO/IEC 15424, e.g. `]E0`) is split off into `aim`; `data` keeps everything after
 * it unchanged, including the GS (0x1D) separators of GS1 element strings. `scanText(event)` glues the two back
 * together in the form `parseScan` (barcode.ts) expects, so a GS1-128 read stays a GS1-128 read in the core.
 *
 * Pure: no clock (the caller passes `at`), no I/O.
 */
import type { Symbology } from './barcode';

export type ScanSource = 'wedge' | 'hid' | 'serial' | 'simulated';

export interface ScanEvent {
  source: ScanSource;
  /** Which device read it, e.g. `hid:0c2e:0b61`, `serial:/dev/ttyACM0`, `wedge`, `simulated`. */
  deviceId: string;
  /** The decoded data without the AIM identifier; GS1 separators (GS, 0x1D) kept. */
  data: string;
  symbology: Symbology;
  /** The AIM identifier as sent (`]E0`), or null when the scanner sent none. */
  aim: string | null;
  /** ISO-8601 time of the read. */
  at: string;
}

/** Longest scan a driver passes on. 2D codes can be long; a longer stream is a stuck or misconfigured device. */
export const MAX_SCAN_LENGTH = 1024;

const GS = 0x1d;
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

/** Printable ASCII plus GS: what barcodes decode to. Anything else on the wire is noise, not a scan. */
export function isScanData(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== GS && (c < 0x20 || c > 0x7e)) return false;
  }
  return true;
}

/** Splits a leading AIM identifier (`]` + symbology letter + modifier) from the data. */
export function splitAim(raw: string): { aim: string | null; data: string } {
  const aim = AIM_PREFIX.exec(raw)?.[0];
  return aim === undefined ? { aim: null, data: raw } : { aim, data: raw.slice(aim.length) };
}

/**
 * The symbology an AIM identifier names. `]E0` carries EAN-13, UPC-A and UPC-E, told apart by the digit count
 * (13, 12, 8), the same rule `parseScan` uses. Without an identifier the carrier is unknown.
 */
export function symbologyFromAim(aim: string | null, data: string): Symbology {
  if (aim === null) return 'unknown';
  switch (aim.slice(1)) {
    case 'E0':
      if (data.length === 12) return 'upca';
      if (data.length === 8) return 'upce';
      return 'ean13';
    case 'E4':
      return 'ean8';
    case 'C1':
      return 'gs1_128';
    case 'd2':
      return 'gs1_datamatrix';
    case 'Q3':
      return 'gs1_qr';
    case 'e0':
      return 'gs1_databar';
    case 'I0':
    case 'I1':
      return 'itf14';
    default:
      return 'other';
  }
}

export type ScanDataProblem = 'empty' | 'control_characters' | 'too_long';

/**
 * Builds a scan event from what a scanner sent (AIM identifier optional, no terminator), or says why the text is
 * not a scan. Surrounding spaces are not stripped: they are data for some symbologies.
 */
export function toScanEvent(
  raw: string,
  source: ScanSource,
  deviceId: string,
  at: string,
): { ok: true; event: ScanEvent } | { ok: false; problem: ScanDataProblem } {
  if (raw.length > MAX_SCAN_LENGTH) return { ok: false, problem: 'too_long' };
  if (!isScanData(raw)) return { ok: false, problem: 'control_characters' };
  const { aim, data } = splitAim(raw);
  if (data.length === 0) return { ok: false, problem: 'empty' };
  return { ok: true, event: { source, deviceId, data, symbology: symbologyFromAim(aim, data), aim, at } };
}

/** The text `parseScan` classifies: the AIM identifier (when there is one) followed by the data. */
export function scanText(event: Pick<ScanEvent, 'aim' | 'data'>): string {
  return `${event.aim ?? ''}${event.data}`;
}
