import { useState, type FormEvent } from 'react';
import type { CurrencyCode } from '../../../shared/domain/money';
import { Dialog } from '../../components/Dialog';
import { formatUnitPrice, parseQtyMilli, productName, type ProductUnit } from '../../format';
import { useI18n } from '../../i18n/context';

export interface WeighedProduct {
  readonly nameZh: string;
  readonly nameEn: string;
  readonly unit: ProductUnit;
  readonly price: number;
}

interface Props {
  /** Null while the product's details are still being read (the name and price are then not shown yet). */
  readonly product: WeighedProduct | null;
  readonly unit: ProductUnit;
  readonly currency: CurrencyCode;
  readonly onWeighed: (qtyMilli: number) => void;
  readonly onClose: () => void;
}

/** The weight of a weighed item whose barcode (or PLU) did not carry it, in the product's unit. */
export function WeightDialog({ product, unit, currency, onWeighed, onClose }: Props) {
  const { t, locale } = useI18n();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const qtyMilli = parseQtyMilli(text);
    if (qtyMilli === null) return setInvalid(true);
    onWeighed(qtyMilli);
  };

  return (
    <Dialog title={t('weight.title')} testId="weight-dialog" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        {product ? (
          <p className="dialog-subject">
            {productName(product, locale)}
            <span className="muted"> {formatUnitPrice(product.price, product.unit, currency)}</span>
          </p>
        ) : null}
        <label className="field-label" htmlFor="weight-input">
          {t('weight.label', { unit })}
        </label>
        <div className="input-with-unit">
          <input
            id="weight-input"
            className="input big-input"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            autoFocus
            data-testid="weight-input"
            aria-invalid={invalid}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setInvalid(false);
            }}
          />
          <span className="unit">{unit}</span>
        </div>
        {invalid ? <p className="field-error">{t('weight.invalid')}</p> : null}
        <div className="dialog-actions">
          <button type="submit" className="button primary" data-testid="weight-submit">
            {t('weight.add')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
