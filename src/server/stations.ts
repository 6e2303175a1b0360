import { type EnrolRequest, type EnrolResponse } from '../shared/sync/protocol';
import {
  credentialOf,
  newSecret,
  normaliseEnrolmentCode,
  parseCredential,
  sameHash,
  sha256,
} from './credentials';
import { inTransaction, type Pool } from './db';
import { HttpError } from './http';

/** Station enrolment (a one-time code buys a credential) and the check of that credential on every request. */

export interface AuthenticatedStation {
  stationId: string;
  storeId: string;
  /** The store's currency (it never changes once set; read with the credential to save a round trip). */
  storeCurrency: string;
}

const codeInvalid = () =>
  new HttpError(
    403,
    'enrolment_code_invalid',
    'The enrolment code is unknown, expired or already used. Ask the manager for a new code.',
  );

/**
 * Enrols a station. The code is claimed with one conditional UPDATE, so two stations racing with the same
 * code cannot both win: the second waits for the first's row lock, re-checks `used_at` and finds it taken.
 * A station id that already belongs to another store, or was revoked, is refused and the code stays unused.
 * Enrolling an existing station of the same store again (a reinstall) gives it a new credential.
 */
export async function enrolStation(pool: Pool, request: EnrolRequest): Promise<EnrolResponse> {
  const secret = newSecret();
  const stationId = request.stationId.toLowerCase();
  return inTransaction(pool, async (client) => {
    const claimed = await client.query<{ store_id: string; name: string }>(
      `UPDATE enrolment_codes c SET used_at = now(), used_by = $2
        FROM stores s
       WHERE c.code_hash = $1 AND c.used_at IS NULL AND c.expires_at > now() AND s.id = c.store_id
       RETURNING c.store_id, s.name`,
      [sha256(normaliseEnrolmentCode(request.code)), stationId],
    );
    const store = claimed.rows[0];
    if (store === undefined) throw codeInvalid();
    const station = await client.query(
      `INSERT INTO stations AS s (id, store_id, name, credential_hash, app_version)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE
         SET name = EXCLUDED.name, credential_hash = EXCLUDED.credential_hash, app_version = EXCLUDED.app_version,
             enrolled_at = now()
         WHERE s.store_id = EXCLUDED.store_id AND s.revoked_at IS NULL
       RETURNING id`,
      [stationId, store.store_id, request.stationName, sha256(secret), request.appVersion],
    );
    if (station.rowCount !== 1) {
      throw new HttpError(
        403,
        'forbidden',
        'This station id is revoked or enrolled in another store; reset the station to enrol it again.',
      );
    }
    return {
      stationId,
      storeId: store.store_id,
      storeName: store.name,
      credential: credentialOf(stationId, secret),
    };
  });
}

const unauthenticated = () =>
  new HttpError(
    401,
    'unauthenticated',
    'The station credential is missing or wrong; enrol the station again.',
  );

/**
 * The station a bearer token belongs to. Unknown station or wrong secret → 401; a revoked station → 403
 * `revoked` (only once the secret matched, so the answer reveals nothing to a guesser).
 */
export async function authenticateStation(pool: Pool, token: string | null): Promise<AuthenticatedStation> {
  const credential = token === null ? null : parseCredential(token);
  if (credential === null) throw unauthenticated();
  const found = await pool.query<{
    credential_hash: Buffer;
    store_id: string;
    revoked_at: Date | null;
    currency: string;
  }>(
    `SELECT st.credential_hash, st.store_id, st.revoked_at, so.currency
       FROM stations st JOIN stores so ON so.id = st.store_id
      WHERE st.id = $1`,
    [credential.stationId],
  );
  const row = found.rows[0];
  // Hash even when the station is unknown, so both failures take the same time.
  const given = sha256(credential.secret);
  if (row === undefined || !sameHash(given, row.credential_hash)) throw unauthenticated();
  if (row.revoked_at !== null) {
    throw new HttpError(403, 'revoked', 'This station was revoked by the store; it can no longer sync.');
  }
  return { stationId: credential.stationId, storeId: row.store_id, storeCurrency: row.currency };
}

/** Records that the station was heard from; at most one write per station per 30 s. */
export async function touchStation(pool: Pool, stationId: string): Promise<void> {
  await pool.query(
    `UPDATE stations SET last_seen_at = now()
      WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '30 seconds')`,
    [stationId],
  );
}
