import { useEffect, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { Report, ZSummary } from '../../shared/ipc/channels/reports';
import { ErrorMessage } from '../components/ErrorMessage';
import { useKeyDown } from '../hooks/keyboard';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { ReportView } from './ReportView';

interface Props {
  readonly active: boolean;
  readonly onBack: () => void;
}

/** X report (any time), Z report (closes the business day, once), past Z reports, and printing. */
export function ReportsScreen({ active, onBack }: Props) {
  const client = useClient();
  const { t, formatTime } = useI18n();
  const [report, setReport] = useState<Report | null>(null);
  const [history, setHistory] = useState<readonly ZSummary[]>([]);
  const [confirmZ, setConfirmZ] = useState(false);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const [historyReloads, setHistoryReloads] = useState(0);

  useEffect(() => {
    let current = true;
    void client.call('report:z-list', {}).then((result) => {
      if (current && result.ok) setHistory(result.value);
    });
    return () => {
      current = false;
    };
  }, [client, historyReloads]);

  useKeyDown((event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    if (confirmZ) setConfirmZ(false);
    else onBack();
  }, active);

  const run = async (what: () => Promise<{ ok: true; value: Report } | { ok: false; error: ErrorData }>) => {
    setBusy(true);
    setNotice(null);
    const result = await what();
    setBusy(false);
    if (result.ok) {
      setFailure(null);
      setReport(result.value);
    } else {
      setFailure(result.error);
    }
  };

  const print = async () => {
    if (!report) return;
    setBusy(true);
    const result = await client.call(
      'report:print',
      report.kind === 'Z' && report.zNumber !== null ? { kind: 'Z', zNumber: report.zNumber } : { kind: 'X' },
    );
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    setNotice(result.value.printed ? t('report.printed') : t('report.notPrinted'));
  };

  return (
    <main className="reports-screen" data-testid="reports-screen">
      <div className="screen-title">
        <button type="button" className="button secondary" data-testid="reports-back" onClick={onBack}>
          ← {t('report.back')}
        </button>
        <h1>{t('report.title')}</h1>
      </div>
      <div className="row-actions">
        <button
          type="button"
          className="button secondary"
          data-testid="report-x"
          disabled={busy}
          onClick={() => void run(() => client.call('report:x', {}))}
        >
          {t('report.x')}
        </button>
        <button
          type="button"
          className="button danger"
          data-testid="report-z"
          disabled={busy}
          onClick={() => setConfirmZ(true)}
        >
          {t('report.z')}
        </button>
        {report ? (
          <button
            type="button"
            className="button secondary"
            data-testid="report-print"
            disabled={busy}
            onClick={() => void print()}
          >
            {t('report.print')}
          </button>
        ) : null}
      </div>
      {confirmZ ? (
        <div className="section warning" data-testid="report-z-confirm">
          <p>{t('report.zConfirm')}</p>
          <div className="row-actions">
            <button
              type="button"
              className="button danger"
              data-testid="report-z-confirm-yes"
              disabled={busy}
              onClick={() => {
                setConfirmZ(false);
                void run(() => client.call('report:z', {})).then(() => setHistoryReloads((n) => n + 1));
              }}
            >
              {t('report.zConfirmYes')}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirmZ(false)}>
              {t('report.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      <ErrorMessage error={failure} />
      {notice ? (
        <p className="notice" role="status" data-testid="report-notice">
          {notice}
        </p>
      ) : null}
      <div className="reports-layout">
        {report ? <ReportView report={report} /> : null}
        <section className="section reports-history" aria-labelledby="reports-history-title">
          <h2 id="reports-history-title">{t('report.history')}</h2>
          {history.length === 0 ? <p className="muted">{t('report.noHistory')}</p> : null}
          <ul className="pick-list">
            {history.map((z) => (
              <li key={z.zNumber}>
                <button
                  type="button"
                  className="pick-row"
                  data-testid={`report-z-${z.zNumber}`}
                  onClick={() => void run(() => client.call('report:z-get', { zNumber: z.zNumber }))}
                >
                  <span>Z {String(z.zNumber).padStart(4, '0')}</span>
                  <span className="muted">{formatTime(z.closedAt)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </main>
  );
}
