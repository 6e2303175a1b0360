import type { SaleView, TenderConfig } from '../../shared/ipc/channels/sale';
import { KeyButton } from '../components/KeyButton';
import { formatAmount, tenderName } from '../format';
import { useI18n } from '../i18n/context';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { ReprintButton } from '../receipt/ReprintButton';
import { PrintStatus } from '../printing/PrintStatus';

interface Props {
  /** The document just completed: a sale (change due), or a post-void / refund (money back). */
  readonly document: SaleView;
  readonly storeName: string | null;
  readonly tenders: readonly TenderConfig[];
  readonly onNewSale: () => void;
  /** Offered for a sale that nothing has reversed yet. */
  readonly onPostVoid: (() => void) | null;
}

/** After completion: the change in very large type, the receipt, and "New sale" (Enter, or just scan on). */
export function SaleDonePanel({ document, storeName, tenders, onNewSale, onPostVoid }: Props) {
  const { t, locale } = useI18n();
  const money = (amount: number) => formatAmount(amount, document.currency);
  const isSale = document.kind === 'sale';
  const refunds = document.payments.filter((p) => p.status === 'approved');

  return (
    <section className="sale-done" data-testid="sale-done" data-kind={document.kind}>
      <div className="sale-done-summary">
        <p className="sale-done-title">{isSale ? t('done.title') : t('done.reversedTitle')}</p>
        <p className="muted">{t('done.receipt', { number: document.receiptNo ?? '—' })}</p>
        <PrintStatus documentId={document.id} />
        {isSale ? (
          <div className="change-block">
            <span className="change-label">{t('done.change')}</span>
            <span className="change-due" data-testid="change-due" data-amount={document.totals.change}>
              {money(document.totals.change)}
            </span>
            <span className="muted">
              {t('done.paidOfTotal', {
                paid: money(document.totals.paid),
                total: money(document.totals.payable),
              })}
            </span>
          </div>
        ) : (
          <div className="change-block">
            <span className="change-label">{t('done.giveBack')}</span>
            {refunds.map((payment) => (
              <span key={payment.id} className="refund-line" data-testid="refund-due">
                {tenderName(payment.tender, tenders, locale)} {money(Math.abs(payment.amount))}
              </span>
            ))}
          </div>
        )}
        <div className="sale-done-actions">
          <KeyButton
            label={t('done.newSale')}
            shortcut={t('pad.enterKey')}
            variant="primary"
            className="big"
            testId="new-sale"
            onPress={onNewSale}
          />
          <ReprintButton documentId={document.id} />
          {onPostVoid ? (
            <KeyButton
              label={t('done.postVoid')}
              variant="danger"
              testId="post-void-button"
              onPress={onPostVoid}
            />
          ) : null}
        </div>
        <p className="muted">{t('done.scanNext')}</p>
      </div>
      <div className="sale-done-receipt">
        <ReceiptPreview sale={document} storeName={storeName} tenders={tenders} />
      </div>
    </section>
  );
}
