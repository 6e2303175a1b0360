import { createHash } from 'node:crypto';
import { GiftCardHoldReleasedSchema } from '../shared/sync/gift-cards';
import {
  STATION_EVENT_TYPES,
  type PushEvent,
  type PushResult,
  type RejectCode,
} from '../shared/sync/protocol';
import { canonicalJson } from '../shared/sync/canonical-json';
import { inTransaction, type Pool, type PoolClient } from './db';
import { checkSaleDocument, isSaleDocumentEvent, type SaleFacts } from './sale-documents';
import type { AuthenticatedStation } from './stations';

/**
 * Stores one pushed batch of a station's events, exactly once each, with its reporting projections — all in
 * ONE PostgreSQL transaction, so an event is never stored without its projection or the other way round, and
 * a batch retried after a lost response finds everything and answers `duplicate`.
 *
 * The station's pushes are serialised by `pg_advisory_xact_lock(hashtext(station_id))`: two connections
 * pushing the same batch (a retry racing the original) take turns, and the second sees the first's rows.
 * Inserts still use `ON CONFLICT DO NOTHING` without a target, which guards every unique index (the event id
 * AND (station_id, seq)) rather than one, and RETURNING tells which rows really went in.
 *
 * Two paths: a batch of events the server has never seen (every batch of a healthy backlog) is stored by one
 * autocommit statement that takes the lock, inserts everything and checks that everything went in — or undoes
 * itself (storeAllNew). Anything else (a retry, a conflict, an invalid event) takes the careful path: a
 * transaction that reads what is held under the lock and answers event by event.
 */

const KNOWN_TYPES: ReadonlySet<string> = new Set(STATION_EVENT_TYPES);
const HOLD_RELEASED = 'gift_card.hold_released';

interface Candidate {
  event: PushEvent;
  hash: string;
  body: string;
  facts: SaleFacts | null;
}

interface Rejection {
  event: PushEvent;
  hash: string;
  body: string;
  code: RejectCode;
  message: string;
}

/** The payload as the archive can hold it (PostgreSQL's JSON operators refuse U+0000; the row must not fail the batch). */
function storableBody(payload: unknown): string {
  const body = JSON.stringify(payload ?? null);
  return body.includes('\\u0000')
    ? JSON.stringify({ unstorable: 'the payload contained a NUL character' })
    : body;
}

/**
 * sha256 over what makes an event this event (seq, type, station time and the payload's canonical JSON): a
 * retry must match it exactly to be a duplicate.
 */
export function eventBodyHash(event: PushEvent, canonicalPayload: string): string {
  return createHash('sha256')
    .update(`${event.seq}\u001f${event.type}\u001f${event.createdAt}\u001f${canonicalPayload}`)
    .digest('hex');
}

/** The payload checks that need no database: known type, an object, this station's, and (for documents) sound. */
function checkPayload(
  event: PushEvent,
  body: string,
  station: AuthenticatedStation,
  storeCurrency: string,
): { ok: true; body: string; facts: SaleFacts | null } | { ok: false; code: RejectCode; message: string } {
  if (!KNOWN_TYPES.has(event.type)) {
    return {
      ok: false,
      code: 'unknown_type',
      message: `The server does not know events of type "${event.type}".`,
    };
  }
  const payload = event.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: false, code: 'bad_payload', message: 'The payload must be a JSON object.' };
  }
  const owner = (payload as { stationId?: unknown }).stationId;
  if (owner !== undefined && (typeof owner !== 'string' || owner.toLowerCase() !== station.stationId)) {
    return {
      ok: false,
      code: 'bad_payload',
      message: 'The event names another station: a station pushes only its own events.',
    };
  }
  // PostgreSQL cannot process U+0000 in JSON text; refuse the event rather than store what no query can read.
  if (body.includes('\\u0000')) {
    return { ok: false, code: 'bad_payload', message: 'The payload contains a NUL character.' };
  }
  if (event.type === HOLD_RELEASED) {
    const release = GiftCardHoldReleasedSchema.safeParse(payload);
    if (!release.success) {
      const issue = release.error.issues[0];
      return {
        ok: false,
        code: 'bad_payload',
        message: `The gift-card release does not parse: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      };
    }
  }
  if (!isSaleDocumentEvent(event.type)) return { ok: true, body, facts: null };
  const check = checkSaleDocument(event.type, payload, storeCurrency);
  return check.ok
    ? { ok: true, body, facts: check.facts }
    : { ok: false, code: check.code, message: check.message.slice(0, 500) };
}

/** Stores a batch (already parsed with PushRequestSchema) and answers one result per event, in request order. */
export async function pushEvents(
  pool: Pool,
  station: AuthenticatedStation,
  events: readonly PushEvent[],
): Promise<PushResult[]> {
  // Everything that needs neither the lock nor the stored events — the canonical bodies, their hashes and the
  // documents' checks (totals recomputed) — is done first, so a station's next batch is prepared while its
  // previous one commits (the station keeps several in flight).
  // The canonical text is both what is hashed and what is stored.
  const bodies = events.map((e) => canonicalJson(e.payload));
  const hashes = events.map((e, i) => eventBodyHash(e, bodies[i]!));
  const checks = events.map((e, i) => checkPayload(e, bodies[i]!, station, station.storeCurrency));

  // Fast path — a batch the server has never seen, which is every batch of a healthy backlog: one autocommit
  // statement stores it all or nothing (migration 0002). Anything already held makes it store nothing, and
  // the careful path below answers event by event under the station's lock.
  const fresh = allNewCandidates(events, hashes, checks);
  if (fresh !== null && (await storeAllNew(pool, station, fresh))) {
    return events.map((e) => ({ eventId: e.eventId, seq: e.seq, status: 'created' }));
  }

  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1::uuid::text))', [station.stationId]);

    // What the server already holds under these ids, under these seqs, and for these documents: one round trip
    // (the lock is held from here to the commit, so every statement in it is a statement of every push).
    const documentIds = [...new Set(checks.flatMap((c) => (c.ok && c.facts !== null ? [c.facts.id] : [])))];
    const existing = await client.query<{
      kind: 'event' | 'sale';
      id: string;
      station_id: string | null;
      seq: string | null;
      body_hash: string | null;
      event_id: string | null;
    }>(
      `SELECT 'event' AS kind, event_id::text AS id, station_id::text AS station_id, seq,
              encode(body_hash, 'hex') AS body_hash, NULL AS event_id
         FROM station_events
        WHERE event_id = ANY($1::uuid[]) OR (station_id = $2 AND seq = ANY($3::bigint[]))
       UNION ALL
       SELECT 'sale', id::text, NULL, NULL, NULL, event_id::text FROM sales WHERE id = ANY($4::uuid[])`,
      [events.map((e) => e.eventId), station.stationId, events.map((e) => e.seq), documentIds],
    );
    const byId = new Map<string, { station: string; hash: string }>();
    const seqOwner = new Map<number, string>();
    /** Documents already projected, with the event they came from. */
    const taken = new Map<string, string>();
    for (const row of existing.rows) {
      if (row.kind === 'sale') {
        taken.set(row.id, row.event_id!);
        continue;
      }
      byId.set(row.id, { station: row.station_id!, hash: row.body_hash! });
      if (row.station_id === station.stationId) seqOwner.set(Number(row.seq), row.id);
    }

    const results: PushResult[] = [];
    const candidates: Candidate[] = [];
    const rejections: Rejection[] = [];
    const documents = new Map<string, string>();
    const reject = (event: PushEvent, hash: string, code: RejectCode, message: string) => {
      results.push({ eventId: event.eventId, seq: event.seq, status: 'rejected', code, message });
      rejections.push({ event, hash, code, message, body: storableBody(event.payload) });
    };

    events.forEach((event, i) => {
      const hash = hashes[i]!;
      const eventId = event.eventId.toLowerCase();
      const held = byId.get(eventId);
      if (held !== undefined) {
        if (held.station === station.stationId && held.hash === hash) {
          results.push({ eventId: event.eventId, seq: event.seq, status: 'duplicate' });
        } else {
          reject(
            event,
            hash,
            'conflicting_body',
            'An event with this id and a different body is already stored; it was kept as it is.',
          );
        }
        return;
      }
      const owner = seqOwner.get(event.seq);
      if (owner !== undefined) {
        reject(
          event,
          hash,
          'seq_conflict',
          `Seq ${event.seq} already belongs to event ${owner} of this station.`,
        );
        return;
      }
      const check = checks[i]!;
      if (!check.ok) {
        reject(event, hash, check.code, check.message);
        return;
      }
      if (check.facts !== null) {
        const earlier = documents.get(check.facts.id);
        if (earlier !== undefined) {
          reject(
            event,
            hash,
            'bad_payload',
            `Document ${check.facts.id} is already carried by event ${earlier}.`,
          );
          return;
        }
        documents.set(check.facts.id, eventId);
      }
      // Later events of this batch see this one as held.
      byId.set(eventId, { station: station.stationId, hash });
      seqOwner.set(event.seq, eventId);
      candidates.push({ event, hash, body: check.body, facts: check.facts });
      results.push({ eventId: event.eventId, seq: event.seq, status: 'created' });
    });

    // A document already projected from another event of this station is a station fault, not a new sale.
    if (taken.size > 0) {
      for (let i = candidates.length - 1; i >= 0; i--) {
        const c = candidates[i]!;
        const earlier = c.facts === null ? undefined : taken.get(c.facts.id);
        if (earlier === undefined) continue;
        candidates.splice(i, 1);
        const message = `Document ${c.facts!.id} is already recorded from event ${earlier}.`;
        const at = results.findIndex((r) => r.eventId === c.event.eventId && r.status === 'created');
        results[at] = {
          eventId: c.event.eventId,
          seq: c.event.seq,
          status: 'rejected',
          code: 'bad_payload',
          message,
        };
        rejections.push({ event: c.event, hash: c.hash, code: 'bad_payload', message, body: c.body });
      }
    }

    const inserted = await storeEvents(client, station, candidates);
    // A row that did not go in lost a race with another station's push of the same event id (its document
    // was not projected either: the projections join on the rows that went in).
    for (const c of candidates) {
      if (inserted.has(c.event.eventId.toLowerCase())) continue;
      const at = results.findIndex((r) => r.eventId === c.event.eventId && r.status === 'created');
      const message = 'An event with this id is already stored for another station.';
      results[at] = {
        eventId: c.event.eventId,
        seq: c.event.seq,
        status: 'rejected',
        code: 'conflicting_body',
        message,
      };
      rejections.push({ event: c.event, hash: c.hash, code: 'conflicting_body', message, body: c.body });
    }
    await insertRejections(client, station, rejections);
    // storeEvents moved the station's last seq in its own statement; without events it still was heard from.
    if (candidates.length === 0) {
      await client.query('UPDATE stations SET last_seen_at = now() WHERE id = $1', [station.stationId]);
    }
    return results;
  });
}

/** The careful path's store, under the station's lock (see storeStatement). Returns the ids of the events inserted. */
async function storeEvents(
  client: PoolClient,
  station: AuthenticatedStation,
  candidates: readonly Candidate[],
): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const { sql, values } = storeStatement(station, candidates, 'SELECT event_id FROM ev');
  const rows = await client.query<{ event_id: string }>(sql, values);
  return new Set(rows.rows.map((r) => r.event_id));
}

/**
 * The candidates of a batch in which every check passed and no event id, seq or document appears twice; null
 * otherwise (such a batch takes the careful path, which answers each event).
 */
function allNewCandidates(
  events: readonly PushEvent[],
  hashes: readonly string[],
  checks: readonly ReturnType<typeof checkPayload>[],
): Candidate[] | null {
  const ids = new Set<string>();
  const seqs = new Set<number>();
  const documents = new Set<string>();
  const candidates: Candidate[] = [];
  for (const [i, event] of events.entries()) {
    const check = checks[i]!;
    if (!check.ok) return null;
    const id = event.eventId.toLowerCase();
    if (ids.has(id) || seqs.has(event.seq)) return null;
    ids.add(id);
    seqs.add(event.seq);
    if (check.facts !== null) {
      if (documents.has(check.facts.id)) return null;
      documents.add(check.facts.id);
    }
    candidates.push({ event, hash: hashes[i]!, body: check.body, facts: check.facts });
  }
  return candidates;
}

const BODY_SEPARATOR = '\u001e';

/** The guard's SQLSTATE: nothing of the statement was kept, and the careful path answers the batch. */
const NOT_ALL_NEW = 'CT409';

/**
 * Stores every candidate and its projections in ONE autocommit statement, or nothing: true when all went in.
 * The statement takes the station's advisory lock before it inserts anything (storeStatement), so it is
 * serialised with every other push of the station exactly like the careful path, without the round trips of
 * BEGIN, the lock, the read of what is held and COMMIT. An event id, a (station, seq) or a document already
 * stored is skipped by ON CONFLICT DO NOTHING, and the final guard then undoes the whole statement.
 */
async function storeAllNew(
  pool: Pool,
  station: AuthenticatedStation,
  candidates: readonly Candidate[],
): Promise<boolean> {
  const documents = candidates.reduce((n, c) => n + (c.facts === null ? 0 : 1), 0);
  const { sql, values } = storeStatement(
    station,
    candidates,
    `SELECT push_require_all_new((SELECT count(*) FROM ev) = ${candidates.length}
                                 AND (SELECT count(*) FROM sa) = ${documents})`,
  );
  try {
    await pool.query(sql, values);
    return true;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === NOT_ALL_NEW) return false;
    throw err;
  }
}

/**
 * The statement that inserts the events and, from the documents among them, the sales, payments and stock
 * movements and the gift-card ledger (balances moved, holds consumed; `gift_card.hold_released` events free
 * their holds), and moves the station's last seq — one round trip, one plan: the projections join on the event
 * rows that really went in. `tail` is the statement's final SELECT over the `ev` and `sa` rows.
 *
 * It first takes the station's advisory lock (`lk`; every write joins it, so no row is touched before the lock
 * is held). The careful path holds that lock already; advisory locks are re-entrant.
 */
function storeStatement(
  station: AuthenticatedStation,
  candidates: readonly Candidate[],
  tail: string,
): { sql: string; values: unknown[] } {
  const documents = candidates.filter((c) => c.facts !== null);
  const facts = documents.map((d) => d.facts!);
  const payments = facts.flatMap((f) => f.payments.map((p) => ({ ...p, saleId: f.id })));
  // A sale takes stock off the shelf; refund and post-void lines carry negative quantities and put it back.
  const movements = facts.flatMap((f) =>
    f.lines
      .filter((l) => l.stockQtyMilli !== 0)
      .map((l) => ({ ...l, saleId: f.id, reason: f.kind, at: f.completedAt })),
  );
  // Gift-card payments move their card's balance (a zero amount moves nothing and has no ledger row).
  const giftPayments = documents.flatMap((d) =>
    d.facts!.payments.flatMap((p) =>
      p.giftCardKey === null || p.amount === 0
        ? []
        : [{ ...p, giftCardKey: p.giftCardKey, saleId: d.facts!.id, eventId: d.event.eventId }],
    ),
  );
  // checkPayload parsed every release already; parsing again here only gives it its type.
  const releases = candidates
    .filter((c) => c.event.type === HOLD_RELEASED)
    .map((c) => ({
      eventId: c.event.eventId,
      holdId: GiftCardHoldReleasedSchema.parse(c.event.payload).holdId,
    }));
  const sql = `WITH lk AS (
       SELECT pg_advisory_xact_lock(hashtext($1::uuid::text)) AS locked
     ), ev AS (
       INSERT INTO station_events (event_id, station_id, store_id, seq, type, body_hash, body, station_time)
       SELECT t.event_id, $1, $2, t.seq, t.type, decode(t.hash, 'hex'), t.body, t.station_time
         FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::text[], string_to_array($7::text, E'\\x1e')::json[],
                     $8::timestamptz[])
              AS t (event_id, seq, type, hash, body, station_time)
              CROSS JOIN lk
       ON CONFLICT DO NOTHING
       RETURNING event_id
     ), sa AS (
       INSERT INTO sales (id, event_id, store_id, station_id, kind, receipt_no, original_sale_id, business_date,
                          completed_at, currency, cashier_id, total, tax, payable, line_count)
       SELECT t.id, t.event_id, $2, $1, t.kind, t.receipt_no, t.original_sale_id,
              (t.completed_at AT TIME ZONE s.time_zone)::date, t.completed_at, t.currency, t.cashier_id,
              t.total, t.tax, t.payable, t.line_count
         FROM unnest($9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::uuid[], $14::timestamptz[],
                     $15::text[], $16::text[], $17::bigint[], $18::bigint[], $19::bigint[], $20::int[])
              AS t (id, event_id, kind, receipt_no, original_sale_id, completed_at, currency, cashier_id, total,
                    tax, payable, line_count)
         JOIN ev ON ev.event_id = t.event_id
         CROSS JOIN (SELECT time_zone FROM stores WHERE id = $2) AS s
       ON CONFLICT DO NOTHING
       RETURNING id, business_date
     ), pa AS (
       INSERT INTO sale_payments (id, sale_id, store_id, business_date, tender, tender_type, amount)
       SELECT t.id, t.sale_id, $2, sa.business_date, t.tender, t.tender_type, t.amount
         FROM unnest($21::uuid[], $22::uuid[], $23::text[], $24::text[], $25::bigint[])
              AS t (id, sale_id, tender, tender_type, amount)
         JOIN sa ON sa.id = t.sale_id
       ON CONFLICT DO NOTHING
     ), mv AS (
       INSERT INTO stock_movements (id, store_id, station_id, sale_id, product_id, plu, qty_delta_milli, reason, at)
       SELECT t.id, $2, $1, t.sale_id, t.product_id, t.plu, -t.qty, t.reason, t.at
         FROM unnest($26::uuid[], $27::uuid[], $28::text[], $29::text[], $30::bigint[], $31::text[],
                     $32::timestamptz[])
              AS t (id, sale_id, product_id, plu, qty, reason, at)
         JOIN sa ON sa.id = t.sale_id
       ON CONFLICT DO NOTHING
     ), gc AS (
       -- The cards this batch's gift payments name, locked (after the station's lock, in key order, so two
       -- pushes and a hold never deadlock) and read at their latest committed balance, not the snapshot's.
       SELECT c.card_key, c.balance, c.active
         FROM gift_cards c CROSS JOIN lk
        WHERE c.store_id = $2 AND c.card_key = ANY (SELECT decode(k, 'hex') FROM unnest($37::text[]) AS k)
        ORDER BY c.card_key
          FOR UPDATE OF c
     ), gl AS (
       -- One ledger row per gift payment of the documents that went in (id = payment id). balance_after runs
       -- over the batch in order, so several payments of one card in one batch each see the ones before them.
       INSERT INTO gift_card_ledger (id, store_id, card_key, delta, kind, station_id, sale_id, event_id, offline,
                                     overdrawn, unknown_card, inactive_card, balance_after)
       SELECT g.id, $2, g.card_key, -g.amount, CASE WHEN g.amount > 0 THEN 'redeem' ELSE 'credit' END, $1,
              g.sale_id, g.event_id, g.offline, coalesce(g.amount > 0 AND gc.balance - g.spent < 0, false),
              gc.card_key IS NULL, g.amount > 0 AND gc.active IS FALSE,
              gc.balance - g.spent
         FROM (SELECT t.id, t.sale_id, t.event_id, decode(t.card, 'hex') AS card_key, t.amount, t.offline, t.ord,
                      sum(t.amount) OVER (PARTITION BY t.card ORDER BY t.ord) AS spent
                 FROM unnest($34::uuid[], $35::uuid[], $36::uuid[], $37::text[], $38::bigint[], $39::boolean[])
                      WITH ORDINALITY AS t (id, sale_id, event_id, card, amount, offline, ord)
                 JOIN sa ON sa.id = t.sale_id) AS g
         LEFT JOIN gc ON gc.card_key = g.card_key
        ORDER BY g.ord
       ON CONFLICT DO NOTHING
       RETURNING id, card_key, delta
     ), gu AS (
       -- Each card's balance moves once, by the sum of ITS ledger rows that went in.
       UPDATE gift_cards c SET balance = c.balance + d.delta, updated_at = now()
         FROM (SELECT card_key, sum(delta) AS delta FROM gl GROUP BY card_key) AS d
        WHERE c.store_id = $2 AND c.card_key = d.card_key
     ), gh AS (
       UPDATE gift_card_holds h SET consumed_at = now()
         FROM gl
        WHERE h.id = gl.id AND h.card_key = gl.card_key AND h.station_id = $1 AND h.consumed_at IS NULL
     ), hr AS (
       -- gift_card.hold_released events that went in free their hold: this station's, not yet consumed.
       UPDATE gift_card_holds h SET released_at = now()
         FROM unnest($40::uuid[], $41::uuid[]) AS r (event_id, hold_id)
         JOIN ev ON ev.event_id = r.event_id
        WHERE h.id = r.hold_id AND h.station_id = $1 AND h.consumed_at IS NULL AND h.released_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM gl WHERE gl.id = h.id)
     ), st AS (
       UPDATE stations SET last_seq = GREATEST(last_seq, $33::bigint), last_seen_at = now()
         FROM lk WHERE id = $1
     )
     ${tail}`;
  const values: unknown[] = [
    station.stationId,
    station.storeId,
    // $3–$8: the events
    candidates.map((c) => c.event.eventId),
    candidates.map((c) => c.event.seq),
    candidates.map((c) => c.event.type),
    candidates.map((c) => c.hash),
    // The bodies as one text, separated by RS (U+001E): JSON.stringify escapes every control character, so RS
    // never occurs inside a body. A text[] parameter would have every quote of every body escaped by the driver
    // and unescaped again by PostgreSQL's array parser — most of the bytes of a push.
    candidates.map((c) => c.body).join(BODY_SEPARATOR),
    candidates.map((c) => c.event.createdAt),
    // $9–$20: the sales
    facts.map((f) => f.id),
    documents.map((d) => d.event.eventId),
    facts.map((f) => f.kind),
    facts.map((f) => f.receiptNo),
    facts.map((f) => f.originalSaleId),
    facts.map((f) => f.completedAt),
    facts.map((f) => f.currency),
    facts.map((f) => f.cashierId),
    facts.map((f) => f.total),
    facts.map((f) => f.tax),
    facts.map((f) => f.payable),
    facts.map((f) => f.lines.length),
    // $21–$25: their payments
    payments.map((p) => p.id),
    payments.map((p) => p.saleId),
    payments.map((p) => p.tender),
    payments.map((p) => p.type),
    payments.map((p) => p.amount),
    // $26–$32: their stock movements
    movements.map((m) => m.id),
    movements.map((m) => m.saleId),
    movements.map((m) => m.productId),
    movements.map((m) => m.plu),
    movements.map((m) => m.stockQtyMilli),
    movements.map((m) => m.reason),
    movements.map((m) => m.at),
    // $33: the station's highest seq in this batch
    Math.max(0, ...candidates.map((c) => c.event.seq)),
    // $34–$39: gift-card payments, in batch order (the ledger's running balance follows it)
    giftPayments.map((p) => p.id),
    giftPayments.map((p) => p.saleId),
    giftPayments.map((p) => p.eventId),
    giftPayments.map((p) => p.giftCardKey),
    giftPayments.map((p) => p.amount),
    giftPayments.map((p) => p.giftCardOffline),
    // $40–$41: gift-card holds released
    releases.map((r) => r.eventId),
    releases.map((r) => r.holdId),
  ];
  return { sql, values };
}

async function insertRejections(
  client: PoolClient,
  station: AuthenticatedStation,
  rejections: readonly Rejection[],
): Promise<void> {
  if (rejections.length === 0) return;
  await client.query(
    `INSERT INTO rejected_events (event_id, body_hash, station_id, store_id, seq, type, code, message, body, station_time)
     SELECT t.event_id, decode(t.hash, 'hex'), $1, $2, t.seq, t.type, t.code, t.message, t.body, t.station_time
       FROM unnest($3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::json[],
                   $10::timestamptz[])
            AS t (event_id, hash, seq, type, code, message, body, station_time)
     ON CONFLICT DO NOTHING`,
    [
      station.stationId,
      station.storeId,
      rejections.map((r) => r.event.eventId),
      rejections.map((r) => r.hash),
      rejections.map((r) => r.event.seq),
      rejections.map((r) => r.event.type),
      rejections.map((r) => r.code),
      rejections.map((r) => r.message),
      rejections.map((r) => r.body),
      rejections.map((r) => r.event.createdAt),
    ],
  );
}
