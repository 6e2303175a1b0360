import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import { GIFT_CARD_OFFLINE_POLICIES, type GiftCardOfflinePolicy } from '../../shared/sync/gift-cards';
import {
  CertFingerprintSchema,
  ServerUrlSchema,
  type QuarantinedEvent,
  type SyncStatus,
} from '../../shared/ipc/channels/sync';
import { ErrorMessage } from '../components/ErrorMessage';
import { useKeyDown } from '../hooks/keyboard';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { useSyncStatus } from './useSyncStatus';

const STATE_KEYS = {
  not_enrolled: 'sync.state.not_enrolled',
  online: 'sync.state.online',
  offline: 'sync.state.offline',
  refused: 'sync.state.refused',
} as const;

interface Props {
  readonly active: boolean;
  readonly onBack: () => void;
}

/**
 * Store sync for technicians and managers: enrol with the store server, the status (online, records waiting,
 * last upload/download, last error), "sync now", the offline warning policy and the rejected records.
 */
export function SyncScreen({ active, onBack }: Props) {
  const client = useClient();
  const { t, formatTime } = useI18n();
  const { status, error: statusError, setStatus, reload } = useSyncStatus();
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [quarantine, setQuarantine] = useState<{ items: QuarantinedEvent[]; total: number } | null>(null);
  const [openBody, setOpenBody] = useState<number | null>(null);

  useKeyDown((event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onBack();
  }, active);

  const quarantined = status?.quarantined ?? 0;
  useEffect(() => {
    let current = true;
    void client.call('sync:quarantine', { limit: 100 }).then((result) => {
      if (current && result.ok) setQuarantine(result.value);
    });
    return () => {
      current = false;
    };
  }, [client, quarantined]);

  const run = async (
    work: () => Promise<{ ok: true; value: SyncStatus } | { ok: false; error: ErrorData }>,
    done: (status: SyncStatus) => string,
  ) => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    setNotice(null);
    const result = await work();
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    setStatus(result.value);
    setNotice(done(result.value));
  };

  const never = t('sync.never');
  const time = (iso: string | null) => (iso === null ? never : formatTime(iso));

  return (
    <main className="sync-screen" data-testid="sync-screen">
      <div className="screen-title">
        <button type="button" className="button secondary" data-testid="sync-back" onClick={onBack}>
          ← {t('sync.back')}
        </button>
        <h1>{t('sync.title')}</h1>
      </div>
      <div className="live-region" aria-live="polite">
        {notice ? (
          <p className="notice" role="status" data-testid="sync-notice">
            {notice}
          </p>
        ) : null}
      </div>
      <ErrorMessage error={failure ?? statusError} onRetry={statusError ? reload : undefined} />

      {status === null ? null : (
        <div className="sync-layout">
          <section className="sync-panel" aria-labelledby="sync-status-title" data-testid="sync-status">
            <h2 id="sync-status-title" className={`sync-state ${status.state}`} data-state={status.state}>
              {t(STATE_KEYS[status.state])}
            </h2>
            {status.state === 'refused' ? <p className="sync-alert">{t('sync.refusedHelp')}</p> : null}
            {status.offlineWarning ? (
              <p className="sync-alert" data-testid="sync-offline-warning">
                {t('sync.offlineWarning', { minutes: status.offlineWarnMinutes })}
              </p>
            ) : null}
            {status.pendingEvents > 0 && status.state !== 'online' ? (
              <p className="sync-alert" data-testid="sync-pending-warning">
                {t('sync.pendingWarning', { count: status.pendingEvents })}
              </p>
            ) : null}
            {status.progress ? (
              <p className="notice" data-testid="sync-progress">
                {t('sync.progress', {
                  applied: status.progress.applied,
                  remaining: status.progress.remaining,
                })}
              </p>
            ) : null}
            {status.state === 'not_enrolled' ? null : (
              <dl className="sync-facts">
                <dt>{t('sync.server')}</dt>
                <dd data-testid="sync-server">
                  {status.serverUrl}
                  {status.pinned ? <span className="tile-badge">{t('sync.pinned')}</span> : null}
                </dd>
                <dt>{t('sync.store')}</dt>
                <dd>{status.storeName}</dd>
                <dt>{t('sync.pending')}</dt>
                <dd data-testid="sync-pending">{status.pendingEvents}</dd>
                <dt>{t('sync.quarantined')}</dt>
                <dd data-testid="sync-quarantined">{status.quarantined}</dd>
                <dt>{t('sync.lastPush')}</dt>
                <dd>{time(status.lastPushAt)}</dd>
                <dt>{t('sync.lastPull')}</dt>
                <dd>{time(status.lastPullAt)}</dd>
                <dt>{t('sync.cursor')}</dt>
                <dd>{status.cursor}</dd>
                {status.lastError ? (
                  <>
                    <dt>{t('sync.lastError')}</dt>
                    <dd className="sync-error" data-testid="sync-last-error">
                      {status.lastError.message} ({status.lastError.code}, {formatTime(status.lastError.at)})
                    </dd>
                  </>
                ) : null}
                {status.retryAt ? (
                  <>
                    <dt>{t('sync.retryAt')}</dt>
                    <dd>{formatTime(status.retryAt)}</dd>
                  </>
                ) : null}
              </dl>
            )}
            {status.state === 'online' || status.state === 'offline' ? (
              <button
                type="button"
                className="button primary"
                data-testid="sync-now"
                disabled={busy}
                onClick={() =>
                  void run(
                    () => client.call('sync:now', {}),
                    () => t('sync.nowStarted'),
                  )
                }
              >
                {t('sync.now')}
              </button>
            ) : null}
          </section>

          <EnrolForm
            busy={busy}
            again={status.state !== 'not_enrolled'}
            onEnrol={(input) =>
              run(
                () => client.call('sync:enrol', input),
                (next) => t('sync.enrolled', { store: next.storeName ?? '' }),
              ).then(() => reload())
            }
          />

          <PolicyForm
            key={`${status.offlineWarnMinutes} ${status.giftCardOffline}`}
            busy={busy}
            minutes={status.offlineWarnMinutes}
            giftCardOffline={status.giftCardOffline}
            onSave={(minutes, giftCardOffline) =>
              void run(
                () => client.call('sync:set-policy', { offlineWarnMinutes: minutes, giftCardOffline }),
                () => t('sync.policySaved'),
              )
            }
          />
        </div>
      )}

      <section className="sync-quarantine" aria-labelledby="sync-quarantine-title">
        <h2 id="sync-quarantine-title">{t('sync.quarantineTitle')}</h2>
        {quarantine === null || quarantine.total === 0 ? (
          <p className="muted">{t('sync.quarantineEmpty')}</p>
        ) : (
          <>
            <p className="muted">{t('sync.quarantineHelp')}</p>
            <table className="table" data-testid="sync-quarantine">
              <thead>
                <tr>
                  <th scope="col">{t('sync.col.seq')}</th>
                  <th scope="col">{t('sync.col.type')}</th>
                  <th scope="col">{t('sync.col.code')}</th>
                  <th scope="col">{t('sync.col.message')}</th>
                  <th scope="col">{t('sync.col.at')}</th>
                </tr>
              </thead>
              <tbody>
                {quarantine.items.map((item) => (
                  <tr key={item.seq}>
                    <td>{item.seq}</td>
                    <td>{item.type}</td>
                    <td>{item.code}</td>
                    <td>
                      {item.message}
                      <button
                        type="button"
                        className="button secondary"
                        aria-expanded={openBody === item.seq}
                        onClick={() => setOpenBody(openBody === item.seq ? null : item.seq)}
                      >
                        {t('sync.showBody')}
                      </button>
                      {openBody === item.seq ? <pre className="sync-body">{item.payload}</pre> : null}
                    </td>
                    <td>{formatTime(item.quarantinedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </main>
  );
}

function EnrolForm({
  busy,
  again,
  onEnrol,
}: {
  busy: boolean;
  again: boolean;
  onEnrol: (input: { serverUrl: string; code: string; certSha256?: string }) => Promise<void>;
}) {
  const { t } = useI18n();
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const urlOk = ServerUrlSchema.safeParse(serverUrl).success;
  const fingerprintOk = fingerprint.trim() === '' || CertFingerprintSchema.safeParse(fingerprint).success;
  const codeOk = code.trim().length >= 6;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !urlOk || !codeOk || !fingerprintOk) return;
    await onEnrol({
      serverUrl: serverUrl.trim(),
      code: code.trim(),
      ...(fingerprint.trim() === '' ? {} : { certSha256: fingerprint.trim() }),
    });
    setCode('');
  };

  return (
    <form className="sync-panel" onSubmit={(e) => void submit(e)} data-testid="sync-enrol-form">
      <h2>{again ? t('sync.reenrolTitle') : t('sync.enrolTitle')}</h2>
      <p className="muted">{t('sync.enrolHelp')}</p>
      <label className="field-label" htmlFor="sync-url">
        {t('sync.serverUrl')}
      </label>
      <input
        id="sync-url"
        className="input"
        data-testid="sync-url"
        type="url"
        inputMode="url"
        autoComplete="off"
        placeholder={t('sync.serverUrlHint')}
        value={serverUrl}
        aria-invalid={serverUrl !== '' && !urlOk}
        onChange={(e) => setServerUrl(e.target.value)}
      />
      <label className="field-label" htmlFor="sync-code">
        {t('sync.code')}
      </label>
      <input
        id="sync-code"
        className="input"
        data-testid="sync-code"
        autoComplete="off"
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <label className="field-label" htmlFor="sync-fingerprint">
        {t('sync.fingerprint')}
      </label>
      <input
        id="sync-fingerprint"
        className="input"
        autoComplete="off"
        value={fingerprint}
        aria-invalid={!fingerprintOk}
        aria-describedby="sync-fingerprint-hint"
        onChange={(e) => setFingerprint(e.target.value)}
      />
      <p className="field-hint" id="sync-fingerprint-hint">
        {t('sync.fingerprintHint')}
      </p>
      <button
        type="submit"
        className="button primary"
        data-testid="sync-enrol"
        disabled={busy || !urlOk || !codeOk || !fingerprintOk}
      >
        {busy ? t('sync.enrolling') : t('sync.enrol')}
      </button>
    </form>
  );
}

const GIFT_CARD_POLICY_KEYS = {
  block: 'sync.giftCardOffline.block',
  allow: 'sync.giftCardOffline.allow',
} as const satisfies Record<GiftCardOfflinePolicy, string>;

function PolicyForm({
  busy,
  minutes,
  giftCardOffline,
  onSave,
}: {
  busy: boolean;
  minutes: number;
  giftCardOffline: GiftCardOfflinePolicy;
  onSave: (minutes: number, giftCardOffline: GiftCardOfflinePolicy) => void;
}) {
  const { t } = useI18n();
  const [value, setValue] = useState(String(minutes));
  const [giftPolicy, setGiftPolicy] = useState<GiftCardOfflinePolicy>(giftCardOffline);
  const parsed = /^\d{1,6}$/.test(value) ? Number(value) : null;
  const valid = parsed !== null && parsed <= 100_000;
  return (
    <form
      className="sync-panel"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid && parsed !== null) onSave(parsed, giftPolicy);
      }}
    >
      <h2>{t('sync.policyTitle')}</h2>
      <label className="field-label" htmlFor="sync-offline-minutes">
        {t('sync.offlineMinutes')}
      </label>
      <input
        id="sync-offline-minutes"
        className="input"
        inputMode="numeric"
        value={value}
        aria-invalid={!valid}
        onChange={(e) => setValue(e.target.value)}
      />
      <h3>{t('sync.giftCardTitle')}</h3>
      <label className="field-label" htmlFor="sync-gift-card-offline">
        {t('sync.giftCardOffline')}
      </label>
      <select
        id="sync-gift-card-offline"
        className="input"
        data-testid="sync-gift-card-offline"
        value={giftPolicy}
        aria-describedby="sync-gift-card-offline-hint"
        onChange={(e) => {
          const next = GIFT_CARD_OFFLINE_POLICIES.find((p) => p === e.target.value);
          if (next) setGiftPolicy(next);
        }}
      >
        {GIFT_CARD_OFFLINE_POLICIES.map((policy) => (
          <option key={policy} value={policy}>
            {t(GIFT_CARD_POLICY_KEYS[policy])}
          </option>
        ))}
      </select>
      <p className="field-hint" id="sync-gift-card-offline-hint">
        {t('sync.giftCardOfflineHint')}
      </p>
      <button
        type="submit"
        className="button secondary"
        data-testid="sync-policy-save"
        disabled={busy || !valid}
      >
        {t('sync.savePolicy')}
      </button>
    </form>
  );
}
