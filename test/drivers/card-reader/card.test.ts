import { describe, expect, it } from 'vitest';
import {
  classifySwipe,
  classifyUid,
  looksLikeSwipe,
  luhnValid,
  maskPan,
  type CardRules,
} from '../../../src/shared/domain/card';

const VISA = '4111111111111111';
const TRACK1 = `%B${VISA}^DOE/JOHN^2812101000000000000000?`;
const TRACK2 = `;${VISA}=28121010000000000000?`;

describe('luhnValid', () => {
  it.each([
    ['79927398713', true],
    [VISA, true],
    ['5555555555554444', true],
    ['378282246310005', true],
    ['6011111111111117', true],
    ['4111111111111112', false],
    ['79927398710', false],
    ['1', false],
    ['', false],
    ['4111-1111', false],
  ])('%s → %s', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid);
  });
});

describe('maskPan', () => {
  it('keeps the first 6 and last 4 digits only', () => {
    expect(maskPan(VISA)).toBe('411111…1111');
    expect(maskPan('378282246310005')).toBe('378282…0005');
    expect(maskPan('6011000990139424123')).toBe('601100…4123');
  });
  it('masks short numbers completely', () => {
    expect(maskPan('123456789')).toBe('…');
  });
});

describe('classifySwipe', () => {
  it('rejects a bank card on track 1 + 2, keeping only the masked number', () => {
    const read = classifySwipe(`${TRACK1}${TRACK2}\r`);
    expect(read).toEqual({ kind: 'rejected_bank_card', masked: '411111…1111' });
  });

  it('rejects a bank card read from track 2 only (readers set to track 2)', () => {
    expect(classifySwipe(TRACK2)).toEqual({ kind: 'rejected_bank_card', masked: '411111…1111' });
  });

  it('rejects a bank track 1 even when track 2 failed', () => {
    expect(classifySwipe(`${TRACK1};E?`)).toEqual({ kind: 'rejected_bank_card', masked: '411111…1111' });
  });

  it('a bank-shaped number with a configured store prefix is the store card', () => {
    const rules: CardRules = {
      memberPrefixes: [],
      giftPrefixes: ['411111'],
      staffPrefixes: [],
      defaultKind: 'member',
    };
    expect(classifySwipe(TRACK2, rules)).toEqual({ kind: 'gift', number: VISA, track: 2 });
  });

  it('a short store prefix never lets a bank card through (62 would be all of UnionPay)', () => {
    const rules: CardRules = {
      memberPrefixes: ['4'],
      giftPrefixes: ['41'],
      staffPrefixes: [],
      defaultKind: 'member',
    };
    expect(classifySwipe(TRACK2, rules)).toEqual({ kind: 'rejected_bank_card', masked: '411111…1111' });
    expect(classifySwipe(TRACK1, rules)).toEqual({ kind: 'rejected_bank_card', masked: '411111…1111' });
    // The short prefix still classifies store cards that are not laid out like bank cards.
    expect(classifySwipe(';41234567?', rules)).toEqual({ kind: 'gift', number: '41234567', track: 2 });
  });

  it('reads store cards from track 2, falling back to track 1, and applies prefixes', () => {
    const rules: CardRules = {
      memberPrefixes: ['900'],
      giftPrefixes: ['800'],
      staffPrefixes: ['700'],
      defaultKind: 'member',
    };
    expect(classifySwipe(';9001234567?', rules)).toEqual({ kind: 'member', number: '9001234567', track: 2 });
    expect(classifySwipe(';8005551234=0000?', rules)).toEqual({
      kind: 'gift',
      number: '8005551234',
      track: 2,
    });
    expect(classifySwipe('%M7001^STAFF BADGE^?;E?', rules)).toEqual({
      kind: 'staff',
      number: '7001',
      track: 1,
    });
    expect(classifySwipe(';1234?')).toEqual({ kind: 'member', number: '1234', track: 2 });
  });

  it('a Luhn-valid number without the bank layout is not a bank card (no format B, no =YYMMSSS)', () => {
    expect(classifySwipe(`;${VISA}?`)).toEqual({ kind: 'member', number: VISA, track: 2 });
  });

  it('read errors: every track E is a misread', () => {
    expect(classifySwipe('%E?;E?')).toEqual({ kind: 'misread', reason: 'read_error' });
    expect(classifySwipe(';E?')).toEqual({ kind: 'misread', reason: 'read_error' });
    expect(classifySwipe('%E?;555123?')).toMatchObject({ kind: 'member', number: '555123' });
  });

  it('text that is not a track sequence is malformed', () => {
    for (const text of ['', 'hello', '%B123', ';12345', '%b1^x^?', ';12 34?']) {
      expect(classifySwipe(text)).toEqual({ kind: 'misread', reason: 'malformed' });
    }
  });

  it('looksLikeSwipe', () => {
    expect(looksLikeSwipe('%B1')).toBe(true);
    expect(looksLikeSwipe(';1')).toBe(true);
    expect(looksLikeSwipe('04A1B2C3')).toBe(false);
  });
});

describe('classifyUid', () => {
  it('reads hex UIDs, upper-cased, without the Enter', () => {
    expect(classifyUid('04a1b2c3d4e5f6\r')).toEqual({ kind: 'id', number: '04A1B2C3D4E5F6' });
    expect(classifyUid('12')).toEqual({ kind: 'misread', reason: 'malformed' });
    expect(classifyUid('04-A1')).toEqual({ kind: 'misread', reason: 'malformed' });
  });
});
