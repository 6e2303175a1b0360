/**
 * Events the core pushes to every trusted connection (session changes, settings, later scanner reads, device
 * status, sync progress, cart changes for the customer display). Typed in the same place as the calls.
 */
import { z } from 'zod';
import { LocaleSchema, SessionInfoSchema } from './contract';

export const eventSchemas = {
  'session:changed': z.object({ session: SessionInfoSchema.nullable() }),
  'settings:changed': z.object({ locale: LocaleSchema }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;
export type StationEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

/** Events that only make sense for the connection they concern (the others go to every connection). */
export const PER_CONNECTION_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['session:changed']);
