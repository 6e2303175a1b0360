import type { KeyClass, KeyInput } from '../../src/renderer/hooks/wedge-detector';

/**
 * Recorded-style keystroke timings for wedge devices: what a scanner, a person, a magstripe reader and a UID reader
 * type, as `KeyInput`s with timestamps. Gaps come from a fixed pseudo-random sequence, so every run is identical.
 */

/** A tiny deterministic PRNG (mulberry32): same seed, same gaps. */
function gaps(seed: number, min: number, max: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.round(min + r * (max - min));
  };
}

const classOf = (key: string): KeyClass =>
  key === 'Enter' ? 'enter' : key === ' ' ? 'space' : /^[\x21-\x7e]$/.test(key) ? 'char' : 'other';

function typed(text: string, start: number, next: () => number, enter: boolean): KeyInput[] {
  const keys = [...text, ...(enter ? ['Enter'] : [])];
  let at = start;
  return keys.map((key, i) => {
    if (i > 0) at += next();
    return { key, kind: classOf(key), at };
  });
}

/** A keyboard-wedge scanner: 1–20 ms per key, then Enter. */
export const scannerKeys = (code: string, start = 1000, seed = 1): KeyInput[] =>
  typed(code, start, gaps(seed, 1, 20), true);

/** A person typing: 80–200 ms per key; `enter` adds the Enter key at the same pace. */
export const humanKeys = (text: string, start = 1000, enter = false, seed = 2): KeyInput[] =>
  typed(text, start, gaps(seed, 80, 200), enter);

/** A keyboard-mode magstripe reader: tracks typed at 2–8 ms per key, with or without a final Enter. */
export const swipeKeys = (tracks: string, start = 1000, enter = true, seed = 3): KeyInput[] =>
  typed(tracks, start, gaps(seed, 2, 8), enter);

/** A contactless ID reader typing the card UID and Enter at ~4–12 ms per key. */
export const uidReaderKeys = (uid: string, start = 1000, seed = 4): KeyInput[] =>
  typed(uid, start, gaps(seed, 4, 12), true);

/** A bank card's tracks (test PAN 4111…1111) as a keyboard reader types them. */
export const BANK_CARD_TRACKS =
  '%B4111111111111111^DOE/JOHN^28121010000000000000?;4111111111111111=28121010000000000000?';
/** A store member card (track 2 only). */
export const MEMBER_CARD_TRACKS = ';9990001234567?';
/** A swipe the reader could not read. */
export const FAILED_SWIPE_TRACKS = '%E?;E?';
