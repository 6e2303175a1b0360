import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CURRENCIES, formatMoney, money, type CurrencyCode } from '../shared/domain/money';
import { MAX_AMOUNT } from '../shared/domain/totals';
import {
  GIFT_CARD_HOLD_TTL_HOURS,
  giftCardLast4,
  normaliseGiftCardNumber,
  type GiftCardBalanceResponse,
  type GiftCardHoldRequest,
  type GiftCardHoldResponse,
} from '../shared/sync/gift-cards';
import { inTransaction, type Pool, type PoolClient } from './db';
import { HttpError, badRequest } from './http';
import type { AuthenticatedStation } from './stations';

/**
 * Gift cards on the store server (protocol: src/shared/sync/gift-cards.ts). The server owns every card and
 * its balance. Stations hold amounts while they tender (holdGiftCard) and push the redemption inside the sale
 * document; push.ts writes those ledger rows in its one statement. The back office issues, loads, deactivates
 * and looks cards up here.
 *
 * Every balance check happens under the card row's lock (`SELECT … FOR UPDATE`), and what it reads besides
 * the card (the open holds) is read by a LATER statement: under READ COMMITTED each statement takes a new
 * snapshot, so a hold committed by the transaction we waited for is counted. Reading the holds in the locking
 * statement would use the snapshot from before the wait and let two tills hold the same last yuan.
 *
 * The card number itself is never stored or logged: a card is its key, sha256 of the normalised number.
 */

const Uuid = z.uuid();
const CardNumberText = z.string().min(1).max(64);
const Amount = z.number().int().min(1).max(MAX_AMOUNT);

/** `POST /v1/admin/stores/:store/gift-cards`: a new card with its first balance. */
export const GiftCardIssueSchema = z.strictObject({
  /** Makes a retry harmless: the same request id answers the same result. */
  requestId: Uuid,
  number: CardNumberText,
  amount: Amount,
});
/** `POST …/gift-cards/load`: adds to a card's balance. */
export const GiftCardLoadSchema = GiftCardIssueSchema;
/** `POST …/gift-cards/deactivate` and `…/lookup`: the number goes in the body, never in a URL or a log. */
export const GiftCardNumberSchema = z.strictObject({ number: CardNumberText });

export type GiftCardIssue = z.infer<typeof GiftCardIssueSchema>;
export type GiftCardLoad = z.infer<typeof GiftCardLoadSchema>;

/** A card as the back office sees it. */
export interface GiftCardRecord {
  cardKey: string;
  last4: string;
  currency: string;
  balance: number;
  /** Balance minus the open holds. */
  available: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What an issue or load did (the same again for a retried request id). */
export interface GiftCardMovement {
  requestId: string;
  kind: 'issue' | 'load';
  cardKey: string;
  last4: string;
  currency: string;
  amount: number;
  balanceAfter: number;
  at: string;
}

export interface GiftCardLedgerEntry {
  id: string;
  kind: 'issue' | 'load' | 'redeem' | 'credit';
  /** Negative = redeemed. */
  delta: number;
  /** Null for a card the store does not know. */
  balanceAfter: number | null;
  stationId: string | null;
  saleId: string | null;
  eventId: string | null;
  offline: boolean;
  overdrawn: boolean;
  unknownCard: boolean;
  /** A redemption of a card the store had deactivated. */
  inactiveCard: boolean;
  at: string;
}

export interface GiftCardException extends GiftCardLedgerEntry {
  cardKey: string;
  /** Null when the card is unknown to the store. */
  last4: string | null;
}

export interface GiftCardHoldRecord {
  holdId: string;
  stationId: string;
  saleId: string;
  amount: number;
  createdAt: string;
  expiresAt: string;
}

export interface GiftCardLookup {
  /** Null when the store has no such card but pushed documents named it (its ledger rows are unknown_card). */
  card: GiftCardRecord | null;
  /** The last 50 rows, newest first. */
  ledger: GiftCardLedgerEntry[];
  /** Holds still reserving an amount. */
  holds: GiftCardHoldRecord[];
}

// --- card numbers ---------------------------------------------------------------------------------------

export interface CardNumber {
  /** sha256 of the normalised number: how the server knows the card. */
  key: Buffer;
  keyHex: string;
  last4: string;
}

/** The card a typed number names; 400 when it cannot be a card number. */
export function cardNumberOf(input: string): CardNumber {
  const normalised = normaliseGiftCardNumber(input);
  if (normalised === null) {
    throw badRequest(
      'That is not a gift card number: 6–32 letters or digits (spaces and dashes are ignored).',
    );
  }
  const key = createHash('sha256').update(normalised, 'utf8').digest();
  return { key, keyHex: key.toString('hex'), last4: giftCardLast4(normalised) };
}

// --- shared reads -----------------------------------------------------------------------------------------

interface CardRow {
  last4: string;
  currency: string;
  balance: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** The card's row, locked until the transaction ends (every change of a card and its holds takes this lock). */
async function lockCard(client: PoolClient, storeId: string, key: Buffer): Promise<CardRow | undefined> {
  const rows = await client.query<CardRow>(
    `SELECT last4, currency, balance, active, created_at, updated_at
       FROM gift_cards WHERE store_id = $1 AND card_key = $2
        FOR UPDATE`,
    [storeId, key],
  );
  return rows.rows[0];
}

/** The holds that still reserve an amount: not released, not consumed, not expired (a fixed SQL condition). */
const openHold = (h: string) =>
  `${h}.released_at IS NULL AND ${h}.consumed_at IS NULL AND ${h}.expires_at > now()`;

async function heldOn(db: Pick<PoolClient, 'query'>, storeId: string, key: Buffer): Promise<number> {
  const rows = await db.query<{ held: string }>(
    `SELECT coalesce(sum(h.amount), 0) AS held FROM gift_card_holds h
      WHERE h.store_id = $1 AND h.card_key = $2 AND ${openHold('h')}`,
    [storeId, key],
  );
  return Number(rows.rows[0]!.held);
}

function recordOf(row: CardRow, key: Buffer, held: number): GiftCardRecord {
  const balance = Number(row.balance);
  return {
    cardKey: key.toString('hex'),
    last4: row.last4,
    currency: row.currency,
    balance,
    available: balance - held,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const conflict = (message: string) => new HttpError(409, 'conflict', message);
const notFound = (message: string) => new HttpError(404, 'bad_request', message);

function shown(amount: number, currency: string): string {
  return Object.hasOwn(CURRENCIES, currency)
    ? `${formatMoney(money(amount), currency as CurrencyCode)} ${currency}`
    : `${amount} (minor units of ${currency})`;
}

// --- station: hold and balance ----------------------------------------------------------------------------

/**
 * Reserves `amount` on the card for the station's payment `holdId`. Idempotent by holdId: a stored hold with the
 * same card, amount and station answers `held` again (with today's available); the same holdId with anything
 * else is a 409. Declines are answers, not errors, and reserve nothing.
 */
export async function holdGiftCard(
  pool: Pool,
  station: AuthenticatedStation,
  request: GiftCardHoldRequest,
): Promise<GiftCardHoldResponse> {
  const card = cardNumberOf(request.number);
  const holdId = request.holdId.toLowerCase();
  return inTransaction(pool, async (client) => {
    const row = await lockCard(client, station.storeId, card.key);
    // After the lock: this statement's snapshot sees every hold committed by those we waited for.
    const stored = await client.query<{
      store_id: string;
      card_key: Buffer;
      station_id: string;
      amount: string;
      expires_at: Date;
    }>('SELECT store_id, card_key, station_id, amount, expires_at FROM gift_card_holds WHERE id = $1', [
      holdId,
    ]);
    const previous = stored.rows[0];
    if (previous !== undefined) {
      const same =
        previous.store_id === station.storeId &&
        previous.station_id === station.stationId &&
        previous.card_key.equals(card.key) &&
        Number(previous.amount) === request.amount;
      if (!same || row === undefined) {
        throw conflict(`Hold ${holdId} already exists for another card, amount or station.`);
      }
      return {
        status: 'held',
        holdId,
        cardKey: card.keyHex,
        last4: row.last4,
        amount: request.amount,
        available: Number(row.balance) - (await heldOn(client, station.storeId, card.key)),
        currency: station.storeCurrency,
        expiresAt: previous.expires_at.toISOString(),
      };
    }
    if (row === undefined) {
      return {
        status: 'declined',
        holdId,
        reason: 'unknown_card',
        message: 'There is no gift card with this number in this store.',
      };
    }
    if (!row.active) {
      return {
        status: 'declined',
        holdId,
        reason: 'inactive',
        message: `Gift card •••• ${row.last4} was deactivated by the store.`,
      };
    }
    const available = Number(row.balance) - (await heldOn(client, station.storeId, card.key));
    if (request.amount > available) {
      return {
        status: 'declined',
        holdId,
        reason: 'insufficient',
        available,
        message: `Gift card •••• ${row.last4} has ${shown(Math.max(0, available), station.storeCurrency)} available.`,
      };
    }
    const inserted = await client.query<{ expires_at: Date }>(
      `INSERT INTO gift_card_holds (id, store_id, card_key, station_id, sale_id, amount, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))
       ON CONFLICT DO NOTHING
       RETURNING expires_at`,
      [
        holdId,
        station.storeId,
        card.key,
        station.stationId,
        request.saleId,
        request.amount,
        GIFT_CARD_HOLD_TTL_HOURS,
      ],
    );
    // Only a concurrent hold with this id on ANOTHER card gets here (one on this card waited for our lock).
    const hold = inserted.rows[0];
    if (hold === undefined) throw conflict(`Hold ${holdId} already exists for another card.`);
    return {
      status: 'held',
      holdId,
      cardKey: card.keyHex,
      last4: row.last4,
      amount: request.amount,
      available: available - request.amount,
      currency: station.storeCurrency,
      expiresAt: hold.expires_at.toISOString(),
    };
  });
}

/** What a cashier tells a customer who asks: balance and available (balance minus open holds). */
export async function giftCardBalance(
  pool: Pool,
  station: AuthenticatedStation,
  number: string,
): Promise<GiftCardBalanceResponse> {
  const card = cardNumberOf(number);
  const found = await findCard(pool, station.storeId, card.key);
  if (found === null) return { status: 'unknown_card' };
  return {
    status: 'found',
    last4: found.last4,
    active: found.active,
    balance: found.balance,
    available: found.available,
    currency: found.currency,
  };
}

/** One consistent read of a card and its open holds (one statement, one snapshot), or null. */
async function findCard(
  db: Pick<Pool, 'query'>,
  storeId: string,
  key: Buffer,
): Promise<GiftCardRecord | null> {
  const rows = await db.query<CardRow & { held: string }>(
    `SELECT c.last4, c.currency, c.balance, c.active, c.created_at, c.updated_at,
            (SELECT coalesce(sum(h.amount), 0) FROM gift_card_holds h
              WHERE h.store_id = c.store_id AND h.card_key = c.card_key AND ${openHold('h')}) AS held
       FROM gift_cards c WHERE c.store_id = $1 AND c.card_key = $2`,
    [storeId, key],
  );
  const row = rows.rows[0];
  return row === undefined ? null : recordOf(row, key, Number(row.held));
}

// --- back office ----------------------------------------------------------------------------------------------

/** Key of the advisory-lock space (two-int form) that serialises admin requests with the same request id. */
const REQUEST_LOCK_SPACE = 7_241_902;

interface LedgerMovementRow {
  kind: string;
  card_key: Buffer;
  delta: string;
  balance_after: string;
  at: Date;
}

/** The stored result of an admin request id, or a 409 when that id was used for something else. */
async function previousMovement(
  client: PoolClient,
  storeId: string,
  input: GiftCardIssue,
  kind: 'issue' | 'load',
  card: CardNumber,
): Promise<GiftCardMovement | null> {
  const rows = await client.query<LedgerMovementRow & { store_id: string; last4: string | null }>(
    `SELECT l.store_id, l.kind, l.card_key, l.delta, l.balance_after, l.at, c.last4
       FROM gift_card_ledger l LEFT JOIN gift_cards c ON c.store_id = l.store_id AND c.card_key = l.card_key
      WHERE l.id = $1`,
    [input.requestId],
  );
  const row = rows.rows[0];
  if (row === undefined) return null;
  const same =
    row.store_id === storeId &&
    row.kind === kind &&
    row.card_key.equals(card.key) &&
    Number(row.delta) === input.amount;
  if (!same)
    throw conflict(`Request ${input.requestId} was already used for another card, amount or action.`);
  return movementOf(
    input.requestId,
    kind,
    card,
    row.last4 ?? card.last4,
    await storeCurrency(client, storeId),
    row,
  );
}

function movementOf(
  requestId: string,
  kind: 'issue' | 'load',
  card: CardNumber,
  last4: string,
  currency: string,
  row: LedgerMovementRow,
): GiftCardMovement {
  return {
    requestId,
    kind,
    cardKey: card.keyHex,
    last4,
    currency,
    amount: Number(row.delta),
    balanceAfter: Number(row.balance_after),
    at: row.at.toISOString(),
  };
}

async function storeCurrency(db: Pick<Pool, 'query'>, storeId: string): Promise<string> {
  const rows = await db.query<{ currency: string }>('SELECT currency FROM stores WHERE id = $1', [storeId]);
  const row = rows.rows[0];
  if (row === undefined) throw notFound(`There is no store "${storeId}".`);
  return row.currency;
}

/** Issues a new card with its first balance. The same request id again answers the same; a known number is a 409. */
export async function issueGiftCard(
  pool: Pool,
  storeId: string,
  input: GiftCardIssue,
): Promise<GiftCardMovement> {
  const request = parseInput(GiftCardIssueSchema, input);
  const card = cardNumberOf(request.number);
  return inTransaction(pool, async (client) => {
    const currency = await storeCurrency(client, storeId);
    // A retry racing its original waits here, then finds the original's ledger row.
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      REQUEST_LOCK_SPACE,
      request.requestId,
    ]);
    const previous = await previousMovement(client, storeId, request, 'issue', card);
    if (previous !== null) return previous;
    const created = await client.query(
      `INSERT INTO gift_cards (store_id, card_key, last4, currency, balance)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [storeId, card.key, card.last4, currency, request.amount],
    );
    if (created.rowCount !== 1) {
      throw conflict(`Gift card •••• ${card.last4} already exists in store "${storeId}"; load it instead.`);
    }
    const ledger = await client.query<LedgerMovementRow>(
      `INSERT INTO gift_card_ledger (id, store_id, card_key, delta, kind, balance_after)
       VALUES ($1, $2, $3, $4, 'issue', $4)
       ON CONFLICT DO NOTHING
       RETURNING kind, card_key, delta, balance_after, at`,
      [request.requestId, storeId, card.key, request.amount],
    );
    const row = ledger.rows[0];
    if (row === undefined) throw conflict(`Request ${request.requestId} was already used.`);
    return movementOf(request.requestId, 'issue', card, card.last4, currency, row);
  });
}

/** Adds to an active card's balance. The same request id again answers the same. */
export async function loadGiftCard(
  pool: Pool,
  storeId: string,
  input: GiftCardLoad,
): Promise<GiftCardMovement> {
  const request = parseInput(GiftCardLoadSchema, input);
  const card = cardNumberOf(request.number);
  return inTransaction(pool, async (client) => {
    const row = await lockCard(client, storeId, card.key);
    const previous = await previousMovement(client, storeId, request, 'load', card);
    if (previous !== null) return previous;
    if (row === undefined) throw notFound(`There is no gift card •••• ${card.last4} in store "${storeId}".`);
    if (!row.active) throw conflict(`Gift card •••• ${card.last4} is deactivated; it cannot be loaded.`);
    const balanceAfter = Number(row.balance) + request.amount;
    if (balanceAfter > MAX_AMOUNT) {
      throw badRequest(`A gift card balance stays at most ${shown(MAX_AMOUNT, row.currency)}.`);
    }
    const ledger = await client.query<LedgerMovementRow>(
      `INSERT INTO gift_card_ledger (id, store_id, card_key, delta, kind, balance_after)
       VALUES ($1, $2, $3, $4, 'load', $5)
       ON CONFLICT DO NOTHING
       RETURNING kind, card_key, delta, balance_after, at`,
      [request.requestId, storeId, card.key, request.amount, balanceAfter],
    );
    const entry = ledger.rows[0];
    // The same request id committed meanwhile for another card (this card's lock does not cover that).
    if (entry === undefined) throw conflict(`Request ${request.requestId} was already used.`);
    await client.query(
      'UPDATE gift_cards SET balance = $3, updated_at = now() WHERE store_id = $1 AND card_key = $2',
      [storeId, card.key, balanceAfter],
    );
    return movementOf(request.requestId, 'load', card, row.last4, row.currency, entry);
  });
}

/** Deactivates a card (lost, stolen, refunded): holds are declined from now on. Deactivating twice is harmless. */
export async function deactivateGiftCard(
  pool: Pool,
  storeId: string,
  number: string,
): Promise<GiftCardRecord> {
  const card = cardNumberOf(number);
  return inTransaction(pool, async (client) => {
    const updated = await client.query<CardRow>(
      `UPDATE gift_cards SET active = false, updated_at = CASE WHEN active THEN now() ELSE updated_at END
        WHERE store_id = $1 AND card_key = $2
        RETURNING last4, currency, balance, active, created_at, updated_at`,
      [storeId, card.key],
    );
    const row = updated.rows[0];
    if (row === undefined) throw notFound(`There is no gift card •••• ${card.last4} in store "${storeId}".`);
    return recordOf(row, card.key, await heldOn(client, storeId, card.key));
  });
}

interface LedgerRow {
  id: string;
  kind: GiftCardLedgerEntry['kind'];
  delta: string;
  balance_after: string | null;
  station_id: string | null;
  sale_id: string | null;
  event_id: string | null;
  offline: boolean;
  overdrawn: boolean;
  unknown_card: boolean;
  inactive_card: boolean;
  at: Date;
}

const LEDGER_COLUMNS = `l.id, l.kind, l.delta, l.balance_after, l.station_id, l.sale_id, l.event_id, l.offline,
                        l.overdrawn, l.unknown_card, l.inactive_card, l.at`;

function entryOf(r: LedgerRow): GiftCardLedgerEntry {
  return {
    id: r.id,
    kind: r.kind,
    delta: Number(r.delta),
    balanceAfter: r.balance_after === null ? null : Number(r.balance_after),
    stationId: r.station_id,
    saleId: r.sale_id,
    eventId: r.event_id,
    offline: r.offline,
    overdrawn: r.overdrawn,
    unknownCard: r.unknown_card,
    inactiveCard: r.inactive_card,
    at: r.at.toISOString(),
  };
}

/** A card, its last 50 ledger rows and its open holds; 404 when neither the card nor any ledger row exists. */
export async function lookupGiftCard(pool: Pool, storeId: string, number: string): Promise<GiftCardLookup> {
  const card = cardNumberOf(number);
  // One transaction at REPEATABLE READ: the card, its ledger and its holds from one snapshot.
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const found = await findCard(client, storeId, card.key);
    const ledger = await client.query<LedgerRow>(
      `SELECT ${LEDGER_COLUMNS} FROM gift_card_ledger l
        WHERE l.store_id = $1 AND l.card_key = $2 ORDER BY l.seq DESC LIMIT 50`,
      [storeId, card.key],
    );
    const holds = await client.query<{
      id: string;
      station_id: string;
      sale_id: string;
      amount: string;
      created_at: Date;
      expires_at: Date;
    }>(
      `SELECT h.id, h.station_id, h.sale_id, h.amount, h.created_at, h.expires_at FROM gift_card_holds h
        WHERE h.store_id = $1 AND h.card_key = $2 AND ${openHold('h')} ORDER BY h.created_at, h.id`,
      [storeId, card.key],
    );
    await client.query('COMMIT');
    if (found === null && ledger.rows.length === 0) {
      throw notFound(`There is no gift card •••• ${card.last4} in store "${storeId}".`);
    }
    return {
      card: found,
      ledger: ledger.rows.map(entryOf),
      holds: holds.rows.map((h) => ({
        holdId: h.id,
        stationId: h.station_id,
        saleId: h.sale_id,
        amount: Number(h.amount),
        createdAt: h.created_at.toISOString(),
        expiresAt: h.expires_at.toISOString(),
      })),
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * The back office's exception list, newest first: redemptions that took a card below zero (accepted offline,
 * without a hold), redemptions of a deactivated card, and pushed payments naming a card the store does not know.
 */
export async function listGiftCardExceptions(
  pool: Pool,
  storeId: string,
  limit = 200,
): Promise<GiftCardException[]> {
  const rows = await pool.query<LedgerRow & { card_key: Buffer; last4: string | null }>(
    `SELECT ${LEDGER_COLUMNS}, l.card_key, c.last4
       FROM gift_card_ledger l
       LEFT JOIN gift_cards c ON c.store_id = l.store_id AND c.card_key = l.card_key
      WHERE l.store_id = $1 AND (l.overdrawn OR l.unknown_card OR l.inactive_card)
      ORDER BY l.seq DESC LIMIT $2`,
    [storeId, limit],
  );
  return rows.rows.map((r) => ({ ...entryOf(r), cardKey: r.card_key.toString('hex'), last4: r.last4 }));
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw badRequest(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}
