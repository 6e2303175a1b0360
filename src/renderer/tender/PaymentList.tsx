import type { CurrencyCode } from '../../shared/domain/money';
import type { PaymentView, TenderConfig } from '../../shared/ipc/channels/sale';
import { keepFocus } from '../components/KeyButton';
import { formatAmount, tenderName } from '../format';
import { useI18n } from '../i18n/context';

interface Props {
  readonly payments: readonly PaymentView[];
  readonly tenders: readonly TenderConfig[];
  readonly currency: CurrencyCode;
  readonly disabled: boolean;
  readonly onRemove: (paymentId: string) => void;
  /** Asks the terminal what became of a card payment whose outcome is unknown. */
  readonly onCheck: (paymentId: string) => void;
}

/**
 * The tenders taken so far (removed and declined ones are gone). A card payment whose outcome is unknown stays in
 * sight with "Check terminal": the customer may have been charged.
 */
export function PaymentList({ payments, tenders, currency, disabled, onRemove, onCheck }: Props) {
  const { t, locale } = useI18n();
  const shown = payments.filter(
    (p) => p.status === 'approved' || p.status === 'pending' || p.status === 'timeout',
  );
  if (shown.length === 0) return <p className="muted payments-empty">{t('tender.noPayments')}</p>;
  return (
    <ul className="payments" data-testid="tender-payments">
      {shown.map((payment, index) => (
        <li
          key={payment.id}
          className="payment"
          data-testid={`tender-payment-${index}`}
          data-tender={payment.tender}
        >
          <span className="payment-name">
            {tenderName(payment.tender, tenders, locale)}
            {payment.reference ? <span className="muted"> · {payment.reference}</span> : null}
            {payment.status === 'pending' ? (
              <span className="badge warn">
                {t(payment.type === 'gift_card' ? 'tender.giftCard.pending' : 'tender.pending')}
              </span>
            ) : null}
            {payment.status === 'timeout' ? (
              <span className="badge warn">{t('tender.unknownOutcome')}</span>
            ) : null}
            {payment.giftCardOffline ? (
              <span className="badge warn" data-testid={`tender-gift-offline-${index}`}>
                {t('tender.giftCard.offline')}
              </span>
            ) : null}
          </span>
          <span className="payment-amount">{formatAmount(payment.amount, currency)}</span>
          {/* Only the terminal can be asked again; a gift card's hold is simply removed and taken again. */}
          {(payment.status === 'timeout' || payment.status === 'pending') && payment.type !== 'gift_card' ? (
            <button
              type="button"
              className="button secondary payment-check"
              data-testid={`tender-check-${index}`}
              disabled={disabled}
              onMouseDown={keepFocus}
              onClick={() => onCheck(payment.id)}
            >
              {t('tender.checkTerminal')}
            </button>
          ) : null}
          <button
            type="button"
            className="button secondary payment-remove"
            data-testid={`tender-remove-${index}`}
            aria-label={t('tender.remove')}
            disabled={disabled}
            onMouseDown={keepFocus}
            onClick={() => onRemove(payment.id)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
