import { useCallback, useEffect, useState } from 'react';
import type { PaperReceipt } from '../../shared/ipc/channels/devices';
import { useClient } from '../ipc/context';
import { useI18n } from '../i18n/context';

/**
 * The demo printer's paper: the last receipts it printed, decoded from the bytes it received (alignment, bold,
 * double size), newest first. Refreshes when a print job changes.
 */
export function PaperStrip({ onBack }: { onBack: () => void }) {
  const { t } = useI18n();
  const client = useClient();
  const [receipts, setReceipts] = useState<PaperReceipt[]>([]);
  const [available, setAvailable] = useState(true);

  const load = useCallback(() => {
    void client.call('printing:paper-strip', { limit: 10 }).then((r) => {
      if (!r.ok) return;
      setAvailable(r.value.available);
      setReceipts(r.value.receipts);
    });
  }, [client]);

  useEffect(() => {
    load();
    return client.onEvent('printing:job-changed', ({ job }) => {
      if (job.status === 'printed' || job.status === 'failed') load();
    });
  }, [client, load]);

  return (
    <main className="paper-screen" data-testid="paper-screen">
      <header className="paper-header">
        <h1>{t('print.paper')}</h1>
        <button type="button" className="button secondary" onClick={load}>
          {t('print.refresh')}
        </button>
        <button type="button" className="button secondary" onClick={onBack}>
          {t('print.back')}
        </button>
      </header>
      {!available ? <p className="muted">{t('print.paperUnavailable')}</p> : null}
      {available && receipts.length === 0 ? <p className="muted">{t('print.paperNone')}</p> : null}
      <div className="paper-roll">
        {receipts.map((receipt) => (
          <article key={receipt.seq} className="paper-receipt" data-testid="paper-receipt">
            {receipt.drawerKicked ? <p className="paper-kick muted">{t('print.drawerKicked')}</p> : null}
            {receipt.lines.map((line, i) => (
              <pre
                // Lines are positional: the same text may repeat (rules, blanks).
                key={i}
                className={`paper-line align-${line.align}${line.bold ? ' bold' : ''}${line.width > 1 ? ' double' : ''}`}
              >
                {line.text || ' '}
              </pre>
            ))}
            {receipt.barcodes.map((code) => (
              <pre key={code} className="paper-line align-center paper-code" data-testid="paper-barcode">
                ▌▌▍▍▌▍▌ {code}
              </pre>
            ))}
            {receipt.qrData.map((data) => (
              <pre key={data} className="paper-line align-center paper-code">
                [QR] {data}
              </pre>
            ))}
            {receipt.cut ? <hr className="paper-cut" /> : null}
          </article>
        ))}
      </div>
    </main>
  );
}
