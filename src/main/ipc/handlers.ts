import { AppError } from '../../shared/domain/errors';
import type { Station } from '../core/station';
import type { Caller } from '../core/auth/auth-service';
import type { Handlers, HandlerContext } from './gate';

/** The caller of a channel whose access requires a session (the gate guarantees it; this narrows the type). */
function callerOf(ctx: HandlerContext): Caller {
  if (!ctx.caller) throw new AppError('unauthenticated', 'Please sign in first.', undefined, 'sign_in');
  return ctx.caller;
}

/** One handler per contract channel. Handlers receive parsed input; the gate already checked access. */
export function createHandlers(station: Station): Handlers {
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
