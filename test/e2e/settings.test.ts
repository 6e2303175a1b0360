import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_FIXED_PRODUCTS, DEMO_STAFF, makeEan13 } from '../../src/main/core/demo';
import { launchChromium, serveStation, watchPage, type ServedStation } from './harness';
import { amountOf, byId, openCheckout, scan, signIn, yuan } from './checkout-page';

/**
 * The manager's settings screen in the built browser host and Debian's Chromium, on the demo store: the manager
 * rounds cash to the jiao and adds a wallet, tries a scale label on the in-store barcode page, rings a weighed item
 * and pays cash — the total is rounded, the new wallet is offered — and then finds currency and tax mode locked.
 */

const member = (role: string) => {
  const found = DEMO_STAFF.find((s) => s.role === role);
  if (!found) throw new Error(`the demo has no ${role}`);
  return found;
};
const manager = member('manager');
const cashier = member('cashier');
/** The demo drawer's counted opening float (¥500). */
const FLOAT = 50_000;
const { banana } = DEMO_FIXED_PRODUCTS;
if (banana.plu === null) throw new Error('the demo banana has no PLU');
/** A scale label of the default China layout: 28 = weight in grams, item = PLU; 0.537 kg of bananas. */
const LABEL = makeEan13(`28${banana.plu.padStart(5, '0')}00537`);
/** ¥6.90/kg × 0.537 kg = ¥3.7053 → ¥3.71; paid in cash rounded to the jiao: ¥3.70. */
const EXACT = Math.round((banana.price * 537) / 1000);
const CASH = Math.round(EXACT / 10) * 10;

let browser: Browser;
let station: ServedStation;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  [browser, station] = await Promise.all([launchChromium(), serveStation({ demo: true })]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  pageErrors = watchPage(page).errors;
  await page.goto(station.url);
});

afterAll(async () => {
  await browser?.close();
  if (station) expect(await station.stop()).toBe(0);
});

async function openSettings(p: Page): Promise<void> {
  await byId(p, 'tile-settings').click();
  await byId(p, 'settings-screen').waitFor();
}

describe('store settings (Chromium, demo store)', () => {
  it('rounds cash to the jiao and adds a wallet, which the next sale uses', async () => {
    expect(EXACT).toBe(371);
    expect(CASH).toBe(370);
    await signIn(page, manager.name, manager.pin);
    await openSettings(page);

    // Sale: cash rounding to ¥0.10.
    await byId(page, 'settings-sale').waitFor();
    await byId(page, 'settings-increment-10').click();
    await byId(page, 'settings-sale-save').click();
    await byId(page, 'settings-sale-saved').waitFor();
    expect(await byId(page, 'settings-increment-10').getAttribute('aria-checked')).toBe('true');

    // Tenders: add UnionPay QR (the code comes from the English name).
    await byId(page, 'settings-tab-tenders').click();
    await byId(page, 'settings-tender-new-zh').fill('云闪付');
    await byId(page, 'settings-tender-new-en').fill('UnionPay QR');
    await byId(page, 'settings-tender-add').click();
    await byId(page, 'settings-tender-unionpay_qr').waitFor();
    await byId(page, 'settings-tenders-save').click();
    await byId(page, 'settings-tenders-saved').waitFor();
    // Cash cannot be removed.
    expect(await byId(page, 'settings-tender-cash-remove').isDisabled()).toBe(true);

    // In-store barcodes: the live reading of a scale label.
    await byId(page, 'settings-tab-instore').click();
    await byId(page, 'settings-example-input').fill(LABEL);
    const reading = byId(page, 'settings-example-reading');
    await expect.poll(() => reading.textContent()).toContain('0.537');
    expect(await reading.textContent()).toContain(banana.plu.padStart(5, '0'));
    // A wrong check digit says which digit it should be.
    await byId(page, 'settings-example-input').fill(`${LABEL.slice(0, 12)}${(Number(LABEL[12]) + 1) % 10}`);
    await expect.poll(() => reading.textContent()).toContain(LABEL[12]!);

    // Ring the weighed bananas and pay cash.
    await byId(page, 'settings-back').click();
    await openCheckout(page);
    await scan(page, LABEL);
    await expect.poll(() => amountOf(byId(page, 'cart-total'))).toBe(EXACT);
    await page.keyboard.press('F12');
    await byId(page, 'tender-screen').waitFor();
    await byId(page, 'tender-external-unionpay_qr').waitFor();
    await byId(page, `quick-cash-${CASH}`).click();
    await expect.poll(() => byId(page, 'tender-payable').textContent()).toBe(yuan(CASH));
    await byId(page, 'complete-sale').click();
    await byId(page, 'sale-done').waitFor();
    expect(await amountOf(byId(page, 'change-due'))).toBe(0);
    expect(await byId(page, 'sale-done').textContent()).toContain(yuan(CASH));
  });

  it('then explains why currency and tax mode can no longer change', async () => {
    await byId(page, 'checkout-back').click();
    await openSettings(page);
    const locked = byId(page, 'settings-basics-locked');
    await locked.waitFor();
    expect(await locked.getAttribute('data-reason')).toBe('documents_exist');
    expect(await byId(page, 'settings-currency').isDisabled()).toBe(true);
  });

  it('shows a shift close shortage to the supervisor as a positive amount marked short', async () => {
    // The manager's station is not enrolled with a store server: nothing waits, sign-out is immediate.
    await byId(page, 'settings-back').click();
    await byId(page, 'signout-button').click();
    await byId(page, 'signin-screen').waitFor();
    expect(await byId(page, 'signout-warning').count()).toBe(0);

    // The cashier closes the drawer ¥100 short of the float plus the manager's cash sale.
    await signIn(page, cashier.name, cashier.pin);
    await byId(page, 'tile-shift').click();
    await byId(page, 'shift-close-form').waitFor();
    await byId(page, 'shift-close-n100').fill('4');
    await byId(page, 'shift-close-submit').click();
    const modal = byId(page, 'override-modal');
    await modal.waitFor();
    const shortBy = FLOAT + CASH - 40_000;
    expect(await byId(page, 'override-what').textContent()).toContain('交班差额');
    const amount = byId(page, 'override-amount');
    expect(await amount.getAttribute('data-amount')).toBe(String(-shortBy));
    expect(await amount.textContent()).toBe(`短款 ${yuan(shortBy)}`);
    await byId(page, 'override-cancel').click();
    await expect.poll(() => modal.count()).toBe(0);
    // The meta CSP's frame-ancestors notice is Chromium's, for every page (see the other e2e tests).
    expect(pageErrors.filter((e) => !/frame-ancestors/.test(e))).toEqual([]);
  });
});
