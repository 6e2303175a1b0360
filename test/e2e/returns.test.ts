import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_FIXED_PRODUCTS, DEMO_STAFF } from '../../src/main/core/demo';
import { launchChromium, serveStation, watchPage, type ServedStation } from './harness';
import {
  amountOf,
  approveAs,
  byId,
  expectError,
  openCheckout,
  openNoReceiptReturn,
  scan,
  signIn,
  yuan,
} from './checkout-page';

/**
 * A return without a receipt as the cashier does it, in the built browser host and Debian's Chromium on the
 * demo store: goods by scan and by PLU search (a weighed item by its weight), the supervisor's PIN, the amount
 * to give back in large type and the refund receipt; and the bad paths (nothing added, an unknown barcode, a
 * misread check digit).
 */

const { cola, banana } = DEMO_FIXED_PRODUCTS;
const member = (role: string) => {
  const found = DEMO_STAFF.find((s) => s.role === role);
  if (!found) throw new Error(`the demo has no ${role}`);
  return found;
};
const cashier = member('cashier');
const supervisor = member('supervisor');
/** A valid EAN-13 that no demo product has. */
const UNKNOWN_EAN = '6901234567991';
/** The scanner-manual example 4006381333931 with its check digit changed: a misread. */
const MISREAD_EAN = '4006381333932';

let browser: Browser;
let station: ServedStation;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  [browser, station] = await Promise.all([launchChromium(), serveStation({ demo: true })]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  pageErrors = watchPage(page).errors;
  await page.goto(station.url);
  await signIn(page, cashier.name, cashier.pin);
  await openCheckout(page);
});

afterAll(async () => {
  await browser?.close();
  if (station) expect(await station.stop()).toBe(0);
});

function expectCleanPage() {
  expect(pageErrors.filter((e) => !/frame-ancestors/.test(e))).toEqual([]);
}

const qtyOf = async (testId: string) => Number(await byId(page, testId).getAttribute('data-qty-milli'));

describe('return without a receipt (Chromium, demo store)', () => {
  it('refunds scanned and searched goods in cash once a supervisor approves, and shows what to give back', async () => {
    await openNoReceiptReturn(page);

    // Two colas by scanner; the same product stacks on one line.
    await scan(page, cola.ean13);
    await scan(page, cola.ean13);
    await expect.poll(() => qtyOf('noreceipt-qty-0')).toBe(2000);
    expect(await byId(page, 'noreceipt-line-0').textContent()).toContain(cola.nameZh);

    // Bananas by PLU search: weighed, so the cashier must enter the weight before submitting.
    await byId(page, 'search-input').fill(banana.plu);
    await byId(page, 'search-result-0').click();
    await expect.poll(() => byId(page, 'noreceipt-lines').getAttribute('data-count')).toBe('2');
    expect(await byId(page, 'noreceipt-line-1').textContent()).toContain(banana.nameZh);
    await page.keyboard.press('Enter');
    await expect.poll(() => byId(page, 'return-notice').textContent()).toContain(banana.nameZh);
    expect(await byId(page, 'override-modal').count()).toBe(0);
    await byId(page, 'noreceipt-weight-1').fill('0.500');
    await expect.poll(() => qtyOf('noreceipt-weight-1')).toBe(500);

    // 2 × ¥3.00 + 0.5 kg × ¥6.90 = ¥9.45 before cash rounding.
    const estimate = await amountOf(byId(page, 'noreceipt-estimate'));
    expect(Math.abs(estimate - (2 * cola.price + banana.price / 2))).toBeLessThan(10);
    await byId(page, 'noreceipt-reason').fill('顾客无小票');
    await page.screenshot({ path: '/tmp/return-no-receipt.png' });

    // Enter submits; the cashier may not refund without a receipt: the supervisor approves with the PIN.
    await byId(page, 'noreceipt-reason').press('Enter');
    await approveAs(page, supervisor.name, supervisor.pin);
    await byId(page, 'return-done').waitFor();
    const giveBack = byId(page, 'refund-give-back');
    expect(await amountOf(giveBack)).toBe(estimate);
    expect(await giveBack.textContent()).toBe(yuan(estimate));
    expect(await byId(page, 'refund-due').first().textContent()).toContain('现金');
    const receipt = byId(page, 'receipt-preview');
    expect(await receipt.getAttribute('data-receipt-no')).toMatch(/^R-\d{6}$/);
    const text = (await receipt.textContent()) ?? '';
    expect(text).toContain(cola.nameZh);
    expect(text).toContain(banana.nameZh);
    await page.screenshot({ path: '/tmp/return-no-receipt-done.png' });

    // Enter finishes: back to the sale.
    await page.keyboard.press('Enter');
    await byId(page, 'checkout-screen').waitFor();
    expectCleanPage();
  });

  it('explains an empty return, an unknown barcode and a misread check digit, and adds nothing', async () => {
    await openNoReceiptReturn(page);
    await page.keyboard.press('Enter');
    await expect.poll(() => byId(page, 'return-notice').textContent()).toContain('请先扫描或搜索');
    expect(await byId(page, 'override-modal').count()).toBe(0);

    await scan(page, UNKNOWN_EAN);
    const notFound = await expectError(page, 'not_found');
    expect(await notFound.textContent()).toContain(UNKNOWN_EAN);

    await scan(page, MISREAD_EAN);
    const misread = await expectError(page, 'bad_input');
    expect(await misread.textContent()).toContain('重新扫码');
    expect(await byId(page, 'noreceipt-lines').getAttribute('data-count')).toBe('0');

    // Esc goes back to the sale; nothing was refunded.
    await page.keyboard.press('Escape');
    await byId(page, 'checkout-screen').waitFor();
    expectCleanPage();
  });
});
