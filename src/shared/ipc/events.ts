/**
 * Events the core pushes to every trusted connection (session changes, settings, later scanner reads, device
 * status, sync progress, cart changes for the customer display). Typed in the same place as the calls.
 */
import { z } from 'zod';
import { LocaleSchema, SessionInfoSchema } from './contract';
import { ImportProgressSchema } from './channels/catalog';
import { SaleViewSchema } from './channels/sale';

export const eventSchemas = {
  'session:changed': z.object({ session: SessionInfoSchema.nullable() }),
  'settings:changed': z.object({ locale: LocaleSchema }),
  'catalog:import-progress': ImportProgressSchema,
  /** The open sale after every change, the completed sale once (change due), null when the cart empties. */
  'sale:changed': z.object({ cart: SaleViewSchema.nullable() }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;
export type StationEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

/** Events that only make sense for the connection they concern (the others go to every connection). */
export const PER_CONNECTION_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['session:changed']);
