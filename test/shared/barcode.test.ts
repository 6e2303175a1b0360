import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  assertInStoreRules,
  compressUpcA,
  expandUpcE,
  gs1CheckDigit,
  gs1DateToIso,
  hasValidCheckDigit,
  isValidGtin,
  parseElementString,
  parseScan,
  priceCheckDigit,
  toGtin14,
  type InStoreRule,
  type ScanContext,
  type ScanResult,
} from '../../src/shared/domain/barcode';
import { AppError } from '../../src/shared/domain/errors';

const GS = '\u001d';
const CNY: ScanContext = { currencyDecimals: 2, currentYear: 2025 };
const JPY: ScanContext = { currencyDecimals: 0, currentYear: 2025 };

const PRICE_21: InStoreRule = {
  prefixes: ['21'],
  itemDigits: 5,
  valueDigits: 5,
  valueType: 'price',
  decimals: 2,
};
const WEIGHT_22: InStoreRule = {
  prefixes: ['22'],
  itemDigits: 5,
  valueDigits: 5,
  valueType: 'weight',
  decimals: 3,
};
const UPC_2: InStoreRule = {
  prefixes: ['02'],
  itemDigits: 5,
  valueDigits: 4,
  valueType: 'price',
  decimals: 2,
  hasValueCheckDigit: true,
};
const RULES = [PRICE_21, WEIGHT_22, UPC_2];

function scan(raw: string, rules: InStoreRule[] = RULES, context: ScanContext = CNY): ScanResult {
  return parseScan(raw, rules, context);
}

function withCheck(body: string): string {
  return `${body}${gs1CheckDigit(body)}`;
}

describe('GS1 check digits (published vectors)', () => {
  it.each([
    ['4006381333931', 'EAN-13'],
    ['036000291452', 'UPC-A'],
    ['96385074', 'EAN-8'],
    ['012345000065', 'UPC-A from UPC-E'],
    ['09501101530003', 'GTIN-14'],
  ])('%s (%s) is valid', (code) => {
    expect(isValidGtin(code)).toBe(true);
    expect(gs1CheckDigit(code.slice(0, -1))).toBe(Number(code.slice(-1)));
  });

  it('rejects a wrong check digit, wrong lengths and non-digits', () => {
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('400638133393')).toBe(false); // 12 digits, not a valid UPC-A
    expect(isValidGtin('40063813339311')).toBe(false);
    expect(isValidGtin('4006381333931x')).toBe(false);
    expect(hasValidCheckDigit('')).toBe(false);
    expect(() => gs1CheckDigit('12a')).toThrow(RangeError);
  });

  it('normalises every GTIN to GTIN-14 for lookup keys', () => {
    expect(toGtin14('4006381333931')).toBe('04006381333931');
    expect(toGtin14('036000291452')).toBe('00036000291452');
    expect(toGtin14('0036000291452')).toBe('00036000291452');
    expect(toGtin14('96385074')).toBe('00000096385074');
    expect(toGtin14('09501101530003')).toBe('09501101530003');
    expect(toGtin14('4006381333932')).toBeNull();
    expect(toGtin14(expandUpcE('01234565') ?? '')).toBe('00012345000065');
  });

  it('detects every single-digit error (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(7, 11, 12, 13),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (length, digits, position, delta) => {
          const code = withCheck(digits.slice(0, length).join(''));
          expect(isValidGtin(code)).toBe(true);
          const at = position % code.length;
          const changed = `${code.slice(0, at)}${(Number(code[at]) + delta) % 10}${code.slice(at + 1)}`;
          expect(hasValidCheckDigit(changed)).toBe(false);
        },
      ),
    );
  });

  it('computes the price/weight verifier digit (GS1 General Specifications 7.9.3)', () => {
    expect(priceCheckDigit('2875')).toBe(9);
    expect(priceCheckDigit('14685')).toBe(6);
    expect(priceCheckDigit('0399')).toBe(2);
    expect(() => priceCheckDigit('123')).toThrow(RangeError);
  });
});

describe('UPC-E', () => {
  it('expands the published vector and compresses it back', () => {
    expect(expandUpcE('01234565')).toBe('012345000065');
    expect(compressUpcA('012345000065')).toBe('01234565');
  });

  it.each([
    // last data digit 0–2: manufacturer d1 d2 d6 00, item 00 d3 d4 d5
    ['01234500', '012000003450'],
    ['01234511', '012100003451'],
    ['11234522', '112200003452'],
    // 3: manufacturer d1 d2 d3 00, item 000 d4 d5
    ['04563934', '045600000394'],
    // 4: manufacturer d1 d2 d3 d4 0, item 0000 d5
    ['07894548', '078940000058'],
    // 5–9: manufacturer d1…d5, item 0000 d6
    ['06543257', '065432000057'],
    ['16543299', '165432000099'],
  ])('%s expands to %s', (upce, upca) => {
    expect(expandUpcE(upce)).toBe(upca);
    expect(compressUpcA(upca)).toBe(upce);
  });

  it('refuses number systems other than 0/1 and codes without enough zeros', () => {
    expect(expandUpcE('21234565')).toBeNull();
    expect(expandUpcE('0123456')).toBeNull();
    expect(compressUpcA('036000291452')).toBeNull();
    expect(compressUpcA('212345000065')).toBeNull();
  });

  it('expand(compress(upcA)) === upcA, and every UPC-E expands to a compressible UPC-A (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('0', '1'), fc.stringMatching(/^\d{6}$/), (ns, data) => {
        const upca = expandUpcE(`${ns}${data}0`)!;
        const valid = withCheck(upca.slice(0, 11));
        const upce = compressUpcA(valid);
        expect(upce).not.toBeNull();
        expect(expandUpcE(upce!)).toBe(valid);
      }),
    );
  });
});

describe('parseScan: EAN/UPC', () => {
  it('classifies the published vectors with and without AIM identifiers', () => {
    expect(scan(']E04006381333931')).toEqual({
      kind: 'gtin',
      gtin: '04006381333931',
      symbology: 'ean13',
      scanned: '4006381333931',
      restrictedCirculation: false,
    });
    expect(scan('4006381333931\r\n')).toMatchObject({
      kind: 'gtin',
      gtin: '04006381333931',
      symbology: 'ean13',
    });
    expect(scan(']E0036000291452')).toMatchObject({
      kind: 'gtin',
      gtin: '00036000291452',
      symbology: 'upca',
    });
    expect(scan('036000291452')).toMatchObject({ kind: 'gtin', gtin: '00036000291452', symbology: 'upca' });
    expect(scan(']E496385074')).toMatchObject({ kind: 'gtin', gtin: '00000096385074', symbology: 'ean8' });
    expect(scan('96385074')).toMatchObject({ kind: 'gtin', gtin: '00000096385074', symbology: 'ean8' });
    expect(scan('09501101530003')).toMatchObject({
      kind: 'gtin',
      gtin: '09501101530003',
      symbology: 'gtin14',
    });
    expect(scan(']I109501101530003')).toMatchObject({
      kind: 'gtin',
      gtin: '09501101530003',
      symbology: 'itf14',
    });
  });

  it('expands UPC-E to its UPC-A key', () => {
    expect(scan(']E001234565')).toEqual({
      kind: 'gtin',
      gtin: '00012345000065',
      symbology: 'upce',
      scanned: '01234565',
      restrictedCirculation: false,
    });
  });

  it('without AIM, prefers UPC-E for 8 digits valid both ways and keeps the EAN-8 reading', () => {
    // 01234565 happens to be a valid EAN-8 as well.
    expect(hasValidCheckDigit('01234565')).toBe(true);
    expect(scan('01234565')).toMatchObject({
      kind: 'gtin',
      gtin: '00012345000065',
      symbology: 'upce',
      alternativeGtin: '00000001234565',
    });
    // With ]E4 the scanner says it is EAN-8: no guessing.
    expect(scan(']E401234565')).toMatchObject({ kind: 'gtin', gtin: '00000001234565', symbology: 'ean8' });
  });

  it('reports a wrong check digit as a misread, not as an unknown item', () => {
    expect(scan(']E04006381333932')).toMatchObject({
      kind: 'misread',
      reason: 'check_digit',
      code: '4006381333932',
    });
    expect(scan('036000291453')).toMatchObject({ kind: 'misread', reason: 'check_digit' });
    expect(scan(']E001234566')).toMatchObject({ kind: 'misread', reason: 'check_digit' });
    expect(scan(']E496385075')).toMatchObject({ kind: 'misread', reason: 'check_digit' });
    expect(scan(']E0123')).toMatchObject({ kind: 'misread', reason: 'length' });
    expect(scan('  \r\n')).toMatchObject({ kind: 'misread', reason: 'empty' });
  });

  it('treats PLUs, internal codes and other symbologies as plain codes', () => {
    expect(scan('4011')).toEqual({ kind: 'plain', code: '4011' });
    expect(scan('SKU-0042')).toEqual({ kind: 'plain', code: 'SKU-0042' });
    expect(scan('123456789')).toEqual({ kind: 'plain', code: '123456789' });
    expect(scan(']A0ABC-123')).toEqual({ kind: 'plain', code: 'ABC-123', aimId: ']A0' });
    expect(scan(']C04006381333931')).toEqual({ kind: 'plain', code: '4006381333931', aimId: ']C0' });
  });
});

describe('parseScan: in-store price/weight codes', () => {
  it('reads an embedded price (2 + prefix digit + 5 item + 5 price + check)', () => {
    // 21 12345 01250 6: check digit worked by hand (sum 44 → 6).
    expect(scan('2112345012506')).toEqual({
      kind: 'in_store',
      symbology: 'ean13',
      gtin: '02112345012506',
      prefix: '21',
      itemCode: '12345',
      value: { type: 'price', amount: 1250 },
      ruleIndex: 0,
    });
  });

  it('reads an embedded weight in grams', () => {
    expect(scan(']E02212345012503')).toMatchObject({
      kind: 'in_store',
      itemCode: '12345',
      value: { type: 'weight', grams: 1250 },
      ruleIndex: 1,
    });
  });

  it('converts price decimals to the currency with integer maths', () => {
    const yen: InStoreRule = { ...PRICE_21, decimals: 0 };
    expect(parseScan('2112345012506', [yen], JPY)).toMatchObject({ value: { type: 'price', amount: 1250 } });
    const tenths: InStoreRule = { ...PRICE_21, decimals: 1 };
    expect(parseScan('2112345012506', [tenths], CNY)).toMatchObject({
      value: { type: 'price', amount: 12500 },
    });
    const grams: InStoreRule = { ...WEIGHT_22, decimals: 0 }; // value in whole kg
    expect(parseScan(withCheck('221234500002'), [grams], CNY)).toMatchObject({
      value: { type: 'weight', grams: 2000 },
    });
  });

  it('reads UPC-A number system 2 with a price verifier digit', () => {
    // 2 12345 2 0399 6: verifier 2 for 0399, UPC check 6 (both worked by hand).
    expect(scan(']E0212345203996')).toMatchObject({
      kind: 'in_store',
      symbology: 'upca',
      gtin: '00212345203996',
      prefix: '02',
      itemCode: '12345',
      value: { type: 'price', amount: 399 },
    });
    // Same value, wrong verifier digit but a correct overall check digit.
    expect(scan(']E0212345303993')).toMatchObject({ kind: 'misread', reason: 'value_check_digit' });
  });

  it('leaves restricted-circulation codes that match no rule as GTINs, flagged', () => {
    expect(scan('2000000000008')).toMatchObject({ kind: 'gtin', restrictedCirculation: true });
    expect(scan('2112345012506', [])).toMatchObject({ kind: 'gtin', restrictedCirculation: true });
    expect(scan(withCheck('041234500001'))).toMatchObject({ kind: 'gtin', restrictedCirculation: true });
  });

  it('round-trips random item codes and values (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{5}$/),
        fc.integer({ min: 0, max: 99999 }),
        fc.constantFrom(PRICE_21, WEIGHT_22),
        (item, value, rule) => {
          const code = withCheck(`${rule.prefixes[0]}${item}${String(value).padStart(5, '0')}`);
          const result = scan(code);
          expect(result).toMatchObject({ kind: 'in_store', itemCode: item });
          if (result.kind !== 'in_store') return;
          expect(result.value).toEqual(
            rule.valueType === 'price' ? { type: 'price', amount: value } : { type: 'weight', grams: value },
          );
        },
      ),
    );
  });

  it('rejects invalid layouts as bad_input', () => {
    const expectBadInput = (rules: InStoreRule[], decimals = 2): void => {
      try {
        assertInStoreRules(rules, decimals);
        expect.fail('expected bad_input');
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('bad_input');
      }
    };
    expectBadInput([{ ...PRICE_21, itemDigits: 4 }]); // 12 positions
    expectBadInput([{ ...PRICE_21, prefixes: [] }]);
    expectBadInput([{ ...PRICE_21, prefixes: ['21', '2'] }]);
    expectBadInput([{ ...PRICE_21, decimals: 3 }]); // more decimals than CNY
    expectBadInput([{ ...PRICE_21, itemDigits: 4, hasValueCheckDigit: true, valueDigits: 6 }]);
    expectBadInput([PRICE_21], 0); // 2 decimals in a 0-decimal currency
    expect(() => scan('2112345012506', [{ ...PRICE_21, valueDigits: 4 }])).toThrow(AppError);
    expect(() => assertInStoreRules(RULES, 2)).not.toThrow();
  });
});

describe('parseScan: GS1 element strings', () => {
  it('reads GS1-128 with GTIN, expiry and batch (fixed-length AIs need no GS)', () => {
    expect(scan(']C10109501101530003' + '17261231' + '10ABC123')).toEqual({
      kind: 'gs1',
      symbology: 'gs1_128',
      gtin: '09501101530003',
      expiry: '2026-12-31',
      batch: 'ABC123',
      elements: [
        { ai: '01', value: '09501101530003' },
        { ai: '17', value: '261231' },
        { ai: '10', value: 'ABC123' },
      ],
    });
  });

  it('ends variable-length fields at GS and tolerates GS after fixed fields and at the end', () => {
    const data = `0109501101530003${GS}10ABC123${GS}17261231${GS}21SN-77${GS}`;
    expect(scan(`]C1${data}`)).toMatchObject({
      kind: 'gs1',
      gtin: '09501101530003',
      batch: 'ABC123',
      expiry: '2026-12-31',
      serial: 'SN-77',
    });
    expect(scan(`]C1${GS}0109501101530003`)).toMatchObject({ kind: 'gs1', gtin: '09501101530003' });
  });

  it('converts AI 310n net weight to grams with integer maths', () => {
    expect(scan(']C101095011015300033103001250')).toMatchObject({ netWeightGrams: 1250 });
    expect(scan(']C131020012500109501101530003')).toMatchObject({ netWeightGrams: 12500 });
    expect(scan(']C13100000002')).toMatchObject({ netWeightGrams: 2000 });
    expect(scan(']C13105012345')).toMatchObject({ netWeightGrams: 123 }); // 123.45 g
    expect(scan(']C13105012355')).toMatchObject({ netWeightGrams: 124 }); // 123.55 g, half up
  });

  it('reads DataMatrix, QR and DataBar carriers, and element strings without an AIM identifier', () => {
    const data = `0109501101530003${GS}10LOT1${GS}15260200`;
    expect(scan(`]d2${data}`)).toMatchObject({
      kind: 'gs1',
      symbology: 'gs1_datamatrix',
      bestBefore: '2026-02-28',
    });
    expect(scan(`]Q3${data}`)).toMatchObject({ kind: 'gs1', symbology: 'gs1_qr', batch: 'LOT1' });
    expect(scan(']e00109501101530003')).toMatchObject({ kind: 'gs1', symbology: 'gs1_databar' });
    expect(scan(data)).toMatchObject({ kind: 'gs1', symbology: 'unknown', gtin: '09501101530003' });
    expect(scan('010950110153000317261231')).toMatchObject({ kind: 'gs1', expiry: '2026-12-31' });
    expect(scan('(01)09501101530003(17)261231(10)ABC123')).toMatchObject({
      kind: 'gs1',
      gtin: '09501101530003',
      expiry: '2026-12-31',
      batch: 'ABC123',
    });
  });

  it('reports unknown AIs, truncation, bad check digits and impossible dates clearly', () => {
    expect(scan(']C1010950110153000389123')).toMatchObject({ kind: 'misread', reason: 'unknown_ai' });
    expect(scan(']C1010950110153')).toMatchObject({ kind: 'misread', reason: 'malformed' });
    expect(scan(']C10109501101530004')).toMatchObject({ kind: 'misread', reason: 'check_digit' });
    expect(scan(`]C110${'X'.repeat(21)}`)).toMatchObject({ kind: 'misread', reason: 'malformed' });
    expect(scan(']C117261331')).toMatchObject({ kind: 'misread', reason: 'malformed' });
    expect(scan(']C117260230')).toMatchObject({ kind: 'misread', reason: 'malformed' });
    expect(scan(']C13103ABCDEF')).toMatchObject({ kind: 'misread', reason: 'malformed' });
    expect(scan(`99${GS}`)).toMatchObject({ kind: 'misread' });
    expect(scan('(01)09501101530003(89)1')).toMatchObject({ kind: 'misread', reason: 'unknown_ai' });
    // Without GS or AIM, a failed parse is just a plain code (an internal number that starts with 01).
    expect(scan('0112345678901234567')).toEqual({ kind: 'plain', code: '0112345678901234567' });
  });

  it('round-trips random GTIN + batch + expiry element strings (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{13}$/),
        fc.stringMatching(/^[0-9A-Za-z-]{1,20}$/),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 12 }),
        (body, batch, yy, month) => {
          const gtin = withCheck(body);
          const date = `${String(yy).padStart(2, '0')}${String(month).padStart(2, '0')}00`;
          const parsed = parseElementString(`01${gtin}10${batch}${GS}17${date}`);
          expect(parsed).toEqual({
            ok: true,
            elements: [
              { ai: '01', value: gtin },
              { ai: '10', value: batch },
              { ai: '17', value: date },
            ],
          });
        },
      ),
    );
  });
});

describe('GS1 dates', () => {
  it('maps day 00 to the last day of the month, leap years included', () => {
    expect(gs1DateToIso('260200', 2025)).toBe('2026-02-28');
    expect(gs1DateToIso('280200', 2025)).toBe('2028-02-29');
    expect(gs1DateToIso('261100', 2025)).toBe('2026-11-30');
    expect(gs1DateToIso('261231', 2025)).toBe('2026-12-31');
  });

  it('applies the GS1 century rule', () => {
    expect(gs1DateToIso('750101', 2025)).toBe('2075-01-01'); // 50 ahead: same century
    expect(gs1DateToIso('760101', 2025)).toBe('1976-01-01'); // 51 ahead: previous century
    expect(gs1DateToIso('050101', 2098)).toBe('2105-01-01'); // 93 behind: next century
    expect(gs1DateToIso('480101', 2098)).toBe('2148-01-01'); // 50 behind: next century
    expect(gs1DateToIso('490101', 2098)).toBe('2049-01-01'); // 49 behind: same century
  });

  it('rejects impossible dates', () => {
    expect(gs1DateToIso('261301', 2025)).toBeNull();
    expect(gs1DateToIso('250229', 2025)).toBeNull();
    expect(gs1DateToIso('2512', 2025)).toBeNull();
  });
});
