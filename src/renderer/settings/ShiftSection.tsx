import { useEffect, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { CurrencyCode } from '../../shared/domain/money';
import { ShiftConfigSchema, type ShiftConfig } from '../../shared/ipc/channels/shift';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatAmount, parseAmount, plainAmount } from '../format';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { SectionActions, SettingField, useSectionSave } from './form-parts';
import { localIssues } from './issues';

/** Drawer shifts: whether cash needs an open shift, and the close difference a supervisor must approve. */
export function ShiftSection({ currency }: { readonly currency: CurrencyCode }) {
  const client = useClient();
  const [config, setConfig] = useState<ShiftConfig | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);

  useEffect(() => {
    let current = true;
    void client.call('shift:config', {}).then((result) => {
      if (!current) return;
      if (result.ok) setConfig(result.value);
      else setFailure(result.error);
    });
    return () => {
      current = false;
    };
  }, [client]);

  if (config === null) return <ErrorMessage error={failure} />;
  return <ShiftForm config={config} currency={currency} onSaved={setConfig} />;
}

function ShiftForm({
  config,
  currency,
  onSaved,
}: {
  readonly config: ShiftConfig;
  readonly currency: CurrencyCode;
  readonly onSaved: (next: ShiftConfig) => void;
}) {
  const client = useClient();
  const { t } = useI18n();
  const [required, setRequired] = useState(config.requireShiftForCash);
  const [threshold, setThreshold] = useState(plainAmount(config.differenceThreshold, currency));

  const amount = parseAmount(threshold, currency);
  const input = (): ShiftConfig => ({
    ...config,
    requireShiftForCash: required,
    differenceThreshold: amount ?? Number.NaN,
  });
  const section = useSectionSave(
    () =>
      amount === null
        ? new Map([
            ['differenceThreshold', { path: 'differenceThreshold', reason: 'invalid_format', message: '' }],
          ])
        : localIssues(ShiftConfigSchema, input()),
    () => client.call('shift:set-config', input()),
    onSaved,
  );
  const denominations = config.denominations[currency] ?? [];

  return (
    <section className="settings-section" data-testid="settings-shift">
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="settings-shift-required"
          checked={required}
          onChange={(event) => {
            setRequired(event.target.checked);
            section.edited();
          }}
        />
        {t('settings.shift.required')}
      </label>
      <p className="field-hint">{t('settings.shift.requiredHint')}</p>
      <SettingField
        id="settings-shift-threshold"
        label={t('settings.shift.threshold')}
        hint={t('settings.shift.thresholdHint')}
        issues={section.issues}
        path="differenceThreshold"
      >
        {(aria) => (
          <input
            {...aria}
            className="input narrow"
            inputMode="decimal"
            data-testid="settings-shift-threshold"
            value={threshold}
            onChange={(event) => {
              setThreshold(event.target.value);
              section.edited();
            }}
          />
        )}
      </SettingField>
      <div className="field">
        <span className="field-label">{t('settings.shift.denominations')}</span>
        {denominations.length === 0 ? (
          <p className="field-hint">{t('settings.shift.noDenominations')}</p>
        ) : (
          <p className="chip-row">
            {denominations.map((d) => (
              <span key={d.id} className="badge">
                {formatAmount(d.value, currency)}
              </span>
            ))}
          </p>
        )}
      </div>
      <SectionActions
        testId="settings-shift"
        busy={section.busy}
        saved={section.saved}
        failure={section.failure}
        onSave={() => void section.save()}
      />
    </section>
  );
}
