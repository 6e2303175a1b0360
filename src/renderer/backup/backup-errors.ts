import type { ErrorData } from '../../shared/domain/errors';
import type { MessageKey, Translate } from '../i18n/index';

/** The backup problems the core names in `details.reason`, each with its sentence in the cashier's language. */
const REASON_KEYS = {
  wrong_passphrase: 'backup.error.wrong_passphrase',
  damaged: 'backup.error.damaged',
  truncated: 'backup.error.truncated',
  not_a_backup: 'backup.error.not_a_backup',
  unsupported_version: 'backup.error.unsupported_version',
  too_new: 'backup.error.too_new',
  not_a_station_database: 'backup.error.not_a_station_database',
  not_configured: 'backup.error.not_configured',
  sale_open: 'backup.error.sale_open',
  unsent_events: 'backup.error.unsent_events',
  backup_running: 'backup.error.backup_running',
} as const satisfies Record<string, MessageKey>;

/**
 * A sentence for a backup or restore failure, or null when the generic error presentation fits better
 * (permissions, sessions, connection). File-system failures keep the core's description (it names the path).
 */
export function backupErrorSentence(error: ErrorData, t: Translate): string | null {
  const reason = error.details?.reason;
  if (reason === 'io') return t('backup.error.io', { message: error.message });
  if (typeof reason === 'string' && Object.prototype.hasOwnProperty.call(REASON_KEYS, reason)) {
    return t(REASON_KEYS[reason as keyof typeof REASON_KEYS]);
  }
  return null;
}
