import type { Locale } from '../../shared/domain/locale';
import type { CurrencyCode } from '../../shared/domain/money';
import { plainAmount } from '../format';
import { CURRENCY_LABELS, type Translate } from '../i18n/index';
import { speak } from './voice';

/** "37.40 人民币" / "37.40 Chinese yuan": digits a speech engine reads well, and the currency in words. */
function spokenAmount(amount: number, currency: CurrencyCode, t: Translate): string {
  return `${plainAmount(amount, currency)} ${t(CURRENCY_LABELS[currency])}`;
}

export function announceTotal(amount: number, currency: CurrencyCode, t: Translate, locale: Locale): void {
  speak(t('voice.total', { amount: spokenAmount(amount, currency, t) }), locale);
}

export function announceChange(amount: number, currency: CurrencyCode, t: Translate, locale: Locale): void {
  speak(
    amount > 0 ? t('voice.change', { amount: spokenAmount(amount, currency, t) }) : t('voice.noChange'),
    locale,
  );
}
