/**
 * How product text becomes search tokens, and how a cashier's query becomes an FTS5 MATCH expression. The
 * index side and the query side MUST split text the same way, so both live here. The columns are described in
 * migrations/0003_catalog_search.sql; in short:
 *
 *   zh, en  the names as tokens: one token per CJK character (unicode61 would keep a run of CJK as ONE token,
 *           so "可口可乐" would match only the whole name), words otherwise. A phrase of characters ("可 乐")
 *           finds any substring of a Chinese name.
 *   py      pinyin initials as overlapping pairs ("kkkl" → "kk kk kl l"): `kl` is one token, `kkl` the phrase
 *           "kk kl" — short doclists instead of position checks in the doclists of single letters.
 *   hd      "starts with" keys: every prefix (up to HEAD_KEY_LENGTH characters) of each name and of the
 *           initials, and every prefix of the PLU. A name-prefix match is ONE token lookup, not a position check
 *           over every product containing those characters.
 *
 * The table has no FTS5 prefix index (it would add entries for every token, CJK characters and pinyin pairs
 * included). A Latin word prefix of three or more letters is an FTS5 prefix query, which expands over the few
 * words that start with it; one or two letters only match at the start of a name, the initials or the PLU
 * (through `hd`) — inside a name they are too unspecific to be worth reading half the index for.
 */

/** Han, Hiragana, Katakana (and the iteration marks 々 〇): scripts written without spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u3007]/u;
/** What unicode61 keeps in a token (letters, numbers); everything else separates, as it does for unicode61. */
const WORD_CHAR = /[\p{L}\p{N}]/u;
const ALNUM = /^[a-z0-9]+$/;

/** At most this many whitespace-separated terms of a query are used; the rest add little but cost time. */
export const MAX_QUERY_TERMS = 6;
/** Name and initials prefixes indexed as "starts with" keys; a longer first term is checked by position. */
export const HEAD_KEY_LENGTH = 4;
/** PLU prefixes are indexed in full (a PLU is typed digit by digit), up to this length. */
const PLU_KEY_LENGTH = 20;
/**
 * Marks "starts with" keys as tokens of their own. Unmarked, `hd : "tea"` would walk the whole doclist of the
 * word "tea" (frequent in `en`) to find the few entries in `hd`. ǂ (U+01C2) is a letter to unicode61, has no
 * decomposition, and does not occur in product names.
 */
const HEAD_MARK = '\u01c2';

export function isCjk(char: string): boolean {
  return CJK.test(char);
}

/** Full-width forms to ASCII ("ＡＢＣ１２３" → "abc123"), compatibility forms folded, lower case. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Tokens as the index sees them: one per CJK character, one per run of other letters/digits; everything else
 * (spaces, punctuation, symbols) separates. "可口可乐 330ml" → ["可","口","可","乐","330ml"].
 */
export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  let word = '';
  for (const char of normalizeText(text)) {
    if (isCjk(char)) {
      if (word !== '') tokens.push(word);
      word = '';
      tokens.push(char);
    } else if (WORD_CHAR.test(char)) {
      word += char;
    } else if (word !== '') {
      tokens.push(word);
      word = '';
    }
  }
  if (word !== '') tokens.push(word);
  return tokens;
}

/** Initials as overlapping pairs plus the last letter: "kkkl" → ["kk","kk","kl","l"]. */
function initialPairs(initials: string): string[] {
  const pairs: string[] = [];
  for (let i = 0; i + 1 < initials.length; i++) pairs.push(initials.slice(i, i + 2));
  return pairs;
}

/** The first 1…max characters of `text` (by code point). */
function prefixes(text: string, max: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let n = 1; n <= Math.min(max, chars.length); n++) out.push(chars.slice(0, n).join(''));
  return out;
}

export interface SearchColumns {
  zh: string;
  en: string;
  py: string;
  hd: string;
}

/** The FTS row of a product (columns as in migrations/0003_catalog_search.sql). */
export function searchColumns(
  nameZh: string,
  nameEn: string,
  pinyinInitials: string,
  plu: string | null,
): SearchColumns {
  const zh = searchTokens(nameZh);
  const en = searchTokens(nameEn);
  const initials = pinyinInitials.toLowerCase().replace(/[^a-z0-9]/g, '');
  const py = initialPairs(initials);
  const last = initials.slice(-1);
  if (last !== '') py.push(last);
  const heads = new Set([
    ...prefixes(zh.join(''), HEAD_KEY_LENGTH),
    ...prefixes(en.join(''), HEAD_KEY_LENGTH),
    ...prefixes(initials, HEAD_KEY_LENGTH),
    ...prefixes(searchTokens(plu ?? '').join(''), PLU_KEY_LENGTH),
  ]);
  const hd = [...heads].map((key) => HEAD_MARK + key).join(' ');
  return { zh: zh.join(' '), en: en.join(' '), py: py.join(' '), hd };
}

/** Upper bound of the length part of a search id (see migrations/0003_catalog_search.sql). */
const MAX_RANK_LENGTH = 1023;
/** Ids of one name length share a range of this size; the sequence number is the low part. */
export const SEARCH_ID_RANGE = 2 ** 40;

/**
 * The first search id for a product's name: FTS5 returns matches in rowid order, and the rowid starts with
 * the name's length, so shorter (closer) names come first. 1023 × 2^40 stays below 2^53.
 */
export function searchIdBase(nameZh: string, nameEn: string): number {
  const length = Math.min(MAX_RANK_LENGTH, [...(nameZh === '' ? nameEn : nameZh)].length);
  return length * SEARCH_ID_RANGE;
}

export interface SearchMatch {
  /** Every product matching all terms. */
  all: string;
  /** The subset whose name, English name, pinyin initials or PLU STARTS with the first term (ranked first). */
  head: string;
  /** `head` without the other terms: a cheap test whether the first tier can have anything at all. */
  firstAtStart: string;
}

// Tokens contain only letters and digits (see searchTokens), so wrapping them in double quotes can never
// produce FTS5 syntax: user text never becomes an operator.
const quoted = (tokens: readonly string[]) => `"${tokens.join(' ')}"`;
/** The "starts with" key lookup for `key`. */
const headKey = (key: string) => `hd : "${HEAD_MARK}${key}"`;

/** A Latin word this short is not searched inside names (see the header). */
const SHORT_WORD = 2;

/**
 * The names part of a term: the tokens as a phrase, the last one a prefix unless it is a CJK character. A
 * trailing word of one or two letters ("可乐3") is left out until it is longer, or null when nothing is left.
 */
function namePhrase(tokens: readonly string[], anchored: boolean): string | null {
  const caret = anchored ? '^ ' : '';
  const last = tokens[tokens.length - 1] ?? '';
  if (isCjk(last)) return `{zh en} : ${caret}${quoted(tokens)}`;
  if ([...last].length <= SHORT_WORD) {
    return tokens.length > 1 ? namePhrase(tokens.slice(0, -1), anchored) : null;
  }
  return `{zh en} : ${caret}${quoted(tokens)} *`;
}

/**
 * A term anywhere: in a name (any substring of a Chinese name, a word prefix in Latin text), as pinyin
 * initials, or at the start of a name, the initials or the PLU.
 */
function termAnywhere(tokens: readonly string[]): string {
  const joined = tokens.join('');
  const parts: string[] = [];
  const name = namePhrase(tokens, false);
  if (name !== null) parts.push(name);
  if (tokens.length === 1 && ALNUM.test(joined) && joined.length >= 2) {
    parts.push(`py : ${quoted(initialPairs(joined))}`);
  }
  if ([...joined].length <= PLU_KEY_LENGTH) parts.push(headKey(joined));
  // A term longer than any key and with nothing else to match still needs an expression: it matches nothing.
  return parts.length > 0 ? `(${parts.join(' OR ')})` : `(${headKey(joined)})`;
}

/** The first term at the start of a name, the initials or the PLU. */
function termAtStart(tokens: readonly string[]): string {
  const joined = tokens.join('');
  const chars = [...joined];
  if (chars.length <= HEAD_KEY_LENGTH) return `(${headKey(joined)})`;
  // Longer than the indexed keys: the key of its first characters narrows the candidates to a few, then the
  // position check (^) confirms the whole term is at the start. A long PLU prefix is a key of its own.
  const key = chars.slice(0, HEAD_KEY_LENGTH).join('');
  const atStart: string[] = [];
  const name = namePhrase(tokens, true);
  if (name !== null) atStart.push(name);
  if (tokens.length === 1 && ALNUM.test(joined)) atStart.push(`py : ^ ${quoted(initialPairs(joined))}`);
  if (atStart.length === 0) return `(${headKey(joined)})`;
  const pluKey = chars.length <= PLU_KEY_LENGTH ? `${headKey(joined)} OR ` : '';
  return `(${pluKey}(${headKey(key)} AND (${atStart.join(' OR ')})))`;
}

/** The MATCH expressions for a cashier's query, or null when it has nothing searchable (only punctuation …). */
export function buildSearchMatch(query: string): SearchMatch | null {
  const terms = normalizeText(query)
    .split(/\s+/u)
    .map(searchTokens)
    .filter((tokens) => tokens.length > 0)
    .slice(0, MAX_QUERY_TERMS);
  const [first, ...rest] = terms;
  if (first === undefined) return null;
  const others = rest.map(termAnywhere);
  const firstAtStart = termAtStart(first);
  return {
    all: [termAnywhere(first), ...others].join(' AND '),
    head: [firstAtStart, ...others].join(' AND '),
    firstAtStart,
  };
}
