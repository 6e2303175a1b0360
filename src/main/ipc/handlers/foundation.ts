import { AppError } from '../../../shared/domain/errors';
import type { foundationChannels } from '../../../shared/ipc/channels/foundation';
import type { Station } from '../../core/station';
import { callerOf, type HandlersFor } from '../gate';

/** Handlers of the foundation channels: status, setup, sign-in and sessions, language, staff. */
export function foundationHandlers(station: Station): HandlersFor<typeof foundationChannels> {
  const { auth, setup, settings } = station;
  return {
    'app:status': (_input, ctx) => {
      const s = settings.all();
      return {
        version: station.version,
        stationId: station.id,
        setupRequired: !setup.isSetUp(),
        storeName: s.storeName,
        locale: s.locale,
        currency: s.currency,
        taxMode: s.taxMode,
        session: auth.sessionInfo(ctx.connectionId),
      };
    },
    'setup:complete': (input, ctx) => setup.complete(ctx.connectionId, input),
    'auth:users': () => {
      if (!setup.isSetUp()) throw new AppError('setup_required', 'This station has not been set up yet.');
      return auth.signInList();
    },
    'auth:sign-in': (input, ctx) => auth.signIn(ctx.connectionId, input.userId, input.pin),
    'auth:lock': (_input, ctx) => auth.lock(ctx.connectionId),
    'auth:unlock': (input, ctx) => auth.unlock(ctx.connectionId, input.pin),
    'auth:sign-out': (_input, ctx) => {
      auth.signOut(ctx.connectionId);
      return null;
    },
    'ui:set-locale': (input, ctx) => station.setLocale(input.locale, ctx.caller?.user.id ?? null),
    'staff:list': () => auth.listStaff(),
    'staff:create': (input, ctx) => auth.createStaff(callerOf(ctx), input.name, input.role, input.pin),
    'staff:unlock': (input, ctx) => auth.unlockStaff(callerOf(ctx), input.userId),
    'staff:set-active': (input, ctx) => auth.setStaffActive(callerOf(ctx), input.userId, input.active),
  };
}
