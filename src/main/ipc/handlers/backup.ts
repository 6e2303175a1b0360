import type { backupChannels } from '../../../shared/ipc/channels/backup';
import type { Station } from '../../core/station';
import { callerOf, type HandlersFor } from '../gate';

/** Handlers of the backup channels; `backup.manage` / `backup.restore` are checked by the gate. */
export function backupHandlers(station: Station): HandlersFor<typeof backupChannels> {
  const { backups } = station;
  return {
    'backup:status': () => backups.status(),
    'backup:configure': ({ passphrase, ...settings }, ctx) =>
      backups.configure(callerOf(ctx), settings, passphrase),
    'backup:run': (_input, ctx) => backups.runNow(callerOf(ctx)),
    'backup:history': ({ limit }) => backups.history(limit ?? 20),
    'backup:files': () => backups.files(),
    'backup:restore': (input, ctx) => backups.restore(callerOf(ctx), input),
  };
}
