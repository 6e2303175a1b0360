import { useState, type FormEvent } from 'react';
import type { CurrencyCode } from '../../../shared/domain/money';
import type { SaleLineView } from '../../../shared/ipc/channels/sale';
import { Dialog } from '../../components/Dialog';
import { formatUnitPrice, parseAmount, plainAmount, productName } from '../../format';
import { useI18n } from '../../i18n/context';

interface Props {
  readonly line: SaleLineView;
  readonly currency: CurrencyCode;
  readonly onApply: (unitPrice: number) => void;
  readonly onClose: () => void;
}

/** A new unit price for one line (needs `sale.price_override` or a supervisor); the list price undoes it. */
export function PriceDialog({ line, currency, onApply, onClose }: Props) {
  const { t, locale } = useI18n();
  const [text, setText] = useState(() => plainAmount(line.unitPrice, currency));
  const [invalid, setInvalid] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const price = parseAmount(text, currency);
    if (price === null) return setInvalid(true);
    onApply(price);
  };

  return (
    <Dialog title={t('price.title')} testId="price-dialog" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <p className="dialog-subject">{productName(line, locale)}</p>
        <p className="muted">
          {t('price.listPrice', { price: formatUnitPrice(line.listPrice, line.unit, currency) })}
        </p>
        <label className="field-label" htmlFor="price-input">
          {t('price.newPrice')}
        </label>
        <input
          id="price-input"
          className="input big-input"
          type="text"
          inputMode="decimal"
          autoComplete="off"
          autoFocus
          data-testid="price-input"
          aria-invalid={invalid}
          value={text}
          onFocus={(event) => event.target.select()}
          onChange={(event) => {
            setText(event.target.value);
            setInvalid(false);
          }}
        />
        {invalid ? <p className="field-error">{t('price.invalid')}</p> : null}
        <div className="dialog-actions">
          {line.priceOverridden ? (
            <button
              type="button"
              className="button secondary"
              data-testid="price-restore"
              onClick={() => onApply(line.listPrice)}
            >
              {t('price.restore')}
            </button>
          ) : null}
          <button type="submit" className="button primary" data-testid="price-submit">
            {t('price.apply')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
