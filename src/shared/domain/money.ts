/**
 * Money is an integer count of minor units (fen, cents …) with a brand, so a bare number cannot be passed
 * where money is expected. The safe range is ±(2^53 − 1) minor units; arithmetic helpers refuse to leave it.
 * Convert only at the edges: keypad input (parseMoney), display and receipts (formatMoney).
 */
export type Money = number & { readonly __brand: 'Money' };

export const CURRENCIES = {
  CNY: { decimals: 2, symbol: '¥' },
  USD: { decimals: 2, symbol: '$' },
  EUR: { decimals: 2, symbol: '€' },
  GBP: { decimals: 2, symbol: '£' },
  HKD: { decimals: 2, symbol: 'HK$' },
  JPY: { decimals: 0, symbol: '¥' },
} as const;
export type CurrencyCode = keyof typeof CURRENCIES;
export const CURRENCY_CODES = Object.keys(CURRENCIES) as [CurrencyCode, ...CurrencyCode[]];

export function money(minorUnits: number): Money {
  if (!Number.isSafeInteger(minorUnits))
    throw new RangeError(`Money must be a safe integer, got ${minorUnits}`);
  return minorUnits as Money;
}

export function addMoney(a: Money, b: Money): Money {
  return money(a + b);
}

export function subMoney(a: Money, b: Money): Money {
  return money(a - b);
}

/** Parses a decimal string typed by a person ("12.5", "12.50", "-3") into minor units, without floats. */
export function parseMoney(text: string, currency: CurrencyCode): Money | null {
  const { decimals } = CURRENCIES[currency];
  const m = /^(-)?(\d{1,13})(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return null;
  const [, sign, whole = '0', frac = ''] = m;
  if (frac.length > decimals) return null;
  const minor = Number(whole + frac.padEnd(decimals, '0'));
  return money(sign ? -minor : minor);
}

/** Formats minor units as a plain decimal string ("12.50"); the UI adds symbols and grouping. */
export function formatMoney(amount: Money, currency: CurrencyCode): string {
  const { decimals } = CURRENCIES[currency];
  const negative = amount < 0;
  const digits = String(Math.abs(amount)).padStart(decimals + 1, '0');
  const whole = decimals === 0 ? digits : digits.slice(0, -decimals);
  const frac = decimals === 0 ? '' : `.${digits.slice(-decimals)}`;
  return `${negative ? '-' : ''}${whole}${frac}`;
}
