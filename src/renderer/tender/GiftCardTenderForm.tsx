import { useState, type FormEvent } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { CurrencyCode } from '../../shared/domain/money';
import type { TenderConfig } from '../../shared/ipc/channels/sale';
import type { GiftCardBalanceResponse } from '../../shared/sync/gift-cards';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatAmount, parseAmount, plainAmount, tenderName } from '../format';
import { useI18n } from '../i18n/context';
import { TenderAmountField } from './TenderAmountField';
import { useClient } from '../ipc/context';

interface Props {
  readonly tender: TenderConfig;
  /** What is left to pay exactly (a gift card may not pay more). */
  readonly suggested: number;
  readonly currency: CurrencyCode;
  readonly busy: boolean;
  /** Typed, or filled by a gift-card swipe or scan (the tender screen routes those here); cleared after each try. */
  readonly number: string;
  readonly onNumber: (number: string) => void;
  /** When the last try was declined for want of balance: what the card still has. */
  readonly available: number | null;
  readonly onSubmit: (amount: number, number: string) => void;
  readonly onCancel: () => void;
}

/**
 * A gift-card payment: the amount and the card number. The core holds the amount on the store server; the
 * number is sent once and never kept (the payment shows "•••• 1234").
 */
export function GiftCardTenderForm({
  tender,
  suggested,
  currency,
  busy,
  number,
  onNumber,
  available,
  onSubmit,
  onCancel,
}: Props) {
  const { t, locale } = useI18n();
  const client = useClient();
  const [amountText, setAmountText] = useState(() => plainAmount(suggested, currency));
  const [invalid, setInvalid] = useState(false);
  // A balance enquiry's answer (or why there is none), for the number it was asked for.
  const [balance, setBalance] = useState<GiftCardBalanceResponse | null>(null);
  const [balanceError, setBalanceError] = useState<ErrorData | null>(null);
  const [checking, setChecking] = useState(false);

  // Declined for want of balance: offer what the card has (at most what is due), so the cashier only swipes
  // the card again to take it and the rest with another payment. (Adjusted while rendering, React's way of
  // following a prop.)
  const [offered, setOffered] = useState(available);
  if (available !== offered) {
    setOffered(available);
    if (available !== null && available > 0) {
      setAmountText(plainAmount(Math.min(available, suggested), currency));
      setInvalid(false);
    }
  }

  const checkBalance = async () => {
    setChecking(true);
    setBalance(null);
    setBalanceError(null);
    // An empty field still asks the core, which answers with the clear "enter or swipe the card".
    const result = await client.call('sale:gift-card-balance', { number: number.trim() || ' ' });
    setChecking(false);
    if (result.ok) setBalance(result.value);
    else setBalanceError(result.error);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const amount = parseAmount(amountText, currency);
    if (amount === null || amount < 1) return setInvalid(true);
    // An empty number still goes to the core: it answers with the clear "enter or swipe the card".
    onSubmit(amount, number.trim());
  };

  return (
    <form className="external-tender gift-card-tender" data-testid="gift-card-form" onSubmit={submit}>
      <h3>{tenderName(tender.code, [tender], locale)}</h3>
      <p className="muted small">{t('tender.giftCard.swipeHint')}</p>
      <div className="field-row">
        <TenderAmountField
          id="tender-gift-amount"
          value={amountText}
          invalid={invalid}
          onChange={(text) => {
            setAmountText(text);
            setInvalid(false);
          }}
        />
        <div className="field">
          <label className="field-label" htmlFor="tender-gift-number">
            {t('tender.giftCard.number')}
          </label>
          <input
            id="tender-gift-number"
            className="input"
            type="text"
            autoComplete="off"
            autoFocus
            spellCheck={false}
            data-testid="tender-gift-number"
            value={number}
            onChange={(event) => {
              onNumber(event.target.value);
              setBalance(null);
              setBalanceError(null);
            }}
          />
        </div>
      </div>
      {invalid ? <p className="field-error">{t('tender.amountInvalid')}</p> : null}
      {balance !== null ? (
        <p className="notice" data-testid="tender-gift-balance">
          {balance.status === 'unknown_card'
            ? t('tender.giftCard.balanceUnknown')
            : balance.active
              ? t('tender.giftCard.balance', {
                  last4: balance.last4,
                  balance: formatAmount(balance.balance, currency),
                  available: formatAmount(Math.max(0, balance.available), currency),
                })
              : t('tender.giftCard.balanceInactive', { last4: balance.last4 })}
        </p>
      ) : null}
      <ErrorMessage error={balanceError} onRetry={() => void checkBalance()} />
      {available !== null ? (
        <p className="notice warn" data-testid="tender-gift-available">
          {t('tender.giftCard.available', { amount: formatAmount(Math.max(0, available), currency) })}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('dialog.cancel')}
        </button>
        <button
          type="button"
          className="button secondary"
          data-testid="tender-gift-check-balance"
          disabled={busy || checking}
          onClick={() => void checkBalance()}
        >
          {t('tender.giftCard.checkBalance')}
        </button>
        <button type="submit" className="button primary" data-testid="tender-gift-submit" disabled={busy}>
          {t('tender.giftCard.submit')}
        </button>
      </div>
    </form>
  );
}
