import type { settingsChannels } from '../../../shared/ipc/channels/settings';
import type { Station } from '../../core/station';
import { callerOf, type HandlersFor } from '../gate';

/** The store settings screen: read and change the sale settings (the gate checked `settings.manage`). */
export function settingsHandlers(station: Station): HandlersFor<typeof settingsChannels> {
  const { storeSettings } = station;
  return {
    'settings:get': () => storeSettings.view(),
    'settings:set-sale': (input, ctx) => storeSettings.setSale(callerOf(ctx), input),
  };
}
