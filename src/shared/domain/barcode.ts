/**
 * GS1 barcodes as a POS sees them: check digits, UPC-E expansion, GTIN-14 lookup keys, in-store
 * (restricted circulation) price/weight codes, and GS1 element strings (GS1-128, DataMatrix, QR).
 *
 * Pure: no clock, no I/O. Everything that depends on the store (in-store layouts, currency decimals, the current
 * year for the GS1 century rule) is passed in, so the renderer preview and the core classify a scan identically.
 *
 * Reference: GS1 General Specifications (check digit 7.9, price/weight verifier 7.9.3, century rule 7.12,
 * restricted circulation numbers 2.1.14), ISO/IEC 15424 for the AIM symbology identifiers.
 */
import { AppError } from './errors';
import { money, type Money } from './money';

// --- check digits -----------------------------------------------------------------------------------

const GS = '\u001d';
const DIGITS = /^\d+$/;

function isDigits(text: string): boolean {
  return DIGITS.test(text);
}

/**
 * The GS1 mod-10 check digit for `body` (the digits before the check digit). Weights alternate 3,1,3,… from
 * the right, which is why one function serves GTIN-8, -12, -13, -14, SSCC and GLN alike.
 */
export function gs1CheckDigit(body: string): number {
  if (body.length === 0 || !isDigits(body)) throw new RangeError(`Check digit needs digits, got "${body}"`);
  let sum = 0;
  let weight = 3;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += (body.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of an all-digit string is the GS1 check digit of the others. */
export function hasValidCheckDigit(code: string): boolean {
  if (code.length < 2 || !isDigits(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/** GTIN-8, -12 (UPC-A), -13 (EAN-13) or -14 with a correct check digit. UPC-E is not a GTIN: expand it first. */
export function isValidGtin(code: string): boolean {
  return [8, 12, 13, 14].includes(code.length) && hasValidCheckDigit(code);
}

/**
 * The one lookup key for every GTIN: left-padded to 14 digits, so an item scanned as UPC-A `036000291452`,
 * keyed in as EAN-13 `0036000291452` or received as GTIN-14 `00036000291452` finds the same catalog row.
 * Returns null for anything that is not a valid GTIN (UPC-E included: pass `expandUpcE(code)`).
 */
export function toGtin14(code: string): string | null {
  return isValidGtin(code) ? code.padStart(14, '0') : null;
}

// Weighted-digit tables of GS1 General Specifications 7.9.3 (the "2-", "3", "5+" and "5-" weighting factors).
const W2_MINUS: readonly number[] = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7];
const W3: readonly number[] = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7];
const W5_PLUS: readonly number[] = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9];
const W5_MINUS: readonly number[] = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1];

function digitAt(text: string, index: number): number {
  return text.charCodeAt(index) - 48;
}

function weighted(table: readonly number[], digit: number): number {
  const value = table[digit];
  if (value === undefined) throw new RangeError(`Not a digit: ${digit}`);
  return value;
}

/**
 * The price/weight verifier digit that some in-store layouts put before a 4- or 5-digit value
 * (GS1 General Specifications 7.9.3). It guards the value itself, which the overall check digit protects
 * only weakly against transposed digits.
 */
export function priceCheckDigit(value: string): number {
  if (!isDigits(value)) throw new RangeError(`Price check digit needs digits, got "${value}"`);
  if (value.length === 4) {
    const sum =
      weighted(W2_MINUS, digitAt(value, 0)) +
      weighted(W2_MINUS, digitAt(value, 1)) +
      weighted(W3, digitAt(value, 2)) +
      weighted(W5_MINUS, digitAt(value, 3));
    return (sum * 3) % 10;
  }
  if (value.length === 5) {
    const sum =
      weighted(W5_PLUS, digitAt(value, 0)) +
      weighted(W2_MINUS, digitAt(value, 1)) +
      weighted(W5_MINUS, digitAt(value, 2)) +
      weighted(W5_PLUS, digitAt(value, 3)) +
      weighted(W2_MINUS, digitAt(value, 4));
    // The check digit is the digit whose "5-" weighted value equals (10 − sum mod 10) mod 10.
    return W5_MINUS.indexOf((10 - (sum % 10)) % 10);
  }
  throw new RangeError(`Price check digit is defined for 4 or 5 digits, got ${value.length}`);
}

// --- UPC-E ---------------------------------------------------------------------------------------------

/**
 * Expands an 8-digit UPC-E (number system 0 or 1, six data digits, check digit) to its 12-digit UPC-A.
 * The last data digit selects how the manufacturer and product numbers were compressed:
 *   0–2: mfr d1 d2 d6 0 0, item 0 0 d3 d4 d5     3: mfr d1 d2 d3 0 0, item 0 0 0 d4 d5
 *   4:   mfr d1 d2 d3 d4 0, item 0 0 0 0 d5       5–9: mfr d1…d5, item 0 0 0 0 d6
 * The check digit is carried over unchanged (it is defined on the UPC-A), so validate the result.
 * Returns null when the input is not UPC-E shaped.
 */
export function expandUpcE(upce: string): string | null {
  if (upce.length !== 8 || !isDigits(upce)) return null;
  const ns = upce[0];
  if (ns !== '0' && ns !== '1') return null;
  const d = upce.slice(1, 7);
  const check = upce.slice(7);
  const last = digitAt(d, 5);
  let body: string;
  if (last <= 2) body = `${d.slice(0, 2)}${d[5]}0000${d.slice(2, 5)}`;
  else if (last === 3) body = `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
  else if (last === 4) body = `${d.slice(0, 4)}00000${d[4]}`;
  else body = `${d.slice(0, 5)}0000${d[5]}`;
  return `${ns}${body}${check}`;
}

/**
 * The inverse of expandUpcE: the canonical UPC-E of a UPC-A, or null when the UPC-A has no zero-suppressed
 * form (number system other than 0/1, or too few zeros). Rules are tried in the order that gives the
 * canonical encoding, so expandUpcE(compressUpcA(x)) === x.
 */
export function compressUpcA(upca: string): string | null {
  if (upca.length !== 12 || !isDigits(upca)) return null;
  const ns = upca[0];
  if (ns !== '0' && ns !== '1') return null;
  const mfr = upca.slice(1, 6);
  const item = upca.slice(6, 11);
  const check = upca.slice(11);
  let d: string | null = null;
  if (/^\d\d[0-2]00$/.test(mfr) && item.startsWith('00')) d = `${mfr.slice(0, 2)}${item.slice(2)}${mfr[2]}`;
  else if (mfr.endsWith('00') && item.startsWith('000')) d = `${mfr.slice(0, 3)}${item.slice(3)}3`;
  else if (mfr.endsWith('0') && item.startsWith('0000')) d = `${mfr.slice(0, 4)}${item[4]}4`;
  else if (item.startsWith('0000') && digitAt(item, 4) >= 5) d = `${mfr}${item[4]}`;
  return d === null ? null : `${ns}${d}${check}`;
}

// --- scan results ------------------------------------------------------------------------------------

/** The carrier a scan came from, as far as the AIM identifier (or the digit count, without one) tells. */
export type Symbology =
  | 'ean13'
  | 'upca'
  | 'upce'
  | 'ean8'
  | 'itf14'
  /** 14 digits with no AIM identifier: a GTIN-14 of unknown carrier. */
  | 'gtin14'
  | 'gs1_128'
  | 'gs1_datamatrix'
  | 'gs1_qr'
  | 'gs1_databar'
  /** No AIM identifier and not recognisably GS1 (keyboard wedge without prefix). */
  | 'unknown'
  /** An AIM identifier for a non-GS1 symbology (Code 39, plain Code 128, …); see `aimId`. */
  | 'other';

/**
 * Why a scan cannot be trusted. Distinct from "not found": a misread says nothing about the catalog, and the UI
 * asks for a rescan instead of offering to add the item.
 */
export type MisreadReason =
  'empty' | 'check_digit' | 'value_check_digit' | 'length' | 'unknown_ai' | 'malformed';

export interface GtinScan {
  kind: 'gtin';
  /** GTIN-14 lookup key (see toGtin14); UPC-E arrives here already expanded. */
  gtin: string;
  symbology: Symbology;
  /** The digits as scanned (8, 12, 13 or 14). */
  scanned: string;
  /**
   * GS1 restricted-circulation number (prefixes 02, 04, 20–29; GS1-8 prefixes 0 and 2): an in-store code whose
   * meaning is the retailer's. It is still a fine lookup key, but it is not unique across stores.
   */
  restrictedCirculation: boolean;
  /**
   * Set when the scan, read without an AIM identifier, is also a valid reading of another symbology (an 8-digit
   * code valid as both UPC-E and EAN-8). The catalog lookup should try it when `gtin` is not found.
   */
  alternativeGtin?: string;
}

export type InStoreValue = { type: 'price'; amount: Money } | { type: 'weight'; grams: number };

export interface InStoreScan {
  kind: 'in_store';
  symbology: 'ean13' | 'upca';
  /** The whole code as GTIN-14, for logs and as a fallback key. */
  gtin: string;
  /** The rule prefix that matched (e.g. "21", or "02" for a UPC-A number system 2). */
  prefix: string;
  /** The item digits only (the catalog's PLU for the item); the prefix is in `prefix`. */
  itemCode: string;
  value: InStoreValue;
  /** Index in the rules array of the rule that matched. */
  ruleIndex: number;
}

/** One Application Identifier and its value, in scan order; the typed fields below are derived from these. */
export interface Gs1Element {
  ai: string;
  value: string;
}

export interface Gs1Scan {
  kind: 'gs1';
  symbology: Symbology;
  /** AI 01 as a GTIN-14 (check digit validated). */
  gtin?: string;
  /** AI 10. */
  batch?: string;
  /** AI 17 as YYYY-MM-DD; a day of 00 means the last day of that month (GS1 General Specifications 3.4.6). */
  expiry?: string;
  /** AI 15 as YYYY-MM-DD, same day-00 rule. */
  bestBefore?: string;
  /** AI 21. */
  serial?: string;
  /** AI 310n (kilograms with n decimals) converted to whole grams. */
  netWeightGrams?: number;
  elements: Gs1Element[];
}

/** Not a GTIN and not GS1: a PLU, an internal SKU label, a plain Code 128/39, a member card number … */
export interface PlainScan {
  kind: 'plain';
  code: string;
  /** The AIM identifier (e.g. "]A0") when the scanner sent one. */
  aimId?: string;
}

export interface MisreadScan {
  kind: 'misread';
  reason: MisreadReason;
  /** An English sentence for logs and the technician screen; the cashier UI maps `reason` instead. */
  message: string;
  /** The scanned data without AIM identifier. A store with odd internal codes may still try it as a plain code. */
  code: string;
}

export type ScanResult = GtinScan | InStoreScan | Gs1Scan | PlainScan | MisreadScan;

// --- in-store layouts ----------------------------------------------------------------------------------

/**
 * How a store embeds a price or weight in its in-store (restricted circulation) EAN-13 / UPC-A codes. GS1
 * leaves the layout to each country and retailer, so it is configuration, not code.
 *
 * The rule is matched against the code as 13 digits: an EAN-13 as scanned, a UPC-A with a leading "0" (so a
 * UPC number system 2 code starts with "02"). Positions, left to right:
 *
 *   prefix | item digits | [value check digit] | value digits | check digit
 *
 * and the lengths must add up to 13. Examples:
 *  - China/EU scales, price: `{ prefixes: ['21'], itemDigits: 5, valueDigits: 5, valueType: 'price', decimals: 2 }`
 *    → `21 12345 01250 C` = item 12345, ¥12.50.
 *  - Weight in grams:        `{ prefixes: ['22'], itemDigits: 5, valueDigits: 5, valueType: 'weight', decimals: 3 }`
 *    → `22 12345 01250 C` = item 12345, 1.250 kg = 1250 g.
 *  - US UPC-A number system 2 with a price check digit:
 *    `{ prefixes: ['02'], itemDigits: 5, valueDigits: 4, valueType: 'price', decimals: 2, hasValueCheckDigit: true }`
 *    → `0 2 12345 V 0399 C` = item 12345, $3.99.
 *
 * Rules are tried in order; the first whose prefix matches wins. All prefixes of one rule have the same length.
 */
export interface InStoreRule {
  /** Leading digits of the 13-digit form, e.g. ['20', '21'] or ['02'] for UPC number system 2. */
  prefixes: string[];
  itemDigits: number;
  valueDigits: number;
  /** 'price': the value is money; 'weight': kilograms. */
  valueType: 'price' | 'weight';
  /**
   * Implied decimals of the value, in major currency units for a price (2: "01250" = 12.50) or in kilograms
   * for a weight (3: "01250" = 1.250 kg). A price may not have more decimals than the currency.
   */
  decimals: number;
  /** A GS1 price/weight verifier digit sits between the item digits and a 4- or 5-digit value. */
  hasValueCheckDigit?: boolean;
}

/** What parseScan needs to know about the store. Passed in so the function stays pure (no clock). */
export interface ScanContext {
  /** Decimal places of the store currency (CURRENCIES[code].decimals): converts embedded prices to minor units. */
  currencyDecimals: number;
  /** The current calendar year, for the GS1 two-digit-year century rule on dates such as AI 17. */
  currentYear: number;
}

function badRule(index: number, message: string): AppError {
  return new AppError('bad_input', `In-store barcode rule ${index + 1}: ${message}`, { ruleIndex: index });
}

/**
 * Checks in-store rules once, where they are configured (settings screen, import) and again before parsing, so
 * a bad layout is reported as such rather than as a stream of odd prices.
 * @throws AppError('bad_input')
 */
export function assertInStoreRules(rules: readonly InStoreRule[], currencyDecimals: number): void {
  if (!Number.isInteger(currencyDecimals) || currencyDecimals < 0 || currencyDecimals > 4) {
    throw new AppError('bad_input', `Currency decimals must be an integer 0–4, got ${currencyDecimals}`);
  }
  rules.forEach((rule, index) => {
    const first = rule.prefixes[0];
    if (first === undefined) throw badRule(index, 'needs at least one prefix');
    for (const prefix of rule.prefixes) {
      if (!isDigits(prefix) || prefix.length !== first.length) {
        throw badRule(index, 'prefixes must be digits, all of the same length');
      }
    }
    for (const [name, n] of [
      ['itemDigits', rule.itemDigits],
      ['valueDigits', rule.valueDigits],
      ['decimals', rule.decimals],
    ] as const) {
      if (!Number.isInteger(n) || n < 0) throw badRule(index, `${name} must be a non-negative integer`);
    }
    if (rule.itemDigits < 1 || rule.valueDigits < 1) throw badRule(index, 'needs item and value digits');
    if (rule.hasValueCheckDigit && rule.valueDigits !== 4 && rule.valueDigits !== 5) {
      throw badRule(index, 'a value check digit is defined only for 4- or 5-digit values');
    }
    const length = first.length + rule.itemDigits + (rule.hasValueCheckDigit ? 1 : 0) + rule.valueDigits + 1;
    if (length !== 13) throw badRule(index, `positions add up to ${length}, not 13`);
    if (rule.valueType === 'price' && rule.decimals > currencyDecimals) {
      throw badRule(index, `price has ${rule.decimals} decimals but the currency has ${currencyDecimals}`);
    }
  });
}

/** Integer-only rescale of `value` (with `from` implied decimals) to `to` decimals, rounding half up. */
function rescale(value: number, from: number, to: number): number {
  if (to >= from) return value * 10 ** (to - from);
  const divisor = 10 ** (from - to);
  const rest = value % divisor;
  const whole = (value - rest) / divisor;
  return rest * 2 >= divisor ? whole + 1 : whole;
}

/** GS1 prefixes reserved for in-store use, seen on the 13-digit form (02 and 04 are UPC number systems 2 and 4). */
function isRestrictedCirculation(gtin14: string, scannedLength: number): boolean {
  if (scannedLength === 8) return gtin14[6] === '0' || gtin14[6] === '2';
  if (!gtin14.startsWith('0')) return false;
  const gtin13 = gtin14.slice(1);
  return gtin13.startsWith('02') || gtin13.startsWith('04') || gtin13.startsWith('2');
}

function matchInStore(
  gtin13: string,
  symbology: InStoreScan['symbology'],
  rules: readonly InStoreRule[],
  context: ScanContext,
): InStoreScan | MisreadScan | null {
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const rule = rules[ruleIndex];
    if (rule === undefined) continue;
    const prefix = rule.prefixes.find((p) => gtin13.startsWith(p));
    if (prefix === undefined) continue;
    const itemEnd = prefix.length + rule.itemDigits;
    const itemCode = gtin13.slice(prefix.length, itemEnd);
    const valueCheck = rule.hasValueCheckDigit ? digitAt(gtin13, itemEnd) : null;
    const valueStart = itemEnd + (rule.hasValueCheckDigit ? 1 : 0);
    const digits = gtin13.slice(valueStart, valueStart + rule.valueDigits);
    if (valueCheck !== null && priceCheckDigit(digits) !== valueCheck) {
      return misread('value_check_digit', `Price/weight check digit of ${gtin13} does not match`, gtin13);
    }
    const raw = Number(digits);
    const value: InStoreValue =
      rule.valueType === 'price'
        ? { type: 'price', amount: money(rescale(raw, rule.decimals, context.currencyDecimals)) }
        : { type: 'weight', grams: rescale(raw, rule.decimals, 3) };
    return { kind: 'in_store', symbology, gtin: `0${gtin13}`, prefix, itemCode, value, ruleIndex };
  }
  return null;
}

function misread(reason: MisreadReason, message: string, code: string): MisreadScan {
  return { kind: 'misread', reason, message, code };
}

// --- GS1 element strings ------------------------------------------------------------------------------

/**
 * Application Identifiers we know: `fixed` = exact value length, `max` = variable length (ends at GS or at the
 * end of data). `numeric` values are digits only. Only the AIs a shop meets on goods and cases are listed;
 * anything else is an "unknown AI", not silently guessed, because a wrong split corrupts every later field.
 */
interface AiSpec {
  fixed?: number;
  max?: number;
  numeric: boolean;
}

const AI_TABLE: ReadonlyMap<string, AiSpec> = (() => {
  const table = new Map<string, AiSpec>();
  const fixed = (ai: string, length: number): void => {
    table.set(ai, { fixed: length, numeric: true });
  };
  const variable = (ai: string, max: number, numeric = false): void => {
    table.set(ai, { max, numeric });
  };
  fixed('00', 18); // SSCC
  fixed('01', 14); // GTIN
  fixed('02', 14); // GTIN of contained trade items
  variable('10', 20); // batch/lot
  for (const ai of ['11', '12', '13', '15', '16', '17']) fixed(ai, 6); // dates YYMMDD
  fixed('20', 2); // variant
  variable('21', 20); // serial
  variable('22', 20); // consumer product variant
  variable('235', 28);
  variable('240', 30);
  variable('241', 30);
  variable('242', 6, true);
  variable('243', 20);
  variable('250', 30);
  variable('251', 30);
  variable('254', 20);
  variable('30', 8, true); // variable count
  variable('37', 8, true); // count of trade items
  // Trade and logistic measures: 4-digit AIs whose last digit is the implied decimal position.
  for (let p = 310; p <= 369; p++) {
    if (p >= 317 && p <= 319) continue; // not assigned
    for (let n = 0; n <= 9; n++) fixed(`${p}${n}`, 6);
  }
  for (let n = 0; n <= 9; n++) {
    variable(`390${n}`, 15, true); // amount payable, local currency
    variable(`391${n}`, 18, true); // amount payable with ISO currency
    variable(`392${n}`, 15, true); // amount payable, single item
    variable(`393${n}`, 18, true);
    fixed(`394${n}`, 4); // coupon percentage
    fixed(`395${n}`, 6); // amount payable per unit of measure
  }
  variable('400', 30);
  variable('401', 30);
  fixed('402', 17);
  variable('403', 30);
  for (let ai = 410; ai <= 417; ai++) fixed(String(ai), 13); // GLNs
  variable('420', 20);
  variable('421', 12);
  fixed('422', 3);
  variable('423', 15, true);
  fixed('424', 3);
  variable('425', 15, true);
  fixed('426', 3);
  fixed('7001', 13);
  fixed('7003', 10);
  fixed('7006', 6);
  variable('7007', 12, true);
  fixed('8001', 14);
  variable('8003', 30);
  variable('8004', 30);
  fixed('8005', 6);
  fixed('8006', 18);
  variable('8007', 34);
  variable('8008', 12, true);
  fixed('8017', 18);
  fixed('8018', 18);
  variable('8020', 25);
  variable('8200', 70);
  variable('90', 30);
  for (let ai = 91; ai <= 99; ai++) variable(String(ai), 90);
  return table;
})();

function lookupAi(data: string, at: number): { ai: string; spec: AiSpec } | null {
  for (const length of [2, 3, 4]) {
    const ai = data.slice(at, at + length);
    const spec = AI_TABLE.get(ai);
    if (spec !== undefined) return { ai, spec };
  }
  return null;
}

export type ElementStringResult =
  | { ok: true; elements: Gs1Element[] }
  | {
      ok: false;
      reason: Extract<MisreadReason, 'unknown_ai' | 'malformed' | 'check_digit'>;
      message: string;
    };

function elementError(
  reason: 'unknown_ai' | 'malformed' | 'check_digit',
  message: string,
): ElementStringResult {
  return { ok: false, reason, message };
}

function checkElementValue(ai: string, spec: AiSpec, value: string): ElementStringResult | null {
  if (value.length === 0) return elementError('malformed', `AI (${ai}) has no value`);
  if (spec.numeric && !isDigits(value))
    return elementError('malformed', `AI (${ai}) must be numeric: "${value}"`);
  if ((ai === '01' || ai === '02' || ai === '00') && !hasValidCheckDigit(value)) {
    return elementError('check_digit', `AI (${ai}) ${value} has a wrong check digit`);
  }
  return null;
}

/**
 * Splits a GS1 element string (the data of a GS1-128, GS1 DataMatrix, GS1 QR or DataBar symbol, with FNC1
 * transmitted as GS 0x1D) into AIs. Fixed-length values are taken by length, and a GS after them is tolerated
 * (encoders must add one after AIs outside the predefined-length table); variable-length values end at GS or
 * at the end of data. Also accepts the human-readable form "(01)09501101530003(17)261231" for keyed entry.
 */
export function parseElementString(data: string): ElementStringResult {
  return data.startsWith('(') ? parseBracketed(data) : parseRaw(data);
}

function parseRaw(data: string): ElementStringResult {
  const elements: Gs1Element[] = [];
  let at = data.startsWith(GS) ? 1 : 0; // some scanners transmit the leading FNC1 too
  while (at < data.length) {
    const found = lookupAi(data, at);
    if (found === null)
      return elementError('unknown_ai', `Unknown Application Identifier at "${data.slice(at)}"`);
    const { ai, spec } = found;
    at += ai.length;
    let value: string;
    if (spec.fixed !== undefined) {
      value = data.slice(at, at + spec.fixed);
      if (value.length !== spec.fixed || value.includes(GS)) {
        return elementError('malformed', `AI (${ai}) needs ${spec.fixed} characters`);
      }
      at += spec.fixed;
    } else {
      const end = data.indexOf(GS, at);
      value = data.slice(at, end === -1 ? data.length : end);
      if (value.length > (spec.max ?? 0)) {
        return elementError('malformed', `AI (${ai}) is longer than ${spec.max ?? 0} characters`);
      }
      at += value.length;
    }
    const problem = checkElementValue(ai, spec, value);
    if (problem !== null) return problem;
    elements.push({ ai, value });
    if (data[at] === GS) at++;
  }
  if (elements.length === 0) return elementError('malformed', 'Empty element string');
  return { ok: true, elements };
}

function parseBracketed(data: string): ElementStringResult {
  const elements: Gs1Element[] = [];
  const pattern = /\((\d{2,4})\)([^(]*)/gy;
  let at = 0;
  for (let m = pattern.exec(data); m !== null; m = pattern.exec(data)) {
    const [whole, ai = '', value = ''] = m;
    at += whole.length;
    const spec = AI_TABLE.get(ai);
    if (spec === undefined) return elementError('unknown_ai', `Unknown Application Identifier (${ai})`);
    const length = spec.fixed ?? spec.max ?? 0;
    if (spec.fixed !== undefined ? value.length !== length : value.length > length) {
      return elementError('malformed', `AI (${ai}) has a value of the wrong length`);
    }
    const problem = checkElementValue(ai, spec, value);
    if (problem !== null) return problem;
    elements.push({ ai, value });
  }
  if (at !== data.length || elements.length === 0)
    return elementError('malformed', 'Malformed bracketed element string');
  return { ok: true, elements };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * A GS1 YYMMDD date as YYYY-MM-DD, or null when impossible. The century follows GS1 General Specifications
 * 7.12: a two-digit year 51–99 years ahead of the current one is in the previous century, 50–99 years behind is
 * in the next one, otherwise this century (so a 2090s scan of "05" means 2105, not 2005). Day 00 means the
 * last day of the month, which GS1 allows for expiry and best-before dates.
 */
export function gs1DateToIso(yymmdd: string, currentYear: number): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  let day = Number(yymmdd.slice(4, 6));
  const currentYy = currentYear % 100;
  const century = currentYear - currentYy;
  const diff = yy - currentYy;
  const year = diff >= 51 ? century - 100 + yy : diff <= -50 ? century + 100 + yy : century + yy;
  if (month < 1 || month > 12) return null;
  const last = daysInMonth(year, month);
  if (day === 0) day = last;
  if (day > last) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function toGs1Scan(
  elements: Gs1Element[],
  symbology: Symbology,
  context: ScanContext,
  code: string,
): Gs1Scan | MisreadScan {
  const scan: Gs1Scan = { kind: 'gs1', symbology, elements };
  for (const { ai, value } of elements) {
    if (ai === '01') scan.gtin = value;
    else if (ai === '10') scan.batch = value;
    else if (ai === '21') scan.serial = value;
    else if (ai === '17' || ai === '15') {
      const iso = gs1DateToIso(value, context.currentYear);
      if (iso === null) return misread('malformed', `AI (${ai}) is not a date: ${value}`, code);
      if (ai === '17') scan.expiry = iso;
      else scan.bestBefore = iso;
    } else if (ai.startsWith('310')) {
      // Kilograms with n decimals; grams have 3, so only n > 3 needs (integer) rounding.
      scan.netWeightGrams = rescale(Number(value), digitAt(ai, 3), 3);
    }
  }
  return scan;
}

// --- parseScan -----------------------------------------------------------------------------------------

const GS1_CARRIERS: Readonly<Record<string, Symbology>> = {
  C1: 'gs1_128',
  d2: 'gs1_datamatrix',
  Q3: 'gs1_qr',
  e0: 'gs1_databar',
};

function classifyGtin(
  digits: string,
  symbology: 'ean13' | 'upca' | 'ean8' | 'itf14' | 'gtin14',
  rules: readonly InStoreRule[],
  context: ScanContext,
): ScanResult {
  if (!hasValidCheckDigit(digits)) {
    return misread('check_digit', `Check digit of ${digits} does not match`, digits);
  }
  const gtin = digits.padStart(14, '0');
  if (symbology === 'ean13' || symbology === 'upca') {
    const inStore = matchInStore(gtin.slice(1), symbology, rules, context);
    if (inStore !== null) return inStore;
  }
  return {
    kind: 'gtin',
    gtin,
    symbology,
    scanned: digits,
    restrictedCirculation: isRestrictedCirculation(gtin, digits.length),
  };
}

function classifyUpcE(digits: string, alternativeEan8: boolean): ScanResult {
  const upca = expandUpcE(digits);
  if (upca === null) return misread('length', `${digits} is not a UPC-E (number system 0 or 1)`, digits);
  if (!hasValidCheckDigit(upca))
    return misread('check_digit', `Check digit of UPC-E ${digits} does not match`, digits);
  const scan: GtinScan = {
    kind: 'gtin',
    gtin: upca.padStart(14, '0'),
    symbology: 'upce',
    scanned: digits,
    restrictedCirculation: false,
  };
  if (alternativeEan8 && hasValidCheckDigit(digits)) scan.alternativeGtin = digits.padStart(14, '0');
  return scan;
}

/** Eight digits with no AIM identifier: UPC-E and EAN-8 cannot be told apart by the digits alone. */
function classifyEightDigits(
  digits: string,
  rules: readonly InStoreRule[],
  context: ScanContext,
): ScanResult {
  // UPC-E wins when both readings are valid: a wedge scanner in North America sends UPC-E as 8 digits, while
  // EAN-8 codes starting with 0 are in-store numbers. The EAN-8 reading is kept as alternativeGtin.
  const upca = expandUpcE(digits);
  if (upca !== null && hasValidCheckDigit(upca)) return classifyUpcE(digits, true);
  return classifyGtin(digits, 'ean8', rules, context);
}

const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

/**
 * Classifies one scan. `raw` is what the scanner sent (CR/LF and surrounding spaces are ignored), with or
 * without an AIM symbology identifier:
 *  - `]E0` EAN-13 / UPC-A / UPC-E (by length), `]E4` EAN-8, `]I0`/`]I1` ITF-14;
 *  - `]C1` GS1-128, `]d2` GS1 DataMatrix, `]Q3` GS1 QR, `]e0` GS1 DataBar: GS1 element strings;
 *  - any other AIM identifier: a plain code of that symbology.
 * Without an identifier: 8/12/13/14 digits are GTINs (a wrong check digit is a misread — the code is kept
 * in `code` for stores with odd internal numbers); data containing GS, or bracketed "(01)…", or starting with
 * AI 00/01/02 and parsing completely, is a GS1 element string; anything else is a plain code.
 *
 * In-store EAN-13/UPC-A codes that match a rule become `in_store`; those that match none stay `gtin` with
 * `restrictedCirculation: true` (a store may number unpriced goods in that range).
 *
 * @throws AppError('bad_input') when the rules themselves are invalid (see assertInStoreRules).
 */
export function parseScan(raw: string, rules: readonly InStoreRule[], context: ScanContext): ScanResult {
  assertInStoreRules(rules, context.currencyDecimals);
  const text = raw.trim();
  if (text === '') return misread('empty', 'Empty scan', '');
  const aim = AIM_PREFIX.exec(text)?.[0];
  if (aim !== undefined) return parseWithAim(aim.slice(1), text.slice(aim.length), rules, context);
  return parseWithoutAim(text, rules, context);
}

function parseWithAim(
  id: string,
  data: string,
  rules: readonly InStoreRule[],
  context: ScanContext,
): ScanResult {
  const carrier = GS1_CARRIERS[id];
  if (carrier !== undefined) {
    const parsed = parseElementString(data);
    if (!parsed.ok) return misread(parsed.reason, parsed.message, data);
    return toGs1Scan(parsed.elements, carrier, context, data);
  }
  if (id === 'E0') {
    if (!isDigits(data)) return misread('malformed', `EAN/UPC data must be digits: "${data}"`, data);
    if (data.length === 13) return classifyGtin(data, 'ean13', rules, context);
    if (data.length === 12) return classifyGtin(data, 'upca', rules, context);
    if (data.length === 8) return classifyUpcE(data, false);
    return misread('length', `EAN/UPC data of ${data.length} digits`, data);
  }
  if (id === 'E4') {
    if (data.length !== 8 || !isDigits(data))
      return misread('length', `EAN-8 must be 8 digits: "${data}"`, data);
    return classifyGtin(data, 'ean8', rules, context);
  }
  if ((id === 'I0' || id === 'I1') && data.length === 14 && isDigits(data)) {
    return classifyGtin(data, 'itf14', rules, context);
  }
  return { kind: 'plain', code: data, aimId: `]${id}` };
}

function parseWithoutAim(text: string, rules: readonly InStoreRule[], context: ScanContext): ScanResult {
  if (text.includes(GS) || text.startsWith('(')) {
    const parsed = parseElementString(text);
    if (!parsed.ok) return misread(parsed.reason, parsed.message, text);
    return toGs1Scan(parsed.elements, 'unknown', context, text);
  }
  if (isDigits(text)) {
    switch (text.length) {
      case 8:
        return classifyEightDigits(text, rules, context);
      case 12:
        return classifyGtin(text, 'upca', rules, context);
      case 13:
        return classifyGtin(text, 'ean13', rules, context);
      case 14:
        return classifyGtin(text, 'gtin14', rules, context);
    }
  }
  // An element string without GS (only fixed-length AIs, or one variable AI last) is recognised only when it
  // starts with a primary key AI and parses completely; otherwise a PLU such as "4011" would read as AI 401.
  if (text.length >= 16 && /^0[012]/.test(text)) {
    const parsed = parseElementString(text);
    if (parsed.ok) return toGs1Scan(parsed.elements, 'unknown', context, text);
  }
  return { kind: 'plain', code: text };
}
