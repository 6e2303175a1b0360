import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_FIXED_PRODUCTS, DEMO_STAFF } from '../../src/main/core/demo';
import { launchChromium, serveStation, watchPage, type ServedStation } from './harness';
import { byId, expectLines, openCheckout, payExactCash, scan, signIn } from './checkout-page';

/**
 * Receipts on the demo printer, in the built browser host and Chromium: a cash sale shows "printed" on the
 * sale-done panel, the receipt is on the paper strip (decoded from the bytes the printer simulator received),
 * and a reprint from the history comes out as a copy.
 */

const { cola } = DEMO_FIXED_PRODUCTS;
const cashier = DEMO_STAFF.find((s) => s.role === 'cashier')!;

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
});

afterAll(async () => {
  await browser?.close();
  if (station) expect(await station.stop()).toBe(0);
});

describe('printing (Chromium, demo printer)', () => {
  let receiptNo = '';

  it('a cash sale prints: "printed" on the sale-done panel', async () => {
    await openCheckout(page);
    await scan(page, cola.ean13);
    await expectLines(page, 1);
    await page.keyboard.press('F12');
    await payExactCash(page);
    receiptNo = (await byId(page, 'receipt-number').textContent()) ?? '';
    expect(receiptNo).toMatch(/^S-\d{6}$/);
    await expect
      .poll(() => byId(page, 'print-status').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('printed');
  });

  it('the receipt is on the paper strip, with the receipt number and its barcode', async () => {
    await byId(page, 'new-sale').click();
    await byId(page, 'checkout-back').click();
    await byId(page, 'tile-paper').click();
    await byId(page, 'paper-screen').waitFor();
    const first = byId(page, 'paper-receipt').first();
    await first.waitFor();
    const text = (await first.textContent()) ?? '';
    expect(text).toContain(receiptNo);
    expect(text).toContain('销售小票');
    expect(text).toContain(cola.nameZh);
    expect(await first.getByTestId('paper-barcode').textContent()).toContain(receiptNo);
    await page.screenshot({ path: '/tmp/paper-strip.png' });
  });

  it('reprints from the history: a copy comes out on the paper', async () => {
    await page.getByRole('button', { name: /返回|Back/ }).click();
    await openCheckout(page);
    await page.keyboard.press('F10');
    await byId(page, 'history-screen').waitFor();
    await byId(page, 'history-row-0').click();
    await byId(page, 'reprint-button').click();
    await byId(page, 'reprint-queued').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await byId(page, 'checkout-screen').waitFor();
    await byId(page, 'checkout-back').click();
    await byId(page, 'tile-paper').click();
    await expect
      .poll(async () => (await byId(page, 'paper-receipt').first().textContent()) ?? '', { timeout: 10_000 })
      .toContain('副本 COPY');
    expect(await byId(page, 'paper-receipt').count()).toBe(2);
    expect(pageErrors.filter((e) => !/frame-ancestors/.test(e))).toEqual([]);
  });
});
