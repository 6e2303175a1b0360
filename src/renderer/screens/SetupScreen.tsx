import { useState, type FormEvent } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import { LOCALES, TAX_MODES, type Locale, type TaxMode } from '../../shared/domain/locale';
import { CURRENCIES, CURRENCY_CODES, type CurrencyCode } from '../../shared/domain/money';
import { PersonNameSchema, StoreNameSchema, type SessionInfo } from '../../shared/ipc/contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { NewPinInput } from '../components/NewPinInput';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { checkName, checkPin, checkPinConfirm, firstInvalid, type FieldError } from '../forms';
import { useI18n } from '../i18n/context';
import { CURRENCY_LABELS, LOCALE_NAMES, type PlainKey } from '../i18n/index';
import { useClient } from '../ipc/context';

const FIELDS = ['storeName', 'adminName', 'adminPin', 'adminPinConfirm'] as const;
type FieldName = (typeof FIELDS)[number];
const FIELD_IDS: Readonly<Record<FieldName, string>> = {
  storeName: 'setup-store-name',
  adminName: 'setup-admin-name',
  adminPin: 'setup-admin-pin',
  adminPinConfirm: 'setup-admin-pin-confirm',
};

const TAX_MODE_TEXT: Readonly<Record<TaxMode, { label: PlainKey; hint: PlainKey }>> = {
  inclusive: { label: 'setup.taxInclusive', hint: 'setup.taxInclusiveHint' },
  exclusive: { label: 'setup.taxExclusive', hint: 'setup.taxExclusiveHint' },
};

interface Props {
  readonly defaultCurrency: CurrencyCode | null;
  readonly defaultTaxMode: TaxMode | null;
  readonly onDone: (session: SessionInfo) => void;
}

/** First run: the store, its money and tax conventions, and the first administrator (signed in afterwards). */
export function SetupScreen({ defaultCurrency, defaultTaxMode, onDone }: Props) {
  const client = useClient();
  const { t, locale, setLocale } = useI18n();
  const [storeName, setStoreName] = useState('');
  const [currency, setCurrency] = useState<CurrencyCode>(defaultCurrency ?? 'CNY');
  const [taxMode, setTaxMode] = useState<TaxMode>(defaultTaxMode ?? 'inclusive');
  const [adminName, setAdminName] = useState('');
  const [adminPin, setAdminPin] = useState('');
  const [adminPinConfirm, setAdminPinConfirm] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, FieldError | null>>>({});
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found: Record<FieldName, FieldError | null> = {
      storeName: checkName(storeName, StoreNameSchema),
      adminName: checkName(adminName, PersonNameSchema),
      adminPin: checkPin(adminPin),
      adminPinConfirm: checkPinConfirm(adminPin, adminPinConfirm),
    };
    setErrors(found);
    const invalid = firstInvalid(FIELDS, found);
    if (invalid) {
      document.getElementById(FIELD_IDS[invalid])?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    const result = await client.call('setup:complete', {
      storeName: storeName.trim(),
      currency,
      locale,
      taxMode,
      adminName: adminName.trim(),
      adminPin,
    });
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setFailure(result.error);
  };

  return (
    <div className="screen setup-screen">
      <header className="top-bar">
        <span className="brand">{t('app.title')}</span>
        <LanguageSwitch />
      </header>
      <main className="setup-main">
        <h1>{t('setup.title')}</h1>
        <p className="lead">{t('setup.intro')}</p>
        <form className="setup-form" data-testid="setup-form" noValidate onSubmit={(e) => void submit(e)}>
          <fieldset className="section">
            <legend>{t('setup.store')}</legend>
            <Field id={FIELD_IDS.storeName} label={t('setup.storeName')} error={errors.storeName ?? null}>
              {(aria) => (
                <input
                  {...aria}
                  className="input"
                  data-testid="setup-store-name"
                  type="text"
                  autoComplete="organization"
                  maxLength={StoreNameSchema.maxLength ?? undefined}
                  value={storeName}
                  onChange={(e) => setStoreName(e.target.value)}
                  autoFocus
                />
              )}
            </Field>
            <div className="field-row">
              <Field id="setup-currency" label={t('setup.currency')} error={null}>
                {(aria) => (
                  <select
                    {...aria}
                    className="input"
                    data-testid="setup-currency"
                    value={currency}
                    onChange={(e) => setCurrency(e.target.value as CurrencyCode)}
                  >
                    {CURRENCY_CODES.map((code) => (
                      <option key={code} value={code}>
                        {`${t(CURRENCY_LABELS[code])} (${code}, ${CURRENCIES[code].symbol})`}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="setup-locale" label={t('setup.locale')} error={null}>
                {(aria) => (
                  <select
                    {...aria}
                    className="input"
                    data-testid="setup-locale"
                    value={locale}
                    onChange={(e) => setLocale(e.target.value as Locale)}
                  >
                    {LOCALES.map((option) => (
                      <option key={option} value={option} lang={option}>
                        {LOCALE_NAMES[option]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <fieldset className="choice-group" data-testid="setup-tax-mode">
              <legend className="field-label">{t('setup.taxMode')}</legend>
              {TAX_MODES.map((mode) => (
                <label key={mode} className={taxMode === mode ? 'choice selected' : 'choice'}>
                  <input
                    type="radio"
                    name="taxMode"
                    value={mode}
                    data-testid={`setup-tax-mode-${mode}`}
                    checked={taxMode === mode}
                    onChange={() => setTaxMode(mode)}
                    aria-describedby={`setup-tax-${mode}-hint`}
                  />
                  <span className="choice-text">
                    <span className="choice-label">{t(TAX_MODE_TEXT[mode].label)}</span>
                    <span className="choice-hint" id={`setup-tax-${mode}-hint`}>
                      {t(TAX_MODE_TEXT[mode].hint)}
                    </span>
                  </span>
                </label>
              ))}
            </fieldset>
          </fieldset>

          <fieldset className="section">
            <legend>{t('setup.admin')}</legend>
            <Field id={FIELD_IDS.adminName} label={t('setup.adminName')} error={errors.adminName ?? null}>
              {(aria) => (
                <input
                  {...aria}
                  className="input"
                  data-testid="setup-admin-name"
                  type="text"
                  autoComplete="name"
                  maxLength={PersonNameSchema.maxLength ?? undefined}
                  value={adminName}
                  onChange={(e) => setAdminName(e.target.value)}
                />
              )}
            </Field>
            <div className="field-row">
              <Field id={FIELD_IDS.adminPin} label={t('setup.adminPin')} error={errors.adminPin ?? null}>
                {(aria) => (
                  <NewPinInput aria={aria} testId="setup-admin-pin" value={adminPin} onChange={setAdminPin} />
                )}
              </Field>
              <Field
                id={FIELD_IDS.adminPinConfirm}
                label={t('setup.adminPinConfirm')}
                error={errors.adminPinConfirm ?? null}
              >
                {(aria) => (
                  <NewPinInput
                    aria={aria}
                    testId="setup-admin-pin-confirm"
                    value={adminPinConfirm}
                    onChange={setAdminPinConfirm}
                  />
                )}
              </Field>
            </div>
          </fieldset>

          <ErrorMessage error={failure} />
          <button type="submit" className="button primary wide" data-testid="setup-submit" disabled={busy}>
            {busy ? t('setup.saving') : t('setup.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
