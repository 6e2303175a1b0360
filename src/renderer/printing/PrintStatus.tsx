import { useEffect, useState } from 'react';
import type { PrintJob } from '../../shared/ipc/channels/devices';
import { useClient } from '../ipc/context';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';

const STATUS: Readonly<Record<PrintJob['status'], PlainKey>> = {
  queued: 'print.status.queued',
  printing: 'print.status.printing',
  printed: 'print.status.printed',
  failed: 'print.status.failed',
};

const REASONS: Readonly<Record<string, PlainKey>> = {
  paper_out: 'print.reason.paper_out',
  cover_open: 'print.reason.cover_open',
  timeout: 'print.reason.timeout',
  offline: 'print.reason.offline',
  printer_error: 'print.reason.offline',
  interrupted: 'print.reason.interrupted',
  stale: 'print.reason.stale',
};

/**
 * The receipt's print status for a completed document (printed / waiting / failed with the reason) and Retry.
 * Follows `printing:job-changed`, so it turns to "printed" by itself when the printer comes back.
 */
export function PrintStatus({ documentId }: { documentId: string }) {
  const { t } = useI18n();
  const client = useClient();
  const [job, setJob] = useState<PrintJob | null>(null);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    let live = true;
    const off = client.onEvent('printing:job-changed', ({ job: changed }) => {
      if (changed.ref === documentId && !changed.copy) setJob(changed);
    });
    void client.call('printing:jobs', { ref: documentId, limit: 10 }).then((r) => {
      if (!live) return;
      setLoaded(true);
      if (r.ok) setJob(r.value.find((j) => !j.copy) ?? null);
    });
    return () => {
      live = false;
      off();
    };
  }, [client, documentId]);

  if (!loaded && job === null) return null;
  if (job === null) {
    return (
      <p className="print-status muted" data-testid="print-status" data-status="none">
        {t('print.status.none')}
      </p>
    );
  }
  const reason = job.lastError ? t(REASONS[job.lastError.reason ?? ''] ?? 'print.reason.other') : null;
  const canRetry = job.status === 'failed' || (job.status === 'queued' && job.lastError !== null);
  return (
    <div
      className={`print-status ${job.status === 'printed' ? 'ok' : job.lastError ? 'warn' : ''}`}
      data-testid="print-status"
      data-status={job.status}
      role="status"
    >
      <span>{t(STATUS[job.status])}</span>
      {reason !== null && job.status !== 'printed' ? <span className="print-reason">{reason}</span> : null}
      {canRetry ? (
        <button
          type="button"
          className="button secondary"
          data-testid="print-retry"
          onClick={() =>
            void client.call('printing:retry', { jobId: job.id }).then((r) => r.ok && setJob(r.value))
          }
        >
          {t('print.retry')}
        </button>
      ) : null}
    </div>
  );
}
