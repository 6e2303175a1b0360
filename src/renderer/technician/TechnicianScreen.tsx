import { useEffect, useState } from 'react';
import type { DeviceStatus } from '../../shared/ipc/channels/devices';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { DeviceConfigScreen } from '../devices/DeviceConfigScreen';
import { PaperStrip } from '../printing/PaperStrip';
import { DeviceList } from './DeviceList';
import { FaultLogPanel } from './FaultLogPanel';
import { SelfTestPanel } from './SelfTestPanel';

interface Props {
  readonly active: boolean;
  readonly onBack: () => void;
}

/**
 * The technician's screen (`devices.test`): every configured device with its live status, the self-test at the
 * three UnifiedPOS levels with per-step prompts and countdowns, the fault log with filters, and the diagnostics
 * export.
 */
export function TechnicianScreen({ active, onBack }: Props) {
  const { t } = useI18n();
  const client = useClient();
  const [devices, setDevices] = useState<DeviceStatus[]>([]);
  // The demo printer's paper strip: where the test page can be read without a printer.
  const [paper, setPaper] = useState(false);
  // The configuration screen needs `devices.configure` (a technician, not a manager): shown when the core allows.
  const [canConfigure, setCanConfigure] = useState(false);
  const [configuring, setConfiguring] = useState(false);

  useEffect(() => {
    void client.call('devices:status', {}).then((r) => {
      if (r.ok) setDevices(r.value);
    });
    void client.call('devices:config-get', {}).then((r) => setCanConfigure(r.ok));
    return client.onEvent('devices:changed', (payload) => setDevices(payload.devices));
  }, [client]);

  if (paper) return <PaperStrip onBack={() => setPaper(false)} />;
  if (configuring) return <DeviceConfigScreen onBack={() => setConfiguring(false)} />;
  return (
    <main className="tech-screen" data-testid="technician-screen">
      <div className="screen-title">
        <button type="button" className="button secondary" data-testid="tech-back" onClick={onBack}>
          ← {t('tech.back')}
        </button>
        <h1>{t('tech.title')}</h1>
        {canConfigure ? (
          <button
            type="button"
            className="button secondary"
            data-testid="tech-configure"
            onClick={() => setConfiguring(true)}
          >
            {t('devcfg.configure')}
          </button>
        ) : null}
        {devices.some((d) => d.id === 'printer' && d.simulated) ? (
          <button
            type="button"
            className="button secondary"
            data-testid="tech-paper"
            onClick={() => setPaper(true)}
          >
            {t('tech.paperStrip')}
          </button>
        ) : null}
      </div>
      <section className="tech-panel">
        <h2>{t('tech.devices')}</h2>
        <DeviceList devices={devices.filter((d) => d.state !== 'disabled')} />
      </section>
      <SelfTestPanel active={active} devices={devices} />
      <FaultLogPanel />
    </main>
  );
}
