import type { DeviceStatus } from '../../shared/ipc/channels/devices';
import { useI18n } from '../i18n/context';
import { DEVICE_NAMES, STATE_LABELS } from './labels';

/** Every configured device with its live status (followed through `devices:changed`). */
export function DeviceList({ devices }: { devices: readonly DeviceStatus[] }) {
  const { t } = useI18n();
  if (devices.length === 0) return <p className="muted">{t('tech.noDevices')}</p>;
  return (
    <ul className="tech-devices" data-testid="tech-devices">
      {devices.map((d) => {
        const name = DEVICE_NAMES[d.id];
        return (
          <li
            key={d.id}
            className={`tech-device state-${d.state}`}
            data-testid={`device-${d.id}`}
            data-state={d.state}
          >
            <span className="tech-device-name">{name ? t(name) : d.id}</span>
            <span className="tech-device-state" data-testid={`device-${d.id}-state`}>
              {t(STATE_LABELS[d.state])}
              {d.condition ? ` · ${d.condition}` : ''}
            </span>
            <span className="tech-device-connection muted">
              {d.connection}
              {d.simulated ? ` (${t('tech.simulated')})` : ''}
            </span>
            {d.reason && d.state !== 'online' ? <span className="tech-device-reason">{d.reason}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}
