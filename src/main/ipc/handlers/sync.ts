import type { syncChannels } from '../../../shared/ipc/channels/sync';
import type { Station } from '../../core/station';
import { callerOf, type HandlersFor } from '../gate';

/** Handlers of the store-sync channels: status, enrolment, sync now, quarantine, offline policy. */
export function syncHandlers(station: Station): HandlersFor<typeof syncChannels> {
  // Read lazily: the handlers are created while the station is being wired.
  const sync = () => station.sync;
  return {
    'sync:status': () => sync().status(),
    'sync:enrol': (input, ctx) =>
      sync().enrol(
        {
          serverUrl: input.serverUrl,
          code: input.code,
          ...(input.certSha256 === undefined ? {} : { certSha256: input.certSha256 }),
        },
        callerOf(ctx).user.id,
      ),
    'sync:now': () => sync().syncNow(),
    'sync:quarantine': (input) => sync().quarantine(input.limit ?? 50, input.offset ?? 0),
    'sync:set-policy': (input, ctx) => sync().setPolicy(input, callerOf(ctx).user.id),
  };
}
