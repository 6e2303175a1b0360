import { useCallback, useEffect, useState } from 'react';
import type { Locale } from '../../shared/domain/locale';
import type { SaleView } from '../../shared/ipc/channels/sale';
import { I18nProvider } from '../i18n/context';
import { DEFAULT_LOCALE, translatorFor } from '../i18n/index';
import { useClient, useConnectionState } from '../ipc/context';
import { CustomerDisplay } from './CustomerDisplay';

/** How long the thank-you screen (with the change) stays after a sale, unless the next sale starts sooner. */
export const THANK_YOU_MS = 30_000;

/**
 * The customer-facing page (`#/customer-display`): read-only, no sign-in. It learns the store name and language
 * from the public `app:status`, and everything else from `sale:changed`, which the core sends to every trusted
 * connection. The contract has no public snapshot of the open sale, so a display opened mid-sale shows the
 * welcome screen until the cashier's next change.
 */
export function CustomerDisplayApp() {
  const client = useClient();
  const connection = useConnectionState();
  const [locale, setLocale] = useState<Locale>(DEFAULT_LOCALE);
  const [storeName, setStoreName] = useState<string | null>(null);
  const [cart, setCart] = useState<SaleView | null>(null);
  const [finished, setFinished] = useState<SaleView | null>(null);

  useEffect(() => {
    if (connection !== 'open') return;
    let current = true;
    void client.call('app:status', {}).then((result) => {
      if (!current || !result.ok) return;
      setStoreName(result.value.storeName);
      setLocale(result.value.locale);
    });
    // The sale may already be under way when the display opens (or reconnects): start from the core's copy.
    void client.call('display:snapshot', {}).then((result) => {
      if (current && result.ok) setCart(result.value.cart);
    });
    return () => {
      current = false;
    };
  }, [client, connection]);

  useEffect(() => {
    const off = [
      client.onEvent('settings:changed', ({ locale: next }) => setLocale(next)),
      client.onEvent('sale:changed', ({ cart: next }) => {
        if (next?.status === 'completed') {
          setFinished(next);
          setCart(null);
        } else {
          setCart(next);
          if (next !== null) setFinished(null);
        }
      }),
    ];
    return () => off.forEach((unsubscribe) => unsubscribe());
  }, [client]);

  useEffect(() => {
    if (!finished) return;
    const timer = setTimeout(() => setFinished(null), THANK_YOU_MS);
    return () => clearTimeout(timer);
  }, [finished]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = translatorFor(locale)('display.title');
  }, [locale]);

  // The display never changes the language itself; the cashier's screen does.
  const keepLocale = useCallback(() => undefined, []);
  return (
    <I18nProvider locale={locale} setLocale={keepLocale}>
      <CustomerDisplay
        storeName={storeName}
        cart={cart}
        finished={finished}
        connected={connection === 'open'}
      />
    </I18nProvider>
  );
}
