import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import {
  MIN_PASSPHRASE_LENGTH,
  type BackupRunView,
  type BackupStatus,
} from '../../shared/ipc/channels/backup';
import { ErrorMessage } from '../components/ErrorMessage';
import { useKeyDown } from '../hooks/keyboard';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { backupErrorSentence } from './backup-errors';
import { RestorePanel } from './RestorePanel';

interface Props {
  readonly active: boolean;
  /** The signed-in role may restore (backup.restore: administrators). */
  readonly canRestore: boolean;
  readonly onBack: () => void;
}

type Problem = { sentence: string } | { error: ErrorData };

interface FormErrors {
  folder?: string;
  intervalMinutes?: string;
  keepLast?: string;
  passphrase?: string;
  passphraseConfirm?: string;
}

function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\d{1,6}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : null;
}

/**
 * Backup status, settings (folder, interval, keep last N, passphrase), "back up now", the history, and — for
 * administrators — restore. The core validates everything again and never returns the passphrase.
 */
export function BackupScreen({ active, canRestore, onBack }: Props) {
  const client = useClient();
  const { t, formatTime } = useI18n();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [history, setHistory] = useState<BackupRunView[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [saving, setSaving] = useState(false);
  const [reloads, setReloads] = useState(0);

  const [enabled, setEnabled] = useState(true);
  const [folder, setFolder] = useState('');
  const [interval, setIntervalText] = useState('240');
  const [keep, setKeep] = useState('14');
  const [passphrase, setPassphrase] = useState('');
  const [passphraseConfirm, setPassphraseConfirm] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});

  const showFailure = useCallback(
    (error: ErrorData) => {
      const sentence = backupErrorSentence(error, t);
      setProblem(sentence === null ? { error } : { sentence });
    },
    [t],
  );

  useKeyDown((event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onBack();
    }
  }, active);

  useEffect(() => {
    let current = true;
    void Promise.all([client.call('backup:status', {}), client.call('backup:history', { limit: 20 })]).then(
      ([s, h]) => {
        if (!current) return;
        if (!s.ok) {
          showFailure(s.error);
          return;
        }
        setStatus(s.value);
        if (s.value.config) {
          setEnabled(s.value.config.enabled);
          setFolder(s.value.config.folder);
          setIntervalText(String(s.value.config.intervalMinutes));
          setKeep(String(s.value.config.keepLast));
        }
        if (h.ok) setHistory(h.value);
      },
    );
    return () => {
      current = false;
    };
  }, [client, reloads, showFailure]);

  const configured = status?.config !== null && status?.config !== undefined;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found: FormErrors = {};
    if (folder.trim() === '') found.folder = t('backup.required');
    const intervalMinutes = wholeNumber(interval, 15, 10_080);
    if (intervalMinutes === null) found.intervalMinutes = t('backup.invalidNumber', { min: 15, max: 10_080 });
    const keepLast = wholeNumber(keep, 1, 365);
    if (keepLast === null) found.keepLast = t('backup.invalidNumber', { min: 1, max: 365 });
    if (passphrase !== '' || !configured) {
      if (passphrase.length < MIN_PASSPHRASE_LENGTH)
        found.passphrase = t('backup.tooShort', { min: MIN_PASSPHRASE_LENGTH });
      else if (passphrase !== passphraseConfirm) found.passphraseConfirm = t('backup.mismatch');
    }
    setErrors(found);
    if (Object.keys(found).length > 0 || intervalMinutes === null || keepLast === null) return;
    setSaving(true);
    setProblem(null);
    setNotice(null);
    const r = await client.call('backup:configure', {
      enabled,
      folder: folder.trim(),
      intervalMinutes,
      keepLast,
      ...(passphrase === '' ? {} : { passphrase }),
    });
    setSaving(false);
    setPassphrase('');
    setPassphraseConfirm('');
    if (!r.ok) {
      showFailure(r.error);
      return;
    }
    setStatus(r.value);
    setNotice(t('backup.saved'));
  };

  const runNow = async () => {
    setRunning(true);
    setProblem(null);
    setNotice(null);
    const r = await client.call('backup:run', {});
    setRunning(false);
    if (!r.ok) showFailure(r.error);
    else setNotice(t('backup.created', { file: r.value.file ?? '' }));
    setReloads((n) => n + 1);
  };

  const field = (id: keyof FormErrors) => ({
    id: `backup-${id}`,
    'aria-invalid': errors[id] !== undefined,
    'aria-describedby': errors[id] !== undefined ? `backup-${id}-error` : undefined,
  });
  const fieldError = (id: keyof FormErrors) =>
    errors[id] !== undefined ? (
      <p className="field-error" id={`backup-${id}-error`}>
        {errors[id]}
      </p>
    ) : null;

  const lastFailed = status?.lastRun?.status === 'failed' ? status.lastRun : null;

  return (
    <main className="backup-screen" data-testid="backup-screen">
      <div className="screen-title">
        <button type="button" className="button secondary" data-testid="backup-back" onClick={onBack}>
          ← {t('backup.back')}
        </button>
        <h1>{t('backup.title')}</h1>
      </div>

      <div className="live-region" aria-live="polite">
        {notice ? (
          <p className="notice" role="status" data-testid="backup-notice">
            {notice}
          </p>
        ) : null}
      </div>
      {problem && 'sentence' in problem ? (
        <div className="error-message" role="alert" data-testid="backup-problem">
          <p className="error-sentence">{problem.sentence}</p>
        </div>
      ) : null}
      <ErrorMessage error={problem && 'error' in problem ? problem.error : null} />

      {status === null && problem === null ? <p className="muted">{t('backup.loading')}</p> : null}
      {status !== null ? (
        <section className="backup-status" aria-labelledby="backup-status-title" data-testid="backup-status">
          <h2 id="backup-status-title">{t('backup.statusTitle')}</h2>
          {!configured ? <p className="status warn">{t('backup.notConfigured')}</p> : null}
          <p>
            {status.lastSuccess
              ? t('backup.lastSuccess', { time: formatTime(status.lastSuccess.startedAt) })
              : t('backup.neverSucceeded')}
          </p>
          {lastFailed ? (
            <p className="status warn" data-testid="backup-last-failed">
              {t('backup.lastFailed', {
                time: formatTime(lastFailed.finishedAt),
                error: lastFailed.error ?? '',
              })}
            </p>
          ) : null}
          <p>
            {status.nextDueAt
              ? t('backup.nextDue', { time: formatTime(status.nextDueAt) })
              : t('backup.scheduleOff')}
          </p>
          <button
            type="button"
            className="button primary"
            data-testid="backup-run"
            disabled={!configured || running || status.running}
            onClick={() => void runNow()}
          >
            {running || status.running ? t('backup.running') : t('backup.runNow')}
          </button>
        </section>
      ) : null}

      <div className="backup-layout">
        <section className="backup-settings" aria-labelledby="backup-settings-title">
          <h2 id="backup-settings-title">{t('backup.settingsTitle')}</h2>
          <form data-testid="backup-settings" noValidate onSubmit={(e) => void save(e)}>
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid="backup-enabled"
                checked={enabled}
                onChange={(e) => setEnabled(e.target.checked)}
              />{' '}
              {t('backup.enabled')}
            </label>
            <div className="field">
              <label className="field-label" htmlFor="backup-folder">
                {t('backup.folder')}
              </label>
              <input
                {...field('folder')}
                className="input"
                data-testid="backup-folder"
                type="text"
                autoComplete="off"
                value={folder}
                onChange={(e) => setFolder(e.target.value)}
              />
              {fieldError('folder')}
            </div>
            <div className="field">
              <label className="field-label" htmlFor="backup-intervalMinutes">
                {t('backup.interval')}
              </label>
              <input
                {...field('intervalMinutes')}
                className="input"
                data-testid="backup-interval"
                inputMode="numeric"
                value={interval}
                onChange={(e) => setIntervalText(e.target.value)}
              />
              {fieldError('intervalMinutes')}
            </div>
            <div className="field">
              <label className="field-label" htmlFor="backup-keepLast">
                {t('backup.keep')}
              </label>
              <input
                {...field('keepLast')}
                className="input"
                data-testid="backup-keep"
                inputMode="numeric"
                value={keep}
                onChange={(e) => setKeep(e.target.value)}
              />
              {fieldError('keepLast')}
            </div>
            <div className="field">
              <label className="field-label" htmlFor="backup-passphrase">
                {configured
                  ? t('backup.passphraseKeep')
                  : t('backup.passphrase', { min: MIN_PASSPHRASE_LENGTH })}
              </label>
              <input
                {...field('passphrase')}
                className="input"
                data-testid="backup-passphrase"
                type="password"
                autoComplete="new-password"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
              />
              {fieldError('passphrase')}
            </div>
            <div className="field">
              <label className="field-label" htmlFor="backup-passphraseConfirm">
                {t('backup.passphraseConfirm')}
              </label>
              <input
                {...field('passphraseConfirm')}
                className="input"
                data-testid="backup-passphrase-confirm"
                type="password"
                autoComplete="new-password"
                value={passphraseConfirm}
                onChange={(e) => setPassphraseConfirm(e.target.value)}
              />
              {fieldError('passphraseConfirm')}
            </div>
            <p className="muted">{t('backup.passphraseHint')}</p>
            <button type="submit" className="button primary wide" data-testid="backup-save" disabled={saving}>
              {t('backup.save')}
            </button>
          </form>
        </section>

        <section className="backup-history" aria-labelledby="backup-history-title">
          <h2 id="backup-history-title">{t('backup.historyTitle')}</h2>
          <table className="table" data-testid="backup-history">
            <thead>
              <tr>
                <th scope="col">{t('backup.colTime')}</th>
                <th scope="col">{t('backup.colKind')}</th>
                <th scope="col">{t('backup.colResult')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((run) => (
                <tr key={run.id}>
                  <td>{formatTime(run.startedAt)}</td>
                  <td>{t(`backup.kind.${run.kind}`)}</td>
                  <td>
                    <span className={run.status === 'created' ? 'status ok' : 'status warn'}>
                      {run.status === 'created' ? t('backup.ok') : t('backup.failed')}
                    </span>{' '}
                    <span className="muted">{run.status === 'created' ? run.file : run.error}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      {canRestore && status !== null ? <RestorePanel status={status} /> : null}
    </main>
  );
}
