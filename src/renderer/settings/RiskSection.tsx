import { useEffect, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { CurrencyCode } from '../../shared/domain/money';
import {
  RISK_RULE_NAMES,
  RiskRulesSchema,
  type RiskRuleName,
  type RiskRules,
} from '../../shared/ipc/channels/risk';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatPercent, parseAmount, parsePercentBp, plainAmount } from '../format';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';
import { useClient } from '../ipc/context';
import { IssueText, SectionActions, useSectionSave } from './form-parts';
import { localIssues } from './issues';

/** The limits a rule may carry, how they are typed and shown. */
const LIMITS = ['max', 'maxCount', 'maxAmount', 'maxBp', 'minutes'] as const;
type Limit = (typeof LIMITS)[number];

const LIMIT_KEYS: Readonly<Record<Limit, PlainKey>> = {
  max: 'settings.risk.max',
  maxCount: 'settings.risk.maxCount',
  maxAmount: 'settings.risk.maxAmount',
  maxBp: 'settings.risk.maxBp',
  minutes: 'settings.risk.minutes',
};

const RULE_KEYS: Readonly<Record<RiskRuleName, { title: PlainKey; hint: PlainKey }>> = {
  lineVoids: { title: 'settings.risk.lineVoids', hint: 'settings.risk.lineVoidsHint' },
  postVoids: { title: 'settings.risk.postVoids', hint: 'settings.risk.postVoidsHint' },
  refundsWithoutReceipt: {
    title: 'settings.risk.refundsWithoutReceipt',
    hint: 'settings.risk.refundsWithoutReceiptHint',
  },
  discounts: { title: 'settings.risk.discounts', hint: 'settings.risk.discountsHint' },
  noSales: { title: 'settings.risk.noSales', hint: 'settings.risk.noSalesHint' },
  quickPostVoid: { title: 'settings.risk.quickPostVoid', hint: 'settings.risk.quickPostVoidHint' },
  refundToOtherTender: {
    title: 'settings.risk.refundToOtherTender',
    hint: 'settings.risk.refundToOtherTenderHint',
  },
  priceBelowCost: { title: 'settings.risk.priceBelowCost', hint: 'settings.risk.priceBelowCostHint' },
};

/** A rule as edited: its switches as they are, its limits as typed text. */
type RuleForm = { enabled: boolean; mode?: 'alert' | 'approve' } & Partial<Record<Limit, string>>;
type Forms = Record<RiskRuleName, RuleForm>;

function limitText(limit: Limit, value: number, currency: CurrencyCode): string {
  if (limit === 'maxAmount') return plainAmount(value, currency);
  if (limit === 'maxBp') return formatPercent(value).replace('%', '');
  return String(value);
}

function parseLimit(limit: Limit, text: string, currency: CurrencyCode): number {
  const parsed =
    limit === 'maxAmount'
      ? parseAmount(text, currency)
      : limit === 'maxBp'
        ? text.trim() === '0'
          ? 0
          : parsePercentBp(text)
        : /^\d{1,6}$/.test(text.trim())
          ? Number(text.trim())
          : null;
  // NaN fails the contract's schema, which then names the field.
  return parsed ?? Number.NaN;
}

function toForms(rules: RiskRules, currency: CurrencyCode): Forms {
  const forms = {} as Forms;
  for (const name of RISK_RULE_NAMES) {
    const rule = rules[name] as Record<string, unknown>;
    const form: RuleForm = { enabled: rule['enabled'] === true };
    if (rule['mode'] === 'alert' || rule['mode'] === 'approve') form.mode = rule['mode'];
    for (const limit of LIMITS) {
      const value = rule[limit];
      if (typeof value === 'number') form[limit] = limitText(limit, value, currency);
    }
    forms[name] = form;
  }
  return forms;
}

function toRules(forms: Forms, currency: CurrencyCode): RiskRules {
  const rules: Record<string, Record<string, unknown>> = {};
  for (const name of RISK_RULE_NAMES) {
    const { enabled, mode, ...limits } = forms[name];
    const rule: Record<string, unknown> = { enabled };
    if (mode !== undefined) rule['mode'] = mode;
    for (const limit of LIMITS) {
      const text = limits[limit];
      if (text !== undefined) rule[limit] = parseLimit(limit, text, currency);
    }
    rules[name] = rule;
  }
  return rules as RiskRules;
}

/** Fraud and risk rules: each on or off, its limits, and whether it only alerts or holds for a supervisor. */
export function RiskSection({ currency }: { readonly currency: CurrencyCode }) {
  const client = useClient();
  const [rules, setRules] = useState<RiskRules | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);

  useEffect(() => {
    let current = true;
    void client.call('risk:rules', {}).then((result) => {
      if (!current) return;
      if (result.ok) setRules(result.value);
      else setFailure(result.error);
    });
    return () => {
      current = false;
    };
  }, [client]);

  if (rules === null) return <ErrorMessage error={failure} />;
  return <RiskForm rules={rules} currency={currency} onSaved={setRules} />;
}

function RiskForm({
  rules,
  currency,
  onSaved,
}: {
  readonly rules: RiskRules;
  readonly currency: CurrencyCode;
  readonly onSaved: (next: RiskRules) => void;
}) {
  const client = useClient();
  const { t } = useI18n();
  const [forms, setForms] = useState<Forms>(() => toForms(rules, currency));
  const section = useSectionSave(
    () => localIssues(RiskRulesSchema, toRules(forms, currency)),
    () => client.call('risk:set-rules', toRules(forms, currency)),
    onSaved,
  );
  const change = (name: RiskRuleName, patch: Partial<RuleForm>) => {
    setForms((all) => ({ ...all, [name]: { ...all[name], ...patch } }));
    section.edited();
  };

  return (
    <section className="settings-section" data-testid="settings-risk">
      <p className="field-hint">{t('settings.risk.hint')}</p>
      {RISK_RULE_NAMES.map((name) => {
        const form = forms[name];
        const id = `settings-risk-${name}`;
        return (
          <fieldset key={name} className="section settings-rule" data-testid={id} data-enabled={form.enabled}>
            <legend>{t(RULE_KEYS[name].title)}</legend>
            <p className="field-hint">{t(RULE_KEYS[name].hint)}</p>
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid={`${id}-enabled`}
                checked={form.enabled}
                onChange={(event) => change(name, { enabled: event.target.checked })}
              />
              {t('settings.risk.enabled')}
            </label>
            <div className="field-row">
              {LIMITS.filter((limit) => form[limit] !== undefined).map((limit) => (
                <label key={limit} className="field">
                  <span className="field-label">
                    {t(LIMIT_KEYS[limit])}
                    {limit === 'maxBp' ? ' (%)' : ''}
                  </span>
                  <input
                    className="input narrow"
                    inputMode={limit === 'maxAmount' || limit === 'maxBp' ? 'decimal' : 'numeric'}
                    data-testid={`${id}-${limit}`}
                    disabled={!form.enabled}
                    aria-invalid={section.issues.has(`${name}.${limit}`)}
                    value={form[limit]}
                    onChange={(event) => change(name, { [limit]: event.target.value })}
                  />
                  <IssueText issues={section.issues} path={`${name}.${limit}`} />
                </label>
              ))}
              {form.mode !== undefined ? (
                <div className="field">
                  <span className="field-label">{t('settings.risk.mode')}</span>
                  <div className="segmented" role="radiogroup" aria-label={t('settings.risk.mode')}>
                    {(['alert', 'approve'] as const).map((mode) => (
                      <button
                        key={mode}
                        type="button"
                        role="radio"
                        aria-checked={form.mode === mode}
                        data-testid={`${id}-mode-${mode}`}
                        disabled={!form.enabled}
                        onClick={() => change(name, { mode })}
                      >
                        {mode === 'alert' ? t('settings.risk.alert') : t('settings.risk.approve')}
                      </button>
                    ))}
                  </div>
                </div>
              ) : null}
            </div>
          </fieldset>
        );
      })}
      <SectionActions
        testId="settings-risk"
        busy={section.busy}
        saved={section.saved}
        failure={section.failure}
        onSave={() => void section.save()}
      />
    </section>
  );
}
