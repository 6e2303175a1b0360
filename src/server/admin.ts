import { z } from 'zod';
import { CURRENCY_CODES } from '../shared/domain/money';
import { newEnrolmentCode, normaliseEnrolmentCode, sha256 } from './credentials';
import type { Pool } from './db';
import { HttpError, badRequest } from './http';

export {
  setSetting,
  upsertProducts,
  upsertSettings,
  upsertStaff,
  upsertTaxRates,
  type ProductChange,
  type SettingChange,
  type StaffChange,
  type TaxRateChange,
  type UpsertOutcome,
} from './reference-data';

/**
 * What the back office (and the CLIs and tests) do to the server's own records: stores, enrolment codes and
 * stations. Reference data lives in reference-data.ts and is re-exported here.
 */

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const CreateStoreSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'Store id: letters, digits, "-", "." or "_" (≤ 64)'),
  name: z.string().trim().min(1).max(120),
  currency: z.enum(CURRENCY_CODES),
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
});
export type CreateStoreInput = z.input<typeof CreateStoreSchema>;

export interface StoreRecord {
  id: string;
  name: string;
  currency: string;
  timeZone: string;
  createdAt: string;
}

/** Creates a store; a second store with the same id is refused. */
export async function createStore(pool: Pool, input: CreateStoreInput): Promise<StoreRecord> {
  const parsed = CreateStoreSchema.safeParse(input);
  if (!parsed.success)
    throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const store = parsed.data;
  const inserted = await pool.query<{ created_at: Date }>(
    `INSERT INTO stores (id, name, currency, time_zone) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO NOTHING RETURNING created_at`,
    [store.id, store.name, store.currency, store.timeZone],
  );
  const row = inserted.rows[0];
  if (row === undefined) throw new HttpError(409, 'bad_request', `A store "${store.id}" already exists.`);
  return { ...store, createdAt: row.created_at.toISOString() };
}

export async function listStores(pool: Pool): Promise<StoreRecord[]> {
  const rows = await pool.query<{
    id: string;
    name: string;
    currency: string;
    time_zone: string;
    created_at: Date;
  }>('SELECT id, name, currency, time_zone, created_at FROM stores ORDER BY id');
  return rows.rows.map((r) => ({
    id: r.id,
    name: r.name,
    currency: r.currency,
    timeZone: r.time_zone,
    createdAt: r.created_at.toISOString(),
  }));
}

export interface StoreSummary {
  id: string;
  name: string;
  currency: string;
  timeZone: string;
}

export async function getStore(pool: Pick<Pool, 'query'>, storeId: string): Promise<StoreSummary | null> {
  const rows = await pool.query<{ id: string; name: string; currency: string; time_zone: string }>(
    'SELECT id, name, currency, time_zone FROM stores WHERE id = $1',
    [storeId],
  );
  const r = rows.rows[0];
  return r === undefined ? null : { id: r.id, name: r.name, currency: r.currency, timeZone: r.time_zone };
}

export const DEFAULT_ENROLMENT_TTL_MINUTES = 24 * 60;

/** A one-time code with its expiry. Only the code's hash is stored; the code is shown once. */
export async function issueEnrolmentCode(
  pool: Pool,
  storeId: string,
  ttlMinutes = DEFAULT_ENROLMENT_TTL_MINUTES,
): Promise<{ code: string; expiresAt: string }> {
  if (!Number.isInteger(ttlMinutes) || ttlMinutes < 1 || ttlMinutes > 30 * 24 * 60) {
    throw badRequest('An enrolment code lives between 1 minute and 30 days.');
  }
  const code = newEnrolmentCode();
  const inserted = await pool.query<{ expires_at: Date }>(
    `INSERT INTO enrolment_codes (code_hash, store_id, expires_at)
     SELECT $1, id, now() + make_interval(mins => $3) FROM stores WHERE id = $2
     RETURNING expires_at`,
    [sha256(normaliseEnrolmentCode(code)), storeId, ttlMinutes],
  );
  const row = inserted.rows[0];
  if (row === undefined) throw new HttpError(404, 'bad_request', `There is no store "${storeId}".`);
  return { code, expiresAt: row.expires_at.toISOString() };
}

/** A one-time enrolment code for `storeId` (valid for a day by default). */
export async function createEnrolmentCode(pool: Pool, storeId: string, ttlMinutes?: number): Promise<string> {
  return (await issueEnrolmentCode(pool, storeId, ttlMinutes)).code;
}

/** Revokes a station: its credential is refused from the next request on. Revoking twice keeps the first time. */
export async function revokeStation(pool: Pool, stationId: string): Promise<{ revokedAt: string }> {
  if (!z.uuid().safeParse(stationId).success) throw badRequest('A station id is a UUID.');
  const updated = await pool.query<{ revoked_at: Date }>(
    'UPDATE stations SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING revoked_at',
    [stationId],
  );
  const row = updated.rows[0];
  if (row === undefined) throw new HttpError(404, 'bad_request', `There is no station ${stationId}.`);
  return { revokedAt: row.revoked_at.toISOString() };
}

export interface StationRecord {
  id: string;
  storeId: string;
  name: string;
  appVersion: string;
  enrolledAt: string;
  revokedAt: string | null;
  lastSeq: number;
  lastSeenAt: string | null;
  /** Events the server refused from this station, kept for the back office. */
  rejectedEvents: number;
}

export async function listStations(pool: Pool, storeId?: string): Promise<StationRecord[]> {
  const rows = await pool.query<{
    id: string;
    store_id: string;
    name: string;
    app_version: string;
    enrolled_at: Date;
    revoked_at: Date | null;
    last_seq: string;
    last_seen_at: Date | null;
    rejected: string;
  }>(
    `SELECT s.id, s.store_id, s.name, s.app_version, s.enrolled_at, s.revoked_at, s.last_seq, s.last_seen_at,
            (SELECT count(*) FROM rejected_events r WHERE r.station_id = s.id) AS rejected
       FROM stations s
      WHERE $1::text IS NULL OR s.store_id = $1
      ORDER BY s.store_id, s.name, s.id`,
    [storeId ?? null],
  );
  return rows.rows.map((r) => ({
    id: r.id,
    storeId: r.store_id,
    name: r.name,
    appVersion: r.app_version,
    enrolledAt: r.enrolled_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    lastSeq: Number(r.last_seq),
    lastSeenAt: r.last_seen_at?.toISOString() ?? null,
    rejectedEvents: Number(r.rejected),
  }));
}

export interface RejectedEventRecord {
  eventId: string;
  stationId: string;
  seq: number;
  type: string;
  code: string;
  message: string;
  stationTime: string;
  receivedAt: string;
  body: unknown;
}

/** The events the server refused for a store, newest first (the back office's quarantine view). */
export async function listRejectedEvents(
  pool: Pool,
  storeId: string,
  limit = 200,
): Promise<RejectedEventRecord[]> {
  const rows = await pool.query<{
    event_id: string;
    station_id: string;
    seq: string;
    type: string;
    code: string;
    message: string;
    station_time: Date;
    received_at: Date;
    body: unknown;
  }>(
    `SELECT event_id, station_id, seq, type, code, message, station_time, received_at, body
       FROM rejected_events WHERE store_id = $1 ORDER BY received_at DESC, seq DESC LIMIT $2`,
    [storeId, limit],
  );
  return rows.rows.map((r) => ({
    eventId: r.event_id,
    stationId: r.station_id,
    seq: Number(r.seq),
    type: r.type,
    code: r.code,
    message: r.message,
    stationTime: r.station_time.toISOString(),
    receivedAt: r.received_at.toISOString(),
    body: r.body,
  }));
}
