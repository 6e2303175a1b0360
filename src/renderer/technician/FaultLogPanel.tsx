import { useCallback, useEffect, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import {
  FAULT_LEVELS,
  FAULT_RESULTS,
  type FaultFilter,
  type FaultLevel,
  type FaultPage,
  type FaultResult,
} from '../../shared/ipc/channels/selftest';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { DEVICE_NAMES, FAULT_LEVEL_LABELS, FAULT_RESULT_LABELS } from './labels';

const PAGE = 25;

/** `YYYY-MM-DD` from a date field → the start of that local day, with its offset (the filter wants one). */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/** Saves a text as a file through the browser (Electron and the browser host alike). */
function download(fileName: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The fault log with filters (device, level, result, days), paging, and "export diagnostics". */
export function FaultLogPanel() {
  const { t, formatTime } = useI18n();
  const client = useClient();
  const [device, setDevice] = useState('');
  const [level, setLevel] = useState<FaultLevel | ''>('');
  const [result, setResult] = useState<FaultResult | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<FaultPage | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const [exported, setExported] = useState<string | null>(null);

  const filter = useCallback((): FaultFilter => {
    const f: FaultFilter = {};
    if (device) f.device = device;
    if (level) f.level = level;
    if (result) f.result = result;
    const start = dayStart(from);
    const end = dayStart(to, 1);
    if (start) f.from = start;
    if (end) f.to = end;
    return f;
  }, [device, level, result, from, to]);

  const load = useCallback(() => {
    void client.call('faults:list', { ...filter(), offset, limit: PAGE }).then((r) => {
      if (r.ok) setPage(r.value);
      else setError(r.error);
    });
  }, [client, filter, offset]);

  useEffect(() => {
    load();
    // New entries show at once on the first page; further back the page stays put while being read.
    return client.onEvent('faults:recorded', () => {
      if (offset === 0) load();
    });
  }, [client, load, offset]);

  const exportBundle = async () => {
    setError(null);
    const r = await client.call('faults:export', filter());
    if (!r.ok) return setError(r.error);
    download(r.value.fileName, r.value.content);
    setExported(t('tech.faults.exported', { file: r.value.fileName, count: r.value.faults }));
  };

  const reset = (apply: () => void) => {
    apply();
    setOffset(0);
  };

  return (
    <section className="tech-panel" data-testid="fault-log">
      <h2>{t('tech.faults')}</h2>
      <div className="tech-filters">
        <select
          aria-label={t('tech.col.device')}
          data-testid="fault-filter-device"
          value={device}
          onChange={(e) => reset(() => setDevice(e.target.value))}
        >
          <option value="">{t('tech.faults.allDevices')}</option>
          {Object.entries(DEVICE_NAMES).map(([id, key]) => (
            <option key={id} value={id}>
              {t(key)}
            </option>
          ))}
        </select>
        <select
          aria-label={t('tech.col.level')}
          data-testid="fault-filter-level"
          value={level}
          onChange={(e) => reset(() => setLevel(e.target.value as FaultLevel | ''))}
        >
          <option value="">{t('tech.faults.allLevels')}</option>
          {FAULT_LEVELS.map((l) => (
            <option key={l} value={l}>
              {t(FAULT_LEVEL_LABELS[l])}
            </option>
          ))}
        </select>
        <select
          aria-label={t('tech.col.result')}
          data-testid="fault-filter-result"
          value={result}
          onChange={(e) => reset(() => setResult(e.target.value as FaultResult | ''))}
        >
          <option value="">{t('tech.faults.allResults')}</option>
          {FAULT_RESULTS.map((r) => (
            <option key={r} value={r}>
              {t(FAULT_RESULT_LABELS[r])}
            </option>
          ))}
        </select>
        <label>
          {t('tech.faults.from')}{' '}
          <input type="date" value={from} onChange={(e) => reset(() => setFrom(e.target.value))} />
        </label>
        <label>
          {t('tech.faults.to')}{' '}
          <input type="date" value={to} onChange={(e) => reset(() => setTo(e.target.value))} />
        </label>
        <button
          type="button"
          className="button"
          data-testid="fault-export"
          onClick={() => void exportBundle()}
        >
          {t('tech.faults.export')}
        </button>
      </div>
      <ErrorMessage error={error} />
      {exported ? (
        <p className="muted" data-testid="fault-exported">
          {exported}
        </p>
      ) : null}
      {page && page.entries.length === 0 ? <p className="muted">{t('tech.faults.none')}</p> : null}
      {page && page.entries.length > 0 ? (
        <>
          <table className="tech-faults" data-testid="fault-table" data-total={page.total}>
            <thead>
              <tr>
                <th>{t('tech.col.time')}</th>
                <th>{t('tech.col.device')}</th>
                <th>{t('tech.col.level')}</th>
                <th>{t('tech.col.result')}</th>
                <th>{t('tech.col.message')}</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((e) => {
                const name = DEVICE_NAMES[e.device];
                return (
                  <tr
                    key={e.id}
                    className={`fault-${e.result}`}
                    data-testid="fault-row"
                    data-device={e.device}
                    data-result={e.result}
                  >
                    <td>{formatTime(e.at)}</td>
                    <td>{name ? t(name) : e.device}</td>
                    <td>{t(FAULT_LEVEL_LABELS[e.level])}</td>
                    <td>{t(FAULT_RESULT_LABELS[e.result])}</td>
                    <td>
                      {e.message}
                      {e.raw ? <code className="tech-raw"> {e.raw}</code> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="tech-pager">
            <span className="muted">
              {t('tech.faults.count', {
                total: page.total,
                from: page.offset + 1,
                to: page.offset + page.entries.length,
              })}
            </span>
            <button
              type="button"
              className="button secondary"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              {t('tech.faults.newer')}
            </button>
            <button
              type="button"
              className="button secondary"
              disabled={page.offset + page.entries.length >= page.total}
              onClick={() => setOffset(offset + PAGE)}
            >
              {t('tech.faults.older')}
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
