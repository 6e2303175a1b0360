import { useState } from 'react';
import { CURRENCY_CODES, type CurrencyCode } from '../../shared/domain/money';
import { TAX_MODES, type TaxMode } from '../../shared/domain/locale';
import { TAX_ROUNDINGS, type TaxRounding } from '../../shared/domain/totals';
import {
  CASH_INCREMENTS,
  SaleSettingsInputSchema,
  type BasicsLockReason,
  type SaleSettingsInput,
  type StoreSettings,
} from '../../shared/ipc/channels/settings';
import { formatAmount } from '../format';
import { useI18n } from '../i18n/context';
import { CURRENCY_LABELS, type PlainKey } from '../i18n/index';
import { useClient } from '../ipc/context';
import { IssueText, SectionActions, useSectionSave } from './form-parts';
import { localIssues } from './issues';

const ROUNDING_KEYS: Readonly<Record<TaxRounding, { label: PlainKey; hint: PlainKey }>> = {
  per_line: { label: 'settings.sale.perLine', hint: 'settings.sale.perLineHint' },
  per_document: { label: 'settings.sale.perDocument', hint: 'settings.sale.perDocumentHint' },
};

const TAX_MODE_KEYS: Readonly<Record<TaxMode, PlainKey>> = {
  inclusive: 'settings.sale.inclusive',
  exclusive: 'settings.sale.exclusive',
};

const LOCK_KEYS: Readonly<Record<BasicsLockReason, PlainKey>> = {
  documents_exist: 'settings.sale.lockedDocuments',
  sale_open: 'settings.sale.lockedSaleOpen',
  shift_open: 'settings.sale.lockedShiftOpen',
};

/** Tax rounding, the cash increment, and currency / tax mode while nothing has been sold yet. */
export function SaleSection({
  settings,
  onSaved,
}: {
  readonly settings: StoreSettings;
  readonly onSaved: (next: StoreSettings) => void;
}) {
  const client = useClient();
  const { t } = useI18n();
  const [rounding, setRounding] = useState<TaxRounding>(settings.taxRounding);
  const [increment, setIncrement] = useState(settings.cashIncrement);
  const [currency, setCurrency] = useState<CurrencyCode>(settings.currency ?? 'CNY');
  const [taxMode, setTaxMode] = useState<TaxMode>(settings.taxMode ?? 'inclusive');
  const locked = settings.basicsLock;

  const input = (): SaleSettingsInput => ({
    taxRounding: rounding,
    cashIncrement: increment,
    // Currency and tax mode go only while they may change (the core refuses them otherwise, and says why).
    ...(locked === null ? { currency, taxMode } : {}),
  });
  const { issues, failure, busy, saved, save, edited } = useSectionSave(
    () => localIssues(SaleSettingsInputSchema, input()),
    () => client.call('settings:set-sale', input()),
    onSaved,
  );
  const choices = CASH_INCREMENTS[currency];

  return (
    <section className="settings-section" data-testid="settings-sale">
      <fieldset className="choice-group">
        <legend className="field-label">{t('settings.sale.rounding')}</legend>
        {TAX_ROUNDINGS.map((value) => (
          <label key={value} className={rounding === value ? 'choice selected' : 'choice'}>
            <input
              type="radio"
              name="settings-rounding"
              data-testid={`settings-rounding-${value}`}
              checked={rounding === value}
              onChange={() => {
                setRounding(value);
                edited();
              }}
            />
            <span className="choice-text">
              <span className="choice-label">{t(ROUNDING_KEYS[value].label)}</span>
              <span className="choice-hint">{t(ROUNDING_KEYS[value].hint)}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <fieldset className="choice-group">
        <legend className="field-label">{t('settings.sale.cashIncrement')}</legend>
        <p className="field-hint">{t('settings.sale.cashIncrementHint')}</p>
        <div className="chip-row" role="radiogroup" aria-label={t('settings.sale.cashIncrement')}>
          {choices.map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={increment === value}
              className={increment === value ? 'chip selected' : 'chip'}
              data-testid={`settings-increment-${value}`}
              onClick={() => {
                setIncrement(value);
                edited();
              }}
            >
              {value === 1 ? t('settings.sale.noRounding') : formatAmount(value, currency)}
            </button>
          ))}
        </div>
        <IssueText issues={issues} path="cashIncrement" />
      </fieldset>

      <fieldset className="choice-group" disabled={locked !== null}>
        <legend className="field-label">{t('settings.sale.basics')}</legend>
        {locked !== null ? (
          <p className="notice warn" data-testid="settings-basics-locked" data-reason={locked}>
            {t(LOCK_KEYS[locked])}
          </p>
        ) : (
          <p className="field-hint">{t('settings.sale.basicsHint')}</p>
        )}
        <div className="field-row">
          <div className="field">
            <label className="field-label" htmlFor="settings-currency">
              {t('settings.sale.currency')}
            </label>
            <select
              id="settings-currency"
              className="input"
              data-testid="settings-currency"
              value={currency}
              onChange={(event) => {
                const next = event.target.value as CurrencyCode;
                setCurrency(next);
                // Coins differ between currencies: fall back to no rounding when the coin does not exist there.
                if (!CASH_INCREMENTS[next].includes(increment)) setIncrement(1);
                edited();
              }}
            >
              {CURRENCY_CODES.map((code) => (
                <option key={code} value={code}>
                  {t(CURRENCY_LABELS[code])}
                </option>
              ))}
            </select>
            <IssueText issues={issues} path="currency" />
          </div>
          <div className="field">
            <span className="field-label">{t('settings.sale.taxMode')}</span>
            <div className="segmented" role="radiogroup" aria-label={t('settings.sale.taxMode')}>
              {TAX_MODES.map((mode) => (
                <button
                  key={mode}
                  type="button"
                  role="radio"
                  aria-checked={taxMode === mode}
                  data-testid={`settings-tax-mode-${mode}`}
                  disabled={locked !== null}
                  onClick={() => {
                    setTaxMode(mode);
                    edited();
                  }}
                >
                  {t(TAX_MODE_KEYS[mode])}
                </button>
              ))}
            </div>
          </div>
        </div>
        <IssueText issues={issues} path="inStoreRules" />
      </fieldset>

      <SectionActions
        testId="settings-sale"
        busy={busy}
        saved={saved}
        failure={failure}
        onSave={() => void save()}
      />
    </section>
  );
}
