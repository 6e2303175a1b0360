import { expandUpcE, hasValidCheckDigit, toGtin14 } from '../../../shared/domain/barcode';

/**
 * The stored normal form of a barcode (`barcodes.code`), shared by every writer (import, demo seeder, sync) and
 * by the scan lookup:
 *  - a GTIN (EAN-8, UPC-A, EAN-13, GTIN-14 with a valid check digit) → its GTIN-14, so a product printed with
 *    UPC-A `036000291452` is found when scanned as EAN-13 `0036000291452` or GTIN-14 `00036000291452`;
 *  - an 8-digit code that is not a valid EAN-8 but is a valid UPC-E → the GTIN-14 of its UPC-A expansion
 *    (scans of that UPC-E are expanded the same way by parseScan);
 *  - 8, 12, 13 or 14 digits with a wrong check digit → refused: a typo in a catalog file must not create a
 *    code no scanner will ever produce;
 *  - anything else (internal labels, Code 128/39 texts, short numeric codes) → stored as given (trimmed).
 */
export type BarcodeKeyResult = { ok: true; key: string } | { ok: false; reason: string };

const GTIN_LENGTHS: ReadonlySet<number> = new Set([8, 12, 13, 14]);
const DIGITS = /^\d+$/;
/** Printable ASCII without spaces: what a scanner in keyboard-wedge mode can send for a non-GS1 code. */
const PLAIN_CODE = /^[\x21-\x7e]{1,48}$/;

export function tryBarcodeKey(code: string): BarcodeKeyResult {
  const text = code.trim();
  if (text === '') return { ok: false, reason: 'empty barcode' };
  if (DIGITS.test(text) && GTIN_LENGTHS.has(text.length)) {
    const gtin = toGtin14(text);
    if (gtin !== null) return { ok: true, key: gtin };
    if (text.length === 8) {
      const upca = expandUpcE(text);
      if (upca !== null && hasValidCheckDigit(upca)) return { ok: true, key: upca.padStart(14, '0') };
    }
    return { ok: false, reason: `barcode ${text} has a wrong check digit` };
  }
  if (!PLAIN_CODE.test(text))
    return { ok: false, reason: `barcode "${text.slice(0, 48)}" has characters a scanner cannot send` };
  return { ok: true, key: text };
}

/**
 * The stored form of a barcode (see tryBarcodeKey).
 * @throws RangeError when the code cannot be stored (wrong check digit, empty, unscannable characters).
 */
export function barcodeKey(code: string): string {
  const result = tryBarcodeKey(code);
  if (!result.ok) throw new RangeError(result.reason);
  return result.key;
}
