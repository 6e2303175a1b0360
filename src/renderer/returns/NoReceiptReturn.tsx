import { useRef, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import { money } from '../../shared/domain/money';
import { computeTotals, roundToIncrement } from '../../shared/domain/totals';
import type { LookupResult, ProductSummary } from '../../shared/ipc/channels/catalog';
import type { SaleConfig, SaleView } from '../../shared/ipc/channels/sale';
import { useSupervisorApproval } from '../approval/context';
import { ProductSearch } from '../checkout/ProductSearch';
import { ErrorMessage } from '../components/ErrorMessage';
import { KeyButton, keepFocus } from '../components/KeyButton';
import {
  formatAmount,
  formatMilli,
  formatQty,
  formatUnitPrice,
  parseQtyMilli,
  productName,
  tenderName,
} from '../format';
import { isActivatableTarget, useKeyDown } from '../hooks/keyboard';
import { useScanner } from '../hooks/useScanner';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { useRequestId } from './useRequestId';

interface Props {
  readonly config: SaleConfig;
  readonly storeName: string | null;
  readonly active: boolean;
  /** Back to the return with a receipt. */
  readonly onReceiptMode: () => void;
  readonly onBack: () => void;
}

/** One product coming back. A weighed item's quantity is the weight the cashier enters (null until then). */
interface Item {
  readonly key: string;
  readonly product: ProductSummary;
  readonly qtyMilli: number | null;
  readonly weightText: string;
}

/** The contract's limit of items on one return without receipt. */
const MAX_ITEMS = 100;
const SEARCH_SHORTCUT = 'F2';

/**
 * Return without a receipt: the goods come in by scan or by name/PLU search, at today's catalog prices; the
 * money goes back in cash or a wallet (never to a card: there is no card payment to refund to). The core asks
 * for a supervisor's approval; the approval dialog comes up, and the refund document is shown once it is done.
 */
export function NoReceiptReturn({ config, storeName, active, onReceiptMode, onBack }: Props) {
  const client = useClient();
  const approval = useSupervisorApproval();
  const { t, locale } = useI18n();
  const currency = config.currency;
  const refundTenders = config.tenders.filter((x) => x.type !== 'card');
  const [items, setItems] = useState<readonly Item[]>([]);
  const [tender, setTender] = useState(refundTenders[0]?.code ?? 'cash');
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refund, setRefund] = useState<SaleView | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const requestId = useRequestId();
  const chosen = refundTenders.find((x) => x.code === tender) ?? null;
  const listening = active && !approval.asking;

  /** Every change makes a different request: the next submit gets a new request id. */
  const changeItems = (next: (items: readonly Item[]) => readonly Item[]) => {
    requestId.reset();
    setNotice(null);
    setItems(next);
  };

  const add = (product: ProductSummary, qtyMilli: number | null) => {
    setFailure(null);
    changeItems((list) => {
      const same = list.findIndex((x) => x.product.id === product.id && product.unit === 'piece');
      if (same >= 0) {
        return list.map((x, i) =>
          i === same ? { ...x, qtyMilli: (x.qtyMilli ?? 0) + (qtyMilli ?? 1000) } : x,
        );
      }
      if (list.length >= MAX_ITEMS) return list;
      const item: Item = {
        key: crypto.randomUUID(),
        product,
        qtyMilli,
        weightText: qtyMilli === null ? '' : formatMilli(qtyMilli),
      };
      return [...list, item];
    });
  };

  const addLookup = (found: LookupResult) => {
    const { product } = found;
    // A weight label carries the weight; a plain code of a weighed item does not: the cashier weighs it.
    add(product, found.qtyMilli ?? (product.unit === 'piece' ? 1000 : null));
  };

  const lookup = async (code: string) => {
    setFailure(null);
    setNotice(null);
    const result = await client.call('catalog:lookup', { code });
    if (!result.ok) return setFailure(result.error);
    addLookup(result.value);
  };

  useScanner((code) => {
    if (!listening || busy || refund) return;
    void lookup(code);
  });

  const estimate = estimateOf(items, chosen?.type === 'cash', config);

  /** The first thing the cashier still has to do, in words, or null when the return can be submitted. */
  const missing = (): string | null => {
    if (items.length === 0) return t('returns.noItems');
    const unweighed = items.find((x) => x.qtyMilli === null);
    if (unweighed) return t('returns.weightRequired', { name: productName(unweighed.product, locale) });
    if (chosen?.type === 'external' && reference.trim() === '') {
      return t('returns.referenceRequired', { tender: tenderName(chosen.code, config.tenders, locale) });
    }
    return null;
  };

  const submit = async () => {
    if (busy || refund || !chosen) return;
    const problem = missing();
    if (problem) return setNotice(problem);
    setBusy(true);
    setFailure(null);
    setNotice(null);
    const trimmedReason = reason.trim();
    const result = await approval.callWithApproval('refund:create-without-receipt', {
      items: items.map((x) => ({ productId: x.product.id, qtyMilli: x.qtyMilli ?? 0 })),
      tender: chosen.code,
      ...(chosen.type === 'external' ? { reference: reference.trim() } : {}),
      ...(trimmedReason === '' ? {} : { reason: trimmedReason }),
      requestId: requestId.forSubmit(),
    });
    setBusy(false);
    if (result === 'cancelled') {
      requestId.reset();
      return setNotice(t('returns.notApproved'));
    }
    requestId.settle(result.ok ? null : result.error);
    if (!result.ok) return setFailure(result.error);
    setRefund(result.value);
  };

  const startOver = () => {
    requestId.reset();
    setRefund(null);
    setItems([]);
    setReference('');
    setReason('');
    setFailure(null);
    setNotice(null);
  };

  useKeyDown((event) => {
    if (event.defaultPrevented) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      onBack();
    } else if (event.key === 'Enter' && !isActivatableTarget(event.target)) {
      event.preventDefault();
      if (refund) onBack();
      else void submit();
    } else if (event.key === SEARCH_SHORTCUT && !refund) {
      event.preventDefault();
      searchRef.current?.focus();
    }
  }, listening);

  const setWeight = (key: string, text: string) =>
    changeItems((list) =>
      list.map((x) => (x.key === key ? { ...x, weightText: text, qtyMilli: parseQtyMilli(text) } : x)),
    );
  const setPieces = (key: string, qtyMilli: number) =>
    changeItems((list) =>
      qtyMilli <= 0
        ? list.filter((x) => x.key !== key)
        : list.map((x) => (x.key === key ? { ...x, qtyMilli } : x)),
    );

  return (
    <div className="returns-screen" data-testid="return-screen" data-mode="no-receipt">
      <div className="returns-pane">
        <div className="screen-title">
          <button type="button" className="button secondary" data-testid="return-back" onClick={onBack}>
            ← {t('checkout.back')} <kbd>Esc</kbd>
          </button>
          <h1>{t('returns.noReceiptTitle')}</h1>
          <button
            type="button"
            className="button secondary"
            data-testid="return-mode-receipt"
            onClick={onReceiptMode}
          >
            {t('returns.modeReceipt')}
          </button>
        </div>
        {refund ? (
          <section className="returns-done" data-testid="return-done">
            <p className="sale-done-title">{t('returns.done', { number: refund.receiptNo ?? '—' })}</p>
            <div className="change-block">
              <span className="change-label">{t('returns.giveBackBig')}</span>
              <span
                className="change-due"
                data-testid="refund-give-back"
                data-amount={Math.abs(refund.totals.payable)}
              >
                {formatAmount(Math.abs(refund.totals.payable), currency)}
              </span>
              {refund.payments
                .filter((p) => p.status === 'approved')
                .map((payment) => (
                  <span key={payment.id} className="refund-line" data-testid="refund-due">
                    {tenderName(payment.tender, config.tenders, locale)}{' '}
                    {formatAmount(Math.abs(payment.amount), currency)}
                    {payment.reference ? ` · ${payment.reference}` : ''}
                  </span>
                ))}
            </div>
            <div className="dialog-actions">
              <KeyButton label={t('returns.modeNoReceipt')} testId="noreceipt-again" onPress={startOver} />
              <KeyButton
                label={t('returns.finish')}
                shortcut={t('pad.enterKey')}
                variant="primary"
                testId="return-finish"
                onPress={onBack}
              />
            </div>
          </section>
        ) : (
          <div className="noreceipt-form">
            <p className="muted">{t('returns.noReceiptHint')}</p>
            <ProductSearch
              currency={currency}
              inputRef={searchRef}
              shortcut={SEARCH_SHORTCUT}
              onAdd={(product) => add(product, product.unit === 'piece' ? 1000 : null)}
            />
            <ErrorMessage error={failure} onRetry={() => void submit()} />
            {notice ? (
              <p className="notice warn" role="status" data-testid="return-notice">
                {notice}
              </p>
            ) : null}
            <ul className="return-lines" data-testid="noreceipt-lines" data-count={items.length}>
              {items.map((item, index) => (
                <li key={item.key} className="return-line" data-testid={`noreceipt-line-${index}`}>
                  <span className="return-name">
                    {productName(item.product, locale)}
                    <span className="muted small">
                      {formatUnitPrice(item.product.price, item.product.unit, currency)}
                    </span>
                  </span>
                  {item.product.unit === 'piece' ? (
                    <span className="stepper">
                      <button
                        type="button"
                        className="button secondary"
                        data-testid={`noreceipt-minus-${index}`}
                        aria-label={t('returns.less')}
                        onMouseDown={keepFocus}
                        onClick={() => setPieces(item.key, (item.qtyMilli ?? 0) - 1000)}
                      >
                        −
                      </button>
                      <output
                        className="stepper-value"
                        data-testid={`noreceipt-qty-${index}`}
                        data-qty-milli={item.qtyMilli ?? 0}
                      >
                        {formatQty(item.qtyMilli ?? 0, 'piece')}
                      </output>
                      <button
                        type="button"
                        className="button secondary"
                        data-testid={`noreceipt-plus-${index}`}
                        aria-label={t('returns.more')}
                        onMouseDown={keepFocus}
                        onClick={() => setPieces(item.key, (item.qtyMilli ?? 0) + 1000)}
                      >
                        +
                      </button>
                    </span>
                  ) : (
                    <input
                      className={item.qtyMilli === null ? 'input weight-input invalid' : 'input weight-input'}
                      type="text"
                      inputMode="decimal"
                      autoComplete="off"
                      placeholder="0.000"
                      aria-label={t('returns.weightLabel', { name: productName(item.product, locale) })}
                      data-testid={`noreceipt-weight-${index}`}
                      data-qty-milli={item.qtyMilli ?? 0}
                      value={item.weightText}
                      onChange={(event) => setWeight(item.key, event.target.value)}
                    />
                  )}
                  <button
                    type="button"
                    className="button secondary"
                    data-testid={`noreceipt-remove-${index}`}
                    onMouseDown={keepFocus}
                    onClick={() => setPieces(item.key, 0)}
                  >
                    {t('returns.remove')}
                  </button>
                </li>
              ))}
            </ul>
            <fieldset className="noreceipt-tenders">
              <legend>{t('returns.refundBy')}</legend>
              {refundTenders.map((x) => (
                <button
                  key={x.code}
                  type="button"
                  className={x.code === tender ? 'button primary' : 'button secondary'}
                  aria-pressed={x.code === tender}
                  data-testid={`noreceipt-tender-${x.code}`}
                  onMouseDown={keepFocus}
                  onClick={() => {
                    requestId.reset();
                    setNotice(null);
                    setTender(x.code);
                  }}
                >
                  {tenderName(x.code, config.tenders, locale)}
                </button>
              ))}
            </fieldset>
            {chosen?.type === 'external' ? (
              <input
                className="input"
                type="text"
                autoComplete="off"
                maxLength={64}
                placeholder={t('returns.reference', {
                  tender: tenderName(chosen.code, config.tenders, locale),
                })}
                aria-label={t('returns.reference', {
                  tender: tenderName(chosen.code, config.tenders, locale),
                })}
                data-testid="noreceipt-reference"
                value={reference}
                onChange={(event) => {
                  requestId.reset();
                  setReference(event.target.value);
                }}
              />
            ) : null}
            <input
              className="input"
              type="text"
              autoComplete="off"
              maxLength={80}
              placeholder={t('returns.reason')}
              aria-label={t('returns.reason')}
              data-testid="noreceipt-reason"
              value={reason}
              onChange={(event) => {
                requestId.reset();
                setReason(event.target.value);
              }}
            />
            {estimate !== null ? (
              <p className="returns-sale-meta" data-testid="noreceipt-estimate" data-amount={estimate}>
                {t('returns.estimate', { amount: formatAmount(estimate, currency) })}
              </p>
            ) : null}
            <div className="dialog-actions">
              <KeyButton
                label={t('returns.submitApproval')}
                shortcut={t('pad.enterKey')}
                variant="primary"
                testId="noreceipt-submit"
                disabled={busy}
                onPress={() => void submit()}
              />
            </div>
          </div>
        )}
      </div>
      <div className="returns-receipt">
        {refund ? (
          <ReceiptPreview sale={refund} storeName={storeName} tenders={config.tenders} />
        ) : (
          <p className="muted history-placeholder">{t('returns.noReceiptHint')}</p>
        )}
      </div>
    </div>
  );
}

/** What the refund will roughly be, by the same totals engine the core uses; null until every weight is in. */
function estimateOf(items: readonly Item[], cash: boolean, config: SaleConfig): number | null {
  if (items.length === 0 || items.some((x) => x.qtyMilli === null)) return null;
  try {
    const totals = computeTotals({
      lines: items.map((x) => ({
        qtyMilli: x.qtyMilli ?? 0,
        unitPrice: money(x.product.price),
        taxRatePpm: x.product.taxRatePpm,
      })),
      taxMode: config.taxMode,
      rounding: config.taxRounding,
      cashIncrement: config.cashIncrement,
    });
    return cash ? roundToIncrement(totals.total, config.cashIncrement) : totals.total;
  } catch {
    return null;
  }
}
