import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressUpcA, gs1CheckDigit } from '../../../src/shared/domain/barcode';
import { AppError } from '../../../src/shared/domain/errors';
import { CatalogRepo } from '../../../src/main/core/catalog/catalog-repo';
import { unwrap } from '../../helpers/station';
import { addProducts, openCatalogStation, queryPlan, type CatalogStation } from './helpers';

const withCheck = (body: string) => body + String(gs1CheckDigit(body));

// One product printed in every GTIN form: UPC-A 036000291452 = EAN-13 0036000291452 = GTIN-14 00036000291452.
const UPC_A = '036000291452';
// A UPC-A with a zero-suppressed UPC-E form, and that UPC-E.
const UPC_A_SHORT = withCheck('01230000045');
const UPC_E = compressUpcA(UPC_A_SHORT)!;
const EAN_8 = '96385074';
const EAN_13 = '4006381333931';
const APPLES_GTIN = withCheck('0690123456789');

let t: CatalogStation;
const ids: Record<string, string> = {};

function scanError(code: string): AppError {
  try {
    t.station.catalog.resolveScan(code);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`${code} resolved`);
}

beforeAll(async () => {
  t = await openCatalogStation();
  const [cola, chips, gum, water, apples, bananas, cake, old] = addProducts(t.station, [
    {
      plu: '1001',
      barcodes: [UPC_A],
      nameZh: '可口可乐 330ml',
      nameEn: 'Coca-Cola 330ml',
      price: 300,
      taxCode: 'VAT13',
    },
    { barcodes: [UPC_A_SHORT], nameZh: '乐事薯片', nameEn: "Lay's Chips", price: 750, taxCode: 'VAT13' },
    { barcodes: [EAN_8], nameZh: '口香糖', nameEn: 'Chewing Gum', price: 250, taxCode: 'VAT13' },
    { barcodes: [EAN_13, 'SHELF-7'], nameZh: '矿泉水', nameEn: 'Water', price: 200, taxCode: 'VAT13' },
    {
      plu: '123',
      barcodes: [APPLES_GTIN],
      nameZh: '散装苹果',
      nameEn: 'Apples',
      unit: 'kg',
      price: 1280,
      taxCode: 'VAT9',
    },
    { plu: '00456', nameZh: '香蕉', nameEn: 'Bananas', unit: 'kg', price: 690, taxCode: 'VAT9' },
    { plu: '789', nameZh: '生日蛋糕', nameEn: 'Birthday Cake', price: 9900, taxCode: 'VAT13' },
    {
      plu: '999',
      barcodes: ['5901234123457'],
      nameZh: '停售商品',
      nameEn: 'Discontinued',
      price: 100,
      taxCode: 'VAT13',
      active: false,
    },
  ]);
  Object.assign(ids, { cola, chips, gum, water, apples, bananas, cake, old });
});
afterAll(() => t.cleanup());

describe('scanning GTINs', () => {
  it.each([
    ['UPC-A', UPC_A],
    ['EAN-13', `0${UPC_A}`],
    ['GTIN-14', `00${UPC_A}`],
    ['UPC-A with AIM ]E0', `]E0${UPC_A}`],
    ['ITF-14', `]I000${UPC_A}`],
    ['scanner CR/LF', `${UPC_A}\r\n`],
  ])('finds the product from its %s form', (_form, code) => {
    const match = t.station.catalog.resolveScan(code);
    expect(match.product.id).toBe(ids.cola);
    expect(match.product.price).toBe(300);
    expect(match.product.taxRatePpm).toBe(130_000);
  });

  it('expands UPC-E to the stored UPC-A', () => {
    expect(UPC_E).toHaveLength(8);
    expect(t.station.catalog.resolveScan(UPC_E).product.id).toBe(ids.chips);
    expect(t.station.catalog.resolveScan(`]E0${UPC_E}`).product.id).toBe(ids.chips);
  });

  it('finds an EAN-8 (also when the digits read as a UPC-E first)', () => {
    expect(t.station.catalog.resolveScan(EAN_8).product.id).toBe(ids.gum);
    expect(t.station.catalog.resolveScan(`]E4${EAN_8}`).product.id).toBe(ids.gum);
  });

  it('finds an EAN-13, and a plain internal code', () => {
    expect(t.station.catalog.resolveScan(EAN_13).product.id).toBe(ids.water);
    expect(t.station.catalog.resolveScan('SHELF-7').product.id).toBe(ids.water);
  });
});

describe('misread vs not found', () => {
  it('reports a wrong check digit as a misread to scan again', () => {
    const err = scanError('4006381333932');
    expect(err.code).toBe('bad_input');
    expect(err.action).toBe('scan_again');
    expect(err.details).toMatchObject({ reason: 'check_digit' });
  });

  it('reports a valid code no product has as not found', () => {
    const err = scanError(withCheck('690000000001'));
    expect(err.code).toBe('not_found');
    expect(err.action).toBeUndefined();
  });

  it('refuses an inactive product with a clear reason', () => {
    const err = scanError('5901234123457');
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('not for sale');
    expect(err.details).toMatchObject({ reason: 'inactive', productId: ids.old });
    expect(t.station.catalog.getProduct(ids.old!)?.active).toBe(false);
  });

  it('reports an empty scan as a misread', () => {
    expect(scanError('   ').details).toMatchObject({ reason: 'empty' });
  });
});

describe('typed PLUs', () => {
  it('resolves a PLU the cashier types', () => {
    expect(t.station.catalog.resolveScan('789').product.id).toBe(ids.cake);
    expect(t.station.catalog.resolveScan('1001').product.id).toBe(ids.cola);
  });
});

describe('in-store price and weight labels (default China layout)', () => {
  it('reads a weight label (prefix 28): item = PLU, 1.250 kg', () => {
    const match = t.station.catalog.resolveScan(withCheck('280012301250'));
    expect(match.product.id).toBe(ids.apples);
    expect(match.qtyMilli).toBe(1250);
    expect(match.embeddedPrice).toBeUndefined();
  });

  it('reads a price label (prefix 21): ¥19.90 as printed, PLU padded with zeros', () => {
    const match = t.station.catalog.resolveScan(withCheck('210045601990'));
    expect(match.product.id).toBe(ids.bananas);
    expect(match.embeddedPrice).toBe(1990);
    expect(match.qtyMilli).toBeUndefined();
  });

  it('strips the scale padding to find a catalog PLU without zeros', () => {
    expect(t.station.catalog.resolveScan(withCheck('280012300500')).qtyMilli).toBe(500);
  });

  it('refuses a weight label on a product sold by the piece', () => {
    expect(scanError(withCheck('280078900500')).code).toBe('conflict');
  });

  it('reports a label for an unknown item as not found', () => {
    expect(scanError(withCheck('210999901990')).code).toBe('not_found');
  });
});

describe('GS1-128 / DataMatrix element strings', () => {
  const element = `0100036000291452${'17'}261231${'10'}LOT42`;

  it('reads AI 01, 17 and 10 with the AIM prefix', () => {
    const match = t.station.catalog.resolveScan(`]C1${element}`);
    expect(match.product.id).toBe(ids.cola);
    expect(match.expiry).toBe('2026-12-31');
    expect(match.batch).toBe('LOT42');
  });

  it('reads the bracketed form and a DataMatrix with GS separators', () => {
    expect(t.station.catalog.resolveScan('(01)00036000291452(10)A1').batch).toBe('A1');
    expect(t.station.catalog.resolveScan(`]d20100036000291452${'10'}B7\u001d17261231`).batch).toBe('B7');
  });

  it('takes the quantity of a weighed item from AI 3103', () => {
    const match = t.station.catalog.resolveScan(`]C101${APPLES_GTIN.padStart(14, '0')}3103001250`);
    expect(match.product.id).toBe(ids.apples);
    expect(match.qtyMilli).toBe(1250);
  });

  it('reports a GS1 code without AI 01 as not found, a broken one as a misread', () => {
    expect(scanError(']C110LOT42').code).toBe('not_found');
    expect(scanError(']C10100036000291453').code).toBe('bad_input');
  });
});

describe('through the gate', () => {
  it('returns the product summary with price and tax', async () => {
    const r = unwrap(await t.admin('catalog:lookup', { code: `0${UPC_A}` }));
    expect(r.product).toEqual({
      id: ids.cola,
      plu: '1001',
      nameZh: '可口可乐 330ml',
      nameEn: 'Coca-Cola 330ml',
      unit: 'piece',
      price: 300,
      taxCode: 'VAT13',
      taxRatePpm: 130_000,
      active: true,
    });
    expect(r.scanned).toBe(`0${UPC_A}`);
  });

  it('returns typed errors for a misread and an unknown code', async () => {
    const misread = await t.admin('catalog:lookup', { code: '4006381333932' });
    expect(misread.ok).toBe(false);
    if (!misread.ok) expect(misread.error).toMatchObject({ code: 'bad_input', action: 'scan_again' });
    const unknown = await t.admin('catalog:lookup', { code: withCheck('690000000001') });
    if (!unknown.ok) expect(unknown.error.code).toBe('not_found');
  });

  it('returns a product with its stored barcodes', async () => {
    const p = unwrap(await t.admin('catalog:get-product', { id: ids.water! }));
    expect(p.barcodes).toEqual(['04006381333931', 'SHELF-7']);
    const missing = await t.admin('catalog:get-product', { id: '01890a5d-ac96-774b-bcce-b302099a8057' });
    expect(missing.ok).toBe(false);
  });

  it('reads every lookup with an index (EXPLAIN QUERY PLAN)', () => {
    const repo = new CatalogRepo(t.station.db);
    const byBarcode = queryPlan(t.station, repo.byBarcode.source);
    expect(byBarcode).toMatch(/SEARCH b USING PRIMARY KEY \(code=\?\)/);
    expect(byBarcode).toMatch(/SEARCH p USING INDEX sqlite_autoindex_products_1 \(id=\?\)/);
    expect(queryPlan(t.station, repo.byPlu.source)).toMatch(
      /SEARCH p USING INDEX sqlite_autoindex_products_2 \(plu=\?\)/,
    );
    expect(queryPlan(t.station, repo.byId.source)).toMatch(
      /SEARCH p USING INDEX sqlite_autoindex_products_1 \(id=\?\)/,
    );
    for (const statement of [repo.byBarcode, repo.byPlu, repo.byId, repo.barcodesOf]) {
      expect(queryPlan(t.station, statement.source)).not.toMatch(/\bSCAN\b/);
    }
  });
});
