import { tryBarcodeKey } from './barcode-key';
import { pinyinInitials } from './pinyin';
import { searchColumns, type SearchColumns } from './search-text';

/**
 * A product as a writer supplies it (the CSV import, later the product editor and the sync pull), and the
 * checked form the repository writes. Checks that need only the row live here, so they run off the main thread
 * during an import; checks that need the database (tax code, barcode owners) run in the repository.
 */

export const UNITS = ['piece', 'kg', 'g'] as const;
export type Unit = (typeof UNITS)[number];

export const MAX_NAME_LENGTH = 120;
export const MAX_BARCODES_PER_PRODUCT = 20;
/** Letters, digits and `-._`, starting with a letter or digit: what a cashier can type on the PLU keypad. */
const PLU_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$/;
const TAX_CODE_PATTERN = /^[0-9A-Za-z._-]{1,20}$/;
/** Money in minor units must stay well inside the safe-integer range (prices up to 10^13 minor units). */
const MAX_MONEY = 10 ** 13;

export interface ProductInput {
  plu?: string | null;
  /** As printed or scanned; stored in their normal form (see barcodeKey). */
  barcodes?: readonly string[];
  nameZh?: string;
  nameEn?: string;
  /** A category name (Chinese or English); created when no category has that name. */
  category?: string | null;
  unit?: Unit;
  /** Minor units of the store currency; per kg / per g for weighed units. */
  price: number;
  cost?: number | null;
  /** `tax_rates.code`, e.g. "VAT13". */
  taxCode: string;
  active?: boolean;
}

export interface PreparedProduct {
  /** Line in the source file (1-based, the header is line 1), or the index in an API batch. */
  line: number;
  plu: string | null;
  /** Normal forms, without duplicates. */
  barcodes: string[];
  /** Either may be empty; both empty is allowed only for an update (the writer refuses a new product without). */
  nameZh: string;
  nameEn: string;
  pinyinInitials: string;
  category: string | null;
  unit: Unit;
  price: number;
  cost: number | null;
  taxCode: string;
  active: boolean;
  /**
   * The product's search entry for these names, computed where the row is checked (the import worker), so the
   * writer only stores it. Used for new products; an update is re-indexed from the stored row.
   */
  search: SearchColumns;
}

export interface Rejection {
  line: number;
  reason: string;
}

export function isRejection(value: PreparedProduct | Rejection): value is Rejection {
  return 'reason' in value;
}

function isMoney(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_MONEY;
}

/** Checks one product and computes what the index needs (barcode keys, pinyin initials). Never throws. */
export function prepareProduct(input: ProductInput, line: number): PreparedProduct | Rejection {
  const reject = (reason: string): Rejection => ({ line, reason });
  const nameZh = (input.nameZh ?? '').trim();
  const nameEn = (input.nameEn ?? '').trim();
  if (nameZh.length > MAX_NAME_LENGTH || nameEn.length > MAX_NAME_LENGTH) {
    return reject(`name longer than ${MAX_NAME_LENGTH} characters`);
  }
  if (nameZh.includes('\uFFFD') || nameEn.includes('\uFFFD')) {
    return reject('name is not valid UTF-8 (save the file as "CSV UTF-8")');
  }
  const plu = (input.plu ?? '').trim();
  if (plu !== '' && !PLU_PATTERN.test(plu)) {
    return reject(`PLU "${plu.slice(0, 24)}" must be 1–20 letters, digits, "-", "." or "_"`);
  }
  const given = input.barcodes ?? [];
  if (given.length > MAX_BARCODES_PER_PRODUCT)
    return reject(`more than ${MAX_BARCODES_PER_PRODUCT} barcodes`);
  const barcodes: string[] = [];
  for (const code of given) {
    const key = tryBarcodeKey(code);
    if (!key.ok) return reject(key.reason);
    if (!barcodes.includes(key.key)) barcodes.push(key.key);
  }
  if (plu === '' && barcodes.length === 0) {
    return reject('needs a PLU or a barcode: without either it can be neither scanned nor updated later');
  }
  if (!isMoney(input.price)) return reject('price must be a non-negative amount');
  const cost = input.cost ?? null;
  if (cost !== null && !isMoney(cost)) return reject('cost must be a non-negative amount');
  const unit = input.unit ?? 'piece';
  if (!UNITS.includes(unit)) return reject(`unit must be one of ${UNITS.join(', ')}`);
  const taxCode = input.taxCode.trim();
  if (!TAX_CODE_PATTERN.test(taxCode)) return reject('tax code missing or malformed');
  const category = (input.category ?? '').trim();
  if (category.length > MAX_NAME_LENGTH) return reject(`category longer than ${MAX_NAME_LENGTH} characters`);
  const initials = pinyinInitials(nameZh === '' ? nameEn : nameZh);
  return {
    line,
    plu: plu === '' ? null : plu,
    barcodes,
    nameZh,
    nameEn,
    pinyinInitials: initials,
    search: searchColumns(nameZh, nameEn, initials, plu === '' ? null : plu),
    category: category === '' ? null : category,
    unit,
    price: input.price,
    cost,
    taxCode,
    active: input.active ?? true,
  };
}

/**
 * Finds a PLU or barcode used twice in one import. GTIN-14 keys are kept as numbers (14 digits are below
 * 2^53, and all keys in that map have the same length, so the mapping is one-to-one) because a million-row
 * file means a million keys, and numbers take far less memory than strings.
 */
export class DuplicateTracker {
  private readonly plus = new Map<string, number>();
  private readonly gtins = new Map<number, number>();
  private readonly otherCodes = new Map<string, number>();

  /** The reason the product repeats an earlier line, or null (then its keys are claimed for this line). */
  claim(product: PreparedProduct): string | null {
    if (product.plu !== null) {
      const first = this.plus.get(product.plu);
      if (first !== undefined) return `PLU ${product.plu} already on line ${first}`;
    }
    for (const code of product.barcodes) {
      const first = GTIN14.test(code) ? this.gtins.get(Number(code)) : this.otherCodes.get(code);
      if (first !== undefined) return `barcode ${code} already on line ${first}`;
    }
    if (product.plu !== null) this.plus.set(product.plu, product.line);
    for (const code of product.barcodes) {
      if (GTIN14.test(code)) this.gtins.set(Number(code), product.line);
      else this.otherCodes.set(code, product.line);
    }
    return null;
  }
}

const GTIN14 = /^\d{14}$/;
