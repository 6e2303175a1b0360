import { useI18n } from '../i18n/context';
import { useSyncStatus } from './useSyncStatus';

const STATE_KEYS = {
  online: 'sync.state.online',
  offline: 'sync.state.offline',
  refused: 'sync.state.refused',
} as const;

/** The header's small sync badge: online / offline and how many records wait. Nothing while not enrolled. */
export function SyncBadge() {
  const { t } = useI18n();
  const { status } = useSyncStatus();
  if (status === null || status.state === 'not_enrolled') return null;
  const warn = status.state !== 'online' || status.offlineWarning;
  return (
    <span
      className={warn ? 'sync-badge warn' : 'sync-badge'}
      data-testid="sync-badge"
      data-state={status.state}
      role="status"
    >
      <span className="sync-dot" aria-hidden="true" />
      {t(STATE_KEYS[status.state])}
      {status.pendingEvents > 0 ? (
        <span className="sync-waiting">{t('sync.badge.waiting', { count: status.pendingEvents })}</span>
      ) : null}
    </span>
  );
}
