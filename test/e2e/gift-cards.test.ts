import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_FIXED_PRODUCTS, DEMO_STAFF } from '../../src/main/core/demo';
import { createEnrolmentCode, createStore, upsertTaxRates } from '../../src/server/admin';
import { createPool, type Pool } from '../../src/server/db';
import { issueGiftCard, lookupGiftCard } from '../../src/server/gift-cards';
import { startStoreServer, type StoreServer } from '../../src/server/index';
import { giftcardsEn } from '../../src/renderer/i18n/giftcards.en';
import { giftcardsZhCN } from '../../src/renderer/i18n/giftcards.zh-CN';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { launchChromium, serveStation, watchPage, type ServedStation } from './harness';
import { amountOf, byId, expectError, openCheckout, signIn, typeLikeAPerson, yuan } from './checkout-page';

/**
 * Gift cards at the till, in the built browser host and Debian's Chromium on the demo store, against the REAL
 * store server (in this process) on a throwaway PostgreSQL. The manager enrols the till on the sync screen with
 * a one-time code and adds a "gift card" tender in the store settings (in a second window: sessions are per
 * window); the cashier then redeems part of a sale on a card typed by hand and pays the rest in cash, and the
 * server's balance goes down by exactly that once the sale is pushed. Declines say why (not enough on the card,
 * with what it has; a card the store does not know). With the server stopped, the default policy refuses gift
 * cards and the sale is paid in cash; after the manager allows them offline, a card is taken on trust, marked on
 * screen, and applied on the server once it is back.
 *
 * The stories run in order on one station and one server: each builds on the balances left by the one before.
 */

const STORE = 'store-gift-e2e';
const ADMIN_TOKEN = 'gift-card-e2e-admin-token';
const GIFT_TENDER = { nameZh: '礼品卡', nameEn: 'Gift card', code: 'gift_card' } as const;
/** As printed on the card (and typed by the cashier); its last four are all the till ever shows. */
const CARD = { number: '6200 0000 0000 1234', last4: '1234', balance: 2000 } as const;
const OFFLINE_CARD = { number: '6200 0000 0000 4321', last4: '4321', balance: 1000 } as const;
/** A well-formed number the store never issued. */
const UNKNOWN_NUMBER = '6299 0000 0000 0001';

const { cola, chips } = DEMO_FIXED_PRODUCTS;
const member = (role: string) => {
  const found = DEMO_STAFF.find((s) => s.role === role);
  if (!found) throw new Error(`the demo has no ${role}`);
  return found;
};
const cashier = member('cashier');
const manager = member('manager');

/** Waits on the server and the sync loop are bounded, never slept: generous, the machine is shared. */
const SERVER_WAIT = { timeout: 30_000, interval: 200 };
/** Waits on what the page shows after a click. */
const UI_WAIT = { timeout: 15_000, interval: 50 };
/** Waits for an element to appear. */
const SHOWN = { timeout: 15_000 };

let pg: TestPostgres | undefined;
let pool: Pool | undefined;
let server: StoreServer | undefined;
let serverPort = 0;
let browser: Browser | undefined;
let station: ServedStation | undefined;
let databaseUrl = '';
/** The manager's window (sync screen, settings) and the cashier's (the till). */
let back: Page;
let till: Page;
/** Page and console errors of both windows. */
const pageWatchers: { errors: string[] }[] = [];

/** The store server in this process; `port` 0 the first time, then the same port again after a stop. */
function startServer(url: string, port: number): Promise<StoreServer> {
  return startStoreServer({ databaseUrl: url, port, adminToken: ADMIN_TOKEN, log: () => undefined });
}

beforeAll(async () => {
  const [startedPg, startedBrowser, startedStation] = await Promise.all([
    startPostgres(),
    launchChromium(),
    serveStation({ demo: true }),
  ]);
  pg = startedPg;
  browser = startedBrowser;
  station = startedStation;
  databaseUrl = await pg.newDatabase();
  server = await startServer(databaseUrl, 0);
  serverPort = Number(new URL(server.url).port);
  pool = createPool(databaseUrl, 2);
  await createStore(pool, { id: STORE, name: '礼品卡测试店', currency: 'CNY', timeZone: 'Asia/Shanghai' });
  await upsertTaxRates(pool, STORE, [
    { code: 'VAT13', nameZh: '增值税13%', nameEn: 'VAT 13%', ratePpm: 130_000, active: true },
  ]);
  for (const card of [CARD, OFFLINE_CARD]) {
    await issueGiftCard(pool, STORE, { requestId: randomUUID(), number: card.number, amount: card.balance });
  }

  back = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  pageWatchers.push(watchPage(back));
  await back.goto(station.url);
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  const code = station ? await station.stop() : 0;
  if (station) fs.rmSync(station.dataDir, { recursive: true, force: true });
  await server?.close().catch(() => undefined);
  await pool?.end().catch(() => undefined);
  await pg?.stop();
  expect(code).toBe(0);
}, 90_000);

/**
 * The pages ran clean. The till talks to a store server that the offline stories stop on purpose; the station
 * answers that as a typed error, so nothing may reach the console even then.
 */
function expectCleanPages(): void {
  const errors = pageWatchers.flatMap((w) => w.errors).filter((e) => !/frame-ancestors/.test(e));
  expect(errors).toEqual([]);
}

/** A gift-card message in either language the station may show. */
function message(key: keyof typeof giftcardsEn): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escape(giftcardsZhCN[key])}|${escape(giftcardsEn[key])}`);
}

async function serverCard(number: string) {
  if (!pool) throw new Error('no pool');
  const found = await lookupGiftCard(pool, STORE, number);
  if (!found.card) throw new Error('the server does not know the card');
  return { ...found.card, holds: found.holds, ledger: found.ledger };
}

async function openSyncScreen(page: Page): Promise<void> {
  await byId(page, 'tile-sync').click();
  await byId(page, 'sync-screen').waitFor();
}

/**
 * Rings the items up by keying each barcode on the numpad as a person does, then opens the tender screen. Not
 * scanned: a scan is told from typing by 5 ms key gaps (test/e2e/checkout.test.ts covers it), and on a shared,
 * busy machine a starved test process stretches those gaps past the 50 ms scan window, so the code is half typed.
 * A person's 120 ms gaps only grow under load, so keying stays what it is.
 */
async function ringUp(page: Page, items: readonly { ean13: string; price: number }[]): Promise<number> {
  let total = 0;
  for (const item of items) {
    await typeLikeAPerson(page, item.ean13);
    await expect.poll(() => byId(page, 'numpad-display').textContent(), UI_WAIT).toBe(item.ean13);
    await page.keyboard.press('Enter');
    total += item.price;
    await expect.poll(() => amountOf(byId(page, 'cart-total')), UI_WAIT).toBe(total);
  }
  await page.keyboard.press('F12');
  await byId(page, 'tender-screen').waitFor();
  return total;
}

/** Opens the gift-card form, puts the amount in and types the number as a person does, then redeems. */
async function redeem(page: Page, amount: number, number: string): Promise<void> {
  const form = byId(page, 'gift-card-form');
  if ((await form.count()) === 0) await byId(page, `tender-gift-${GIFT_TENDER.code}`).click();
  await form.waitFor();
  // With the form open the finish keys stay on screen: a cashier never scrolls to complete a sale.
  const finish = await byId(page, 'complete-sale').boundingBox();
  const viewport = page.viewportSize();
  expect(finish !== null && viewport !== null && finish.y + finish.height <= viewport.height).toBe(true);
  await byId(page, 'tender-gift-amount').fill((amount / 100).toFixed(2));
  await byId(page, 'tender-gift-number').click();
  await typeLikeAPerson(page, number);
  await expect.poll(() => byId(page, 'tender-gift-number').inputValue(), UI_WAIT).toBe(number);
  await byId(page, 'tender-gift-submit').click();
}

/**
 * Waits until the payments taken add up to `amount`. A gift card is listed as soon as the till asks the server
 * (as "checking with the store server", not yet paid), so its row showing up does not mean it was approved.
 */
async function expectPaid(page: Page, amount: number): Promise<void> {
  await expect.poll(() => byId(page, 'tender-paid').textContent(), UI_WAIT).toBe(yuan(amount));
}

/** What is left to pay (`remaining`, already on screen), in cash with the exact quick-cash key; then complete. */
async function payRestInCashAndComplete(page: Page, remaining: number): Promise<Locator> {
  expect(await amountOf(byId(page, 'tender-remaining'))).toBe(remaining);
  await byId(page, `quick-cash-${remaining}`).click();
  await expect.poll(() => amountOf(byId(page, 'tender-remaining')), UI_WAIT).toBe(0);
  await byId(page, 'complete-sale').click();
  const done = byId(page, 'sale-done');
  await done.waitFor();
  return done;
}

/**
 * The manager's window sat unused while the cashier worked: past the idle time (5 minutes; a slow machine can
 * get there) it locks, and the manager enters their PIN as at any till.
 */
async function unlockIfLocked(page: Page, pin: string): Promise<void> {
  const lock = byId(page, 'lock-screen');
  if ((await lock.count()) === 0) return;
  for (const digit of pin) await lock.getByTestId(`pin-digit-${digit}`).click();
  await lock.getByTestId('pin-submit').click();
  await expect.poll(() => lock.count(), UI_WAIT).toBe(0);
}

function syncState(page: Page): Promise<string | null> {
  return byId(page, 'sync-status').locator('h2').getAttribute('data-state');
}

async function newSale(page: Page): Promise<void> {
  await byId(page, 'new-sale').click();
  await expect.poll(() => byId(page, 'sale-done').count(), UI_WAIT).toBe(0);
}

describe('gift cards at the till (Chromium, demo store, store server on PostgreSQL)', () => {
  it('the manager enrols the till with a one-time code and adds a gift-card tender', async () => {
    if (!pool || !server) throw new Error('no server');
    await signIn(back, manager.name, manager.pin);
    await openSyncScreen(back);
    await expect.poll(() => syncState(back), UI_WAIT).toBe('not_enrolled');
    const code = await createEnrolmentCode(pool, STORE);
    await byId(back, 'sync-url').click();
    await typeLikeAPerson(back, server.url);
    await byId(back, 'sync-code').click();
    await typeLikeAPerson(back, code);
    await byId(back, 'sync-enrol').click();
    await expect.poll(() => byId(back, 'sync-notice').textContent(), UI_WAIT).toContain('礼品卡测试店');
    await expect.poll(() => syncState(back), SERVER_WAIT).toBe('online');
    expect(await byId(back, 'sync-server').textContent()).toContain(server.url);
    // Without a policy of its own the store refuses gift cards while the server cannot be reached.
    expect(await byId(back, 'sync-gift-card-offline').inputValue()).toBe('block');

    await byId(back, 'sync-back').click();
    await byId(back, 'tile-settings').click();
    await byId(back, 'settings-screen').waitFor();
    await byId(back, 'settings-tab-tenders').click();
    await byId(back, 'settings-tender-new-zh').fill(GIFT_TENDER.nameZh);
    await byId(back, 'settings-tender-new-en').fill(GIFT_TENDER.nameEn);
    await byId(back, 'settings-tender-new-type').selectOption('gift_card');
    await byId(back, 'settings-tender-add').click();
    const row = byId(back, `settings-tender-${GIFT_TENDER.code}`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(message('settings.tenders.typeGiftCard'));
    await byId(back, 'settings-tenders-save').click();
    await byId(back, 'settings-tenders-saved').waitFor();
    await byId(back, 'settings-back').click();
    await byId(back, 'home-screen').waitFor();

    // The cashier's window opens once the tender exists (the till reads its tenders when the cashier starts).
    if (!browser || !station) throw new Error('no station');
    till = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    pageWatchers.push(watchPage(till));
    await till.goto(station.url);
    await signIn(till, cashier.name, cashier.pin);
    await openCheckout(till);
    expectCleanPages();
  });

  it('redeems part of a sale on a typed card, takes the rest in cash, and the server balance drops by exactly that', async () => {
    const onCard = 500;
    const total = await ringUp(till, [cola, chips]);
    await redeem(till, onCard, CARD.number);
    await expectPaid(till, onCard);

    // The gift payment is listed by its tender and the card's last four only; the form closes, the number is gone.
    const payment = byId(till, 'tender-payment-0');
    expect(await payment.getAttribute('data-tender')).toBe(GIFT_TENDER.code);
    const shown = (await payment.textContent()) ?? '';
    expect(shown).toContain(`•••• ${CARD.last4}`);
    expect(shown).toContain(yuan(onCard));
    expect(shown).not.toContain(CARD.number.replace(/\s/g, ''));
    expect(shown).not.toMatch(message('tender.giftCard.offline'));
    await expect.poll(() => byId(till, 'gift-card-form').count(), UI_WAIT).toBe(0);
    expect(await amountOf(byId(till, 'tender-remaining'))).toBe(total - onCard);
    // Held on the server while the sale is open: the balance stays, what is available goes down.
    const held = await serverCard(CARD.number);
    expect(held).toMatchObject({ balance: CARD.balance, available: CARD.balance - onCard });

    const done = await payRestInCashAndComplete(till, total - onCard);
    expect(await amountOf(byId(till, 'change-due'))).toBe(0);
    const receipt = (await byId(till, 'receipt-preview').textContent()) ?? '';
    expect(receipt).toContain(`•••• ${CARD.last4}`);
    expect(receipt).not.toContain(CARD.number.replace(/\s/g, ''));
    expect(await done.textContent()).toContain(yuan(total));

    // The sale is pushed on its own (the outbox wakes the sync loop): the balance goes down exactly once.
    await expect
      .poll(async () => {
        const card = await serverCard(CARD.number);
        return { balance: card.balance, available: card.available, holds: card.holds.length };
      }, SERVER_WAIT)
      .toEqual({ balance: CARD.balance - onCard, available: CARD.balance - onCard, holds: 0 });
    const redemptions = (await serverCard(CARD.number)).ledger.filter((entry) => entry.kind === 'redeem');
    expect(redemptions).toEqual([
      expect.objectContaining({ delta: -onCard, offline: false, overdrawn: false }),
    ]);
    await newSale(till);
    expectCleanPages();
  });

  it('declines more than the card has (showing what it has) and a card the store does not know', async () => {
    const available = CARD.balance - 500;
    const total = await ringUp(till, [chips, chips, chips]);
    expect(total).toBeGreaterThan(available);

    await redeem(till, available + 100, CARD.number);
    const short = await expectError(till, 'payment_declined');
    await expect.poll(() => short.textContent(), UI_WAIT).toMatch(message('error.giftCardInsufficient'));
    const availableNote = byId(till, 'tender-gift-available');
    await availableNote.waitFor(SHOWN);
    expect(await availableNote.textContent()).toContain(yuan(available));
    // The amount is now what the card has: the cashier only swipes the card again to take it.
    expect(await byId(till, 'tender-gift-amount').inputValue()).toBe((available / 100).toFixed(2));
    // Nothing was taken: no payment listed, nothing paid, the number cleared for the next try.
    await expect.poll(() => byId(till, 'tender-payments').count(), UI_WAIT).toBe(0);
    await expectPaid(till, 0);
    await expect.poll(() => byId(till, 'tender-gift-number').inputValue(), UI_WAIT).toBe('');

    await redeem(till, 500, UNKNOWN_NUMBER);
    await expect
      .poll(() => byId(till, 'error-message').textContent(), UI_WAIT)
      .toMatch(message('error.giftCardUnknown'));
    expect(await byId(till, 'error-message').getAttribute('data-code')).toBe('payment_declined');
    // The unknown card said nothing about a balance.
    expect(await byId(till, 'tender-gift-available').count()).toBe(0);
    await expect.poll(() => byId(till, 'tender-payments').count(), UI_WAIT).toBe(0);
    // The declines reserved nothing on the real card.
    expect(await serverCard(CARD.number)).toMatchObject({ balance: available, available, holds: [] });

    // "Redeem what is on the card and take the rest with another payment."
    await redeem(till, available, CARD.number);
    await expectPaid(till, available);
    expect(await byId(till, 'tender-payment-0').textContent()).toContain(`•••• ${CARD.last4}`);
    expect(await byId(till, 'error-message').count()).toBe(0);
    await payRestInCashAndComplete(till, total - available);
    await expect.poll(async () => (await serverCard(CARD.number)).balance, SERVER_WAIT).toBe(0);
    await newSale(till);
    expectCleanPages();
  });

  it('with the server stopped and the default policy, refuses the gift card and the sale is paid in cash', async () => {
    await server?.close();
    server = undefined;
    await ringUp(till, [cola]);
    await redeem(till, cola.price, OFFLINE_CARD.number);
    const blocked = await expectError(till, 'server_unreachable');
    await expect.poll(() => blocked.textContent(), UI_WAIT).toMatch(message('error.giftCardOfflineBlocked'));
    expect(await blocked.textContent()).toMatch(message('hint.giftCardOtherTender'));
    await expect.poll(() => byId(till, 'tender-payments').count(), UI_WAIT).toBe(0);
    expect(await amountOf(byId(till, 'tender-remaining'))).toBe(cola.price);

    const done = await payRestInCashAndComplete(till, cola.price);
    expect(await done.textContent()).toContain(yuan(cola.price));
    expect(await byId(till, 'receipt-preview').textContent()).not.toContain(`•••• ${OFFLINE_CARD.last4}`);
    await newSale(till);
    expectCleanPages();
  });

  it('after the manager allows gift cards offline, one is accepted unverified, marked, and applied once the server is back', async () => {
    // The manager's window: the sync screen says the server is out of reach; the policy changes to "allow".
    await unlockIfLocked(back, manager.pin);
    await openSyncScreen(back);
    await expect.poll(() => syncState(back), SERVER_WAIT).toBe('offline');
    await byId(back, 'sync-gift-card-offline').selectOption('allow');
    await byId(back, 'sync-policy-save').click();
    await expect.poll(() => byId(back, 'sync-notice').count(), UI_WAIT).toBe(1);
    await expect.poll(() => byId(back, 'sync-gift-card-offline').inputValue(), UI_WAIT).toBe('allow');

    const onCard = 500;
    const total = await ringUp(till, [chips]);
    await redeem(till, onCard, OFFLINE_CARD.number);
    await expectPaid(till, onCard);
    expect(await byId(till, 'tender-payment-0').textContent()).toContain(`•••• ${OFFLINE_CARD.last4}`);
    const badge = byId(till, 'tender-gift-offline-0');
    await badge.waitFor(SHOWN);
    expect(await badge.textContent()).toMatch(message('tender.giftCard.offline'));
    expect(await byId(till, 'error-message').count()).toBe(0);
    await payRestInCashAndComplete(till, total - onCard);
    expect(await byId(till, 'receipt-preview').textContent()).toContain(`•••• ${OFFLINE_CARD.last4}`);
    await newSale(till);

    // Nothing reached the server yet; it comes back on the same address and the manager syncs now.
    expect((await serverCard(OFFLINE_CARD.number)).balance).toBe(OFFLINE_CARD.balance);
    server = await startServer(databaseUrl, serverPort);
    await byId(back, 'sync-now').click();
    await expect.poll(() => syncState(back), SERVER_WAIT).toBe('online');
    await expect
      .poll(async () => (await serverCard(OFFLINE_CARD.number)).balance, SERVER_WAIT)
      .toBe(OFFLINE_CARD.balance - onCard);
    const [latest] = (await serverCard(OFFLINE_CARD.number)).ledger;
    expect(latest).toMatchObject({ kind: 'redeem', delta: -onCard, offline: true, overdrawn: false });
    expectCleanPages();
  });
});
