import { useEffect, useState } from 'react';
import type { RiskAlert } from '../../shared/ipc/channels/risk';
import { Dialog } from '../components/Dialog';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { AlertList } from './AlertList';

/**
 * Shown once after a supervisor or manager signs in (the home screen mounts with the session): the open risk
 * alerts, to acknowledge now or later (they stay open, and in the alerts screen, until acknowledged).
 */
export function SignInAlerts({ enabled }: { enabled: boolean }) {
  const client = useClient();
  const { t } = useI18n();
  const [alerts, setAlerts] = useState<readonly RiskAlert[]>([]);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!enabled) return;
    let current = true;
    void client.call('risk:alerts', { include: 'open' }).then((result) => {
      if (current && result.ok && result.value.length > 0) {
        setAlerts(result.value);
        setOpen(true);
      }
    });
    return () => {
      current = false;
    };
  }, [client, enabled]);

  if (!open) return null;
  const acknowledge = async (ids: string[]) => {
    setBusy(true);
    const result = await client.call('risk:acknowledge', { ids });
    setBusy(false);
    if (!result.ok) return;
    const left = alerts.filter((a) => !ids.includes(a.id));
    setAlerts(left);
    if (left.length === 0) setOpen(false);
  };
  return (
    <Dialog
      title={t('alerts.signInTitle', { count: alerts.length })}
      testId="signin-alerts"
      onClose={() => setOpen(false)}
      wide
    >
      <AlertList alerts={alerts} busy={busy} onAcknowledge={(ids) => void acknowledge(ids)} />
      <div className="dialog-actions">
        <button
          type="button"
          className="button primary"
          data-testid="signin-alerts-ack-all"
          disabled={busy}
          onClick={() => void acknowledge(alerts.map((a) => a.id))}
        >
          {t('alerts.acknowledgeAll')}
        </button>
        <button
          type="button"
          className="button secondary"
          data-testid="signin-alerts-later"
          onClick={() => setOpen(false)}
        >
          {t('alerts.later')}
        </button>
      </div>
    </Dialog>
  );
}
