import type { SaleLineView, SaleView } from '../../shared/ipc/channels/sale';
import { keepFocus } from '../components/KeyButton';
import { formatAmount, formatQty, productName } from '../format';
import { useI18n } from '../i18n/context';

/** What is left to return of a sold line: sold minus what earlier returns took back. */
export function returnableMilli(line: SaleLineView): number {
  return Math.max(0, line.qtyMilli - line.refundedQtyMilli);
}

/** A piece comes back one at a time; a weighed line comes back whole (there is no scale in the loop). */
function step(line: SaleLineView): number {
  return line.unit === 'piece' ? 1000 : returnableMilli(line);
}

interface Props {
  readonly sale: SaleView;
  readonly quantities: ReadonlyMap<string, number>;
  readonly onChange: (lineId: string, qtyMilli: number) => void;
}

/** The sold lines with how many are left to return, and a − / + stepper for how many come back now. */
export function ReturnLines({ sale, quantities, onChange }: Props) {
  const { t, locale } = useI18n();
  const lines = sale.lines.filter((l) => !l.voided);
  return (
    <ul className="return-lines" data-testid="return-lines">
      {lines.map((line, index) => {
        const left = returnableMilli(line);
        const chosen = quantities.get(line.id) ?? 0;
        const by = step(line);
        return (
          <li
            key={line.id}
            className={left === 0 ? 'return-line done' : 'return-line'}
            data-testid={`return-line-${index}`}
          >
            <span className="return-name">
              {productName(line, locale)}
              <span className="muted small">
                {t('returns.soldLeft', {
                  sold: formatQty(line.qtyMilli, line.unit),
                  left: formatQty(left, line.unit),
                })}
                {' · '}
                {line.amounts ? formatAmount(line.amounts.total, sale.currency) : ''}
              </span>
            </span>
            <span className="stepper">
              <button
                type="button"
                className="button secondary"
                data-testid={`return-qty-minus-${index}`}
                aria-label={t('returns.less')}
                disabled={chosen === 0}
                onMouseDown={keepFocus}
                onClick={() => onChange(line.id, Math.max(0, chosen - by))}
              >
                −
              </button>
              <output className="stepper-value" data-testid={`return-qty-${index}`} data-qty-milli={chosen}>
                {formatQty(chosen, line.unit)}
              </output>
              <button
                type="button"
                className="button secondary"
                data-testid={`return-qty-plus-${index}`}
                aria-label={t('returns.more')}
                disabled={chosen + by > left || by === 0}
                onMouseDown={keepFocus}
                onClick={() => onChange(line.id, chosen + by)}
              >
                +
              </button>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
