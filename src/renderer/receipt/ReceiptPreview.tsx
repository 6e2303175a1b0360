import type { CurrencyCode } from '../../shared/domain/money';
import type { DocumentKind, SaleView, TenderConfig } from '../../shared/ipc/channels/sale';
import {
  formatAmount,
  formatDocumentTime,
  formatPercent,
  formatQty,
  formatTaxRate,
  formatUnitPrice,
  productName,
  tenderName,
} from '../format';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';
import { ReceiptBarcode } from './ReceiptBarcode';

const TITLES: Readonly<Record<DocumentKind, PlainKey>> = {
  sale: 'receipt.titleSale',
  refund: 'receipt.titleRefund',
  post_void: 'receipt.titlePostVoid',
};

interface Props {
  readonly sale: SaleView;
  readonly storeName: string | null;
  readonly tenders: readonly TenderConfig[];
}

/**
 * The receipt as the customer gets it, on screen: store header, lines, totals, tax breakdown, tenders, change,
 * receipt number and its barcode. The printed receipt (devices issue) renders the same document.
 */
export function ReceiptPreview({ sale, storeName, tenders }: Props) {
  const { t, locale } = useI18n();
  const currency: CurrencyCode = sale.currency;
  const money = (amount: number) => formatAmount(amount, currency);
  const lines = sale.lines.filter((line) => !line.voided);
  const payments = sale.payments.filter((p) => p.status === 'approved');
  const { totals } = sale;
  const original = sale.kind === 'sale' ? null : (sale.related[0] ?? null);

  return (
    <article className="receipt" data-testid="receipt-preview" data-receipt-no={sale.receiptNo ?? ''}>
      <header className="receipt-header">
        <p className="receipt-store">{storeName ?? t('app.title')}</p>
        <p className="receipt-title">{t(TITLES[sale.kind])}</p>
      </header>
      <dl className="receipt-meta">
        <div>
          <dt>{t('receipt.number')}</dt>
          <dd data-testid="receipt-number">{sale.receiptNo ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('receipt.time')}</dt>
          <dd>{sale.completedAt ? formatDocumentTime(sale.completedAt, locale) : '—'}</dd>
        </div>
        <div>
          <dt>{t('receipt.cashier')}</dt>
          <dd>{sale.cashierName}</dd>
        </div>
        {original ? (
          <div>
            <dt>{t('receipt.original')}</dt>
            <dd>{original.receiptNo ?? '—'}</dd>
          </div>
        ) : null}
      </dl>
      <table className="receipt-lines">
        <thead>
          <tr>
            <th scope="col">{t('cart.item')}</th>
            <th scope="col" className="num">
              {t('receipt.qtyPrice')}
            </th>
            <th scope="col" className="num">
              {t('cart.lineTotal')}
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.id}>
              <td>
                {productName(line, locale)}
                {line.discount ? (
                  <span className="receipt-discount">
                    {t('receipt.discount')}{' '}
                    {line.discount.type === 'percent'
                      ? `-${formatPercent(line.discount.bp)}`
                      : `-${money(line.discount.amount)}`}
                  </span>
                ) : null}
              </td>
              <td className="num">
                {formatQty(line.qtyMilli, line.unit)} × {formatUnitPrice(line.unitPrice, line.unit, currency)}
              </td>
              <td className="num">{line.amounts ? money(line.amounts.total) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="receipt-totals">
        <div>
          <dt>{t('cart.subtotal')}</dt>
          <dd>{money(totals.subtotal)}</dd>
        </div>
        {totals.discountTotal !== 0 ? (
          <div>
            <dt>{t('cart.discounts')}</dt>
            <dd>-{money(totals.discountTotal)}</dd>
          </div>
        ) : null}
        {totals.cashRoundingAdjustment !== 0 ? (
          <div>
            <dt>{t('receipt.rounding')}</dt>
            <dd>{money(totals.cashRoundingAdjustment)}</dd>
          </div>
        ) : null}
        <div className="receipt-grand">
          <dt>{t('cart.total')}</dt>
          <dd data-testid="receipt-total">{money(totals.payable)}</dd>
        </div>
      </dl>
      <table className="receipt-taxes">
        <caption>{sale.taxMode === 'inclusive' ? t('receipt.taxesIncluded') : t('receipt.taxes')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('receipt.taxRate')}</th>
            <th scope="col" className="num">
              {t('receipt.taxBase')}
            </th>
            <th scope="col" className="num">
              {t('receipt.taxAmount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {totals.taxes.map((tax) => (
            <tr key={tax.taxRatePpm}>
              <td>{formatTaxRate(tax.taxRatePpm)}</td>
              <td className="num">{money(tax.base)}</td>
              <td className="num">{money(tax.tax)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="receipt-tenders">
        {payments.map((payment) => (
          <div key={payment.id}>
            <dt>
              {tenderName(payment.tender, tenders, locale)}
              {payment.reference ? <span className="muted"> {payment.reference}</span> : null}
            </dt>
            <dd>{money(payment.amount)}</dd>
          </div>
        ))}
        {sale.kind === 'sale' ? (
          <div className="receipt-change">
            <dt>{t('receipt.change')}</dt>
            <dd data-testid="receipt-change">{money(totals.change)}</dd>
          </div>
        ) : null}
      </dl>
      {sale.receiptNo ? <ReceiptBarcode value={sale.receiptNo} /> : null}
      <footer className="receipt-footer">
        {sale.kind === 'sale' ? t('receipt.thanks') : t('receipt.keep')}
      </footer>
    </article>
  );
}
