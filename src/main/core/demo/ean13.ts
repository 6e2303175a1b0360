/**
 * GS1 check digits for the demo's EAN-13 codes. Deliberately local: the demo must not depend on the shared
 * barcode module while it is being written, and this is all it needs.
 */

/** The GS1 mod-10 check digit of the data digits (everything but the check digit): weights 3,1,3… from the right. */
export function gs1CheckDigit(data: string): number {
  if (!/^\d+$/.test(data)) throw new Error(`GS1 data must be digits: ${data}`);
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const digit = data.charCodeAt(data.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Appends the check digit to 12 data digits. */
export function makeEan13(first12: string): string {
  if (!/^\d{12}$/.test(first12)) throw new Error(`EAN-13 needs 12 data digits: ${first12}`);
  return first12 + String(gs1CheckDigit(first12));
}

export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && makeEan13(code.slice(0, 12)) === code;
}

/**
 * The form a GTIN is stored in `barcodes.code`: normalised to 14 digits (see migrations/0002_catalog.sql), so an
 * EAN-13, the UPC-A inside it and a GTIN-14 of the same item are one key.
 */
export function toGtin14(ean13: string): string {
  if (!isValidEan13(ean13)) throw new Error(`Not a valid EAN-13: ${ean13}`);
  return `0${ean13}`;
}
