/**
 * Gift cards at the till against the REAL store server (src/server) on a real PostgreSQL: cards issued through
 * the server's admin functions, the station enrolled with a one-time code, then — through the station's gate —
 * hold → complete → push lowers the balance; declines say why; removing or cancelling a gift tender releases the
 * hold on the server; with the server stopped the store's offline policy decides (block: typed error, nothing
 * approved, a release queued; allow: accepted unverified and applied once the server is back); a refund credits
 * the card with a negative payment carrying the original key; and the card number is in neither the station's
 * database file nor its logs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { giftCardKey } from '../../../src/main/core/sale/gift-cards';
import { createPool, type Pool } from '../../../src/server/db';
import { createEnrolmentCode, createStore, upsertProducts, upsertTaxRates } from '../../../src/server/admin';
import { deactivateGiftCard, issueGiftCard, lookupGiftCard } from '../../../src/server/gift-cards';
import { startStoreServer, type StoreServer } from '../../../src/server/index';
import type { ErrorData, Result } from '../../../src/shared/domain/errors';
import { receiptDocument } from '../../../src/shared/print/receipt';
import { DEFAULT_TENDERS, type SaleView } from '../../../src/shared/ipc/channels/sale';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { unwrap } from '../../helpers/station';
import { openSyncStation, until, type SyncStation } from './fixture';

const STORE = 'store-gift';
const GIFT = { code: 'gift', type: 'gift_card', nameZh: '礼品卡', nameEn: 'Gift card' } as const;
/** As a cashier would type them; the normal forms are what must never be stored. */
const CARD = { typed: '6200 0000 0000 1234', normal: '6200000000001234' };
const SMALL = { typed: '6200-0000-0000-5678', normal: '6200000000005678' };
const DEAD = { typed: '6200000000009999', normal: '6200000000009999' };
const UNKNOWN = { typed: '6299000000000001', normal: '6299000000000001' };
const OFFLINE = { typed: '6200000000004321', normal: '6200000000004321' };
const REFUNDED = { typed: '6200000000002468', normal: '6200000000002468' };
const RELEASED = { typed: 'GC-ABCD-0001', normal: 'GCABCD0001' };

let pg: TestPostgres;
let databaseUrl: string;
let pool: Pool;
let server: StoreServer;
let st: SyncStation | undefined;
const extraServers: StoreServer[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  databaseUrl = await pg.newDatabase();
  server = await startStoreServer({
    databaseUrl,
    port: 0,
    adminToken: 'gift-card-admin-token',
    log: () => undefined,
  });
  pool = createPool(databaseUrl, 2);
  await createStore(pool, { id: STORE, name: '礼品店', currency: 'CNY' });
  await upsertTaxRates(pool, STORE, [
    { code: 'VAT13', nameZh: '增值税13%', nameEn: 'VAT 13%', ratePpm: 130_000, active: true },
  ]);
  await upsertProducts(pool, STORE, [
    {
      plu: '8001',
      barcodes: [],
      nameZh: '礼盒',
      nameEn: 'Gift box',
      category: null,
      unit: 'piece',
      price: 1000,
      cost: null,
      taxCode: 'VAT13',
      active: true,
    },
  ]);
  const issue = (number: string, amount: number) =>
    issueGiftCard(pool, STORE, { requestId: randomUUID(), number, amount });
  await issue(CARD.typed, 50_000);
  await issue(SMALL.typed, 300);
  await issue(DEAD.typed, 10_000);
  await deactivateGiftCard(pool, STORE, DEAD.typed);
  await issue(OFFLINE.typed, 500);
  await issue(REFUNDED.typed, 10_000);
  await issue(RELEASED.typed, 10_000);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await server?.close();
  for (const s of extraServers) await s.close().catch(() => undefined);
  await pg?.stop();
});

afterEach(() => {
  st?.cleanup();
  st = undefined;
});

/** A station enrolled with `url`, the store's catalog pulled, a gift-card tender configured. */
async function enrolledStation(url = server.url): Promise<SyncStation> {
  const station = await openSyncStation();
  st = station;
  const code = await createEnrolmentCode(pool, STORE);
  unwrap(await station.admin('sync:enrol', { serverUrl: url, code }));
  await until(() => station.station.sync.status().lastPullAt !== null, 'catalog pulled');
  unwrap(await station.admin('settings:set-sale', { tenders: [...DEFAULT_TENDERS, GIFT] }));
  return station;
}

/** One product (10.00) in the cart, tendering started. */
async function tendering(station: SyncStation, items = 1): Promise<SaleView> {
  for (let i = 0; i < items; i++) unwrap(await station.admin('sale:scan', { code: '8001' }));
  return unwrap(await station.admin('sale:start-tender', {}));
}

function failed<T>(result: Result<T>): ErrorData {
  if (result.ok) throw new Error('expected the call to fail');
  return result.error;
}

const payload = (json: string) => JSON.parse(json) as Record<string, unknown>;

function outbox(station: SyncStation, type: string): Record<string, unknown>[] {
  return station.station.db
    .prepare<[string], { payload: string }>('SELECT payload FROM outbox WHERE type = ? ORDER BY seq')
    .all(type)
    .map((row) => payload(row.payload));
}

async function pushed(station: SyncStation): Promise<void> {
  unwrap(await station.admin('sync:now', {}));
  await until(() => station.station.sync.status().pendingEvents === 0, 'outbox pushed');
}

async function card(number: string) {
  const found = await lookupGiftCard(pool, STORE, number);
  if (!found.card) throw new Error('card not found on the server');
  return { ...found.card, holds: found.holds };
}

describe('gift cards at the till, against the store server', () => {
  it('holds online, completes, pushes with the card key, and the server lowers the balance exactly once', async () => {
    const station = await enrolledStation();
    await tendering(station, 3);
    const view = unwrap(
      await station.admin('sale:add-tender', { tender: 'gift', amount: 3000, reference: CARD.typed }),
    );
    const payment = view.payments.at(-1)!;
    expect(payment).toMatchObject({
      type: 'gift_card',
      status: 'approved',
      amount: 3000,
      reference: '•••• 1234',
      giftCardOffline: false,
    });
    expect(view.totals.remaining).toBe(0);
    // Held on the server while the sale is open: available went down, the balance not yet.
    expect(await card(CARD.normal)).toMatchObject({ balance: 50_000, available: 47_000 });

    const done = unwrap(await station.admin('sale:complete', {}));
    expect(done.status).toBe('completed');
    // The receipt names the tender and the card by its last four only.
    const receipt = receiptDocument(done, {
      storeName: '礼品店',
      locale: 'en',
      tenders: [...DEFAULT_TENDERS, GIFT],
    });
    const columns = receipt.blocks.flatMap((b) => (b.kind === 'columns' ? [[b.left, b.right]] : []));
    expect(columns).toContainEqual(['Gift card', '30.00']);
    expect(columns).toContainEqual(['  Card', '•••• 1234']);
    expect(receipt.openDrawer).toBe(false);
    const [event] = outbox(station, 'sale.completed');
    const document = event!['document'] as { payments: Record<string, unknown>[] };
    expect(document.payments).toEqual([
      expect.objectContaining({
        id: payment.id,
        type: 'gift_card',
        amount: 3000,
        gift_card_key: giftCardKey(CARD.normal),
        gift_card_offline: 0,
      }),
    ]);
    await pushed(station);
    expect(await card(CARD.normal)).toMatchObject({ balance: 47_000, available: 47_000, holds: [] });
    expect(station.station.sync.status().quarantined).toBe(0);
    // Pushing again (a new cycle) changes nothing.
    await pushed(station);
    expect((await card(CARD.normal)).balance).toBe(47_000);
  });

  it('declines an unknown card, a deactivated one and one without enough, saying why; nothing is reserved', async () => {
    const station = await enrolledStation();
    await tendering(station);
    const unknown = failed(
      await station.admin('sale:add-tender', { tender: 'gift', amount: 1000, reference: UNKNOWN.typed }),
    );
    expect(unknown).toMatchObject({
      code: 'payment_declined',
      details: { reason: 'gift_card_unknown_card' },
      action: 'try_another_card',
    });
    const dead = failed(
      await station.admin('sale:add-tender', { tender: 'gift', amount: 1000, reference: DEAD.typed }),
    );
    expect(dead).toMatchObject({ code: 'payment_declined', details: { reason: 'gift_card_inactive' } });
    const short = failed(
      await station.admin('sale:add-tender', { tender: 'gift', amount: 1000, reference: SMALL.typed }),
    );
    expect(short).toMatchObject({
      code: 'payment_declined',
      details: { reason: 'gift_card_insufficient', available: 300 },
    });
    // A mistyped number is refused before anything is written or sent, and the error does not repeat it.
    const typo = failed(
      await station.admin('sale:add-tender', { tender: 'gift', amount: 1000, reference: '12 34' }),
    );
    expect(typo).toMatchObject({ code: 'bad_input', details: { reason: 'gift_card_number' } });
    expect(JSON.stringify(typo)).not.toContain('1234');

    const current = unwrap(await station.admin('sale:current', {}))!;
    expect(current.payments.map((p) => [p.type, p.status])).toEqual([
      ['gift_card', 'declined'],
      ['gift_card', 'declined'],
      ['gift_card', 'declined'],
    ]);
    expect(current.totals.paid).toBe(0);
    // A decline is an answer: nothing was held, so nothing needs releasing.
    expect(outbox(station, 'gift_card.hold_released')).toEqual([]);
    expect(await card(SMALL.normal)).toMatchObject({ balance: 300, available: 300, holds: [] });
    const audit = station.station.db
      .prepare("SELECT details FROM audit_log WHERE action = 'sale.gift_card_not_approved' ORDER BY seq")
      .pluck()
      .all() as string[];
    expect(audit.map((d) => payload(d)['reason'])).toEqual(['unknown_card', 'inactive', 'insufficient']);
  });

  it('tells a customer what is on a card, without reserving anything; says why when it cannot', async () => {
    const own = await startStoreServer({
      databaseUrl,
      port: 0,
      adminToken: 'gift-card-admin-token',
      log: () => undefined,
    });
    extraServers.push(own);
    const station = await enrolledStation(own.url);
    const before = await card(SMALL.normal);
    expect(unwrap(await station.admin('sale:gift-card-balance', { number: SMALL.typed }))).toEqual({
      status: 'found',
      last4: SMALL.normal.slice(-4),
      active: true,
      balance: before.balance,
      available: before.available,
      currency: 'CNY',
    });
    expect(unwrap(await station.admin('sale:gift-card-balance', { number: DEAD.typed }))).toMatchObject({
      status: 'found',
      active: false,
    });
    expect(unwrap(await station.admin('sale:gift-card-balance', { number: UNKNOWN.typed }))).toEqual({
      status: 'unknown_card',
    });
    expect(failed(await station.admin('sale:gift-card-balance', { number: ' ' }))).toMatchObject({
      code: 'bad_input',
      details: { reason: 'gift_card_number' },
    });
    // Nothing was reserved or written by asking.
    expect(await card(SMALL.normal)).toMatchObject({ balance: before.balance, available: before.available });
    expect(outbox(station, 'gift_card.hold_released')).toEqual([]);

    await own.close();
    expect(failed(await station.admin('sale:gift-card-balance', { number: SMALL.typed }))).toMatchObject({
      code: 'server_unreachable',
      details: { reason: 'gift_card_balance_unreachable' },
      action: 'retry',
    });
  });

  it('removing the tender, or cancelling back to the cart, releases the hold on the server', async () => {
    const station = await enrolledStation();
    const sale = await tendering(station, 2);
    const first = unwrap(
      await station.admin('sale:add-tender', { tender: 'gift', amount: 500, reference: RELEASED.typed }),
    ).payments.at(-1)!;
    const second = unwrap(
      await station.admin('sale:add-tender', { tender: 'gift', amount: 700, reference: RELEASED.typed }),
    ).payments.at(-1)!;
    const before = (await card(RELEASED.normal)).available;
    expect((await card(RELEASED.normal)).holds.map((h) => h.holdId).sort()).toEqual(
      [first.id, second.id].sort(),
    );

    unwrap(await station.admin('sale:remove-tender', { paymentId: first.id }));
    unwrap(await station.admin('sale:cancel-tender', {}));
    expect(outbox(station, 'gift_card.hold_released')).toEqual([
      { stationId: station.station.id, holdId: first.id, saleId: sale.id },
      { stationId: station.station.id, holdId: second.id, saleId: sale.id },
    ]);
    await pushed(station);
    const after = await card(RELEASED.normal);
    expect(after.holds).toEqual([]);
    expect(after.available).toBe(before + 1200);
    expect(station.station.sync.status().quarantined).toBe(0);
  });

  it('server stopped, policy block: a typed error, the payment not approved, a release queued', async () => {
    const own = await startStoreServer({
      databaseUrl,
      port: 0,
      adminToken: 'gift-card-admin-token',
      log: () => undefined,
    });
    extraServers.push(own);
    const station = await enrolledStation(own.url);
    expect(unwrap(await station.admin('sync:status', {})).giftCardOffline).toBe('block');
    await tendering(station);
    await own.close();

    const error = failed(
      await station.admin('sale:add-tender', { tender: 'gift', amount: 1000, reference: CARD.typed }),
    );
    expect(error).toMatchObject({
      code: 'server_unreachable',
      details: { reason: 'gift_card_offline_blocked' },
      action: 'try_another_card',
    });
    const current = unwrap(await station.admin('sale:current', {}))!;
    const payment = current.payments.at(-1)!;
    expect(payment).toMatchObject({ type: 'gift_card', status: 'declined', reference: '•••• 1234' });
    expect(current.totals.paid).toBe(0);
    expect(outbox(station, 'gift_card.hold_released')).toEqual([
      { stationId: station.station.id, holdId: payment.id, saleId: current.id },
    ]);
    // The sale goes on with another tender.
    const external = unwrap(
      await station.admin('sale:add-tender', { tender: 'wechat', amount: 1000, reference: 'WX-1' }),
    );
    expect(external.totals.remaining).toBe(0);
  });

  it('server stopped, policy allow: accepted unverified, audited, and applied when the server is back', async () => {
    const own = await startStoreServer({
      databaseUrl,
      port: 0,
      adminToken: 'gift-card-admin-token',
      log: () => undefined,
    });
    extraServers.push(own);
    const station = await enrolledStation(own.url);
    const status = unwrap(
      await station.admin('sync:set-policy', { offlineWarnMinutes: 240, giftCardOffline: 'allow' }),
    );
    expect(status.giftCardOffline).toBe('allow');
    const port = Number(new URL(own.url).port);
    await tendering(station);
    await own.close();

    // More than the card holds: the server cannot be asked, so it is taken on trust and flagged.
    const view = unwrap(
      await station.admin('sale:add-tender', { tender: 'gift', amount: 1000, reference: OFFLINE.typed }),
    );
    const payment = view.payments.at(-1)!;
    expect(payment).toMatchObject({ status: 'approved', giftCardOffline: true, reference: '•••• 4321' });
    const audit = station.station.db
      .prepare<[], string>(
        "SELECT details FROM audit_log WHERE action = 'sale.tender_added' ORDER BY seq DESC LIMIT 1",
      )
      .pluck()
      .get()!;
    expect(payload(audit)).toMatchObject({
      paymentId: payment.id,
      outcome: 'unreachable',
      offlinePolicy: 'allow',
      acceptedOffline: true,
    });
    unwrap(await station.admin('sale:complete', {}));
    const [event] = outbox(station, 'sale.completed');
    expect((event!['document'] as { payments: unknown[] }).payments).toEqual([
      expect.objectContaining({ gift_card_key: giftCardKey(OFFLINE.normal), gift_card_offline: 1 }),
    ]);
    const policyAudit = station.station.db
      .prepare<[], string>("SELECT details FROM audit_log WHERE action = 'sync.policy_changed'")
      .pluck()
      .get()!;
    expect(payload(policyAudit)).toMatchObject({ giftCardOffline: 'allow', giftCardOfflineBefore: 'block' });

    // The server comes back on the same address: the sale arrives and the card is overdrawn, not refused.
    const back = await startStoreServer({
      databaseUrl,
      port,
      adminToken: 'gift-card-admin-token',
      log: () => undefined,
    });
    extraServers.push(back);
    await pushed(station);
    const found = await lookupGiftCard(pool, STORE, OFFLINE.typed);
    expect(found.card?.balance).toBe(-500);
    expect(found.ledger[0]).toMatchObject({ kind: 'redeem', delta: -1000, offline: true, overdrawn: true });
  });

  it('a refund gives the money back to the same card: a negative payment with the original key, no call', async () => {
    const station = await enrolledStation();
    const sale = await tendering(station, 2);
    unwrap(
      await station.admin('sale:add-tender', { tender: 'gift', amount: 2000, reference: REFUNDED.typed }),
    );
    const done = unwrap(await station.admin('sale:complete', {}));
    await pushed(station);
    expect((await card(REFUNDED.normal)).balance).toBe(8000);

    const line = done.lines[0]!;
    const refund = unwrap(
      await station.admin('refund:create', {
        saleId: sale.id,
        lines: [{ lineId: line.id, qtyMilli: 1000 }],
        requestId: randomUUID(),
      }),
    );
    expect(refund.payments).toEqual([
      expect.objectContaining({
        type: 'gift_card',
        tender: 'gift',
        amount: -1000,
        status: 'approved',
        reference: '•••• 2468',
        originalPaymentId: done.payments[0]!.id,
      }),
    ]);
    const [event] = outbox(station, 'refund.completed');
    expect((event!['document'] as { payments: unknown[] }).payments).toEqual([
      expect.objectContaining({
        amount: -1000,
        gift_card_key: giftCardKey(REFUNDED.normal),
        gift_card_offline: 0,
      }),
    ]);
    await pushed(station);
    expect((await card(REFUNDED.normal)).balance).toBe(9000);
    expect(station.station.sync.status().quarantined).toBe(0);
  });

  it('keeps the card number out of the station database file and its logs', async () => {
    const station = await enrolledStation();
    await tendering(station);
    unwrap(await station.admin('sale:add-tender', { tender: 'gift', amount: 1000, reference: CARD.typed }));
    unwrap(await station.admin('sale:complete', {}));
    await tendering(station);
    failed(await station.admin('sale:add-tender', { tender: 'gift', amount: 1000, reference: SMALL.typed }));
    await pushed(station);
    const logs = station.logs.join('\n');
    station.close();
    const files = fs.readdirSync(station.dataDir).filter((f) => f.startsWith('station.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(station.dataDir, file));
      for (const number of [CARD.normal, CARD.typed, SMALL.normal, SMALL.typed]) {
        expect(bytes.includes(Buffer.from(number, 'utf8')), `${number} in ${file}`).toBe(false);
      }
    }
    for (const number of [CARD.normal, CARD.typed, SMALL.normal, SMALL.typed]) {
      expect(logs).not.toContain(number);
    }
  });
});
