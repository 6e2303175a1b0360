import type { Locale } from '../../shared/domain/locale';
import type { Role } from '../../shared/domain/permissions';
import type { CurrencyCode } from '../../shared/domain/money';
import { en } from './en';
import type { Messages, MessageKey, PlainKey, TArgs, Translate } from './types';
import { zhCN } from './zh-CN';

export type { MessageKey, PlainKey, Translate } from './types';

const catalogs: Readonly<Record<Locale, Messages>> = { 'zh-CN': zhCN, en };

/** Each language named in itself, so a reader of the other language can still find theirs. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { 'zh-CN': '简体中文', en: 'English' };
export const LOCALE_SHORT_NAMES: Readonly<Record<Locale, string>> = { 'zh-CN': '中文', en: 'English' };

/** Shown before the core has told us its locale. Chinese is the primary language. */
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const ROLE_LABELS: Readonly<Record<Role, PlainKey>> = {
  cashier: 'role.cashier',
  supervisor: 'role.supervisor',
  technician: 'role.technician',
  manager: 'role.manager',
  admin: 'role.admin',
};

export const CURRENCY_LABELS: Readonly<Record<CurrencyCode, PlainKey>> = {
  CNY: 'currency.CNY',
  USD: 'currency.USD',
  EUR: 'currency.EUR',
  GBP: 'currency.GBP',
  HKD: 'currency.HKD',
  JPY: 'currency.JPY',
};

/** Fills `{name}` placeholders; an unknown placeholder is left visible rather than silently dropped. */
export function interpolate(template: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function translatorFor(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return <K extends MessageKey>(key: K, ...args: TArgs<K>): string => interpolate(catalog[key], args[0]);
}

/** A time for people: "14:05" today, with the date otherwise. Unparseable input is shown as it came. */
export function formatDateTime(iso: string, locale: Locale, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(
    locale,
    sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' },
  ).format(date);
}
