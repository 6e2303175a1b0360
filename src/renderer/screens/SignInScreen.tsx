import { useEffect, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { SessionInfo, UserSummary } from '../../shared/ipc/contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PinPad } from '../components/PinPad';
import { useI18n } from '../i18n/context';
import { ROLE_LABELS } from '../i18n/index';
import { useClient } from '../ipc/context';

interface Props {
  readonly storeName: string | null;
  readonly onSignedIn: (session: SessionInfo) => void;
}

/** Pick yourself from the staff list, then enter your PIN. */
export function SignInScreen({ storeName, onSignedIn }: Props) {
  const client = useClient();
  const { t } = useI18n();
  const [users, setUsers] = useState<readonly UserSummary[] | null>(null);
  const [loadFailure, setLoadFailure] = useState<ErrorData | null>(null);
  const [reloads, setReloads] = useState(0);
  const [selected, setSelected] = useState<UserSummary | null>(null);
  const [pin, setPin] = useState('');
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    void client.call('auth:users', {}).then((result) => {
      if (!current) return;
      if (result.ok) {
        setUsers(result.value);
        setLoadFailure(null);
      } else {
        setLoadFailure(result.error);
      }
    });
    return () => {
      current = false;
    };
  }, [client, reloads]);

  const choose = (user: UserSummary) => {
    setSelected(user);
    setPin('');
    setFailure(null);
  };
  const back = () => {
    setSelected(null);
    setPin('');
    setFailure(null);
  };

  const signIn = async () => {
    if (!selected || busy) return;
    setBusy(true);
    setFailure(null);
    const result = await client.call('auth:sign-in', { userId: selected.id, pin });
    setBusy(false);
    setPin('');
    if (result.ok) onSignedIn(result.value);
    else setFailure(result.error);
  };

  return (
    <div className="screen signin-screen" data-testid="signin-screen">
      <header className="top-bar">
        <span className="brand">{storeName ?? t('app.title')}</span>
        <LanguageSwitch />
      </header>
      <main className="signin-main">
        {selected ? (
          <section className="signin-pin">
            <button type="button" className="button secondary back" data-testid="signin-back" onClick={back}>
              ← {t('signin.back')}
            </button>
            <PinPad
              label={t('signin.enterPin', { name: selected.name })}
              value={pin}
              onChange={(next) => {
                setPin(next);
                if (next !== '') setFailure(null);
              }}
              onSubmit={() => void signIn()}
              onCancel={back}
              busy={busy}
              message={<ErrorMessage error={failure} />}
            />
          </section>
        ) : (
          <section className="signin-users">
            <h1>{t('signin.title')}</h1>
            {users === null && !loadFailure ? <p className="muted">{t('signin.loading')}</p> : null}
            {users !== null && users.length === 0 ? <p className="muted">{t('signin.noUsers')}</p> : null}
            <ErrorMessage error={loadFailure} onRetry={() => setReloads((n) => n + 1)} />
            {users && users.length > 0 ? (
              <ul className="user-grid">
                {users.map((user) => (
                  <li key={user.id}>
                    <button
                      type="button"
                      className="user-button"
                      data-testid={`signin-user-${user.name}`}
                      onClick={() => choose(user)}
                    >
                      <span className="user-name">{user.name}</span>
                      <span className="user-role">{t(ROLE_LABELS[user.role])}</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
        )}
      </main>
    </div>
  );
}
