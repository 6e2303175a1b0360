/**
 * Events the core pushes to every trusted connection (session changes, settings, later scanner reads, device
 * status, sync progress, cart changes for the customer display). Typed in the same place as the calls.
 */
import { z } from 'zod';
import { LocaleSchema, SessionInfoSchema } from './contract';
import { ImportProgressSchema } from './channels/catalog';
import { SaleViewSchema } from './channels/sale';
import { SyncProgressSchema, SyncStatusSchema } from './channels/sync';
import { DeviceStatusSchema, PrintJobSchema } from './channels/devices';
import { CardReadSchema, FaultEntrySchema, ScannerScanSchema, SelfTestRunSchema } from './channels/selftest';

export const eventSchemas = {
  'session:changed': z.object({ session: SessionInfoSchema.nullable() }),
  /** The station's settings changed; `keys` names which (store settings screen), absent for a language change. */
  'settings:changed': z.object({ locale: LocaleSchema, keys: z.array(z.string()).optional() }),
  'catalog:import-progress': ImportProgressSchema,
  /** The open sale after every change, the completed sale once (change due), null when the cart empties. */
  'sale:changed': z.object({ cart: SaleViewSchema.nullable() }),
  /** Store sync status after every push/pull, failure or enrolment (badge, sync screen). */
  'sync:changed': SyncStatusSchema,
  /** A large pull catching up (applied so far, remaining on the server). */
  'sync:progress': SyncProgressSchema,
  /** Every device's status after any change (printer online, paper out, drawer open …). */
  'devices:changed': z.object({ devices: z.array(DeviceStatusSchema) }),
  /** A print job after each step (queued, printing, printed, failed). */
  'printing:job-changed': z.object({ job: PrintJobSchema }),
  /** A read of a device scanner (HID, serial, simulator): handled like a keyboard-wedge scan. */
  'scanner:scan': ScannerScanSchema,
  /** A member / gift / staff / ID card read (a bank card only as `rejected_bank_card`, nothing of it kept). */
  'card:read': CardReadSchema,
  /** The self-test run after every step (results, the technician's prompt and its deadline). */
  'selftest:changed': z.object({ run: SelfTestRunSchema }),
  /** A new fault log entry (technician screen). */
  'faults:recorded': z.object({ entry: FaultEntrySchema }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;
export type StationEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

/** Events that only make sense for the connection they concern (the others go to every connection). */
export const PER_CONNECTION_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['session:changed']);
