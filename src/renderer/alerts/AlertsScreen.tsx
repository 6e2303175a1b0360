import { useEffect, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { RiskAlert } from '../../shared/ipc/channels/risk';
import { ErrorMessage } from '../components/ErrorMessage';
import { useKeyDown } from '../hooks/keyboard';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { AlertList } from './AlertList';

interface Props {
  readonly active: boolean;
  readonly onBack: () => void;
}

/** The manager's view of the risk alerts: open ones to acknowledge, or the latest of all. */
export function AlertsScreen({ active, onBack }: Props) {
  const client = useClient();
  const { t } = useI18n();
  const [include, setInclude] = useState<'open' | 'all'>('open');
  const [alerts, setAlerts] = useState<readonly RiskAlert[]>([]);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    void client.call('risk:alerts', { include }).then((result) => {
      if (!current) return;
      if (result.ok) setAlerts(result.value);
      else setFailure(result.error);
    });
    return () => {
      current = false;
    };
  }, [client, include, reloads]);

  useKeyDown((event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onBack();
  }, active);

  const acknowledge = async (ids: string[]) => {
    setBusy(true);
    const result = await client.call('risk:acknowledge', { ids });
    setBusy(false);
    if (!result.ok) setFailure(result.error);
    setReloads((n) => n + 1);
  };

  return (
    <main className="alerts-screen" data-testid="alerts-screen">
      <div className="screen-title">
        <button type="button" className="button secondary" data-testid="alerts-back" onClick={onBack}>
          ← {t('alerts.back')}
        </button>
        <h1>{t('alerts.title')}</h1>
      </div>
      <div className="row-actions">
        <button
          type="button"
          className="button secondary"
          data-testid="alerts-toggle"
          onClick={() => setInclude(include === 'open' ? 'all' : 'open')}
        >
          {include === 'open' ? t('alerts.showAll') : t('alerts.showOpen')}
        </button>
      </div>
      <ErrorMessage error={failure} />
      {alerts.length === 0 ? <p className="muted">{t('alerts.none')}</p> : null}
      <AlertList alerts={alerts} busy={busy} onAcknowledge={(ids) => void acknowledge(ids)} />
    </main>
  );
}
