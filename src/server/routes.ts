import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  EnrolRequestSchema,
  MAX_PUSH_BATCH,
  MAX_PUSH_BODY_BYTES,
  PROTOCOL_VERSION,
  ProductChangeSchema,
  PushEventSchema,
  SettingChangeSchema,
  StaffChangeSchema,
  TaxRateChangeSchema,
  type PushResponse,
} from '../shared/sync/protocol';
import {
  CreateStoreSchema,
  createStore,
  issueEnrolmentCode,
  listRejectedEvents,
  listStations,
  listStores,
  revokeStation,
} from './admin';
import { GiftCardBalanceRequestSchema, GiftCardHoldRequestSchema } from '../shared/sync/gift-cards';
import { sameHash, sha256 } from './credentials';
import { knownSchemaVersion, type Pool } from './db';
import {
  GiftCardIssueSchema,
  GiftCardLoadSchema,
  GiftCardNumberSchema,
  deactivateGiftCard,
  giftCardBalance,
  holdGiftCard,
  issueGiftCard,
  listGiftCardExceptions,
  loadGiftCard,
  lookupGiftCard,
} from './gift-cards';
import {
  HttpError,
  badRequest,
  bearerToken,
  parseJson,
  parseValue,
  readBody,
  sendJson,
  sendRawJson,
} from './http';
import { parsePullQuery, pullChanges } from './pull';
import { pushEvents } from './push';
import {
  MAX_UPSERT_BATCH,
  upsertProducts,
  upsertSettings,
  upsertStaff,
  upsertTaxRates,
} from './reference-data';
import { SalesReportQuerySchema, salesReport } from './reports';
import { authenticateStation, enrolStation, touchStation } from './stations';

/** The server's routes: one function per request, bodies parsed with the protocol's zod schemas. */

export interface RouteContext {
  pool: Pool;
  /** sha256 of the admin token. */
  adminTokenHash: Buffer;
}

const SMALL_BODY = 64 * 1024;
const ADMIN_BODY = 32 * 1024 * 1024;

/**
 * The push body is checked in two steps: the envelope and the batch size first, so a 101-event batch is a
 * clear 400 whatever its events look like, then each event with the protocol schema.
 */
const PushEnvelopeSchema = z.strictObject({ events: z.array(z.unknown()).min(1) });

function requireAdmin(req: IncomingMessage, ctx: RouteContext): void {
  const token = bearerToken(req);
  if (token === null || !sameHash(sha256(token), ctx.adminTokenHash)) {
    throw new HttpError(401, 'unauthenticated', 'The admin token is missing or wrong.');
  }
}

const StoreParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a store id');

const EnrolmentCodeRequestSchema = z.strictObject({
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 60)
    .optional(),
});
const batch = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_UPSERT_BATCH);
const ProductsBodySchema = z.strictObject({ products: batch(ProductChangeSchema) });
const TaxRatesBodySchema = z.strictObject({ taxRates: batch(TaxRateChangeSchema) });
const StaffBodySchema = z.strictObject({ staff: batch(StaffChangeSchema) });
const SettingsBodySchema = z.strictObject({ settings: batch(SettingChangeSchema) });

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
  params: string[],
  url: URL,
) => Promise<void>;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: Handler;
}

const health: Handler = async (_req, res, ctx) => {
  try {
    await ctx.pool.query('SELECT 1');
  } catch {
    throw new HttpError(503, 'unavailable', 'The database is unreachable.');
  }
  sendJson(res, 200, { ok: true, protocol: PROTOCOL_VERSION, schemaVersion: knownSchemaVersion() });
};

const enrol: Handler = async (req, res, ctx) => {
  const request = parseJson(await readBody(req, SMALL_BODY), EnrolRequestSchema);
  sendJson(res, 200, await enrolStation(ctx.pool, request));
};

const push: Handler = async (req, res, ctx) => {
  const station = await authenticateStation(ctx.pool, bearerToken(req));
  const envelope = parseJson(await readBody(req, MAX_PUSH_BODY_BYTES), PushEnvelopeSchema);
  if (envelope.events.length > MAX_PUSH_BATCH) {
    throw badRequest(`A push carries at most ${MAX_PUSH_BATCH} events (got ${envelope.events.length}).`);
  }
  const events = envelope.events.map((event, i) => {
    const parsed = PushEventSchema.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badRequest(
        `Event ${i + 1} does not match the protocol: ${issue ? `${issue.path.join('.')}: ${issue.message}` : ''}`,
      );
    }
    return parsed.data;
  });
  const body: PushResponse = { results: await pushEvents(ctx.pool, station, events) };
  sendJson(res, 200, body);
};

const pull: Handler = async (req, res, ctx, _params, url) => {
  const station = await authenticateStation(ctx.pool, bearerToken(req));
  const { after, limit } = parsePullQuery(url.searchParams);
  const page = await pullChanges(ctx.pool, station, after, limit);
  await touchStation(ctx.pool, station.stationId);
  sendRawJson(res, 200, page);
};

/** Gift-card calls of a station: authenticated like a push; the card number is only in the body. */
const giftCardHold: Handler = async (req, res, ctx) => {
  const station = await authenticateStation(ctx.pool, bearerToken(req));
  const request = parseJson(await readBody(req, SMALL_BODY), GiftCardHoldRequestSchema);
  sendJson(res, 200, await holdGiftCard(ctx.pool, station, request));
};

const giftCardBalanceOf: Handler = async (req, res, ctx) => {
  const station = await authenticateStation(ctx.pool, bearerToken(req));
  const request = parseJson(await readBody(req, SMALL_BODY), GiftCardBalanceRequestSchema);
  sendJson(res, 200, await giftCardBalance(ctx.pool, station, request.number));
};

const admin =
  (handler: Handler): Handler =>
  async (req, res, ctx, params, url) => {
    requireAdmin(req, ctx);
    await handler(req, res, ctx, params, url);
  };

const storeOf = (params: string[]): string => parseValue(decodeURIComponent(params[0] ?? ''), StoreParam);

const routes: Route[] = [
  { method: 'GET', pattern: /^\/v1\/health$/, handler: health },
  { method: 'POST', pattern: /^\/v1\/enrol$/, handler: enrol },
  { method: 'POST', pattern: /^\/v1\/events$/, handler: push },
  { method: 'GET', pattern: /^\/v1\/changes$/, handler: pull },
  { method: 'POST', pattern: /^\/v1\/gift-cards\/holds$/, handler: giftCardHold },
  { method: 'POST', pattern: /^\/v1\/gift-cards\/balance$/, handler: giftCardBalanceOf },
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/stores$/,
    handler: admin(async (_req, res, ctx) => sendJson(res, 200, { stores: await listStores(ctx.pool) })),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stores$/,
    handler: admin(async (req, res, ctx) => {
      const input = parseJson(await readBody(req, SMALL_BODY), CreateStoreSchema);
      sendJson(res, 201, await createStore(ctx.pool, input));
    }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/enrolment-codes$/,
    handler: admin(async (req, res, ctx, params) => {
      const storeId = storeOf(params);
      const text = await readBody(req, SMALL_BODY);
      const input = parseJson(text.trim() === '' ? '{}' : text, EnrolmentCodeRequestSchema);
      sendJson(res, 201, await issueEnrolmentCode(ctx.pool, storeId, input.ttlMinutes));
    }),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/stations$/,
    handler: admin(async (_req, res, ctx) => sendJson(res, 200, { stations: await listStations(ctx.pool) })),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/stations$/,
    handler: admin(async (_req, res, ctx, params) =>
      sendJson(res, 200, { stations: await listStations(ctx.pool, storeOf(params)) }),
    ),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stations\/([^/]+)\/revoke$/,
    handler: admin(async (_req, res, ctx, params) =>
      sendJson(res, 200, await revokeStation(ctx.pool, decodeURIComponent(params[0] ?? ''))),
    ),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/products$/,
    handler: admin(async (req, res, ctx, params) => {
      const body = parseJson(await readBody(req, ADMIN_BODY), ProductsBodySchema);
      sendJson(res, 200, await upsertProducts(ctx.pool, storeOf(params), body.products));
    }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/tax-rates$/,
    handler: admin(async (req, res, ctx, params) => {
      const body = parseJson(await readBody(req, ADMIN_BODY), TaxRatesBodySchema);
      sendJson(res, 200, await upsertTaxRates(ctx.pool, storeOf(params), body.taxRates));
    }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/staff$/,
    handler: admin(async (req, res, ctx, params) => {
      const body = parseJson(await readBody(req, ADMIN_BODY), StaffBodySchema);
      sendJson(res, 200, await upsertStaff(ctx.pool, storeOf(params), body.staff));
    }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/settings$/,
    handler: admin(async (req, res, ctx, params) => {
      const body = parseJson(await readBody(req, ADMIN_BODY), SettingsBodySchema);
      sendJson(res, 200, await upsertSettings(ctx.pool, storeOf(params), body.settings));
    }),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/rejected-events$/,
    handler: admin(async (_req, res, ctx, params) =>
      sendJson(res, 200, { events: await listRejectedEvents(ctx.pool, storeOf(params)) }),
    ),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/gift-cards$/,
    handler: admin(async (req, res, ctx, params) => {
      const body = parseJson(await readBody(req, SMALL_BODY), GiftCardIssueSchema);
      sendJson(res, 200, await issueGiftCard(ctx.pool, storeOf(params), body));
    }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/gift-cards\/load$/,
    handler: admin(async (req, res, ctx, params) => {
      const body = parseJson(await readBody(req, SMALL_BODY), GiftCardLoadSchema);
      sendJson(res, 200, await loadGiftCard(ctx.pool, storeOf(params), body));
    }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/gift-cards\/deactivate$/,
    handler: admin(async (req, res, ctx, params) => {
      const body = parseJson(await readBody(req, SMALL_BODY), GiftCardNumberSchema);
      sendJson(res, 200, await deactivateGiftCard(ctx.pool, storeOf(params), body.number));
    }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/gift-cards\/lookup$/,
    handler: admin(async (req, res, ctx, params) => {
      const body = parseJson(await readBody(req, SMALL_BODY), GiftCardNumberSchema);
      sendJson(res, 200, await lookupGiftCard(ctx.pool, storeOf(params), body.number));
    }),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/stores\/([^/]+)\/gift-cards\/exceptions$/,
    handler: admin(async (_req, res, ctx, params) =>
      sendJson(res, 200, { exceptions: await listGiftCardExceptions(ctx.pool, storeOf(params)) }),
    ),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/reports\/sales$/,
    handler: admin(async (_req, res, ctx, _params, url) => {
      const query = parseValue(Object.fromEntries(url.searchParams), SalesReportQuerySchema);
      sendJson(res, 200, await salesReport(ctx.pool, query));
    }),
  },
];

/** The route for a request: its handler and path parameters; 404/405 as HttpErrors. */
export function route(method: string, pathname: string): { handler: Handler; params: string[] } {
  let pathMatched = false;
  for (const r of routes) {
    const match = r.pattern.exec(pathname);
    if (match === null) continue;
    pathMatched = true;
    if (r.method === method) return { handler: r.handler, params: match.slice(1) };
  }
  if (pathMatched) throw new HttpError(405, 'bad_request', `${method} is not allowed on ${pathname}.`);
  throw new HttpError(404, 'bad_request', `There is no ${pathname}.`);
}
