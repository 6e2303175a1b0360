import { randomUUID } from 'node:crypto';
import { createEnrolmentCode, createStore, upsertTaxRates } from '../../src/server/admin';
import { createPool, type Pool } from '../../src/server/db';
import { startStoreServer, type StoreServer } from '../../src/server/index';
import {
  EnrolResponseSchema,
  ErrorResponseSchema,
  PushResponseSchema,
  type PushEvent,
  type PushResult,
} from '../../src/shared/sync/protocol';
import type { TestPostgres } from '../helpers/postgres';

/** A store server on a fresh database of the test file's PostgreSQL, with a direct pool for setup and checks. */

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface ServerFixture {
  databaseUrl: string;
  pool: Pool;
  server: StoreServer;
  /** Unexpected errors the server logged (a test may assert there were none). */
  logged: string[];
  close(): Promise<void>;
}

export async function startServerFixture(pg: TestPostgres): Promise<ServerFixture> {
  const databaseUrl = await pg.newDatabase();
  const logged: string[] = [];
  const server = await startStoreServer({
    databaseUrl,
    port: 0,
    adminToken: ADMIN_TOKEN,
    log: (line) => logged.push(line),
  });
  const pool = createPool(databaseUrl, 4);
  return {
    databaseUrl,
    pool,
    server,
    logged,
    close: async () => {
      await server.close();
      await pool.end();
    },
  };
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** The protocol error code of a non-2xx answer (parsing it proves the body is an ErrorResponse). */
export function errorCode(answer: ApiAnswer): string {
  return ErrorResponseSchema.parse(answer.body).error.code;
}

export async function api(
  base: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown; rawBody?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.rawBody !== undefined) body = init.rawBody;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

/** A store with the two VAT rates the synthetic sales use. */
export async function makeStore(pool: Pool, id = `store-${randomUUID().slice(0, 8)}`): Promise<string> {
  await createStore(pool, { id, name: `Store ${id}`, currency: 'CNY', timeZone: 'Asia/Shanghai' });
  await upsertTaxRates(pool, id, [
    { code: 'VAT13', nameZh: '增值税13%', nameEn: 'VAT 13%', ratePpm: 130_000, active: true },
    { code: 'VAT9', nameZh: '增值税9%', nameEn: 'VAT 9%', ratePpm: 90_000, active: true },
  ]);
  return id;
}

export interface EnrolledStation {
  stationId: string;
  credential: string;
  storeId: string;
}

export async function enrolStation(
  fx: ServerFixture,
  storeId: string,
  name = 'Till 1',
): Promise<EnrolledStation> {
  const code = await createEnrolmentCode(fx.pool, storeId);
  const stationId = randomUUID();
  const answer = await api(fx.server.url, '/v1/enrol', {
    body: { code, stationId, stationName: name, appVersion: '0.1.0' },
  });
  if (answer.status !== 200) throw new Error(`enrolment failed: ${JSON.stringify(answer.body)}`);
  const enrolled = EnrolResponseSchema.parse(answer.body);
  return { stationId: enrolled.stationId, credential: enrolled.credential, storeId };
}

export async function push(
  fx: ServerFixture,
  station: EnrolledStation,
  events: PushEvent[],
): Promise<ApiAnswer> {
  return api(fx.server.url, '/v1/events', { token: station.credential, body: { events } });
}

/** Pushes and returns the parsed per-event results (the answer must be a 200). */
export async function pushResults(
  fx: ServerFixture,
  station: EnrolledStation,
  events: PushEvent[],
): Promise<PushResult[]> {
  const answer = await push(fx, station, events);
  if (answer.status !== 200)
    throw new Error(`push answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return PushResponseSchema.parse(answer.body).results;
}

export function statuses(results: PushResult[]): string[] {
  return results.map((r) => (r.status === 'rejected' ? `rejected:${r.code}` : r.status));
}
