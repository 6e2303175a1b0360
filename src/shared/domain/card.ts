/**
 * Cards read at the till that are NOT payments: member cards, gift cards, staff badges (magstripe tracks 1/2) and
 * ID cards whose reader types a UID. A bank card swiped on this reader is rejected here, before anything else sees
 * it: the result carries only the masked number (first 6, last 4), as PCI DSS allows, and none of the track data.
 *
 * Track layouts (ISO/IEC 7813): track 1 `%<format code><PAN>^<NAME>^<YYMM><service code>…?`, track 2
 * `;<PAN>=<YYMM><service code>…?`. A keyboard-mode reader sends `E` in place of a track it failed to read
 * (`%E?`, `;E?`).
 *
 * Bank-card rule (decided here, applied to every track read): a number of 13–19 digits that passes Luhn is a bank
 * card when it comes from a track 1 with format code `B`, or from a track 2 whose number is followed by `=` and a
 * 4-digit expiry + 3-digit service code (the bank layout) — unless it starts with a prefix configured for member,
 * gift or staff cards. Rejecting on track 2 too matters: many readers are set to send track 2 only.
 *
 * Pure: no clock, no I/O, nothing kept between calls.
 */

export type StoredCardKind = 'member' | 'gift' | 'staff';

export type CardReadEvent =
  | { kind: StoredCardKind; number: string; track: 1 | 2 }
  /** An ID / contactless reader typed a UID. */
  | { kind: 'id'; number: string }
  /** A bank card: only the masked number, nothing else of the card. */
  | { kind: 'rejected_bank_card'; masked: string }
  /** `read_error`: the reader reported every track unreadable; `malformed`: the text is not a track sequence. */
  | { kind: 'misread'; reason: 'read_error' | 'malformed' };

export interface CardRules {
  /** Number prefixes of the store's own cards. A bank-shaped number with one of these is the store's card. */
  memberPrefixes: readonly string[];
  giftPrefixes: readonly string[];
  staffPrefixes: readonly string[];
  /** What a card matching no prefix is (most stores issue only member cards). */
  defaultKind: StoredCardKind;
}

export const DEFAULT_CARD_RULES: CardRules = {
  memberPrefixes: [],
  giftPrefixes: [],
  staffPrefixes: [],
  defaultKind: 'member',
};

const DIGITS = /^\d+$/;
/** What a store card number may contain (digits, letters, a few separators); anything else is a misread. */
const CARD_NUMBER = /^[0-9A-Za-z-]{1,40}$/;
/** UID readers type hex (sometimes decimal) UIDs of 4, 7 or 10 bytes; allow a little margin. */
const UID = /^[0-9A-Fa-f]{4,32}$/;

/** The Luhn (mod 10) check used by payment card numbers. */
export function luhnValid(digits: string): boolean {
  if (digits.length < 2 || !DIGITS.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** First 6 and last 4 digits, the most PCI DSS allows to be shown; shorter input is fully masked. */
export function maskPan(pan: string): string {
  if (pan.length < 13) return '…';
  return `${pan.slice(0, 6)}…${pan.slice(-4)}`;
}

/** True when the text starts like a magstripe track (`%` track 1, `;` track 2/3). */
export function looksLikeSwipe(text: string): boolean {
  return text.startsWith('%') || text.startsWith(';');
}

type Track =
  | { track: 1 | 2 | 3; error: true }
  | { track: 1; error: false; formatCode: string; fields: string[] }
  | { track: 2 | 3; error: false; fields: string[] };

/**
 * Splits a swipe into tracks. A trailing CR/LF (the Enter a keyboard reader adds) is ignored. Returns null when the
 * text is not a sequence of `%…?` / `;…?` tracks.
 */
function splitTracks(text: string): Track[] | null {
  const body = text.replace(/[\r\n]+$/, '');
  const tracks: Track[] = [];
  let i = 0;
  let seenSemicolonTrack = false;
  while (i < body.length) {
    const sentinel = body[i];
    const end = body.indexOf('?', i + 1);
    if ((sentinel !== '%' && sentinel !== ';') || end < 0) return null;
    const content = body.slice(i + 1, end);
    i = end + 1;
    // Some readers append an LRC character after the end sentinel; it is not data.
    if (i < body.length && body[i] !== '%' && body[i] !== ';') i++;
    if (sentinel === '%') {
      if (content === 'E') tracks.push({ track: 1, error: true });
      else {
        const formatCode = content.charAt(0);
        if (!/^[A-Z]$/.test(formatCode)) return null;
        tracks.push({ track: 1, error: false, formatCode, fields: content.slice(1).split('^') });
      }
    } else {
      const n = seenSemicolonTrack ? 3 : 2;
      seenSemicolonTrack = true;
      if (content === 'E') tracks.push({ track: n, error: true });
      else tracks.push({ track: n, error: false, fields: content.split('=') });
    }
  }
  return tracks.length > 0 ? tracks : null;
}

/**
 * A bank-shaped number is taken for a store card only under a prefix at least this long: a store's own range
 * within a bank's (a full 6-digit issuer number). A shorter prefix such as `6` or `62` would let whole bank
 * networks (UnionPay starts with 62) through as member numbers.
 */
export const MIN_BANK_RANGE_PREFIX = 6;

function configuredKind(number: string, rules: CardRules, minPrefix = 1): StoredCardKind | null {
  const has = (prefixes: readonly string[]) =>
    prefixes.some((p) => p.length >= minPrefix && number.startsWith(p));
  if (has(rules.staffPrefixes)) return 'staff';
  if (has(rules.giftPrefixes)) return 'gift';
  if (has(rules.memberPrefixes)) return 'member';
  return null;
}

/** The number a track carries when it is laid out like a bank card, else null. */
function bankShapedNumber(t: Track): string | null {
  if (t.error) return null;
  const pan = t.fields[0] ?? '';
  if (pan.length < 13 || pan.length > 19 || !luhnValid(pan)) return null;
  if (t.track === 1) return t.formatCode === 'B' ? pan : null;
  const after = t.fields[1];
  return after !== undefined && /^\d{7}/.test(after) ? pan : null;
}

/**
 * Classifies a magstripe swipe as typed by a keyboard-mode reader (or sent by a serial one). The result is the
 * only thing that leaves this function; a bank card yields only its masked number.
 */
export function classifySwipe(text: string, rules: CardRules = DEFAULT_CARD_RULES): CardReadEvent {
  const tracks = splitTracks(text);
  if (tracks === null) return { kind: 'misread', reason: 'malformed' };
  for (const t of tracks) {
    const pan = bankShapedNumber(t);
    if (pan !== null && configuredKind(pan, rules, MIN_BANK_RANGE_PREFIX) === null) {
      return { kind: 'rejected_bank_card', masked: maskPan(pan) };
    }
  }
  // Track 2 is the one store cards encode reliably; track 1 is the fallback.
  const good = tracks.filter((t) => !t.error && t.track !== 3);
  const chosen = good.find((t) => t.track === 2) ?? good.find((t) => t.track === 1);
  if (chosen === undefined || chosen.error) return { kind: 'misread', reason: 'read_error' };
  const number = chosen.fields[0] ?? '';
  if (!CARD_NUMBER.test(number)) return { kind: 'misread', reason: 'malformed' };
  return {
    kind: configuredKind(number, rules) ?? rules.defaultKind,
    number,
    track: chosen.track === 1 ? 1 : 2,
  };
}

/** A UID typed by an ID/contactless reader (hex, without the Enter). Upper-cased so the same card always matches. */
export function classifyUid(text: string): CardReadEvent {
  const uid = text.replace(/[\r\n]+$/, '');
  if (!UID.test(uid)) return { kind: 'misread', reason: 'malformed' };
  return { kind: 'id', number: uid.toUpperCase() };
}
