import type { SaleView } from '../../shared/ipc/channels/sale';
import { itemCount } from '../checkout/CartTotals';
import { formatAmount, formatQty, productName } from '../format';
import { useI18n } from '../i18n/context';

/** What is being paid for, compactly, so the cashier can answer "what did I buy?" without going back. */
export function TenderLines({ sale }: { sale: SaleView }) {
  const { t, locale } = useI18n();
  const lines = sale.lines.filter((l) => !l.voided);
  return (
    <div className="tender-lines">
      <h2>{t('tender.items', { count: itemCount(sale) })}</h2>
      <ul>
        {lines.map((line) => (
          <li key={line.id}>
            <span className="tender-line-name">{productName(line, locale)}</span>
            <span className="muted">× {formatQty(line.qtyMilli, line.unit)}</span>
            <span className="tender-line-total">
              {line.amounts ? formatAmount(line.amounts.total, sale.currency) : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
