import { describe, expect, it } from 'vitest';
import { parseScan } from '../../../src/shared/domain/barcode';
import {
  MAX_SCAN_LENGTH,
  scanText,
  splitAim,
  symbologyFromAim,
  toScanEvent,
} from '../../../src/shared/domain/scan-event';

const AT = '2026-11-27T10:00:00.000Z';
const ctx = { currencyDecimals: 2, currentYear: 2026 };

describe('scan events', () => {
  it('splits the AIM identifier and names the symbology', () => {
    expect(splitAim(']E04006381333931')).toEqual({ aim: ']E0', data: '4006381333931' });
    expect(splitAim('4006381333931')).toEqual({ aim: null, data: '4006381333931' });
    expect(symbologyFromAim(']E0', '4006381333931')).toBe('ean13');
    expect(symbologyFromAim(']E0', '036000291452')).toBe('upca');
    expect(symbologyFromAim(']E0', '01234565')).toBe('upce');
    expect(symbologyFromAim(']E4', '96385074')).toBe('ean8');
    expect(symbologyFromAim(']C1', '01')).toBe('gs1_128');
    expect(symbologyFromAim(']d2', '01')).toBe('gs1_datamatrix');
    expect(symbologyFromAim(']Q3', '01')).toBe('gs1_qr');
    expect(symbologyFromAim(']A0', 'CODE39')).toBe('other');
    expect(symbologyFromAim(null, '4006381333931')).toBe('unknown');
  });

  it('builds events whose scanText parseScan classifies the same as the raw read', () => {
    for (const raw of [']E04006381333931', ']E001234565', ']C10109501101530003\u001d10AB1', '96385074']) {
      const r = toScanEvent(raw, 'serial', 'serial:/dev/ttyACM0', AT);
      if (!r.ok) throw new Error(r.problem);
      expect(scanText(r.event)).toBe(raw);
      expect(parseScan(scanText(r.event), [], ctx)).toEqual(parseScan(raw, [], ctx));
    }
    expect(parseScan(']E001234565', [], ctx)).toMatchObject({ kind: 'gtin', gtin: '00012345000065' });
  });

  it('refuses empty reads, control characters and overlong reads', () => {
    expect(toScanEvent(']E0', 'hid', 'h', AT)).toEqual({ ok: false, problem: 'empty' });
    expect(toScanEvent('12\u000734', 'hid', 'h', AT)).toEqual({ ok: false, problem: 'control_characters' });
    expect(toScanEvent('caf\u00e9', 'hid', 'h', AT)).toEqual({ ok: false, problem: 'control_characters' });
    expect(toScanEvent('1'.repeat(MAX_SCAN_LENGTH + 1), 'hid', 'h', AT)).toEqual({
      ok: false,
      problem: 'too_long',
    });
    expect(toScanEvent('A\u001dB', 'hid', 'h', AT)).toMatchObject({ ok: true, event: { data: 'A\u001dB' } });
  });
});
