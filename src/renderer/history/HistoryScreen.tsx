import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { DocumentKind, SaleConfig, SaleSummary, SaleView } from '../../shared/ipc/channels/sale';
import type { InputOf } from '../../shared/ipc/contract';
import { useSupervisorApproval } from '../approval/context';
import { ErrorMessage } from '../components/ErrorMessage';
import { ConfirmDialog } from '../checkout/dialogs/ConfirmDialog';
import { formatAmount } from '../format';
import { useKeyDown } from '../hooks/keyboard';
import { useScanner } from '../hooks/useScanner';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';
import { useClient } from '../ipc/context';
import { DocumentDetail } from './DocumentDetail';
import { historyQuery, NO_FILTERS, type HistoryFilters } from './history-query';

const KIND_LABELS: Readonly<Record<DocumentKind, PlainKey>> = {
  sale: 'history.kindSale',
  refund: 'history.kindRefund',
  post_void: 'history.kindPostVoid',
};

interface Props {
  readonly config: SaleConfig;
  readonly storeName: string | null;
  readonly active: boolean;
  readonly onBack: () => void;
  /** Start a return against this sale (by receipt number). */
  readonly onReturn: (receiptNo: string) => void;
}

/** Completed documents, newest first, searchable by receipt number, day and amount; one opens as its receipt. */
export function HistoryScreen({ config, storeName, active, onBack, onReturn }: Props) {
  const client = useClient();
  const approval = useSupervisorApproval();
  const { t, formatTime } = useI18n();
  const [filters, setFilters] = useState<HistoryFilters>(NO_FILTERS);
  const [query, setQuery] = useState<InputOf<'sale:history'>>(() => ({ limit: 50 }));
  const [items, setItems] = useState<readonly SaleSummary[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [opened, setOpened] = useState<SaleView | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [confirmPostVoid, setConfirmPostVoid] = useState(false);
  const [badAmount, setBadAmount] = useState(false);
  const currency = config.currency;

  useEffect(() => {
    let current = true;
    void client.call('sale:history', query).then((result) => {
      if (!current) return;
      if (result.ok) {
        setItems(result.value.items);
        setHasMore(result.value.hasMore);
      } else {
        setFailure(result.error);
      }
    });
    return () => {
      current = false;
    };
  }, [client, query]);

  const open = async (ref: string) => {
    setFailure(null);
    const result = await client.call('sale:get', { ref });
    if (result.ok) setOpened(result.value);
    else setFailure(result.error);
  };

  const search = (event?: FormEvent, next: HistoryFilters = filters) => {
    event?.preventDefault();
    const built = historyQuery(next, currency);
    if (built === 'bad_amount') return setBadAmount(true);
    setFailure(null);
    setOpened(null);
    setQuery(built);
  };

  const postVoid = async (document: SaleView) => {
    setConfirmPostVoid(false);
    setFailure(null);
    const result = await approval.callWithApproval('sale:post-void', { saleId: document.id });
    if (result === 'cancelled') return;
    if (!result.ok) return setFailure(result.error);
    setOpened(result.value);
    setQuery((q) => ({ ...q }));
  };

  // A scanned receipt barcode finds its sale.
  useScanner((code) => {
    if (!active) return;
    const next = { ...NO_FILTERS, receiptNo: code };
    setFilters(next);
    search(undefined, next);
    void open(code);
  });

  const blocked = confirmPostVoid || approval.asking;
  useKeyDown((event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    if (opened) setOpened(null);
    else onBack();
  }, active && !blocked);

  const canPostVoid = opened !== null && opened.kind === 'sale' && opened.related.length === 0;
  return (
    <div className="history-screen" data-testid="history-screen">
      <div className="history-main" inert={blocked}>
        <div className="history-list-pane">
          <div className="screen-title">
            <button type="button" className="button secondary" data-testid="history-back" onClick={onBack}>
              ← {t('checkout.back')} <kbd>Esc</kbd>
            </button>
            <h1>{t('history.title')}</h1>
          </div>
          <form className="history-filters" onSubmit={search}>
            <input
              className="input"
              type="text"
              autoComplete="off"
              spellCheck={false}
              placeholder={t('history.receiptNo')}
              aria-label={t('history.receiptNo')}
              data-testid="history-receipt-input"
              value={filters.receiptNo}
              onChange={(event) => setFilters({ ...filters, receiptNo: event.target.value })}
            />
            <input
              className="input"
              type="date"
              aria-label={t('history.date')}
              data-testid="history-date"
              value={filters.date}
              onChange={(event) => setFilters({ ...filters, date: event.target.value })}
            />
            <input
              className="input"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              placeholder={t('history.amount')}
              aria-label={t('history.amount')}
              aria-invalid={badAmount}
              data-testid="history-amount"
              value={filters.amount}
              onChange={(event) => {
                setFilters({ ...filters, amount: event.target.value });
                setBadAmount(false);
              }}
            />
            <button type="submit" className="button primary" data-testid="history-search">
              {t('history.search')}
            </button>
            <button
              type="button"
              className="button secondary"
              data-testid="history-clear"
              onClick={() => {
                setFilters(NO_FILTERS);
                search(undefined, NO_FILTERS);
              }}
            >
              {t('history.clear')}
            </button>
          </form>
          {badAmount ? <p className="field-error">{t('tender.amountInvalid')}</p> : null}
          <ErrorMessage error={failure} />
          {items !== null && items.length === 0 ? <p className="muted">{t('history.none')}</p> : null}
          {items !== null && items.length > 0 ? (
            <ul className="pick-list history-list" data-testid="history-list">
              {items.map((item, index) => (
                <li key={item.id}>
                  <button
                    type="button"
                    className={opened?.id === item.id ? 'pick-row selected' : 'pick-row'}
                    data-testid={`history-row-${index}`}
                    data-receipt-no={item.receiptNo}
                    onClick={() => void open(item.id)}
                  >
                    <span className="pick-main">
                      {item.receiptNo}{' '}
                      <span className={`badge kind-${item.kind}`}>{t(KIND_LABELS[item.kind])}</span>
                    </span>
                    <span className="pick-meta">
                      {formatTime(item.completedAt)} · {item.cashierName} ·{' '}
                      {t('history.lines', { count: item.lineCount })}
                    </span>
                    <span className="pick-amount">{formatAmount(item.payable, currency)}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          {hasMore ? <p className="muted small">{t('history.more')}</p> : null}
        </div>
        <div className="history-detail-pane">
          {opened ? (
            <DocumentDetail
              document={opened}
              storeName={storeName}
              tenders={config.tenders}
              onReturn={
                opened.kind === 'sale' && opened.receiptNo ? () => onReturn(opened.receiptNo ?? '') : null
              }
              onPostVoid={canPostVoid ? () => setConfirmPostVoid(true) : null}
            />
          ) : (
            <p className="muted history-placeholder">{t('history.pick')}</p>
          )}
        </div>
      </div>
      {confirmPostVoid && opened ? (
        <ConfirmDialog
          title={t('postVoid.title')}
          message={t('postVoid.message')}
          confirmLabel={t('postVoid.confirm')}
          testId="post-void-dialog"
          danger
          onConfirm={() => void postVoid(opened)}
          onClose={() => setConfirmPostVoid(false)}
        />
      ) : null}
    </div>
  );
}
