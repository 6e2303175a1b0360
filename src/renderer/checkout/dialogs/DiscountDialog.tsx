import { useState, type FormEvent } from 'react';
import type { CurrencyCode } from '../../../shared/domain/money';
import type { SaleLineView, SaleView } from '../../../shared/ipc/channels/sale';
import { Dialog } from '../../components/Dialog';
import { formatAmount, formatPercent, parseAmount, parsePercentBp, productName } from '../../format';
import { useI18n } from '../../i18n/context';

export type DiscountScope = 'line' | 'order';
export type DiscountRequest =
  { type: 'percent'; bp: number } | { type: 'amount'; amount: number } | { type: 'none' };

interface Props {
  readonly sale: SaleView;
  /** The selected (or last) line; null when there is none to discount. */
  readonly line: SaleLineView | null;
  readonly currency: CurrencyCode;
  readonly onApply: (scope: DiscountScope, discount: DiscountRequest) => void;
  readonly onClose: () => void;
}

const QUICK_PERCENTS = [500, 1000, 2000, 5000] as const;

/** A line or order discount, in percent or as an amount. The core checks the permission (supervisor override). */
export function DiscountDialog({ sale, line, currency, onApply, onClose }: Props) {
  const { t, locale } = useI18n();
  const [scope, setScope] = useState<DiscountScope>(line ? 'line' : 'order');
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const existing = scope === 'line' ? line?.discount : sale.orderDiscount;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === 'percent') {
      const bp = parsePercentBp(text);
      if (bp === null) return setInvalid(true);
      onApply(scope, { type: 'percent', bp });
    } else {
      const amount = parseAmount(text, currency);
      if (amount === null || amount < 1) return setInvalid(true);
      onApply(scope, { type: 'amount', amount });
    }
  };

  return (
    <Dialog title={t('discount.title')} testId="discount-dialog" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <div className="segmented" role="radiogroup" aria-label={t('discount.scope')}>
          <button
            type="button"
            role="radio"
            aria-checked={scope === 'line'}
            data-testid="discount-scope-line"
            disabled={!line}
            onClick={() => setScope('line')}
          >
            {t('discount.scopeLine')}
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={scope === 'order'}
            data-testid="discount-scope-order"
            onClick={() => setScope('order')}
          >
            {t('discount.scopeOrder')}
          </button>
        </div>
        <p className="dialog-subject">
          {scope === 'line' && line ? productName(line, locale) : t('discount.wholeSale')}
          {existing ? (
            <span className="badge ok">
              {existing.type === 'percent'
                ? `-${formatPercent(existing.bp)}`
                : `-${formatAmount(existing.amount, currency)}`}
            </span>
          ) : null}
        </p>
        <div className="segmented" role="radiogroup" aria-label={t('discount.kind')}>
          <button
            type="button"
            role="radio"
            aria-checked={kind === 'percent'}
            data-testid="discount-type-percent"
            onClick={() => setKind('percent')}
          >
            {t('discount.percent')}
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={kind === 'amount'}
            data-testid="discount-type-amount"
            onClick={() => setKind('amount')}
          >
            {t('discount.amount')}
          </button>
        </div>
        {kind === 'percent' ? (
          <div className="chip-row">
            {QUICK_PERCENTS.map((bp) => (
              <button
                key={bp}
                type="button"
                className="chip"
                data-testid={`discount-quick-${bp}`}
                onClick={() => onApply(scope, { type: 'percent', bp })}
              >
                -{formatPercent(bp)}
              </button>
            ))}
          </div>
        ) : null}
        <label className="field-label" htmlFor="discount-input">
          {kind === 'percent' ? t('discount.percentLabel') : t('discount.amountLabel')}
        </label>
        <input
          id="discount-input"
          className="input big-input"
          type="text"
          inputMode="decimal"
          autoComplete="off"
          autoFocus
          data-testid="discount-input"
          aria-invalid={invalid}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setInvalid(false);
          }}
        />
        {invalid ? <p className="field-error">{t('discount.invalid')}</p> : null}
        <div className="dialog-actions">
          {existing ? (
            <button
              type="button"
              className="button danger"
              data-testid="discount-remove"
              onClick={() => onApply(scope, { type: 'none' })}
            >
              {t('discount.remove')}
            </button>
          ) : null}
          <button type="submit" className="button primary" data-testid="discount-submit">
            {t('discount.apply')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
