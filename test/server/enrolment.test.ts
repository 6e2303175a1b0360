import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolmentCode, listStations, revokeStation } from '../../src/server/admin';
import { createPool } from '../../src/server/db';
import { migrateServerDatabase, SchemaTooNewError, startStoreServer } from '../../src/server/index';
import {
  EnrolResponseSchema,
  HealthResponseSchema,
  PullResponseSchema,
} from '../../src/shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import {
  ADMIN_TOKEN,
  api,
  enrolStation,
  errorCode,
  makeStore,
  startServerFixture,
  type ServerFixture,
} from './support';

let pg: TestPostgres;
let fx: ServerFixture;

beforeAll(async () => {
  pg = await startPostgres();
  fx = await startServerFixture(pg);
}, 120_000);

afterAll(async () => {
  await fx?.close();
  await pg?.stop();
});

const enrolBody = (code: string, stationId: string = randomUUID()) => ({
  code,
  stationId,
  stationName: 'Till 1',
  appVersion: '0.1.0',
});

describe('health and migrations', () => {
  it('answers health with the protocol and schema version', async () => {
    const answer = await api(fx.server.url, '/v1/health');
    expect(answer.status).toBe(200);
    expect(HealthResponseSchema.parse(answer.body)).toEqual({ ok: true, protocol: 1, schemaVersion: 3 });
  });

  it('migrating again changes nothing', async () => {
    expect(await migrateServerDatabase(fx.databaseUrl)).toEqual({ from: 3, to: 3 });
  });

  it('refuses to start on a database whose schema is newer than the code', async () => {
    const url = await pg.newDatabase();
    await migrateServerDatabase(url);
    const pool = createPool(url, 1);
    await pool.query('UPDATE server_schema SET version = 99');
    await pool.end();
    const started = startStoreServer({ databaseUrl: url, port: 0, adminToken: ADMIN_TOKEN });
    await expect(started).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(started).rejects.toThrow(/schema is version 99, but this server knows only up to 3/);
    await expect(migrateServerDatabase(url)).rejects.toBeInstanceOf(SchemaTooNewError);
  });

  it('answers unknown paths and methods with an ErrorResponse', async () => {
    const missing = await api(fx.server.url, '/v1/nothing');
    expect([missing.status, errorCode(missing)]).toEqual([404, 'bad_request']);
    const wrongMethod = await api(fx.server.url, '/v1/events');
    expect([wrongMethod.status, errorCode(wrongMethod)]).toEqual([405, 'bad_request']);
    const badJson = await api(fx.server.url, '/v1/enrol', { rawBody: '{"code":' });
    expect([badJson.status, errorCode(badJson)]).toEqual([400, 'bad_request']);
  });
});

describe('enrolment', () => {
  it('turns a one-time code into a credential that works, and the code only once', async () => {
    const storeId = await makeStore(fx.pool);
    const code = await createEnrolmentCode(fx.pool, storeId);
    const stationId = randomUUID();
    const first = await api(fx.server.url, '/v1/enrol', { body: enrolBody(code, stationId) });
    expect(first.status).toBe(200);
    const enrolled = EnrolResponseSchema.parse(first.body);
    expect(enrolled).toMatchObject({ stationId, storeId, storeName: `Store ${storeId}` });
    expect(enrolled.credential.startsWith(`${stationId}.`)).toBe(true);

    // The secret is not stored, only its hash.
    const stored = await fx.pool.query<{ credential_hash: Buffer }>(
      'SELECT credential_hash FROM stations WHERE id = $1',
      [stationId],
    );
    expect(stored.rows[0]!.credential_hash.length).toBe(32);
    expect(stored.rows[0]!.credential_hash.toString('utf8')).not.toContain(
      enrolled.credential.split('.')[1]!.slice(0, 8),
    );

    const pulled = await api(fx.server.url, '/v1/changes?after=0', { token: enrolled.credential });
    expect(pulled.status).toBe(200);
    expect(PullResponseSchema.parse(pulled.body).changes.map((c) => c.entity)).toEqual([
      'tax_rate',
      'tax_rate',
    ]);

    const again = await api(fx.server.url, '/v1/enrol', { body: enrolBody(code) });
    expect([again.status, errorCode(again)]).toEqual([403, 'enrolment_code_invalid']);
  });

  it('accepts the code however the technician typed it (case, dashes, spaces)', async () => {
    const storeId = await makeStore(fx.pool);
    const code = await createEnrolmentCode(fx.pool, storeId);
    const typed = ` ${code.replaceAll('-', ' ').toLowerCase()} `;
    const answer = await api(fx.server.url, '/v1/enrol', { body: enrolBody(typed) });
    expect(answer.status).toBe(200);
  });

  it('refuses an expired code and an unknown code', async () => {
    const storeId = await makeStore(fx.pool);
    const code = await createEnrolmentCode(fx.pool, storeId, 5);
    await fx.pool.query("UPDATE enrolment_codes SET expires_at = now() - interval '1 second'");
    const expired = await api(fx.server.url, '/v1/enrol', { body: enrolBody(code) });
    expect([expired.status, errorCode(expired)]).toEqual([403, 'enrolment_code_invalid']);
    const unknown = await api(fx.server.url, '/v1/enrol', { body: enrolBody('ABCD-EFGH-JKMN-PQRS') });
    expect([unknown.status, errorCode(unknown)]).toEqual([403, 'enrolment_code_invalid']);
  });

  it('lets only one of two stations racing with the same code win', async () => {
    const storeId = await makeStore(fx.pool);
    for (let round = 0; round < 5; round++) {
      const code = await createEnrolmentCode(fx.pool, storeId);
      const answers = await Promise.all([
        api(fx.server.url, '/v1/enrol', { body: enrolBody(code) }),
        api(fx.server.url, '/v1/enrol', { body: enrolBody(code) }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 403]);
    }
    expect((await listStations(fx.pool, storeId)).length).toBe(5);
    expect(fx.logged).toEqual([]);
  });

  it('does not let a station id of another store be taken over with a code', async () => {
    const storeA = await makeStore(fx.pool);
    const storeB = await makeStore(fx.pool);
    const station = await enrolStation(fx, storeA);
    const code = await createEnrolmentCode(fx.pool, storeB);
    const answer = await api(fx.server.url, '/v1/enrol', { body: enrolBody(code, station.stationId) });
    expect([answer.status, errorCode(answer)]).toEqual([403, 'forbidden']);
    // The code was not used up by the refused attempt.
    expect((await api(fx.server.url, '/v1/enrol', { body: enrolBody(code) })).status).toBe(200);
  });
});

describe('station authentication', () => {
  it('refuses a missing, malformed or wrong credential with 401', async () => {
    const storeId = await makeStore(fx.pool);
    const station = await enrolStation(fx, storeId);
    const wrongSecret = `${station.stationId}.${'x'.repeat(43)}`;
    const unknownStation = `${randomUUID()}.${station.credential.split('.')[1]}`;
    for (const token of [undefined, 'garbage', wrongSecret, unknownStation]) {
      const answer = await api(fx.server.url, '/v1/changes', token === undefined ? {} : { token });
      expect([answer.status, errorCode(answer)]).toEqual([401, 'unauthenticated']);
    }
  });

  it('refuses a revoked station with 403 revoked, for push and pull', async () => {
    const storeId = await makeStore(fx.pool);
    const station = await enrolStation(fx, storeId);
    expect((await api(fx.server.url, '/v1/changes', { token: station.credential })).status).toBe(200);
    await revokeStation(fx.pool, station.stationId);
    const pulled = await api(fx.server.url, '/v1/changes', { token: station.credential });
    expect([pulled.status, errorCode(pulled)]).toEqual([403, 'revoked']);
    const pushed = await api(fx.server.url, '/v1/events', {
      token: station.credential,
      body: { events: [] },
    });
    expect([pushed.status, errorCode(pushed)]).toEqual([403, 'revoked']);
    const [listed] = await listStations(fx.pool, storeId);
    expect(listed!.revokedAt).not.toBeNull();
    // A revoked station cannot enrol itself back with a new code either.
    const code = await createEnrolmentCode(fx.pool, storeId);
    const back = await api(fx.server.url, '/v1/enrol', { body: enrolBody(code, station.stationId) });
    expect([back.status, errorCode(back)]).toEqual([403, 'forbidden']);
  });
});

describe('admin API', () => {
  it('requires the admin token', async () => {
    const none = await api(fx.server.url, '/v1/admin/stores');
    expect([none.status, errorCode(none)]).toEqual([401, 'unauthenticated']);
    const wrong = await api(fx.server.url, '/v1/admin/stores', { token: 'not-the-admin-token-at-all' });
    expect(wrong.status).toBe(401);
    const station = await enrolStation(fx, await makeStore(fx.pool));
    const asStation = await api(fx.server.url, '/v1/admin/stores', { token: station.credential });
    expect(asStation.status).toBe(401);
  });

  it('creates a store, an enrolment code, lists and revokes stations', async () => {
    const created = await api(fx.server.url, '/v1/admin/stores', {
      token: ADMIN_TOKEN,
      body: { id: 'sh-001', name: '上海一店', currency: 'CNY', timeZone: 'Asia/Shanghai' },
    });
    expect(created.status).toBe(201);
    const twice = await api(fx.server.url, '/v1/admin/stores', {
      token: ADMIN_TOKEN,
      body: { id: 'sh-001', name: 'again', currency: 'CNY' },
    });
    expect([twice.status, errorCode(twice)]).toEqual([409, 'bad_request']);
    const badZone = await api(fx.server.url, '/v1/admin/stores', {
      token: ADMIN_TOKEN,
      body: { id: 'sh-002', name: 'x', currency: 'CNY', timeZone: 'Mars/Olympus' },
    });
    expect([badZone.status, errorCode(badZone)]).toEqual([400, 'bad_request']);

    const issued = await api(fx.server.url, '/v1/admin/stores/sh-001/enrolment-codes', {
      token: ADMIN_TOKEN,
      body: { ttlMinutes: 30 },
    });
    expect(issued.status).toBe(201);
    const { code } = issued.body as { code: string };
    const stationId = randomUUID();
    expect((await api(fx.server.url, '/v1/enrol', { body: enrolBody(code, stationId) })).status).toBe(200);

    const listed = await api(fx.server.url, '/v1/admin/stores/sh-001/stations', { token: ADMIN_TOKEN });
    expect(listed.body).toMatchObject({
      stations: [{ id: stationId, storeId: 'sh-001', lastSeq: 0, revokedAt: null }],
    });
    const revoked = await api(fx.server.url, `/v1/admin/stations/${stationId}/revoke`, {
      token: ADMIN_TOKEN,
      method: 'POST',
    });
    expect(revoked.status).toBe(200);
    const unknown = await api(fx.server.url, `/v1/admin/stations/${randomUUID()}/revoke`, {
      token: ADMIN_TOKEN,
      method: 'POST',
    });
    expect(unknown.status).toBe(404);
    const noStore = await api(fx.server.url, '/v1/admin/stores/none/enrolment-codes', {
      token: ADMIN_TOKEN,
      method: 'POST',
    });
    expect([noStore.status, errorCode(noStore)]).toEqual([404, 'bad_request']);
  });
});
