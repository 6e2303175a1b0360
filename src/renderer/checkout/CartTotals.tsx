import type { SaleView } from '../../shared/ipc/channels/sale';
import type { CurrencyCode } from '../../shared/domain/money';
import { formatAmount, formatMilli } from '../format';
import { useI18n } from '../i18n/context';

/** Pieces count one each; weighed lines count as one item (a bag of bananas is one thing in the basket). */
export function itemCount(sale: SaleView | null): string {
  if (!sale) return '0';
  const milli = sale.lines
    .filter((l) => !l.voided)
    .reduce((sum, l) => sum + (l.unit === 'piece' ? l.qtyMilli : 1000), 0);
  return formatMilli(milli);
}

/** Subtotal, discounts, tax and the big total of the open sale. */
export function CartTotals({ sale, currency }: { sale: SaleView | null; currency: CurrencyCode }) {
  const { t } = useI18n();
  const totals = sale?.totals;
  return (
    <section className="cart-totals" aria-label={t('cart.totals')}>
      <dl className="totals-figures">
        <div>
          <dt>{t('cart.items')}</dt>
          <dd data-testid="cart-item-count">{itemCount(sale)}</dd>
        </div>
        <div>
          <dt>{t('cart.subtotal')}</dt>
          <dd>{formatAmount(totals?.subtotal ?? 0, currency)}</dd>
        </div>
        <div>
          <dt>{t('cart.discounts')}</dt>
          <dd data-testid="cart-discount-total">
            {totals && totals.discountTotal !== 0 ? `-${formatAmount(totals.discountTotal, currency)}` : '—'}
          </dd>
        </div>
        <div>
          <dt>{sale?.taxMode === 'exclusive' ? t('cart.taxAdded') : t('cart.taxIncluded')}</dt>
          <dd>{formatAmount(totals?.taxTotal ?? 0, currency)}</dd>
        </div>
      </dl>
      <div className="grand-total">
        <span className="grand-total-label">{t('cart.total')}</span>
        <span className="grand-total-amount" data-testid="cart-total" data-amount={totals?.total ?? 0}>
          {formatAmount(totals?.total ?? 0, currency)}
        </span>
      </div>
    </section>
  );
}
