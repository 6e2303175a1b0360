import { useCallback, useEffect, useState } from 'react';
import type { ErrorData, Result } from '../shared/domain/errors';
import type { Locale } from '../shared/domain/locale';
import type { SessionInfo, StationStatus } from '../shared/ipc/contract';
import { ErrorMessage } from './components/ErrorMessage';
import { useIdleLock } from './hooks/useIdleLock';
import { I18nProvider } from './i18n/context';
import { DEFAULT_LOCALE, translatorFor } from './i18n/index';
import { useClient, useConnectionState } from './ipc/context';
import { ConnectingScreen } from './screens/ConnectingScreen';
import { HomeScreen } from './screens/HomeScreen';
import { LockScreen } from './screens/LockScreen';
import { SetupScreen } from './screens/SetupScreen';
import { SignInScreen } from './screens/SignInScreen';

/**
 * Which screen shows is derived from the core's state only: station status (set up or not) and this
 * connection's session (none → sign-in, locked → lock screen, else home). The core pushes changes as events;
 * on every (re)connection the status is read again, since events may have been missed meanwhile.
 */
export function App({ hasToken }: { hasToken: boolean }) {
  const client = useClient();
  const connection = useConnectionState();
  const [locale, setLocaleState] = useState<Locale>(DEFAULT_LOCALE);
  const [station, setStation] = useState<StationStatus | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [statusFailure, setStatusFailure] = useState<ErrorData | null>(null);
  /** A failure of an app-level action (lock, sign out, language) that has no screen of its own to show it. */
  const [appFailure, setAppFailure] = useState<ErrorData | null>(null);

  const applyStatus = useCallback((result: Result<StationStatus>) => {
    if (!result.ok) {
      setStatusFailure(result.error);
      return;
    }
    setStatusFailure(null);
    setStation(result.value);
    setSession(result.value.session);
    setLocaleState(result.value.locale);
  }, []);

  const refresh = useCallback(() => {
    void client.call('app:status', {}).then(applyStatus);
  }, [client, applyStatus]);

  // Read the status on every (re)connection (the first one included): events may have been missed meanwhile.
  useEffect(() => {
    if (connection === 'open') refresh();
  }, [connection, refresh]);

  useEffect(() => {
    const unsubscribe = [
      client.onEvent('session:changed', ({ session: next }) => setSession(next)),
      client.onEvent('settings:changed', ({ locale: next, keys }) => {
        setLocaleState(next);
        // The store name (header, sign-in) comes with the status.
        if (keys?.includes('storeName')) refresh();
      }),
      client.onFailure((error) => {
        if (error.code === 'session_locked') {
          setSession((current) => (current ? { ...current, locked: true } : current));
        } else if (error.code === 'unauthenticated') {
          setSession(null);
        } else if (error.code === 'setup_required' || error.code === 'already_set_up') {
          refresh();
        }
      }),
    ];
    return () => unsubscribe.forEach((off) => off());
  }, [client, refresh]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = translatorFor(locale)('app.title');
  }, [locale]);

  const setLocale = useCallback(
    (next: Locale) => {
      const previous = locale;
      // Switch at once; the core persists it and confirms (or we go back and say why).
      setLocaleState(next);
      void client.call('ui:set-locale', { locale: next }).then((result) => {
        if (result.ok) {
          setLocaleState(result.value.locale);
        } else {
          setLocaleState(previous);
          setAppFailure(result.error);
        }
      });
    },
    [client, locale],
  );

  const lock = useCallback(async () => {
    const result = await client.call('auth:lock', {});
    // Cover the screen even if the core could not be reached: an unattended till must not stay open.
    setSession((current) => (result.ok ? result.value : current && { ...current, locked: true }));
    if (result.ok) setAppFailure(null);
  }, [client]);

  const signOut = useCallback(async () => {
    const result = await client.call('auth:sign-out', {});
    if (result.ok) {
      setSession(null);
      setAppFailure(null);
    } else {
      setAppFailure(result.error);
    }
  }, [client]);

  const signedInAndOpen = session !== null && !session.locked;
  useIdleLock(signedInAndOpen, session?.idleLockSeconds ?? 0, () => void lock());

  let screen;
  if (station === null) {
    screen = <ConnectingScreen failure={statusFailure} hasToken={hasToken} onRetry={refresh} />;
  } else if (station.setupRequired) {
    screen = (
      <SetupScreen
        defaultCurrency={station.currency}
        defaultTaxMode={station.taxMode}
        onDone={(next) => {
          setSession(next);
          refresh();
        }}
      />
    );
  } else if (session === null) {
    screen = <SignInScreen storeName={station.storeName} onSignedIn={setSession} />;
  } else {
    screen = (
      <>
        <HomeScreen
          key={session.user.id}
          storeName={station.storeName}
          session={session}
          active={!session.locked}
          onLock={() => void lock()}
          onSignOut={() => void signOut()}
        />
        {session.locked ? (
          <LockScreen session={session} onUnlocked={setSession} onSignedOut={() => setSession(null)} />
        ) : null}
      </>
    );
  }

  return (
    <I18nProvider locale={locale} setLocale={setLocale}>
      {station !== null && connection !== 'open' ? (
        <div className="banner" role="alert" data-testid="connection-banner">
          {translatorFor(locale)('app.connectionLost')}
        </div>
      ) : null}
      {appFailure ? (
        <div className="app-failure">
          <ErrorMessage error={appFailure} />
          <button
            type="button"
            className="button secondary"
            aria-label={translatorFor(locale)('app.dismiss')}
            onClick={() => setAppFailure(null)}
          >
            ×
          </button>
        </div>
      ) : null}
      {screen}
    </I18nProvider>
  );
}
