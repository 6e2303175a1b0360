import { useState, type FormEvent } from 'react';
import type { CurrencyCode } from '../../shared/domain/money';
import type { TenderConfig } from '../../shared/ipc/channels/sale';
import { parseAmount, plainAmount, tenderName } from '../format';
import { useI18n } from '../i18n/context';
import { TenderAmountField } from './TenderAmountField';

interface Props {
  readonly tender: TenderConfig;
  /** What is left to pay exactly (a wallet payment may not exceed it). */
  readonly suggested: number;
  readonly currency: CurrencyCode;
  readonly busy: boolean;
  /** Typed, or scanned from the customer's payment code (the tender screen routes scans here). */
  readonly reference: string;
  readonly onReference: (reference: string) => void;
  readonly onSubmit: (amount: number, reference: string | undefined) => void;
  readonly onCancel: () => void;
}

/** A wallet payment (WeChat Pay, Alipay …): the amount and the transaction reference from the customer's phone. */
export function ExternalTenderForm({
  tender,
  suggested,
  currency,
  busy,
  reference,
  onReference,
  onSubmit,
  onCancel,
}: Props) {
  const { t, locale } = useI18n();
  const [amountText, setAmountText] = useState(() => plainAmount(suggested, currency));
  const [invalid, setInvalid] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const amount = parseAmount(amountText, currency);
    if (amount === null || amount < 1) return setInvalid(true);
    // An empty reference goes to the core as missing: it answers with the clear "enter the reference".
    onSubmit(amount, reference.trim() === '' ? undefined : reference.trim());
  };

  return (
    <form className="external-tender" data-testid="external-tender-form" onSubmit={submit}>
      <h3>{tenderName(tender.code, [tender], locale)}</h3>
      <div className="field-row">
        <TenderAmountField
          id="tender-external-amount"
          value={amountText}
          invalid={invalid}
          onChange={(text) => {
            setAmountText(text);
            setInvalid(false);
          }}
        />
        <div className="field">
          <label className="field-label" htmlFor="tender-reference-input">
            {t('tender.reference')}
          </label>
          <input
            id="tender-reference-input"
            className="input"
            type="text"
            autoComplete="off"
            autoFocus
            spellCheck={false}
            data-testid="tender-reference-input"
            value={reference}
            onChange={(event) => onReference(event.target.value)}
          />
        </div>
      </div>
      {invalid ? <p className="field-error">{t('tender.amountInvalid')}</p> : null}
      <div className="dialog-actions">
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('dialog.cancel')}
        </button>
        <button type="submit" className="button primary" data-testid="tender-external-submit" disabled={busy}>
          {t('tender.addExternal')}
        </button>
      </div>
    </form>
  );
}
