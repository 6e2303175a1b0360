import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Locale } from '../../shared/domain/locale';
import { formatDateTime, translatorFor, type Translate } from './index';

interface I18n {
  readonly locale: Locale;
  readonly t: Translate;
  /** An ISO timestamp for people, in the current locale. */
  readonly formatTime: (iso: string) => string;
  /** Asks the core to switch language (it persists it and tells every window). */
  readonly setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({
  locale,
  setLocale,
  children,
}: {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  children: ReactNode;
}) {
  const value = useMemo<I18n>(
    () => ({
      locale,
      t: translatorFor(locale),
      formatTime: (iso) => formatDateTime(iso, locale),
      setLocale,
    }),
    [locale, setLocale],
  );
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n() outside <I18nProvider>');
  return i18n;
}
