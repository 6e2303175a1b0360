import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { AuditEntry, AuditFilter, AuditVerdictView } from '../../shared/ipc/channels/audit';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { useKeyDown } from '../hooks/keyboard';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { useDownload } from './download';

const PAGE = 50;

interface Facets {
  users: { id: string; name: string }[];
  actions: string[];
}

interface Props {
  readonly active: boolean;
  readonly onBack: () => void;
}

/** A `datetime-local` value (the station's local time) as ISO, or undefined when empty. */
function toIso(local: string): string | undefined {
  if (local === '') return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The manager's audit screen: the log newest first, filtered by staff, action and time, paged by seq; a CSV
 * export offered as a download; and the same chain check as `npm run audit:verify`. The core checks audit.view
 * and records exports and checks in the log itself.
 */
export function AuditScreen({ active, onBack }: Props) {
  const client = useClient();
  const { t, formatTime } = useI18n();
  const download = useDownload();
  const [facets, setFacets] = useState<Facets>({ users: [], actions: [] });
  const [userId, setUserId] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [filter, setFilter] = useState<AuditFilter>({});
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState<'export' | 'verify' | 'more' | null>(null);
  const [verdict, setVerdict] = useState<AuditVerdictView | null>(null);
  const [exported, setExported] = useState<{ rows: number; fileName: string } | null>(null);
  const [reloads, setReloads] = useState(0);

  useKeyDown((event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onBack();
    }
  }, active);

  useEffect(() => {
    let current = true;
    void client.call('audit:facets', {}).then((r) => {
      if (current && r.ok) setFacets(r.value);
    });
    return () => {
      current = false;
    };
  }, [client]);

  const fetchPage = useCallback(
    (which: AuditFilter, beforeSeq: number | null) =>
      client.call('audit:list', { ...which, limit: PAGE, ...(beforeSeq === null ? {} : { beforeSeq }) }),
    [client],
  );

  useEffect(() => {
    let current = true;
    void fetchPage(filter, null).then((r) => {
      if (!current) return;
      if (!r.ok) {
        setFailure(r.error);
        return;
      }
      setFailure(null);
      setEntries(r.value.entries);
      setNextBefore(r.value.nextBeforeSeq);
    });
    return () => {
      current = false;
    };
  }, [fetchPage, filter, reloads]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next: AuditFilter = {};
    if (userId !== '') next.userId = userId;
    if (action !== '') next.action = action;
    const fromIso = toIso(from);
    const toIsoValue = toIso(to);
    if (fromIso) next.from = fromIso;
    if (toIsoValue) next.to = toIsoValue;
    setEntries(null);
    setFilter(next);
  };

  const clear = () => {
    setUserId('');
    setAction('');
    setFrom('');
    setTo('');
    setEntries(null);
    setFilter({});
  };

  const more = async () => {
    if (nextBefore === null) return;
    setBusy('more');
    const r = await fetchPage(filter, nextBefore);
    setBusy(null);
    if (!r.ok) {
      setFailure(r.error);
      return;
    }
    setEntries((list) => [...(list ?? []), ...r.value.entries]);
    setNextBefore(r.value.nextBeforeSeq);
  };

  const exportCsv = async () => {
    setBusy('export');
    setExported(null);
    const r = await client.call('audit:export', filter);
    setBusy(null);
    if (!r.ok) {
      setFailure(r.error);
      return;
    }
    // A byte-order mark so spreadsheet programs read the Chinese text as UTF-8.
    download.offer(r.value.fileName, `\ufeff${r.value.csv}`, 'text/csv;charset=utf-8');
    setExported({ rows: r.value.rows, fileName: r.value.fileName });
  };

  const verify = async () => {
    setBusy('verify');
    setVerdict(null);
    const r = await client.call('audit:verify', {});
    setBusy(null);
    if (!r.ok) {
      setFailure(r.error);
      return;
    }
    setVerdict(r.value);
  };

  return (
    <main className="audit-screen" data-testid="audit-screen">
      <div className="screen-title">
        <button type="button" className="button secondary" data-testid="audit-back" onClick={onBack}>
          ← {t('audit.back')}
        </button>
        <h1>{t('audit.title')}</h1>
        <div className="row-actions">
          <button
            type="button"
            className="button secondary"
            data-testid="audit-export"
            disabled={busy !== null}
            onClick={() => void exportCsv()}
          >
            {t('audit.export')}
          </button>
          <button
            type="button"
            className="button primary"
            data-testid="audit-verify"
            disabled={busy !== null}
            onClick={() => void verify()}
          >
            {busy === 'verify' ? t('audit.verifying') : t('audit.verify')}
          </button>
        </div>
      </div>

      <div className="live-region" aria-live="polite">
        {verdict?.intact === true ? (
          <p className="notice" role="status" data-testid="audit-verdict" data-intact="true">
            {t('audit.intact', { rows: verdict.rows })}
          </p>
        ) : null}
        {verdict?.intact === false ? (
          <div className="error-message" role="alert" data-testid="audit-verdict" data-intact="false">
            <p className="error-sentence">
              {t('audit.broken', { seq: verdict.seq, reason: t(`audit.reason.${verdict.reason}`) })}
            </p>
            <p className="error-note">{verdict.message}</p>
            <p className="error-next">{t('audit.brokenHint')}</p>
          </div>
        ) : null}
        {exported ? (
          <p className="notice" role="status" data-testid="audit-exported">
            {t('audit.exported', { rows: exported.rows, file: exported.fileName })}{' '}
            {download.url ? (
              <a href={download.url} download={exported.fileName} data-testid="audit-download">
                {t('audit.download', { file: exported.fileName })}
              </a>
            ) : null}
          </p>
        ) : null}
      </div>
      <ErrorMessage error={failure} onRetry={() => setReloads((n) => n + 1)} />

      <form className="audit-filters" data-testid="audit-filters" onSubmit={apply}>
        <Field id="audit-filter-user" label={t('audit.filterUser')} error={null}>
          {(aria) => (
            <select {...aria} className="input" value={userId} onChange={(e) => setUserId(e.target.value)}>
              <option value="">{t('audit.any')}</option>
              {facets.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="audit-filter-action" label={t('audit.filterAction')} error={null}>
          {(aria) => (
            <select {...aria} className="input" value={action} onChange={(e) => setAction(e.target.value)}>
              <option value="">{t('audit.any')}</option>
              {facets.actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="audit-filter-from" label={t('audit.filterFrom')} error={null}>
          {(aria) => (
            <input
              {...aria}
              className="input"
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          )}
        </Field>
        <Field id="audit-filter-to" label={t('audit.filterTo')} error={null}>
          {(aria) => (
            <input
              {...aria}
              className="input"
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
          )}
        </Field>
        <div className="row-actions">
          <button type="submit" className="button primary" data-testid="audit-apply">
            {t('audit.apply')}
          </button>
          <button type="button" className="button secondary" data-testid="audit-clear" onClick={clear}>
            {t('audit.clear')}
          </button>
        </div>
      </form>

      {entries === null && !failure ? <p className="muted">{t('audit.loading')}</p> : null}
      {entries !== null && entries.length === 0 ? <p className="muted">{t('audit.empty')}</p> : null}
      {entries !== null && entries.length > 0 ? (
        <table className="table audit-table" data-testid="audit-list">
          <thead>
            <tr>
              <th scope="col">{t('audit.colSeq')}</th>
              <th scope="col">{t('audit.colTime')}</th>
              <th scope="col">{t('audit.colUser')}</th>
              <th scope="col">{t('audit.colAction')}</th>
              <th scope="col">{t('audit.colDetails')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq} data-testid={`audit-row-${e.seq}`}>
                <td>{e.seq}</td>
                <td>{formatTime(e.at)}</td>
                <td>{e.userName ?? e.userId ?? t('audit.system')}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td className="audit-details">
                  <code>{JSON.stringify(e.details)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {nextBefore !== null ? (
        <button
          type="button"
          className="button secondary wide"
          data-testid="audit-older"
          disabled={busy !== null}
          onClick={() => void more()}
        >
          {t('audit.older')}
        </button>
      ) : null}
    </main>
  );
}
