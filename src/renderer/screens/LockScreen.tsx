import { useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { SessionInfo } from '../../shared/ipc/contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PinPad } from '../components/PinPad';
import { useI18n } from '../i18n/context';
import { ROLE_LABELS } from '../i18n/index';
import { useClient } from '../ipc/context';

interface Props {
  readonly session: SessionInfo;
  readonly onUnlocked: (session: SessionInfo) => void;
  readonly onSignedOut: () => void;
}

/** Covers the signed-in screens (which keep their state underneath) until the same user's PIN is entered. */
export function LockScreen({ session, onUnlocked, onSignedOut }: Props) {
  const client = useClient();
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  const unlock = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    const result = await client.call('auth:unlock', { pin });
    setBusy(false);
    setPin('');
    if (result.ok) onUnlocked(result.value);
    else setFailure(result.error);
  };

  const switchUser = async () => {
    if (busy) return;
    setBusy(true);
    const result = await client.call('auth:sign-out', {});
    setBusy(false);
    if (result.ok) onSignedOut();
    else setFailure(result.error);
  };

  return (
    <div className="screen lock-screen" data-testid="lock-screen">
      <header className="top-bar">
        <span className="brand">{t('app.title')}</span>
        <LanguageSwitch />
      </header>
      <main className="lock-main">
        <h1>{t('lock.title', { name: session.user.name })}</h1>
        <p className="muted">{t(ROLE_LABELS[session.user.role])}</p>
        <PinPad
          label={t('lock.hint')}
          value={pin}
          onChange={(next) => {
            setPin(next);
            if (next !== '') setFailure(null);
          }}
          onSubmit={() => void unlock()}
          busy={busy}
          message={<ErrorMessage error={failure} />}
        />
        <button
          type="button"
          className="button secondary wide"
          data-testid="switch-user"
          onClick={() => void switchUser()}
          disabled={busy}
        >
          {t('lock.switchUser')}
        </button>
      </main>
    </div>
  );
}
