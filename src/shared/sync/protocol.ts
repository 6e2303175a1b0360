/**
 * The station ⇄ store-server wire protocol (HTTP + JSON, version 1). Both sides parse every body with these
 * schemas: the server never trusts a station's body, the station never trusts the server's.
 *
 * - `POST /v1/enrol` (no auth): a one-time enrolment code buys the station its own credential.
 * - `POST /v1/events` (station auth): push ≤ 100 outbox events in sequence order; one result per event.
 * - `GET  /v1/changes?after=<cursor>&limit=<n>` (station auth): the store's reference-data change feed.
 * - `GET  /v1/health` (no auth): liveness and schema version.
 *
 * Station auth: `Authorization: Bearer <stationId>.<secret>`; the server keeps only a hash of the secret.
 * Events are immutable facts keyed by a station-generated UUID; the server answers `created` once, `duplicate`
 * for the same id with the same body hash, `rejected` (with a code) otherwise — never an overwrite.
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
export const MAX_PUSH_BATCH = 100;
export const MAX_PULL_PAGE = 1000;
/** Upper bound of one push body; a bigger body is refused with 413 before it is parsed. */
export const MAX_PUSH_BODY_BYTES = 8 * 1024 * 1024;

const Uuid = z.uuid();

// --- enrolment -------------------------------------------------------------------------------------------

export const EnrolRequestSchema = z.strictObject({
  code: z.string().trim().min(6).max(64),
  stationId: Uuid,
  stationName: z.string().trim().min(1).max(80),
  appVersion: z.string().max(40),
});
export type EnrolRequest = z.infer<typeof EnrolRequestSchema>;

export const EnrolResponseSchema = z.strictObject({
  stationId: Uuid,
  storeId: z.string().min(1).max(64),
  storeName: z.string().max(120),
  /** `<stationId>.<secret>`: sent as the bearer token; shown once, stored by the station in its database. */
  credential: z.string().min(20).max(200),
});
export type EnrolResponse = z.infer<typeof EnrolResponseSchema>;

// --- push (station → server) ----------------------------------------------------------------------------

/** Event types a station may push; anything else is rejected with `unknown_type`. */
export const STATION_EVENT_TYPES = [
  'sale.completed',
  'sale.voided',
  'refund.completed',
  'sale.post_voided',
  'audit.appended',
  'shift.opened',
  'shift.closed',
  'cash.movement',
  'report.z',
  'catalog.products_upserted',
  'catalog.tax_rates_upserted',
  /** A gift-card hold the station will not use (src/shared/sync/gift-cards.ts, GiftCardHoldReleasedSchema). */
  'gift_card.hold_released',
] as const;

export const PushEventSchema = z.strictObject({
  eventId: Uuid,
  /** The outbox seq: gapless per station, strictly increasing within a batch. */
  seq: z.number().int().min(1),
  type: z.string().min(1).max(64),
  /** Station wall-clock time (ISO 8601), recorded, never used to resolve anything. */
  createdAt: z.iso.datetime({ offset: true }),
  payload: z.unknown(),
});
export type PushEvent = z.infer<typeof PushEventSchema>;

export const PushRequestSchema = z.strictObject({
  events: z.array(PushEventSchema).min(1).max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const REJECT_CODES = [
  /** Same event id, different body: the station's copy is kept in quarantine, the server's is kept as is. */
  'conflicting_body',
  /** The seq was already used by another event of this station. */
  'seq_conflict',
  'unknown_type',
  /** The payload does not match its type's schema (or names another station). */
  'bad_payload',
  /** The server recomputed the totals and they differ (recorded for the back office, not applied). */
  'totals_mismatch',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

export const PushResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ eventId: Uuid, seq: z.number().int(), status: z.literal('created') }),
  z.strictObject({ eventId: Uuid, seq: z.number().int(), status: z.literal('duplicate') }),
  z.strictObject({
    eventId: Uuid,
    seq: z.number().int(),
    status: z.literal('rejected'),
    code: z.enum(REJECT_CODES),
    message: z.string().max(500),
  }),
]);
export type PushResult = z.infer<typeof PushResultSchema>;

export const PushResponseSchema = z.strictObject({
  results: z.array(PushResultSchema).max(MAX_PUSH_BATCH),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

// --- pull (server → station) ----------------------------------------------------------------------------

export const CHANGE_ENTITIES = ['product', 'tax_rate', 'staff', 'setting'] as const;
export type ChangeEntity = (typeof CHANGE_ENTITIES)[number];

export const ProductChangeSchema = z.strictObject({
  /** The server's product key (the PLU): stable across renames and barcode changes. */
  plu: z.string().min(1).max(20),
  barcodes: z.array(z.string().min(1).max(32)).max(20),
  nameZh: z.string().max(120),
  nameEn: z.string().max(120),
  category: z.string().max(60).nullable(),
  unit: z.enum(['piece', 'kg', 'g']),
  price: z.number().int().min(0),
  cost: z.number().int().min(0).nullable(),
  taxCode: z.string().min(1).max(20),
  active: z.boolean(),
});

export const TaxRateChangeSchema = z.strictObject({
  code: z.string().min(1).max(20),
  nameZh: z.string().max(60),
  nameEn: z.string().max(60),
  ratePpm: z.number().int().min(0).max(1_000_000),
  active: z.boolean(),
});

export const StaffChangeSchema = z.strictObject({
  id: Uuid,
  name: z.string().min(1).max(60),
  role: z.enum(['cashier', 'supervisor', 'technician', 'manager', 'admin']),
  /** The station's PIN hash format (scrypt); the server never sees a PIN. */
  pinHash: z.string().min(1).max(300),
  active: z.boolean(),
});

export const SettingChangeSchema = z.strictObject({ key: z.string().min(1).max(64), value: z.unknown() });

export const ChangeSchema = z.discriminatedUnion('entity', [
  z.strictObject({ seq: z.number().int().min(1), entity: z.literal('product'), data: ProductChangeSchema }),
  z.strictObject({ seq: z.number().int().min(1), entity: z.literal('tax_rate'), data: TaxRateChangeSchema }),
  z.strictObject({ seq: z.number().int().min(1), entity: z.literal('staff'), data: StaffChangeSchema }),
  z.strictObject({ seq: z.number().int().min(1), entity: z.literal('setting'), data: SettingChangeSchema }),
]);
export type Change = z.infer<typeof ChangeSchema>;

export const PullResponseSchema = z.strictObject({
  changes: z.array(ChangeSchema).max(MAX_PULL_PAGE),
  /** The cursor to send next time (the last change's seq, or the request's cursor when nothing is new). */
  cursor: z.number().int().min(0),
  hasMore: z.boolean(),
  /** Visible changes after the cursor, for progress on a large first pull (an estimate is fine). */
  remaining: z.number().int().min(0),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

// --- errors and health ----------------------------------------------------------------------------------

export const SYNC_ERROR_CODES = [
  'bad_request',
  'unauthenticated',
  'revoked',
  'forbidden',
  'enrolment_code_invalid',
  /** The request contradicts what is stored (e.g. a gift-card hold id reused for another card or amount). */
  'conflict',
  'payload_too_large',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

/** The body of every non-2xx answer. */
export const ErrorResponseSchema = z.strictObject({
  error: z.strictObject({ code: z.enum(SYNC_ERROR_CODES), message: z.string().max(1000) }),
});

export const HealthResponseSchema = z.strictObject({
  ok: z.boolean(),
  protocol: z.number().int(),
  schemaVersion: z.number().int(),
});
