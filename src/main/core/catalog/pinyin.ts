import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;
const NOT_ALNUM = /[^a-z0-9]/g;

/**
 * The 助记码 a cashier types to find a Chinese product: the first letter of each character's pinyin, with
 * Latin letters and digits kept lower-case and everything else dropped. "可口可乐 330ml" → "kkkl330ml".
 *
 * pinyin-pro reads characters in context (银行 → "yh", 重庆 → "cq"), which a per-character table cannot. A
 * character with several readings still gets only the one pinyin-pro picks; see README ("weak spots").
 * Full-width letters and digits are folded first (NFKC), so "ＡＢＣ１２３" keeps its "abc123".
 */
export function pinyinInitials(text: string): string {
  const normalized = text.normalize('NFKC');
  if (!HAN.test(normalized)) return normalized.toLowerCase().replace(NOT_ALNUM, '');
  return pinyin(normalized, { pattern: 'first', toneType: 'none', type: 'array' })
    .join('')
    .toLowerCase()
    .replace(NOT_ALNUM, '');
}
