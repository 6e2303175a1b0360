import { LOCALES, type Locale } from '../../shared/domain/locale';
import { useI18n } from '../i18n/context';
import { LOCALE_SHORT_NAMES } from '../i18n/index';

const TEST_IDS: Readonly<Record<Locale, string>> = { 'zh-CN': 'lang-zh', en: 'lang-en' };

/** 中文 / English, each written in its own language. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.switch')}>
      {LOCALES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="lang-option"
          data-testid={TEST_IDS[option]}
          aria-pressed={locale === option}
          onClick={() => setLocale(option)}
        >
          {LOCALE_SHORT_NAMES[option]}
        </button>
      ))}
    </div>
  );
}
