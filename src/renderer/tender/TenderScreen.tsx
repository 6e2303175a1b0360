import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ErrorData, Result } from '../../shared/domain/errors';
import type { SaleConfig, SaleView, TenderConfig } from '../../shared/ipc/channels/sale';
import { ErrorMessage } from '../components/ErrorMessage';
import { KeyButton } from '../components/KeyButton';
import { announceChange } from '../feedback/announce';
import { beepScanError } from '../feedback/beeps';
import { useVoicePrompts } from '../feedback/voice';
import { formatAmount, parseAmount, tenderName } from '../format';
import { isActivatableTarget, isEditableTarget, useKeyDown } from '../hooks/keyboard';
import { useScanner } from '../hooks/useScanner';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';
import { useClient } from '../ipc/context';
import { ExternalTenderForm } from './ExternalTenderForm';
import { GiftCardTenderForm } from './GiftCardTenderForm';
import { PaymentList } from './PaymentList';
import { TenderLines } from './TenderLines';
import { quickCashAmounts } from './quick-cash';

interface Props {
  readonly sale: SaleView;
  readonly config: SaleConfig;
  readonly active: boolean;
  readonly onSale: (view: SaleView | null) => void;
  readonly onCompleted: (document: SaleView) => void;
}

/** What is still to pay in cash (cash rounding applies to cash only) and exactly, for a card or wallet. */
function stillDue(sale: SaleView): { cash: number; exact: number } {
  const { totals } = sale;
  return {
    cash: Math.max(0, totals.dueCash - totals.paidCash),
    exact: Math.max(0, totals.total - totals.paid),
  };
}

/**
 * Taking payment: quick-cash and typed cash, wallets with their reference, card through the terminal, gift
 * cards held on the store server (typed, swiped or scanned), split across several, removal of a tender, cancel
 * back to the cart, and completion.
 */
export function TenderScreen({ sale, config, active, onSale, onCompleted }: Props) {
  const client = useClient();
  const { t, locale } = useI18n();
  const [voiceOn] = useVoicePrompts();
  const [cashText, setCashText] = useState('');
  const [external, setExternal] = useState<TenderConfig | null>(null);
  const [reference, setReference] = useState('');
  const [gift, setGift] = useState<TenderConfig | null>(null);
  const [giftNumber, setGiftNumber] = useState('');
  const [giftAvailable, setGiftAvailable] = useState<number | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [notice, setNotice] = useState<PlainKey | null>(null);
  const [busy, setBusy] = useState(false);
  const cashRef = useRef<HTMLInputElement>(null);

  const currency = config.currency;
  const money = (amount: number) => formatAmount(amount, currency);
  const { totals } = sale;
  const due = stillDue(sale);
  const paidUp = totals.remaining === 0;
  const cashTender = config.tenders.find((tender) => tender.type === 'cash') ?? null;
  const cardTenders = config.tenders.filter((tender) => tender.type === 'card');
  const externalTenders = config.tenders.filter((tender) => tender.type === 'external');
  const giftTenders = config.tenders.filter((tender) => tender.type === 'gift_card');
  const firstGiftTender = giftTenders[0] ?? null;

  /** One call at a time: a double tap must not add the same cash twice. */
  const perform = async (call: () => Promise<Result<SaleView>>): Promise<SaleView | null> => {
    if (busy) return null;
    setBusy(true);
    setFailure(null);
    setNotice(null);
    const result = await call();
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      return null;
    }
    onSale(result.value);
    return result.value;
  };

  const addTender = async (tender: string, amount: number, paymentRef?: string) => {
    const view = await perform(() =>
      client.call(
        'sale:add-tender',
        paymentRef === undefined ? { tender, amount } : { tender, amount, reference: paymentRef },
      ),
    );
    if (view) {
      setCashText('');
      setExternal(null);
      cashRef.current?.focus();
    }
  };

  /** A gift card: the number goes to the core once and is cleared from the screen whatever the answer. */
  const addGiftCard = async (tender: string, amount: number, number: string) => {
    if (busy) return;
    setGiftAvailable(null);
    const view = await perform(async () => {
      const result = await client.call(
        'sale:add-tender',
        number === '' ? { tender, amount } : { tender, amount, reference: number },
      );
      const available = result.ok ? undefined : result.error.details?.['available'];
      if (typeof available === 'number') setGiftAvailable(available);
      return result;
    });
    setGiftNumber('');
    if (view) {
      setGift(null);
      cashRef.current?.focus();
    }
  };

  const openGiftCard = (tender: TenderConfig) => {
    setExternal(null);
    setGift(tender);
    setGiftNumber('');
    setGiftAvailable(null);
    setFailure(null);
  };

  // A gift card swiped on the card reader while paying is the number (and opens the gift-card form).
  useEffect(() => {
    if (!active || firstGiftTender === null) return undefined;
    return client.onEvent('card:read', (read) => {
      if (read.kind !== 'gift' || read.number === null) return;
      const number = read.number;
      setExternal(null);
      setGift((open) => open ?? firstGiftTender);
      setGiftNumber(number);
      setGiftAvailable(null);
    });
  }, [client, active, firstGiftTender]);

  const addCash = (event?: FormEvent) => {
    event?.preventDefault();
    if (!cashTender) return;
    if (cashText.trim() === '') {
      if (due.cash > 0) void addTender(cashTender.code, due.cash);
      else if (paidUp) void complete();
      return;
    }
    const amount = parseAmount(cashText, currency);
    if (amount === null || amount < 1) return setNotice('tender.amountInvalid');
    void addTender(cashTender.code, amount);
  };

  const complete = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    setNotice(null);
    const result = await client.call('sale:complete', {});
    setBusy(false);
    if (!result.ok) return setFailure(result.error);
    if (voiceOn) announceChange(result.value.totals.change, currency, t, locale);
    onCompleted(result.value);
  };

  const cancel = () => void perform(() => client.call('sale:cancel-tender', {}));

  // With a wallet form open, a scan is the customer's payment code; otherwise goods cannot be added now.
  useScanner((code) => {
    if (!active) return;
    if (external) {
      setReference(code);
      return;
    }
    // A gift card with a barcode is scanned like one that is swiped.
    if (gift) {
      setGiftNumber(code);
      return;
    }
    setNotice('tender.scanWhilePaying');
    beepScanError();
  });

  useKeyDown((event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (external) setExternal(null);
      else if (gift) setGift(null);
      else cancel();
    } else if (event.key === 'F12' || (event.key === '+' && !isEditableTarget(event.target))) {
      event.preventDefault();
      void complete();
    } else if (
      event.key === 'Enter' &&
      !isEditableTarget(event.target) &&
      !isActivatableTarget(event.target)
    ) {
      event.preventDefault();
      if (paidUp) void complete();
    }
  }, active);

  return (
    <div className="tender-screen" data-testid="tender-screen">
      <section className="tender-summary" aria-label={t('tender.summary')}>
        <div className="tender-figure">
          <span className="tender-figure-label">{t('tender.payable')}</span>
          <span className="tender-figure-amount" data-testid="tender-payable">
            {money(totals.payable)}
          </span>
        </div>
        <div className="tender-figure">
          <span className="tender-figure-label">{t('tender.paid')}</span>
          <span className="tender-figure-amount" data-testid="tender-paid">
            {money(totals.paid)}
          </span>
        </div>
        <div className={paidUp ? 'tender-figure remaining done' : 'tender-figure remaining'}>
          <span className="tender-figure-label">
            {paidUp ? t('tender.changeDue') : t('tender.remaining')}
          </span>
          <span
            className="tender-remaining"
            data-testid="tender-remaining"
            data-amount={paidUp ? totals.change : totals.remaining}
          >
            {money(paidUp ? totals.change : totals.remaining)}
          </span>
        </div>
        <PaymentList
          payments={sale.payments}
          tenders={config.tenders}
          currency={currency}
          disabled={busy}
          onRemove={(paymentId) => void perform(() => client.call('sale:remove-tender', { paymentId }))}
          onCheck={(paymentId) => void perform(() => client.call('sale:check-payment', { paymentId }))}
        />
        <TenderLines sale={sale} />
        <div className="tender-messages">
          <ErrorMessage error={failure} />
          {notice ? (
            <p className="notice warn" role="status" data-testid="tender-notice">
              {t(notice)}
            </p>
          ) : null}
        </div>
      </section>
      <section className="tender-methods" aria-label={t('tender.methods')}>
        {cashTender ? (
          <form className="tender-cash" onSubmit={addCash}>
            <h2>{tenderName(cashTender.code, config.tenders, locale)}</h2>
            <div className="quick-cash">
              {quickCashAmounts(due.cash, currency).map((amount, index) => (
                <KeyButton
                  key={amount}
                  label={index === 0 ? `${t('tender.exact')} ${money(amount)}` : money(amount)}
                  testId={`quick-cash-${amount}`}
                  amount={amount}
                  className="quick-cash-key"
                  disabled={busy || paidUp}
                  onPress={() => void addTender(cashTender.code, amount)}
                />
              ))}
            </div>
            <div className="cash-entry">
              <label className="visually-hidden" htmlFor="tender-cash-input">
                {t('tender.cashReceived')}
              </label>
              <input
                id="tender-cash-input"
                ref={cashRef}
                className="input big-input"
                type="text"
                inputMode="decimal"
                autoComplete="off"
                autoFocus
                placeholder={t('tender.cashPlaceholder')}
                data-testid="tender-cash-input"
                value={cashText}
                onChange={(event) => {
                  setCashText(event.target.value);
                  setNotice(null);
                }}
              />
              <button type="submit" className="button primary" data-testid="tender-add-cash" disabled={busy}>
                {t('tender.addCash')}
              </button>
            </div>
          </form>
        ) : null}
        <div className="tender-others">
          <h2>{t('tender.other')}</h2>
          <div className="tender-other-keys">
            {cardTenders.map((tender) => (
              <KeyButton
                key={tender.code}
                label={tenderName(tender.code, config.tenders, locale)}
                testId={`tender-card-${tender.code}`}
                disabled={busy || paidUp || due.exact === 0}
                title={config.cardTerminal ? undefined : t('tender.noTerminalHint')}
                onPress={() => void addTender(tender.code, due.exact)}
              />
            ))}
            {externalTenders.map((tender) => (
              <KeyButton
                key={tender.code}
                label={tenderName(tender.code, config.tenders, locale)}
                testId={`tender-external-${tender.code}`}
                disabled={busy || paidUp || due.exact === 0}
                onPress={() => {
                  setGift(null);
                  setExternal(tender);
                  setReference('');
                  setFailure(null);
                }}
              />
            ))}
            {giftTenders.map((tender) => (
              <KeyButton
                key={tender.code}
                label={tenderName(tender.code, config.tenders, locale)}
                testId={`tender-gift-${tender.code}`}
                disabled={busy || paidUp || due.exact === 0}
                onPress={() => openGiftCard(tender)}
              />
            ))}
          </div>
          {!config.cardTerminal && cardTenders.length > 0 ? (
            <p className="muted small">{t('tender.noTerminalHint')}</p>
          ) : null}
          {external ? (
            <ExternalTenderForm
              key={external.code}
              tender={external}
              suggested={due.exact}
              currency={currency}
              busy={busy}
              reference={reference}
              onReference={setReference}
              onSubmit={(amount, paymentRef) => void addTender(external.code, amount, paymentRef)}
              onCancel={() => setExternal(null)}
            />
          ) : null}
          {gift ? (
            <GiftCardTenderForm
              key={gift.code}
              tender={gift}
              suggested={due.exact}
              currency={currency}
              busy={busy}
              number={giftNumber}
              onNumber={setGiftNumber}
              available={giftAvailable}
              onSubmit={(amount, number) => void addGiftCard(gift.code, amount, number)}
              onCancel={() => {
                setGift(null);
                setGiftNumber('');
              }}
            />
          ) : null}
        </div>
        <div className="tender-finish">
          <KeyButton
            label={t('tender.cancel')}
            shortcut="Esc"
            testId="tender-cancel"
            disabled={busy}
            onPress={cancel}
          />
          <KeyButton
            label={t('tender.complete')}
            shortcut="F12 / +"
            variant="primary"
            className={paidUp ? 'complete-key ready' : 'complete-key'}
            testId="complete-sale"
            disabled={busy}
            onPress={() => void complete()}
          />
        </div>
      </section>
    </div>
  );
}
