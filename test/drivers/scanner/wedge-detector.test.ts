import { describe, expect, it } from 'vitest';
import { classifySwipe } from '../../../src/shared/domain/card';
import {
  FIRST_KEY_HOLD_MS,
  WedgeDetector,
  type Decision,
  type KeyInput,
} from '../../../src/renderer/hooks/wedge-detector';
import {
  BANK_CARD_TRACKS,
  FAILED_SWIPE_TRACKS,
  MEMBER_CARD_TRACKS,
  humanKeys,
  scannerKeys,
  swipeKeys,
  uidReaderKeys,
} from '../../helpers/keystroke-fixtures';

/**
 * Runs keys through the detector the way useScanner does (hold, release, swallow, a hold timer that fires when the
 * next key is later than FIRST_KEY_HOLD_MS), and records what the focused field would receive.
 */
function run(keys: KeyInput[], endAt = Number.POSITIVE_INFINITY) {
  const d = new WedgeDetector();
  const scans: string[] = [];
  const swipes: string[] = [];
  let field = '';
  let held: string[] = [];
  let timerDue: number | null = null;
  const apply = (decision: Decision, key?: KeyInput) => {
    timerDue = null;
    if (decision.held === 'release') field += held.join('');
    if (decision.held !== 'keep') held = [];
    if (decision.result?.kind === 'scan') scans.push(decision.result.code);
    if (decision.result?.kind === 'swipe') swipes.push(decision.result.text);
    if (key !== undefined) {
      if (decision.key === 'hold') held.push(key.key);
      if (decision.key === 'pass') field += key.key === 'Enter' ? '⏎' : key.key;
      if (decision.armTimer || held.length > 0) timerDue = key.at + FIRST_KEY_HOLD_MS;
    }
  };
  for (const key of keys) {
    if (timerDue !== null && key.at > timerDue) apply(d.timeout());
    apply(d.onKey(key), key);
  }
  if (timerDue !== null && endAt > timerDue) apply(d.timeout());
  return { scans, swipes, field, stillHeld: d.heldCount };
}

const then = (a: KeyInput[], gapMs: number, b: (start: number) => KeyInput[]) => [
  ...a,
  ...b((a.at(-1)?.at ?? 0) + gapMs),
];

describe('WedgeDetector with keystroke fixtures', () => {
  it('fixtures have the documented timing', () => {
    const deltas = (keys: KeyInput[]) => keys.slice(1).map((k, i) => k.at - keys[i]!.at);
    expect(Math.max(...deltas(scannerKeys('4006381333931')))).toBeLessThanOrEqual(20);
    expect(Math.min(...deltas(humanKeys('12345')))).toBeGreaterThanOrEqual(80);
  });

  it('a scanner burst ending in Enter is one scan; nothing reaches the field', () => {
    expect(run(scannerKeys('4006381333931'))).toEqual({
      scans: ['4006381333931'],
      swipes: [],
      field: '',
      stillHeld: 0,
    });
  });

  it('human typing is given back in order, Enter included', () => {
    expect(run(humanKeys('1234', 1000, true))).toMatchObject({ scans: [], field: '1234⏎' });
  });

  it('a short fast burst with Enter is typing, not a scan', () => {
    expect(run(scannerKeys('12'))).toMatchObject({ scans: [], field: '12⏎' });
  });

  it('typing then a scan: the typed keys go to the field, the scan is separate', () => {
    const keys = then(humanKeys('7'), 300, (s) => scannerKeys('96385074', s));
    expect(run(keys)).toMatchObject({ scans: ['96385074'], field: '7' });
  });

  it('a UID reader is a wedge scan (the screen decides what the code means)', () => {
    expect(run(uidReaderKeys('04A1B2C3D4E5F6'))).toMatchObject({ scans: ['04A1B2C3D4E5F6'], field: '' });
  });

  it('a magstripe swipe with spaces in track 1 is one swipe, never typed into the field', () => {
    const result = run(swipeKeys('%B8880042^GIFT CARD^?;8880042=0000?'));
    expect(result).toMatchObject({ scans: [], swipes: ['%B8880042^GIFT CARD^?;8880042=0000?'], field: '' });
    expect(classifySwipe(result.swipes[0]!)).toMatchObject({ kind: 'member', number: '8880042' });
  });

  it('a swipe without a final Enter ends when the keys stop', () => {
    expect(run(swipeKeys(MEMBER_CARD_TRACKS, 1000, false))).toMatchObject({
      swipes: [MEMBER_CARD_TRACKS],
      field: '',
      stillHeld: 0,
    });
  });

  it('a bank card swiped on the keyboard reader leaves nothing in the field; it classifies as rejected', () => {
    const result = run(swipeKeys(BANK_CARD_TRACKS));
    expect(result.field).toBe('');
    expect(result.scans).toEqual([]);
    expect(result.swipes.map((t) => classifySwipe(t))).toEqual([
      { kind: 'rejected_bank_card', masked: '411111…1111' },
    ]);
  });

  it('a failed swipe is a misread', () => {
    const result = run(swipeKeys(FAILED_SWIPE_TRACKS));
    expect(result.swipes.map((t) => classifySwipe(t))).toEqual([{ kind: 'misread', reason: 'read_error' }]);
  });

  it('a swipe cut short by a slow key is consumed, not replayed', () => {
    const keys = then(swipeKeys(';41111111', 1000, false), 400, (s) => humanKeys('5', s));
    expect(run(keys)).toMatchObject({ swipes: [';41111111'], field: '5' });
  });

  it('a lone ; or % typed by a person is given back', () => {
    expect(run(humanKeys(';a'))).toMatchObject({ swipes: [], field: ';a' });
    expect(run(humanKeys('%'))).toMatchObject({ swipes: [], field: '%' });
  });

  it('a space outside a swipe is never held', () => {
    expect(run(scannerKeys('AB CDEF'))).toMatchObject({ scans: ['CDEF'], field: 'AB ' });
  });
});

describe('card data never becomes a scan', () => {
  it('a swipe with a pause inside it: the tail is dropped, not sent as a barcode nor typed', () => {
    // A bank card's track 2 with an 80 ms stall in the middle (a busy terminal).
    const track = ';4111111111111111=25121010000000000000?';
    const head = swipeKeys(track.slice(0, 12), 1000, false);
    const tail = (start: number) => swipeKeys(track.slice(12), start, true);
    const result = run(then(head, 80, tail));
    expect(result.scans).toEqual([]);
    expect(result.field).toBe('');
    expect(result.swipes.join('')).not.toContain('4111111111111111=');
  });

  it('a burst ending in Enter that carries track characters is classified as a swipe, not scanned', () => {
    const result = run(scannerKeys('4111111111111111=2512101'));
    expect(result.scans).toEqual([]);
    expect(result.swipes).toEqual(['4111111111111111=2512101']);
  });
});
