import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { BackupFileView, BackupStatus } from '../../shared/ipc/channels/backup';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { backupErrorSentence } from './backup-errors';

interface Props {
  readonly status: BackupStatus;
}

type Phase = 'form' | 'confirm' | 'restoring' | { restored: { keptAs: string | null } };

/**
 * Restore for administrators: pick a backup from the folder (or type a path), give its passphrase, confirm.
 * Unsent sync events are shown as a loud warning that must be acknowledged; an open sale blocks the restore.
 * After a restore the station has closed its database and its host reopens it on the restored data (the browser
 * host in place, Electron by relaunching): this panel covers the screen until the connection drops and the app
 * comes back on the sign-in screen; no other action is offered meanwhile.
 */
export function RestorePanel({ status }: Props) {
  const client = useClient();
  const { t, formatTime } = useI18n();
  const [files, setFiles] = useState<BackupFileView[]>([]);
  const [file, setFile] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [phase, setPhase] = useState<Phase>('form');
  const [problem, setProblem] = useState<{ sentence: string } | { error: ErrorData } | null>(null);

  useEffect(() => {
    let current = true;
    void client.call('backup:files', {}).then((r) => {
      if (current && r.ok) setFiles(r.value);
    });
    return () => {
      current = false;
    };
  }, [client]);

  const unsent = status.unsentEvents;
  const blocked = status.saleOpen || (unsent > 0 && !acknowledged) || file.trim() === '' || passphrase === '';

  const ask = (event: FormEvent) => {
    event.preventDefault();
    if (!blocked) setPhase('confirm');
  };

  const restore = async () => {
    setPhase('restoring');
    setProblem(null);
    const r = await client.call('backup:restore', {
      file: file.trim(),
      passphrase,
      confirmUnsentLoss: acknowledged,
    });
    setPassphrase('');
    if (!r.ok) {
      const sentence = backupErrorSentence(r.error, t);
      setProblem(sentence === null ? { error: r.error } : { sentence });
      setPhase('form');
      return;
    }
    setPhase({ restored: { keptAs: r.value.keptAs } });
  };

  if (typeof phase === 'object') {
    return (
      <div className="restore-done" role="alertdialog" aria-modal="true" data-testid="restore-done">
        <h2>{t('backup.restoredTitle')}</h2>
        <p>
          {phase.restored.keptAs
            ? t('backup.restoredBody', { kept: phase.restored.keptAs })
            : t('backup.restoredBodyNoKept')}
        </p>
      </div>
    );
  }

  return (
    <section className="backup-restore" aria-labelledby="backup-restore-title" data-testid="backup-restore">
      <h2 id="backup-restore-title">{t('backup.restoreTitle')}</h2>
      <p>{t('backup.restoreIntro')}</p>
      {unsent > 0 ? (
        <div className="restore-warning" role="alert" data-testid="restore-unsent-warning">
          <p>{t('backup.unsentWarning', { count: unsent })}</p>
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="restore-unsent-confirm"
              checked={acknowledged}
              onChange={(e) => setAcknowledged(e.target.checked)}
            />{' '}
            {t('backup.unsentConfirm')}
          </label>
        </div>
      ) : null}
      {status.saleOpen ? (
        <p className="status warn" role="alert" data-testid="restore-sale-open">
          {t('backup.saleOpen')}
        </p>
      ) : null}
      {problem && 'sentence' in problem ? (
        <div className="error-message" role="alert" data-testid="restore-problem">
          <p className="error-sentence">{problem.sentence}</p>
        </div>
      ) : null}
      <ErrorMessage error={problem && 'error' in problem ? problem.error : null} />

      <h3>{t('backup.files')}</h3>
      {files.length === 0 ? <p className="muted">{t('backup.noFiles')}</p> : null}
      <ul className="backup-files" data-testid="restore-files">
        {files.map((f) => (
          <li key={f.path}>
            <button
              type="button"
              className={f.path === file ? 'button primary' : 'button secondary'}
              onClick={() => setFile(f.path)}
            >
              {t('backup.choose')}
            </button>{' '}
            <span>{f.createdAt ? formatTime(f.createdAt) : f.name}</span>{' '}
            <span className="muted">{f.name}</span>
          </li>
        ))}
      </ul>

      <form data-testid="restore-form" noValidate onSubmit={ask}>
        <div className="field">
          <label className="field-label" htmlFor="restore-file">
            {t('backup.file')}
          </label>
          <input
            id="restore-file"
            className="input"
            data-testid="restore-file"
            type="text"
            autoComplete="off"
            value={file}
            onChange={(e) => setFile(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="restore-passphrase">
            {t('backup.restorePassphrase')}
          </label>
          <input
            id="restore-passphrase"
            className="input"
            data-testid="restore-passphrase"
            type="password"
            autoComplete="off"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </div>
        {phase === 'confirm' ? (
          <div className="restore-confirm" role="alert" data-testid="restore-confirm">
            <p>{t('backup.restoreConfirm')}</p>
            <div className="row-actions">
              <button type="button" className="button secondary" onClick={() => setPhase('form')}>
                {t('backup.cancel')}
              </button>
              <button
                type="button"
                className="button danger-solid"
                data-testid="restore-confirm-yes"
                onClick={() => void restore()}
              >
                {t('backup.restoreYes')}
              </button>
            </div>
          </div>
        ) : (
          <button
            type="submit"
            className="button danger"
            data-testid="restore-submit"
            disabled={blocked || phase === 'restoring'}
          >
            {phase === 'restoring' ? t('backup.restoring') : t('backup.restore')}
          </button>
        )}
      </form>
    </section>
  );
}
