/**
 * Code 39 bar patterns for the receipt number (`S-000123`), so a receipt can be scanned back at the till for a
 * return. Code 39 needs no check digit and encodes upper-case letters, digits and `-`, which is exactly what a
 * receipt number is made of. Pure: returns bar widths, the component draws them.
 */

/** Narrow/wide patterns (b s b s b s b s b), 1 = wide, from the Code 39 specification. */
const PATTERNS: Readonly<Record<string, string>> = {
  '0': '000110100',
  '1': '100100001',
  '2': '001100001',
  '3': '101100000',
  '4': '000110001',
  '5': '100110000',
  '6': '001110000',
  '7': '000100101',
  '8': '100100100',
  '9': '001100100',
  A: '100001001',
  B: '001001001',
  C: '101001000',
  D: '000011001',
  E: '100011000',
  F: '001011000',
  G: '000001101',
  H: '100001100',
  I: '001001100',
  J: '000011100',
  K: '100000011',
  L: '001000011',
  M: '101000010',
  N: '000010011',
  O: '100010010',
  P: '001010010',
  Q: '000000111',
  R: '100000110',
  S: '001000110',
  T: '000010110',
  U: '110000001',
  V: '011000001',
  W: '111000000',
  X: '010010001',
  Y: '110010000',
  Z: '011010000',
  '-': '010000101',
  '.': '110000100',
  ' ': '011000100',
  '*': '010010100',
};

export const CODE39_WIDE = 3;

export interface Bar {
  /** Offset from the left, in narrow-module units. */
  readonly x: number;
  readonly width: number;
}

/** The bars of `*TEXT*`, or null when the text has a character Code 39 cannot encode. */
export function code39Bars(text: string): { bars: Bar[]; width: number } | null {
  const upper = text.toUpperCase();
  if ([...upper].some((c) => c === '*' || PATTERNS[c] === undefined)) return null;
  const bars: Bar[] = [];
  let x = 0;
  for (const char of `*${upper}*`) {
    const pattern = PATTERNS[char] ?? '';
    [...pattern].forEach((flag, i) => {
      const width = flag === '1' ? CODE39_WIDE : 1;
      if (i % 2 === 0) bars.push({ x, width });
      x += width;
    });
    x += 1; // inter-character gap
  }
  return { bars, width: x - 1 };
}
