import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { StoreSettings } from '../../shared/ipc/channels/settings';
import { ErrorMessage } from '../components/ErrorMessage';
import { useKeyDown } from '../hooks/keyboard';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';
import { useClient } from '../ipc/context';
import { InStoreSection } from './InStoreSection';
import { ReceiptSection } from './ReceiptSection';
import { RiskSection } from './RiskSection';
import { SaleSection } from './SaleSection';
import { ShiftSection } from './ShiftSection';
import { TendersSection } from './TendersSection';

const TABS = ['sale', 'tenders', 'instore', 'shift', 'risk', 'receipt'] as const;
type Tab = (typeof TABS)[number];

const TAB_KEYS: Readonly<Record<Tab, PlainKey>> = {
  sale: 'settings.tab.sale',
  tenders: 'settings.tab.tenders',
  instore: 'settings.tab.instore',
  shift: 'settings.tab.shift',
  risk: 'settings.tab.risk',
  receipt: 'settings.tab.receipt',
};

interface Props {
  readonly active: boolean;
  readonly onBack: () => void;
}

/**
 * The manager's settings: sale rules, tenders, in-store barcodes, shifts, risk rules and the receipt. Each section
 * saves on its own (one transaction and one audit row in the core). A change made elsewhere (another window, the
 * store server) arrives as `settings:changed`: the open section is rebuilt from it unless it is what we saved.
 */
export function SettingsScreen({ active, onBack }: Props) {
  const client = useClient();
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('sale');
  const [settings, setSettings] = useState<StoreSettings | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  /** Bumped when the settings changed under the open form, so it starts again from them. */
  const [generation, setGeneration] = useState(0);
  const known = useRef<string | null>(null);

  const apply = useCallback((next: StoreSettings, fromElsewhere: boolean) => {
    const json = JSON.stringify(next);
    if (json === known.current) return;
    known.current = json;
    setSettings(next);
    if (fromElsewhere) setGeneration((n) => n + 1);
  }, []);

  const load = useCallback(() => {
    void client.call('settings:get', {}).then((result) => {
      if (result.ok) {
        setFailure(null);
        apply(result.value, true);
      } else {
        setFailure(result.error);
      }
    });
  }, [client, apply]);

  useEffect(() => {
    load();
    return client.onEvent('settings:changed', ({ keys }) => {
      if (keys !== undefined) load();
    });
  }, [client, load]);

  useKeyDown((event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onBack();
  }, active);

  const saved = (next: StoreSettings) => apply(next, false);
  const currency = settings?.currency ?? 'CNY';
  const key = `${tab}-${generation}`;

  return (
    <main className="settings-screen" data-testid="settings-screen">
      <div className="screen-title">
        <button type="button" className="button secondary" data-testid="settings-back" onClick={onBack}>
          ← {t('settings.back')}
        </button>
        <h1>{t('settings.title')}</h1>
      </div>
      <nav className="settings-tabs segmented" role="tablist" aria-label={t('settings.title')}>
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-checked={tab === name}
            data-testid={`settings-tab-${name}`}
            onClick={() => {
              setTab(name);
              // Open sales and the lock may have moved since: read again (the form starts from what comes back).
              load();
            }}
          >
            {t(TAB_KEYS[name])}
          </button>
        ))}
      </nav>
      <ErrorMessage error={failure} onRetry={load} />
      {settings === null ? null : tab === 'sale' ? (
        <SaleSection key={key} settings={settings} onSaved={saved} />
      ) : tab === 'tenders' ? (
        <TendersSection key={key} settings={settings} onSaved={saved} />
      ) : tab === 'instore' ? (
        <InStoreSection key={key} settings={settings} onSaved={saved} />
      ) : tab === 'shift' ? (
        <ShiftSection key={key} currency={currency} />
      ) : tab === 'risk' ? (
        <RiskSection key={key} currency={currency} />
      ) : (
        <ReceiptSection key={key} settings={settings} onSaved={saved} />
      )}
    </main>
  );
}
