import { useState } from 'react';
import { gs1CheckDigit, parseScan } from '../../shared/domain/barcode';
import { CURRENCIES, type CurrencyCode } from '../../shared/domain/money';
import {
  IN_STORE_CODE_LENGTH,
  inStoreLayoutLength,
  SaleSettingsInputSchema,
  type InStoreRuleInput,
  type StoreSettings,
} from '../../shared/ipc/channels/settings';
import { formatAmount, formatMilli } from '../format';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { IssueText, SectionActions, SettingField, useSectionSave } from './form-parts';
import { localIssues } from './issues';

/** One layout as typed (numbers stay text until saved, so a field can be empty while it is edited). */
interface RuleRow {
  readonly prefixes: string;
  readonly itemDigits: string;
  readonly valueDigits: string;
  readonly valueType: 'price' | 'weight';
  readonly decimals: string;
  readonly hasValueCheckDigit: boolean;
}

const toRow = (rule: StoreSettings['inStoreRules'][number]): RuleRow => ({
  prefixes: rule.prefixes.join(', '),
  itemDigits: String(rule.itemDigits),
  valueDigits: String(rule.valueDigits),
  valueType: rule.valueType,
  decimals: String(rule.decimals),
  hasValueCheckDigit: rule.hasValueCheckDigit ?? false,
});

const whole = (text: string): number => (/^\d{1,2}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

export function toRule(row: RuleRow): InStoreRuleInput {
  return {
    prefixes: row.prefixes.split(/[\s,，、]+/).filter((p) => p !== ''),
    itemDigits: whole(row.itemDigits),
    valueDigits: whole(row.valueDigits),
    valueType: row.valueType,
    decimals: whole(row.decimals),
    ...(row.hasValueCheckDigit ? { hasValueCheckDigit: true } : {}),
  };
}

const NEW_ROW: RuleRow = {
  prefixes: '',
  itemDigits: '5',
  valueDigits: '5',
  valueType: 'weight',
  decimals: '3',
  hasValueCheckDigit: false,
};

/** The price / weight labels of the store's scales: layouts, and a live reading of a typed example. */
export function InStoreSection({
  settings,
  onSaved,
}: {
  readonly settings: StoreSettings;
  readonly onSaved: (next: StoreSettings) => void;
}) {
  const client = useClient();
  const { t } = useI18n();
  const [rows, setRows] = useState<readonly RuleRow[]>(() => settings.inStoreRules.map(toRow));
  const currency = settings.currency ?? 'CNY';

  const input = () => ({ inStoreRules: rows.map(toRule) });
  const section = useSectionSave(
    () => localIssues(SaleSettingsInputSchema, input()),
    () => client.call('settings:set-sale', input()),
    onSaved,
  );
  const change = (index: number, patch: Partial<RuleRow>) => {
    setRows((list) => list.map((row, i) => (i === index ? { ...row, ...patch } : row)));
    section.edited();
  };

  return (
    <section className="settings-section" data-testid="settings-instore">
      <p className="field-hint">{t('settings.instore.hint')}</p>
      {rows.map((row, index) => {
        const rule = toRule(row);
        const path = `inStoreRules.${index}`;
        const id = `settings-rule-${index}`;
        return (
          <fieldset key={index} className="section settings-rule" data-testid={id}>
            <legend>{t('settings.instore.layout', { n: index + 1 })}</legend>
            <LayoutDiagram rule={rule} />
            <div className="field-row">
              <SettingField
                id={`${id}-prefixes`}
                label={t('settings.instore.prefixes')}
                hint={t('settings.instore.prefixesHint')}
                issues={section.issues}
                path={`${path}.prefixes`}
              >
                {(aria) => (
                  <input
                    {...aria}
                    className="input"
                    data-testid={`${id}-prefixes`}
                    value={row.prefixes}
                    onChange={(event) => change(index, { prefixes: event.target.value })}
                  />
                )}
              </SettingField>
              <div className="field">
                <span className="field-label">{t('settings.instore.valueType')}</span>
                <div className="segmented" role="radiogroup" aria-label={t('settings.instore.valueType')}>
                  {(['price', 'weight'] as const).map((type) => (
                    <button
                      key={type}
                      type="button"
                      role="radio"
                      aria-checked={row.valueType === type}
                      data-testid={`${id}-type-${type}`}
                      onClick={() =>
                        change(index, {
                          valueType: type,
                          decimals: type === 'weight' ? '3' : String(CURRENCIES[currency].decimals),
                        })
                      }
                    >
                      {type === 'price' ? t('settings.instore.price') : t('settings.instore.weight')}
                    </button>
                  ))}
                </div>
              </div>
            </div>
            <div className="field-row">
              {(['itemDigits', 'valueDigits', 'decimals'] as const).map((key) => (
                <SettingField
                  key={key}
                  id={`${id}-${key}`}
                  label={t(
                    key === 'itemDigits'
                      ? 'settings.instore.itemDigits'
                      : key === 'valueDigits'
                        ? 'settings.instore.valueDigits'
                        : row.valueType === 'price'
                          ? 'settings.instore.priceDecimals'
                          : 'settings.instore.weightDecimals',
                  )}
                  issues={section.issues}
                  path={`${path}.${key}`}
                >
                  {(aria) => (
                    <input
                      {...aria}
                      className="input narrow"
                      inputMode="numeric"
                      data-testid={`${id}-${key}`}
                      value={row[key]}
                      onChange={(event) => change(index, { [key]: event.target.value })}
                    />
                  )}
                </SettingField>
              ))}
            </div>
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid={`${id}-check-digit`}
                checked={row.hasValueCheckDigit}
                onChange={(event) => change(index, { hasValueCheckDigit: event.target.checked })}
              />
              {t('settings.instore.valueCheckDigit')}
            </label>
            <IssueText issues={section.issues} path={`${path}.hasValueCheckDigit`} />
            <button
              type="button"
              className="button secondary"
              data-testid={`${id}-remove`}
              onClick={() => {
                setRows((list) => list.filter((_, i) => i !== index));
                section.edited();
              }}
            >
              {t('settings.instore.remove')}
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button secondary"
        data-testid="settings-rule-add"
        disabled={rows.length >= 10}
        onClick={() => {
          setRows((list) => [...list, NEW_ROW]);
          section.edited();
        }}
      >
        {t('settings.instore.add')}
      </button>

      <BarcodeExample rules={rows.map(toRule)} currency={currency} />

      <SectionActions
        testId="settings-instore"
        busy={section.busy}
        saved={section.saved}
        failure={section.failure}
        onSave={() => void section.save()}
      />
    </section>
  );
}

/** The 13 positions of a layout: prefix, item, [value check digit], value, check digit. */
function LayoutDiagram({ rule }: { rule: InStoreRuleInput }) {
  const { t } = useI18n();
  const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= 13;
  if (!ok(rule.itemDigits) || !ok(rule.valueDigits)) return null;
  const cells: { kind: string; label: string }[] = [
    ...Array.from({ length: 2 }, () => ({ kind: 'prefix', label: 'P' })),
    ...Array.from({ length: rule.itemDigits }, () => ({ kind: 'item', label: 'I' })),
    ...(rule.hasValueCheckDigit ? [{ kind: 'vcd', label: 'V' }] : []),
    ...Array.from({ length: rule.valueDigits }, () => ({
      kind: 'value',
      label: rule.valueType === 'price' ? '¤' : 'g',
    })),
    { kind: 'check', label: 'C' },
  ];
  const length = inStoreLayoutLength(rule);
  return (
    <div className="layout-diagram" aria-hidden="true">
      <span className="layout-cells">
        {cells.map((cell, i) => (
          <span key={i} className={`layout-cell ${cell.kind}`}>
            {cell.label}
          </span>
        ))}
      </span>
      <span className={length === IN_STORE_CODE_LENGTH ? 'layout-length' : 'layout-length bad'}>
        {t('settings.instore.length', { n: length, of: IN_STORE_CODE_LENGTH })}
      </span>
    </div>
  );
}

/** Type (or scan) a label and see how the layouts being edited would read it — the pure parser the till uses. */
function BarcodeExample({ rules, currency }: { rules: readonly InStoreRuleInput[]; currency: CurrencyCode }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  let reading: string | null = null;
  let tone: 'ok' | 'warn' = 'ok';
  if (code.trim() !== '') {
    try {
      const scan = parseScan(code, rules, {
        currencyDecimals: CURRENCIES[currency].decimals,
        currentYear: new Date().getFullYear(),
      });
      switch (scan.kind) {
        case 'in_store':
          reading =
            scan.value.type === 'price'
              ? t('settings.example.price', {
                  n: scan.ruleIndex + 1,
                  item: scan.itemCode,
                  amount: formatAmount(scan.value.amount, currency),
                })
              : t('settings.example.weight', {
                  n: scan.ruleIndex + 1,
                  item: scan.itemCode,
                  kg: formatMilli(scan.value.grams),
                });
          break;
        case 'gtin':
          reading = scan.restrictedCirculation
            ? t('settings.example.noLayout', { code: scan.scanned })
            : t('settings.example.gtin', { code: scan.scanned });
          break;
        case 'gs1':
          reading = t('settings.example.gs1');
          break;
        case 'plain':
          reading = t('settings.example.plain', { code: scan.code });
          break;
        case 'misread': {
          tone = 'warn';
          const digits = scan.code;
          reading =
            scan.reason === 'check_digit' && /^\d{13}$/.test(digits)
              ? t('settings.example.checkDigit', { digit: gs1CheckDigit(digits.slice(0, 12)) })
              : t('settings.example.misread');
          break;
        }
      }
    } catch {
      tone = 'warn';
      reading = t('settings.example.fixLayouts');
    }
  }
  return (
    <div className="section settings-example">
      <label className="field">
        <span className="field-label">{t('settings.example.title')}</span>
        <input
          className="input"
          inputMode="numeric"
          data-testid="settings-example-input"
          value={code}
          placeholder="2801001005371"
          onChange={(event) => setCode(event.target.value)}
        />
      </label>
      {reading !== null ? (
        <p
          className={tone === 'ok' ? 'notice' : 'notice warn'}
          role="status"
          data-testid="settings-example-reading"
        >
          {reading}
        </p>
      ) : (
        <p className="field-hint">{t('settings.example.hint')}</p>
      )}
    </div>
  );
}
