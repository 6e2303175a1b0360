import { useEffect, useEffectEvent, useRef, useState, type FormEvent } from 'react';
import type { ErrorData, Result } from '../../shared/domain/errors';
import type { SaleConfig, SaleView } from '../../shared/ipc/channels/sale';
import { ErrorMessage } from '../components/ErrorMessage';
import { KeyButton } from '../components/KeyButton';
import { formatAmount, tenderName } from '../format';
import { useKeyDown } from '../hooks/keyboard';
import { useScanner } from '../hooks/useScanner';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';
import { useClient } from '../ipc/context';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { NoReceiptReturn } from './NoReceiptReturn';
import { ReturnLines, returnableMilli } from './ReturnLines';
import { UnresolvedRefunds } from './UnresolvedRefunds';
import { useRequestId } from './useRequestId';

interface Props {
  readonly config: SaleConfig;
  readonly storeName: string | null;
  readonly active: boolean;
  /** A receipt number to look up at once (coming from history). */
  readonly initialReceipt: string | null;
  readonly onBack: () => void;
}

/**
 * Returns: with the receipt (the default), or without one (a supervisor approves). Only one of the two is
 * mounted at a time, so exactly one scanner listener owns the keyboard.
 */
export function ReturnScreen(props: Props) {
  const [withReceipt, setWithReceipt] = useState(true);
  return withReceipt ? (
    <ReceiptReturn {...props} onNoReceipt={() => setWithReceipt(false)} />
  ) : (
    <NoReceiptReturn
      config={props.config}
      storeName={props.storeName}
      active={props.active}
      onReceiptMode={() => setWithReceipt(true)}
      onBack={props.onBack}
    />
  );
}

/**
 * Return with a receipt: find the sale (typed or scanned receipt number), choose lines and quantities, and
 * create the refund document; the money goes back to the original tenders, as the core decides.
 */
function ReceiptReturn({
  config,
  storeName,
  active,
  initialReceipt,
  onBack,
  onNoReceipt,
}: Props & { readonly onNoReceipt: () => void }) {
  const client = useClient();
  const { t, locale } = useI18n();
  const [receiptText, setReceiptText] = useState(initialReceipt ?? '');
  const [sale, setSale] = useState<SaleView | null>(null);
  const [quantities, setQuantities] = useState<ReadonlyMap<string, number>>(new Map());
  const [refund, setRefund] = useState<SaleView | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [notice, setNotice] = useState<PlainKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [revision, setRevision] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const requestId = useRequestId();
  const currency = config.currency;

  /** Shows a looked-up document: a sale to return from, or why it cannot be one. */
  const showFound = (result: Result<SaleView>) => {
    if (!result.ok) {
      setSale(null);
      return setFailure(result.error);
    }
    if (result.value.kind !== 'sale') {
      setSale(null);
      return setNotice('returns.notASale');
    }
    setSale(result.value);
    setQuantities(new Map());
    requestId.reset();
  };

  const find = async (ref: string) => {
    const trimmed = ref.trim();
    if (trimmed === '') return;
    setFailure(null);
    setNotice(null);
    setRefund(null);
    showFound(await client.call('sale:get', { ref: trimmed }));
  };

  // The receipt we were opened with (from history) is looked up at once; later lookups are the cashier's.
  const showInitial = useEffectEvent(showFound);
  useEffect(() => {
    if (!initialReceipt) return;
    let current = true;
    void client.call('sale:get', { ref: initialReceipt }).then((result) => {
      if (current) showInitial(result);
    });
    return () => {
      current = false;
    };
  }, [client, initialReceipt]);

  const submit = async () => {
    if (!sale || busy) return;
    const lines = [...quantities.entries()]
      .filter(([, qtyMilli]) => qtyMilli > 0)
      .map(([lineId, qtyMilli]) => ({ lineId, qtyMilli }));
    if (lines.length === 0) return setNotice('returns.chooseLines');
    setBusy(true);
    setFailure(null);
    const result = await client.call('refund:create', {
      saleId: sale.id,
      lines,
      requestId: requestId.forSubmit(),
    });
    setBusy(false);
    setRevision((n) => n + 1);
    requestId.settle(result.ok ? null : result.error);
    if (!result.ok) return setFailure(result.error);
    setRefund(result.value);
    setSale(null);
    setQuantities(new Map());
    setReceiptText('');
  };

  const returnAll = () => {
    if (!sale) return;
    requestId.reset();
    setQuantities(new Map(sale.lines.filter((l) => !l.voided).map((l) => [l.id, returnableMilli(l)])));
  };

  useScanner((code) => {
    if (!active) return;
    setReceiptText(code);
    void find(code);
  });

  useKeyDown((event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onBack();
  }, active);

  const onFind = (event: FormEvent) => {
    event.preventDefault();
    void find(receiptText);
  };

  return (
    <div className="returns-screen" data-testid="return-screen">
      <div className="returns-pane">
        <div className="screen-title">
          <button type="button" className="button secondary" data-testid="return-back" onClick={onBack}>
            ← {t('checkout.back')} <kbd>Esc</kbd>
          </button>
          <h1>{t('returns.title')}</h1>
          <button
            type="button"
            className="button secondary"
            data-testid="return-mode-no-receipt"
            onClick={onNoReceipt}
          >
            {t('returns.modeNoReceipt')}
          </button>
        </div>
        <UnresolvedRefunds
          config={config}
          revision={revision}
          onCompleted={(document) => {
            setFailure(null);
            setRefund(document);
          }}
          onFailure={setFailure}
        />
        <form className="returns-find" onSubmit={onFind}>
          <input
            ref={inputRef}
            className="input big-input"
            type="text"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            placeholder={t('returns.receiptPlaceholder')}
            aria-label={t('returns.receiptNo')}
            data-testid="return-receipt-input"
            value={receiptText}
            onChange={(event) => setReceiptText(event.target.value)}
          />
          <button type="submit" className="button primary" data-testid="return-find">
            {t('returns.find')}
          </button>
        </form>
        <ErrorMessage error={failure} />
        {failure?.code === 'payment_declined' && failure.details?.['refundId'] !== undefined ? (
          <p className="notice warn" role="status" data-testid="return-card-declined">
            {t('returns.cardDeclinedNext')}
          </p>
        ) : null}
        {notice ? (
          <p className="notice warn" role="status" data-testid="return-notice">
            {t(notice)}
          </p>
        ) : null}
        {sale ? (
          <>
            <p className="returns-sale-meta">
              {t('returns.saleMeta', {
                number: sale.receiptNo ?? '—',
                total: formatAmount(sale.totals.payable, currency),
              })}
            </p>
            <ReturnLines
              sale={sale}
              quantities={quantities}
              onChange={(lineId, qtyMilli) => {
                requestId.reset();
                setQuantities(new Map(quantities).set(lineId, qtyMilli));
              }}
            />
            <div className="dialog-actions">
              <KeyButton label={t('returns.all')} testId="return-all" onPress={returnAll} />
              <KeyButton
                label={t('returns.submit')}
                variant="primary"
                testId="return-submit"
                disabled={busy}
                onPress={() => void submit()}
              />
            </div>
          </>
        ) : null}
        {refund ? (
          <section className="returns-done" data-testid="return-done">
            <p className="sale-done-title">{t('returns.done', { number: refund.receiptNo ?? '—' })}</p>
            <p className="change-label">{t('done.giveBack')}</p>
            {refund.payments
              .filter((p) => p.status === 'approved')
              .map((payment) => (
                <p key={payment.id} className="refund-line" data-testid="refund-due">
                  {tenderName(payment.tender, config.tenders, locale)}{' '}
                  {formatAmount(Math.abs(payment.amount), currency)}
                </p>
              ))}
            <KeyButton
              label={t('returns.finish')}
              variant="primary"
              testId="return-finish"
              onPress={onBack}
            />
          </section>
        ) : null}
      </div>
      <div className="returns-receipt">
        {refund ? (
          <ReceiptPreview sale={refund} storeName={storeName} tenders={config.tenders} />
        ) : sale ? (
          <ReceiptPreview sale={sale} storeName={storeName} tenders={config.tenders} />
        ) : (
          <p className="muted history-placeholder">{t('returns.hint')}</p>
        )}
      </div>
    </div>
  );
}
