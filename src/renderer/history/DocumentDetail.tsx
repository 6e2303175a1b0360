import type { SaleView, TenderConfig } from '../../shared/ipc/channels/sale';
import { KeyButton } from '../components/KeyButton';
import { useI18n } from '../i18n/context';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { ReprintButton } from '../receipt/ReprintButton';

interface Props {
  readonly document: SaleView;
  readonly storeName: string | null;
  readonly tenders: readonly TenderConfig[];
  readonly onReturn: (() => void) | null;
  readonly onPostVoid: (() => void) | null;
}

/** One document from history: its receipt on screen, and what can be done with it. */
export function DocumentDetail({ document, storeName, tenders, onReturn, onPostVoid }: Props) {
  const { t } = useI18n();
  return (
    <div className="document-detail">
      <div className="document-actions">
        <ReprintButton documentId={document.id} />
        {onReturn ? (
          <KeyButton label={t('history.returnItems')} testId="history-return" onPress={onReturn} />
        ) : null}
        {onPostVoid ? (
          <KeyButton
            label={t('done.postVoid')}
            variant="danger"
            testId="post-void-button"
            onPress={onPostVoid}
          />
        ) : null}
      </div>
      {document.related.length > 0 && document.kind === 'sale' ? (
        <p className="muted small" data-testid="history-related">
          {t('history.related', { receipts: document.related.map((r) => r.receiptNo ?? '—').join(', ') })}
        </p>
      ) : null}
      <ReceiptPreview sale={document} storeName={storeName} tenders={tenders} />
    </div>
  );
}
