import { useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import { ErrorMessage } from '../components/ErrorMessage';
import { useClient } from '../ipc/context';
import { useI18n } from '../i18n/context';

/** Reprint on the receipt printer: a copy marked "副本 COPY" goes through the print queue (audited by the core). */
export function ReprintButton({ documentId }: { documentId: string }) {
  const { t } = useI18n();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [queued, setQueued] = useState(false);
  const [error, setError] = useState<ErrorData | null>(null);
  const reprint = async () => {
    setBusy(true);
    setError(null);
    const result = await client.call('printing:reprint', { ref: documentId });
    setBusy(false);
    if (result.ok) setQueued(true);
    else setError(result.error);
  };
  return (
    <span className="reprint">
      <button
        type="button"
        className="button secondary"
        data-testid="reprint-button"
        disabled={busy}
        onClick={() => void reprint()}
      >
        {t('receipt.reprint')}
      </button>
      {queued ? (
        <span className="reprint-note muted" role="status" data-testid="reprint-queued">
          {t('print.reprintQueued')}
        </span>
      ) : null}
      <ErrorMessage error={error} />
    </span>
  );
}
