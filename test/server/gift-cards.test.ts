import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvent, syntheticSale } from '../../src/server/bench/synthetic-sales';
import { runGiftCardCommand } from '../../src/server/cli/gift-card-command';
import type { SaleView } from '../../src/shared/ipc/channels/sale';
import {
  GiftCardBalanceResponseSchema,
  GiftCardHoldResponseSchema,
  normaliseGiftCardNumber,
  type GiftCardBalanceResponse,
  type GiftCardHoldResponse,
} from '../../src/shared/sync/gift-cards';
import type { PushEvent } from '../../src/shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import {
  ADMIN_TOKEN,
  api,
  enrolStation,
  errorCode,
  makeStore,
  pushResults,
  startServerFixture,
  statuses,
  type ApiAnswer,
  type EnrolledStation,
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

// --- cards ----------------------------------------------------------------------------------------------

/** A fresh 16-digit card number, written the way a cashier might type it. */
function newNumber(): string {
  const digits = Array.from({ length: 16 }, () => Math.floor(Math.random() * 10)).join('');
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

const keyOf = (number: string): string =>
  createHash('sha256').update(normaliseGiftCardNumber(number)!, 'utf8').digest('hex');

const adminPost = (storeId: string, path: string, body: unknown) =>
  api(fx.server.url, `/v1/admin/stores/${storeId}/gift-cards${path}`, { token: ADMIN_TOKEN, body });

async function issue(storeId: string, amount: number, number = newNumber()): Promise<string> {
  const answer = await adminPost(storeId, '', { requestId: randomUUID(), number, amount });
  if (answer.status !== 200)
    throw new Error(`issue answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return number;
}

async function hold(
  station: EnrolledStation,
  number: string,
  amount: number,
  holdId: string = randomUUID(),
): Promise<GiftCardHoldResponse> {
  const answer = await api(fx.server.url, '/v1/gift-cards/holds', {
    token: station.credential,
    body: { holdId, number, amount, saleId: randomUUID() },
  });
  if (answer.status !== 200)
    throw new Error(`hold answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return GiftCardHoldResponseSchema.parse(answer.body);
}

async function balance(station: EnrolledStation, number: string): Promise<GiftCardBalanceResponse> {
  const answer = await api(fx.server.url, '/v1/gift-cards/balance', {
    token: station.credential,
    body: { number },
  });
  if (answer.status !== 200) throw new Error(`balance answered ${answer.status}`);
  return GiftCardBalanceResponseSchema.parse(answer.body);
}

async function available(station: EnrolledStation, number: string): Promise<number> {
  const found = await balance(station, number);
  if (found.status !== 'found') throw new Error('card not found');
  return found.available;
}

interface LedgerRow {
  kind: string;
  delta: number;
  balance_after: number | null;
  offline: boolean;
  overdrawn: boolean;
  unknown_card: boolean;
}

async function ledger(storeId: string, number: string): Promise<LedgerRow[]> {
  const rows = await fx.pool.query<{
    kind: string;
    delta: string;
    balance_after: string | null;
    offline: boolean;
    overdrawn: boolean;
    unknown_card: boolean;
  }>(
    `SELECT kind, delta, balance_after, offline, overdrawn, unknown_card FROM gift_card_ledger
      WHERE store_id = $1 AND card_key = decode($2, 'hex') ORDER BY seq`,
    [storeId, keyOf(number)],
  );
  return rows.rows.map((r) => ({
    ...r,
    delta: Number(r.delta),
    balance_after: r.balance_after === null ? null : Number(r.balance_after),
  }));
}

async function storedBalance(storeId: string, number: string): Promise<number> {
  const rows = await fx.pool.query<{ balance: string }>(
    "SELECT balance FROM gift_cards WHERE store_id = $1 AND card_key = decode($2, 'hex')",
    [storeId, keyOf(number)],
  );
  return Number(rows.rows[0]!.balance);
}

async function newStore(): Promise<{ storeId: string; till: EnrolledStation }> {
  const storeId = await makeStore(fx.pool);
  return { storeId, till: await enrolStation(fx, storeId) };
}

// --- documents --------------------------------------------------------------------------------------------

/** A payment of a pushed document, with the gift-card fields of the protocol (GiftCardPaymentFieldsSchema). */
type PushedPayment = SaleView['payments'][number] & {
  gift_card_key?: string | null;
  gift_card_offline?: 0 | 1;
};
type PushedDocument = Omit<SaleView, 'payments'> & { payments: PushedPayment[] };

/** 3 × 3.50 + 12.00 = 22.50, paid `giftAmount` by gift card and the rest by bank card. */
function giftSale(
  station: EnrolledStation,
  cardKey: string,
  giftAmount: number,
  options: { paymentId?: string; offline?: boolean } = {},
): PushedDocument {
  const doc: PushedDocument = syntheticSale({
    stationId: station.stationId,
    lines: [
      { plu: '101', qtyMilli: 3000, unitPrice: 350, taxRatePpm: 130_000 },
      { plu: '102', qtyMilli: 1000, unitPrice: 1200, taxRatePpm: 90_000 },
    ],
    at: new Date('2026-03-10T04:00:00Z'),
  });
  const card = doc.payments[0]!;
  card.amount = doc.totals.total - giftAmount;
  doc.payments.push({
    ...card,
    id: options.paymentId ?? randomUUID(),
    tender: 'gift',
    type: 'gift_card',
    amount: giftAmount,
    approvalCode: null,
    reference: '•••• 0000',
    gift_card_key: cardKey,
    gift_card_offline: options.offline === true ? 1 : 0,
  });
  if (card.amount === 0) doc.payments.shift();
  return doc;
}

/** The refund of a whole document: every line and payment back, with the opposite sign. */
function refundOf(original: PushedDocument): PushedDocument {
  const neg = (n: number) => (n === 0 ? 0 : -n);
  return {
    ...original,
    id: randomUUID(),
    kind: 'refund',
    receiptNo: 'R-000001',
    originalSaleId: original.id,
    lines: original.lines.map((l) => ({
      ...l,
      id: randomUUID(),
      qtyMilli: neg(l.qtyMilli),
      stockQtyMilli: neg(l.stockQtyMilli),
      originalLineId: l.id,
      amounts: l.amounts && {
        gross: neg(l.amounts.gross),
        discount: neg(l.amounts.discount),
        tax: neg(l.amounts.tax),
        total: neg(l.amounts.total),
      },
    })),
    payments: original.payments.map((p) => ({
      ...p,
      id: randomUUID(),
      amount: neg(p.amount - p.change),
      change: 0,
      originalPaymentId: p.id,
    })),
    totals: {
      ...original.totals,
      total: neg(original.totals.total),
      taxTotal: neg(original.totals.taxTotal),
      payable: neg(original.totals.payable),
      paid: neg(original.totals.payable),
      change: 0,
    },
  };
}

const documentEvent = (
  station: EnrolledStation,
  seq: number,
  doc: PushedDocument,
  type = doc.kind === 'refund' ? 'refund.completed' : 'sale.completed',
): PushEvent => outboxEvent(seq, type, { stationId: station.stationId, document: doc });

const releaseEvent = (station: EnrolledStation, seq: number, holdId: string, saleId = randomUUID()) =>
  outboxEvent(seq, 'gift_card.hold_released', { stationId: station.stationId, holdId, saleId });

// --- tests ------------------------------------------------------------------------------------------------

describe('holds', () => {
  it('holds an amount: available drops, the answer names the card without its number', async () => {
    const { storeId, till } = await newStore();
    const number = await issue(storeId, 5000);
    const held = await hold(till, number, 2000);
    expect(held).toMatchObject({
      status: 'held',
      cardKey: keyOf(number),
      last4: number.slice(-4),
      amount: 2000,
      available: 3000,
      currency: 'CNY',
    });
    expect(await balance(till, number)).toEqual({
      status: 'found',
      last4: number.slice(-4),
      active: true,
      balance: 5000,
      available: 3000,
      currency: 'CNY',
    });
    // The number itself is nowhere in the database.
    const digits = normaliseGiftCardNumber(number)!;
    const dump = await fx.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT row_to_json(c)::text AS t FROM gift_cards c UNION ALL
         SELECT row_to_json(h)::text FROM gift_card_holds h UNION ALL
         SELECT row_to_json(l)::text FROM gift_card_ledger l) AS x
        WHERE t LIKE '%' || $1 || '%'`,
      [digits],
    );
    expect(Number(dump.rows[0]!.n)).toBe(0);
  });

  it('declines an unknown card, a deactivated card and an amount over what is available, reserving nothing', async () => {
    const { storeId, till } = await newStore();
    const other = await enrolStation(fx, storeId, 'Till 2');
    expect(await hold(till, newNumber(), 100)).toMatchObject({ status: 'declined', reason: 'unknown_card' });

    const number = await issue(storeId, 5000);
    const first = await hold(till, number, 3000);
    expect(first.status).toBe('held');
    // Another till's hold counts against this one.
    expect(await hold(other, number, 2500)).toMatchObject({
      status: 'declined',
      reason: 'insufficient',
      available: 2000,
    });
    expect(await available(till, number)).toBe(2000);

    // An expired hold reserves nothing any more.
    await fx.pool.query("UPDATE gift_card_holds SET expires_at = now() - interval '1 second' WHERE id = $1", [
      first.holdId,
    ]);
    expect(await hold(other, number, 2500)).toMatchObject({ status: 'held', available: 2500 });

    expect((await adminPost(storeId, '/deactivate', { number })).status).toBe(200);
    expect(await hold(till, number, 100)).toMatchObject({ status: 'declined', reason: 'inactive' });
  });

  it('answers a retried hold again and refuses the same hold id for another amount, card or station', async () => {
    const { storeId, till } = await newStore();
    const other = await enrolStation(fx, storeId, 'Till 2');
    const number = await issue(storeId, 5000);
    const holdId = randomUUID();
    const first = await hold(till, number, 2000, holdId);
    const again = await hold(till, number, 2000, holdId);
    expect(again).toEqual(first);
    expect(await available(till, number)).toBe(3000);

    const post = (station: EnrolledStation, body: object): Promise<ApiAnswer> =>
      api(fx.server.url, '/v1/gift-cards/holds', {
        token: station.credential,
        body: { holdId, number, amount: 2000, saleId: randomUUID(), ...body },
      });
    for (const answer of [
      await post(till, { amount: 2100 }),
      await post(till, { number: await issue(storeId, 5000) }),
      await post(other, {}),
    ]) {
      expect([answer.status, errorCode(answer)]).toEqual([409, 'conflict']);
    }
    expect(await available(till, number)).toBe(3000);
  });

  it('lets exactly one of two tills racing for the last balance hold it', async () => {
    const { storeId, till } = await newStore();
    const other = await enrolStation(fx, storeId, 'Till 2');
    for (let round = 0; round < 5; round++) {
      const number = await issue(storeId, 1000);
      const answers = await Promise.all([hold(till, number, 600), hold(other, number, 600)]);
      expect(answers.map((a) => a.status).sort()).toEqual(['declined', 'held']);
      expect(answers.find((a) => a.status === 'declined')).toMatchObject({
        reason: 'insufficient',
        available: 400,
      });
      expect(await available(till, number)).toBe(400);
    }
  });

  it('refuses a wrong credential, and a station of another store does not see the card', async () => {
    const { storeId, till } = await newStore();
    const number = await issue(storeId, 5000);
    const body = { holdId: randomUUID(), number, amount: 100, saleId: randomUUID() };
    const wrong = `${till.stationId}.${'x'.repeat(43)}`;
    for (const token of [wrong, undefined]) {
      const holdAnswer = await api(fx.server.url, '/v1/gift-cards/holds', { token, body });
      expect([holdAnswer.status, errorCode(holdAnswer)]).toEqual([401, 'unauthenticated']);
      const balanceAnswer = await api(fx.server.url, '/v1/gift-cards/balance', { token, body: { number } });
      expect([balanceAnswer.status, errorCode(balanceAnswer)]).toEqual([401, 'unauthenticated']);
    }
    const elsewhere = (await newStore()).till;
    expect(await hold(elsewhere, number, 100)).toMatchObject({ status: 'declined', reason: 'unknown_card' });
    expect(await balance(elsewhere, number)).toEqual({ status: 'unknown_card' });
    expect(await available(till, number)).toBe(5000);
    // A body that is not a hold request is a clear 400.
    const bad = await api(fx.server.url, '/v1/gift-cards/holds', {
      token: till.credential,
      body: { ...body, amount: 1.5 },
    });
    expect([bad.status, errorCode(bad)]).toEqual([400, 'bad_request']);
  });
});

describe('pushed documents', () => {
  it('a pushed sale consumes its hold and lowers the balance exactly once; its refund credits the card', async () => {
    const { storeId, till } = await newStore();
    const number = await issue(storeId, 5000);
    const paymentId = randomUUID();
    expect((await hold(till, number, 2000, paymentId)).status).toBe('held');
    const doc = giftSale(till, keyOf(number), 2000, { paymentId });
    const event = documentEvent(till, 1, doc);
    expect(statuses(await pushResults(fx, till, [event]))).toEqual(['created']);
    expect(statuses(await pushResults(fx, till, [event]))).toEqual(['duplicate']);
    expect(await storedBalance(storeId, number)).toBe(3000);
    // The consumed hold no longer reserves: available is the balance.
    expect(await available(till, number)).toBe(3000);
    const consumed = await fx.pool.query<{ consumed: boolean }>(
      'SELECT consumed_at IS NOT NULL AS consumed FROM gift_card_holds WHERE id = $1',
      [paymentId],
    );
    expect(consumed.rows[0]!.consumed).toBe(true);

    const refund = refundOf(doc);
    expect(statuses(await pushResults(fx, till, [documentEvent(till, 2, refund)]))).toEqual(['created']);
    expect(await storedBalance(storeId, number)).toBe(5000);
    expect(await ledger(storeId, number)).toEqual([
      {
        kind: 'issue',
        delta: 5000,
        balance_after: 5000,
        offline: false,
        overdrawn: false,
        unknown_card: false,
      },
      {
        kind: 'redeem',
        delta: -2000,
        balance_after: 3000,
        offline: false,
        overdrawn: false,
        unknown_card: false,
      },
      {
        kind: 'credit',
        delta: 2000,
        balance_after: 5000,
        offline: false,
        overdrawn: false,
        unknown_card: false,
      },
    ]);
  });

  it('the careful path (a batch with a retried event) projects gift payments the same way', async () => {
    const { storeId, till } = await newStore();
    const number = await issue(storeId, 5000);
    const first = documentEvent(till, 1, giftSale(till, keyOf(number), 1000));
    await pushResults(fx, till, [first]);
    const second = documentEvent(till, 2, giftSale(till, keyOf(number), 1500));
    expect(statuses(await pushResults(fx, till, [first, second]))).toEqual(['duplicate', 'created']);
    expect(await storedBalance(storeId, number)).toBe(2500);
    expect((await ledger(storeId, number)).map((r) => [r.delta, r.balance_after])).toEqual([
      [5000, 5000],
      [-1000, 4000],
      [-1500, 2500],
    ]);
  });

  it('stores an offline payment that overdraws the card, flags it and lists it as an exception', async () => {
    const { storeId, till } = await newStore();
    const number = await issue(storeId, 1500);
    // Two offline sales of one card in ONE batch: the first fits, the second overdraws.
    const results = await pushResults(fx, till, [
      documentEvent(till, 1, giftSale(till, keyOf(number), 1000, { offline: true })),
      documentEvent(till, 2, giftSale(till, keyOf(number), 1000, { offline: true })),
    ]);
    expect(statuses(results)).toEqual(['created', 'created']);
    expect(await storedBalance(storeId, number)).toBe(-500);
    expect((await ledger(storeId, number)).slice(1)).toEqual([
      {
        kind: 'redeem',
        delta: -1000,
        balance_after: 500,
        offline: true,
        overdrawn: false,
        unknown_card: false,
      },
      {
        kind: 'redeem',
        delta: -1000,
        balance_after: -500,
        offline: true,
        overdrawn: true,
        unknown_card: false,
      },
    ]);
    const answer = await api(fx.server.url, `/v1/admin/stores/${storeId}/gift-cards/exceptions`, {
      token: ADMIN_TOKEN,
    });
    expect(answer.status).toBe(200);
    expect((answer.body as { exceptions: unknown[] }).exceptions).toEqual([
      expect.objectContaining({
        kind: 'redeem',
        delta: -1000,
        balanceAfter: -500,
        offline: true,
        overdrawn: true,
        unknownCard: false,
        cardKey: keyOf(number),
        last4: number.slice(-4),
        stationId: till.stationId,
      }),
    ]);
    // An overdrawn card declines holds.
    expect(await hold(till, number, 1)).toMatchObject({ status: 'declined', reason: 'insufficient' });
  });

  it('two tills pushing redemptions of one card at once: each ledger row sees the other, the balance both', async () => {
    const { storeId, till } = await newStore();
    const other = await enrolStation(fx, storeId, 'Till 2');
    for (let round = 0; round < 4; round++) {
      const number = await issue(storeId, 5000);
      const key = keyOf(number);
      await Promise.all([
        pushResults(fx, till, [documentEvent(till, round + 1, giftSale(till, key, 1000, { offline: true }))]),
        pushResults(fx, other, [
          documentEvent(other, round + 1, giftSale(other, key, 1500, { offline: true })),
        ]),
      ]);
      expect(await storedBalance(storeId, number)).toBe(2500);
      const rows = (await ledger(storeId, number)).slice(1);
      // Applied one after the other, whichever came first: the last row ends at the stored balance.
      expect([
        [
          [-1000, 4000],
          [-1500, 2500],
        ],
        [
          [-1500, 3500],
          [-1000, 2500],
        ],
      ]).toContainEqual(rows.map((r) => [r.delta, r.balance_after]));
    }
  });

  it('stores a document naming an unknown card and flags its ledger row', async () => {
    const { storeId, till } = await newStore();
    const unknown = newNumber();
    const doc = giftSale(till, keyOf(unknown), 800, { offline: true });
    expect(statuses(await pushResults(fx, till, [documentEvent(till, 1, doc)]))).toEqual(['created']);
    const sales = await fx.pool.query('SELECT 1 FROM sales WHERE id = $1', [doc.id]);
    expect(sales.rowCount).toBe(1);
    expect(await ledger(storeId, unknown)).toEqual([
      {
        kind: 'redeem',
        delta: -800,
        balance_after: null,
        offline: true,
        overdrawn: false,
        unknown_card: true,
      },
    ]);
    const lookup = await adminPost(storeId, '/lookup', { number: unknown });
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({
      card: null,
      holds: [],
      ledger: [{ unknownCard: true, delta: -800 }],
    });
    const answer = await api(fx.server.url, `/v1/admin/stores/${storeId}/gift-cards/exceptions`, {
      token: ADMIN_TOKEN,
    });
    expect((answer.body as { exceptions: unknown[] }).exceptions).toEqual([
      expect.objectContaining({
        unknownCard: true,
        last4: null,
        balanceAfter: null,
        cardKey: keyOf(unknown),
      }),
    ]);
  });

  it('applies an offline redemption of a deactivated card, flags it and lists it as an exception', async () => {
    const { storeId, till } = await newStore();
    const number = await issue(storeId, 5000);
    expect((await adminPost(storeId, '/deactivate', { number })).status).toBe(200);
    const doc = giftSale(till, keyOf(number), 700, { offline: true });
    expect(statuses(await pushResults(fx, till, [documentEvent(till, 1, doc)]))).toEqual(['created']);
    // A fact: the balance moves, and the back office sees which card should not have been taken.
    expect(await storedBalance(storeId, number)).toBe(4300);
    const flagged = await fx.pool.query<{ inactive_card: boolean; overdrawn: boolean }>(
      "SELECT inactive_card, overdrawn FROM gift_card_ledger WHERE id = $1 AND kind = 'redeem'",
      [doc.payments.find((p) => p.type === 'gift_card')!.id],
    );
    expect(flagged.rows).toEqual([{ inactive_card: true, overdrawn: false }]);
    const answer = await api(fx.server.url, `/v1/admin/stores/${storeId}/gift-cards/exceptions`, {
      token: ADMIN_TOKEN,
    });
    expect((answer.body as { exceptions: unknown[] }).exceptions).toEqual([
      expect.objectContaining({ inactiveCard: true, overdrawn: false, delta: -700, cardKey: keyOf(number) }),
    ]);
  });

  it('refuses a gift_card payment without its card, and a card on another tender', async () => {
    const { till } = await newStore();
    const keyless = giftSale(till, keyOf(newNumber()), 500);
    delete keyless.payments.at(-1)!.gift_card_key;
    const badKey = giftSale(till, 'not-a-key', 500);
    const stray = giftSale(till, keyOf(newNumber()), 500);
    stray.payments[0]!.gift_card_key = keyOf(newNumber());
    stray.payments[0]!.gift_card_offline = 0;
    // What the station's payment rows carry on every other tender: no card.
    const plain = giftSale(till, keyOf(newNumber()), 500, { offline: true });
    plain.payments[0]!.gift_card_key = null;
    plain.payments[0]!.gift_card_offline = 0;
    const results = await pushResults(fx, till, [
      documentEvent(till, 1, keyless),
      documentEvent(till, 2, badKey),
      documentEvent(till, 3, stray),
      documentEvent(till, 4, plain),
    ]);
    expect(statuses(results)).toEqual([
      'rejected:bad_payload',
      'rejected:bad_payload',
      'rejected:bad_payload',
      'created',
    ]);
    expect(results[0]!.status === 'rejected' && results[0]!.message).toMatch(/needs gift_card_key/);
    expect(results[2]!.status === 'rejected' && results[2]!.message).toMatch(
      /card payment but names a gift card/,
    );
  });
});

describe('gift_card.hold_released', () => {
  it("frees the held amount; another station's release does nothing; a malformed one is bad_payload", async () => {
    const { storeId, till } = await newStore();
    const other = await enrolStation(fx, storeId, 'Till 2');
    const number = await issue(storeId, 5000);
    const held = await hold(till, number, 3000);
    expect(await available(till, number)).toBe(2000);

    // Another station cannot release it: naming this station is refused, naming itself matches nothing.
    const foreign = await pushResults(fx, other, [
      releaseEvent(till, 1, held.holdId),
      releaseEvent(other, 2, held.holdId),
    ]);
    expect(statuses(foreign)).toEqual(['rejected:bad_payload', 'created']);
    expect(await available(till, number)).toBe(2000);

    const malformed = await pushResults(fx, till, [
      outboxEvent(1, 'gift_card.hold_released', { stationId: till.stationId, holdId: held.holdId }),
      outboxEvent(2, 'gift_card.hold_released', {
        stationId: till.stationId,
        holdId: 'nope',
        saleId: randomUUID(),
      }),
    ]);
    expect(statuses(malformed)).toEqual(['rejected:bad_payload', 'rejected:bad_payload']);
    expect(await available(till, number)).toBe(2000);

    expect(statuses(await pushResults(fx, till, [releaseEvent(till, 3, held.holdId)]))).toEqual(['created']);
    expect(await available(till, number)).toBe(5000);
    // A retry of the released hold answers again but reserves nothing.
    expect(await hold(till, number, 3000, held.holdId)).toMatchObject({ status: 'held', available: 5000 });
    expect(await storedBalance(storeId, number)).toBe(5000);
  });
});

describe('admin', () => {
  it('issues, loads, looks up and deactivates cards, each request idempotent by its id', async () => {
    const { storeId, till } = await newStore();
    const number = newNumber();
    const issueBody = { requestId: randomUUID(), number, amount: 10_000 };
    const issued = await adminPost(storeId, '', issueBody);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({
      kind: 'issue',
      amount: 10_000,
      balanceAfter: 10_000,
      last4: number.slice(-4),
      currency: 'CNY',
      cardKey: keyOf(number),
    });
    expect(await adminPost(storeId, '', issueBody)).toEqual(issued);
    const sameIdOtherAmount = await adminPost(storeId, '', { ...issueBody, amount: 1 });
    expect([sameIdOtherAmount.status, errorCode(sameIdOtherAmount)]).toEqual([409, 'conflict']);
    const existing = await adminPost(storeId, '', { ...issueBody, requestId: randomUUID() });
    expect([existing.status, errorCode(existing)]).toEqual([409, 'conflict']);

    const loadBody = { requestId: randomUUID(), number, amount: 2550 };
    const loaded = await adminPost(storeId, '/load', loadBody);
    expect(loaded.body).toMatchObject({ kind: 'load', amount: 2550, balanceAfter: 12_550 });
    expect(await adminPost(storeId, '/load', loadBody)).toEqual(loaded);
    const issueIdAsLoad = await adminPost(storeId, '/load', { ...issueBody });
    expect([issueIdAsLoad.status, errorCode(issueIdAsLoad)]).toEqual([409, 'conflict']);
    const unknownLoad = await adminPost(storeId, '/load', {
      ...loadBody,
      requestId: randomUUID(),
      number: newNumber(),
    });
    expect(unknownLoad.status).toBe(404);
    expect(await storedBalance(storeId, number)).toBe(12_550);

    const held = await hold(till, number, 550);
    const lookup = await adminPost(storeId, '/lookup', { number: number.replaceAll(' ', '-') });
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({
      card: { balance: 12_550, available: 12_000, active: true, last4: number.slice(-4) },
      ledger: [
        { kind: 'load', delta: 2550, balanceAfter: 12_550 },
        { kind: 'issue', delta: 10_000, balanceAfter: 10_000 },
      ],
      holds: [{ holdId: held.holdId, stationId: till.stationId, amount: 550 }],
    });

    const deactivated = await adminPost(storeId, '/deactivate', { number });
    expect(deactivated.body).toMatchObject({ active: false, balance: 12_550 });
    expect((await adminPost(storeId, '/deactivate', { number })).body).toEqual(deactivated.body);
    const loadInactive = await adminPost(storeId, '/load', { ...loadBody, requestId: randomUUID() });
    expect([loadInactive.status, errorCode(loadInactive)]).toEqual([409, 'conflict']);
  });

  it('refuses bad bodies, unknown cards and a missing admin token clearly', async () => {
    const { storeId } = await newStore();
    for (const body of [
      { requestId: randomUUID(), number: newNumber(), amount: 0 },
      { requestId: randomUUID(), number: newNumber(), amount: 12.5 },
      { requestId: randomUUID(), number: '12', amount: 100 },
      { requestId: 'x', number: newNumber(), amount: 100 },
      { requestId: randomUUID(), number: newNumber(), amount: 100, extra: true },
    ]) {
      const answer = await adminPost(storeId, '', body);
      expect([answer.status, errorCode(answer)]).toEqual([400, 'bad_request']);
    }
    expect((await adminPost(storeId, '/lookup', { number: newNumber() })).status).toBe(404);
    expect((await adminPost(storeId, '/deactivate', { number: newNumber() })).status).toBe(404);
    const noStore = await adminPost('nowhere', '', {
      requestId: randomUUID(),
      number: newNumber(),
      amount: 1,
    });
    expect(noStore.status).toBe(404);
    const noToken = await api(fx.server.url, `/v1/admin/stores/${storeId}/gift-cards/exceptions`);
    expect([noToken.status, errorCode(noToken)]).toEqual([401, 'unauthenticated']);
  });
});

describe('server:gift-card', () => {
  it('issues, loads, shows and deactivates a card with amounts in the store currency', async () => {
    const { storeId, till } = await newStore();
    const number = newNumber();
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runGiftCardCommand(
        ['--store', storeId, '--number', number, ...argv],
        { out: (l) => out.push(l), err: (l) => err.push(l) },
        { DATABASE_URL: fx.databaseUrl },
      );
      return { code, out, err };
    };
    const last4 = number.slice(-4);
    expect(await run('--issue', '100.00')).toMatchObject({
      code: 0,
      out: [`Issued gift card •••• ${last4} in ${storeId} with 100.00 CNY; balance 100.00 CNY.`],
    });
    const requestId = randomUUID();
    expect((await run('--load', '0.5', '--request-id', requestId)).out).toEqual([
      `Loaded 0.50 CNY onto gift card •••• ${last4}; balance 100.50 CNY.`,
    ]);
    // The same request id again loads nothing more.
    expect((await run('--load', '0.5', '--request-id', requestId)).out[0]).toMatch(/balance 100\.50 CNY/);
    await hold(till, number, 2000);
    expect((await run('--balance')).out).toEqual([
      `Gift card •••• ${last4} in ${storeId}: balance 100.50 CNY, available 80.50 CNY (20.00 CNY held by 1 open tender), active.`,
    ]);
    expect((await run('--deactivate')).out[0]).toMatch(/is deactivated; balance 100\.50 CNY/);
    expect((await run('--balance')).out[0]).toMatch(/DEACTIVATED/);

    for (const bad of [
      ['--load', '1.005'],
      ['--load', '-1'],
      ['--issue', '0'],
    ]) {
      const refused = await run(...bad);
      expect(refused.code).toBe(1);
      expect(refused.err[0]).toMatch(/is not an amount in CNY: a positive number with at most 2 decimals/);
    }
    const twice = await run('--issue', '1.00');
    expect([twice.code, twice.err[0]]).toEqual([1, expect.stringMatching(/already exists/)]);
    const usage = await run('--balance', '--deactivate');
    expect([usage.code, usage.err.join('\n')]).toEqual([
      1,
      expect.stringMatching(/Usage: npm run server:gift-card/),
    ]);
    expect(await storedBalance(storeId, number)).toBe(10_050);
  });
});
