import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_FIXED_PRODUCTS, DEMO_STAFF } from '../../src/main/core/demo';
import { launchChromium, serveStation, watchPage, type ServedStation } from './harness';
import {
  amountOf,
  approveAs,
  byId,
  expectError,
  expectLines,
  expectTotal,
  openCheckout,
  payExactCash,
  scan,
  signIn,
  typeLikeAPerson,
  yuan,
} from './checkout-page';

/**
 * The checkout as a cashier uses it all day, in the built browser host and Debian's Chromium, on the demo
 * store: scanner keystrokes at machine speed (also while the search box has focus), the numpad, supervisor
 * overrides, split tender, park/recall, returns, history with the receipt preview, post-void, the customer
 * display, and the bad paths (unknown code, misread check digit, tender short, a declined card).
 *
 * The stories run in order on one station: receipt numbers (S-000001 …) follow from the sales before.
 */

const { cola, water, chips, highlighter, banana, tomato } = DEMO_FIXED_PRODUCTS;
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

// Evaluated in the page (this file is type-checked without DOM types, so they are source text).
const FOCUSED_TEST_ID = "document.activeElement && document.activeElement.getAttribute('data-testid')";
const VOICE_SETTING = "localStorage.getItem('countertop.voicePrompts')";
const PAGE_FITS_VIEWPORT = `({
  wide: document.documentElement.scrollWidth <= window.innerWidth,
  tall: document.documentElement.scrollHeight <= window.innerHeight,
})`;

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

/** The page ran clean: no uncaught errors, no console errors (CSP violations included). */
function expectCleanPage() {
  expect(pageErrors.filter((e) => !/frame-ancestors/.test(e))).toEqual([]);
}

describe('checkout (Chromium, demo store)', () => {
  it('adds scanned items, keeps scans out of the focused search box, and adds from search and the numpad', async () => {
    await scan(page, cola.ean13);
    await expectLines(page, 1);
    await scan(page, water.ean13);
    await expectLines(page, 2);
    await expectTotal(page, yuan(cola.price + water.price));
    expect(await byId(page, 'cart-line-0').textContent()).toContain(cola.nameZh);

    // A person types into the search box; a scan while it has focus goes to the cart, not into the box.
    await page.keyboard.press('F2');
    await expect.poll(() => page.evaluate(FOCUSED_TEST_ID)).toBe('search-input');
    await typeLikeAPerson(page, 'kl');
    await byId(page, 'search-results').waitFor();
    await scan(page, chips.ean13);
    await expectLines(page, 3);
    expect(await byId(page, 'search-input').inputValue()).toBe('kl');

    // Adding from the results with a tap.
    const firstResult = byId(page, 'search-result-0');
    const resultName = (await firstResult.locator('.search-result-name').textContent()) ?? '';
    await firstResult.click();
    await expectLines(page, 4);
    expect(await byId(page, 'cart-line-3').textContent()).toContain(resultName);
    expect(await byId(page, 'search-input').inputValue()).toBe('');

    // A weighed item found by its PLU in the search asks for the weight.
    await byId(page, 'search-input').click();
    await typeLikeAPerson(page, banana.plu);
    await byId(page, 'search-result-0').click();
    await byId(page, 'weight-dialog').waitFor();
    await typeLikeAPerson(page, '0.5');
    await page.keyboard.press('Enter');
    await expectLines(page, 5);
    expect(await byId(page, 'cart-line-4-qty').textContent()).toBe('0.500 kg');

    // A PLU keyed on the numpad (by a person) and Enter: a weighed item without weight asks for it too.
    await typeLikeAPerson(page, tomato.plu);
    await expect.poll(() => byId(page, 'numpad-display').textContent()).toBe(tomato.plu);
    await page.keyboard.press('Enter');
    await byId(page, 'weight-dialog').waitFor();
    await byId(page, 'weight-input').fill('1.25');
    await byId(page, 'weight-submit').click();
    await expectLines(page, 6);
    expect(await byId(page, 'cart-line-5').textContent()).toContain(tomato.nameZh);
    expectCleanPage();
  });

  it('sets quantities with the numpad ×, voids a line and discounts with a supervisor override', async () => {
    // Touch: select the cola line, key 3, ×.
    await byId(page, 'cart-line-0').click();
    await byId(page, 'numpad-3').click();
    await byId(page, 'qty-button').click();
    await expect.poll(() => byId(page, 'cart-line-0-qty').textContent()).toBe('3');
    // Keyboard: select the water line, type 2 then * (as a person).
    await byId(page, 'cart-line-1').click();
    await typeLikeAPerson(page, '2*');
    await expect.poll(() => byId(page, 'cart-line-1-qty').textContent()).toBe('2');

    // Voiding needs sale.void_line, which a cashier lacks: the supervisor approves.
    await byId(page, 'cart-line-2').click();
    await page.keyboard.press('F8');
    await approveAs(page, supervisor.name, supervisor.pin);
    await expect.poll(() => byId(page, 'cart-line-2').getAttribute('data-voided')).toBe('true');
    await expect.poll(() => byId(page, 'override-modal').count()).toBe(0);

    // A 10% discount on the cola line: wrong supervisor PIN first (stays in the dialog), then the right one.
    await byId(page, 'cart-line-0').click();
    await byId(page, 'discount-button').click();
    await byId(page, 'discount-dialog').waitFor();
    await byId(page, 'discount-input').fill('10');
    await byId(page, 'discount-submit').click();
    const modal = byId(page, 'override-modal');
    await modal.waitFor();
    expect(await byId(page, 'override-what').textContent()).toContain(yuan(90));
    await byId(page, `override-user-${supervisor.name}`).click();
    await typeLikeAPerson(page, '9999');
    await page.keyboard.press('Enter');
    await expect.poll(() => modal.getByTestId('error-message').getAttribute('data-code')).toBe('wrong_pin');
    await modal.waitFor();
    await page.screenshot({ path: '/tmp/override-wrong-pin.png' });
    for (const digit of supervisor.pin) await modal.getByTestId(`pin-digit-${digit}`).click();
    await modal.getByTestId('pin-submit').click();
    await expect.poll(() => modal.count()).toBe(0);
    await expect.poll(() => byId(page, 'cart-line-0').textContent()).toContain('-10%');
    await expect.poll(() => byId(page, 'cart-discount-total').textContent()).toBe(`-${yuan(90)}`);
    await page.screenshot({ path: '/tmp/cart-after-overrides.png' });
    expectCleanPage();
  });

  it('tenders: refuses less than the total, declines a magic card amount, splits WeChat Pay, cash and card', async () => {
    const total = await amountOf(byId(page, 'cart-total'));
    await page.keyboard.press('F12');
    await byId(page, 'tender-screen').waitFor();
    expect(await amountOf(byId(page, 'tender-remaining'))).toBe(total);

    // Complete with nothing paid: the clear "not enough paid" error.
    await byId(page, 'complete-sale').click();
    const short = await expectError(page, 'conflict');
    expect(await short.textContent()).toContain('已收金额不足');

    // WeChat Pay for ¥10.00 with its reference.
    await byId(page, 'tender-external-wechat').click();
    await byId(page, 'tender-external-amount').fill('10.00');
    await byId(page, 'tender-reference-input').fill('WX4200001234');
    await byId(page, 'tender-external-submit').click();
    await expect.poll(() => byId(page, 'tender-payment-0').getAttribute('data-tender')).toBe('wechat');
    await expect.poll(() => amountOf(byId(page, 'tender-remaining'))).toBe(total - 1000);

    // Cash so that what is left ends in 13: the demo card terminal declines such "magic" amounts.
    const toMagic = (total - 1000 - 13) % 100 || 100;
    expect(total - 1000 - toMagic - 50).toBeGreaterThan(0);
    await byId(page, 'tender-cash-input').fill(yuan(toMagic).slice(1));
    await byId(page, 'tender-add-cash').click();
    await expect.poll(() => byId(page, 'tender-payment-1').getAttribute('data-tender')).toBe('cash');
    const magic = total - 1000 - toMagic;
    expect(magic % 100).toBe(13);
    await expect.poll(() => amountOf(byId(page, 'tender-remaining'))).toBe(magic);
    await byId(page, 'tender-card-card').click();
    const declined = await expectError(page, 'payment_declined');
    expect(await declined.textContent()).toContain('支付被拒绝');
    expect(await amountOf(byId(page, 'tender-remaining'))).toBe(magic);
    expect(await byId(page, 'tender-payment-2').count()).toBe(0);

    // ¥0.50 more cash, then the card pays the rest exactly: approved by the demo terminal.
    await byId(page, 'tender-cash-input').fill('0.50');
    await byId(page, 'tender-add-cash').click();
    await expect.poll(() => byId(page, 'tender-payment-2').getAttribute('data-tender')).toBe('cash');
    await byId(page, 'tender-card-card').click();
    await expect.poll(() => byId(page, 'tender-payment-3').getAttribute('data-tender')).toBe('card');
    await expect.poll(() => amountOf(byId(page, 'tender-remaining'))).toBe(0);
    await page.screenshot({ path: '/tmp/tender-split.png' });

    await byId(page, 'complete-sale').click();
    await byId(page, 'sale-done').waitFor();
    expect(await amountOf(byId(page, 'change-due'))).toBe(0);
    const receipt = byId(page, 'receipt-preview');
    expect(await receipt.getAttribute('data-receipt-no')).toBe('S-000001');
    expect(await receipt.textContent()).toContain('WX4200001234');

    await byId(page, 'new-sale').click();
    await expect.poll(() => byId(page, 'sale-done').count()).toBe(0);
    await expectLines(page, 0);
    expectCleanPage();
  });

  it('explains an unknown barcode and a misread check digit, and refuses to complete a short cash tender', async () => {
    await scan(page, UNKNOWN_EAN);
    const notFound = await expectError(page, 'not_found');
    expect(await notFound.textContent()).toContain(UNKNOWN_EAN);
    await expectLines(page, 0);
    await page.screenshot({ path: '/tmp/error-unknown-code.png' });

    await scan(page, MISREAD_EAN);
    const misread = await expectError(page, 'bad_input');
    expect(await misread.textContent()).toContain('重新扫码');
    await page.screenshot({ path: '/tmp/error-misread.png' });
    await expectLines(page, 0);

    // The same item with the right check digit scans fine.
    await scan(page, highlighter.ean13);
    await expectLines(page, 1);
    await expect.poll(() => byId(page, 'error-message').count()).toBe(0);

    // ¥5 cash for an ¥8.90 item: the sale cannot complete.
    await byId(page, 'tender-button').click();
    await byId(page, 'tender-cash-input').fill('5');
    await byId(page, 'tender-add-cash').click();
    await expect.poll(() => amountOf(byId(page, 'tender-remaining'))).toBe(highlighter.price - 500);
    await byId(page, 'complete-sale').click();
    await expectError(page, 'conflict');
    expect(await byId(page, 'sale-done').count()).toBe(0);

    // Esc cancels the tender: back to the cart, the cash taken off.
    await page.keyboard.press('Escape');
    await byId(page, 'checkout-screen').waitFor();
    await expectLines(page, 1);
    expectCleanPage();
  });

  it('parks a sale and recalls it from the parked list', async () => {
    await page.keyboard.press('F6');
    await expectLines(page, 0);
    await expect.poll(() => byId(page, 'checkout-notice').textContent()).toContain('已挂单');

    await byId(page, 'recall-button').click();
    await byId(page, 'parked-list').waitFor();
    expect(await byId(page, 'parked-sale-0').textContent()).toContain(yuan(highlighter.price));
    await byId(page, 'parked-sale-0').click();
    await expectLines(page, 1);
    expect(await byId(page, 'cart-line-0').textContent()).toContain(highlighter.nameZh);

    await page.keyboard.press('+');
    await payExactCash(page);
    expect(await byId(page, 'receipt-preview').getAttribute('data-receipt-no')).toBe('S-000002');
    await page.keyboard.press('Enter');
    await expect.poll(() => byId(page, 'sale-done').count()).toBe(0);
    expectCleanPage();
  });

  it('returns items against a scanned receipt, then shows both documents in the history', async () => {
    await byId(page, 'return-button').click();
    await byId(page, 'return-screen').waitFor();
    // The receipt's barcode, read by the scanner.
    await scan(page, 'S-000001');
    await byId(page, 'return-lines').waitFor();
    expect(await byId(page, 'return-line-0').textContent()).toContain(cola.nameZh);
    await byId(page, 'return-qty-plus-0').click();
    await byId(page, 'return-qty-plus-0').click();
    await expect.poll(() => byId(page, 'return-qty-0').getAttribute('data-qty-milli')).toBe('2000');
    await page.screenshot({ path: '/tmp/returns.png' });
    await byId(page, 'return-submit').click();
    await byId(page, 'return-done').waitFor();
    expect(await byId(page, 'receipt-preview').getAttribute('data-receipt-no')).toMatch(/^R-\d{6}$/);
    expect(await byId(page, 'refund-due').first().textContent()).toMatch(/¥/);
    await byId(page, 'return-finish').click();
    await byId(page, 'checkout-screen').waitFor();

    // History: all documents, then by receipt number, then by amount.
    await page.keyboard.press('F10');
    await byId(page, 'history-screen').waitFor();
    await expect.poll(() => page.locator('[data-testid^="history-row-"]').count()).toBe(3);
    await byId(page, 'history-receipt-input').fill('S-000001');
    await byId(page, 'history-search').click();
    await expect.poll(() => page.locator('[data-testid^="history-row-"]').count()).toBe(1);
    await byId(page, 'history-row-0').click();
    const receipt = byId(page, 'receipt-preview');
    await expect.poll(() => receipt.getAttribute('data-receipt-no')).toBe('S-000001');
    const text = (await receipt.textContent()) ?? '';
    for (const expected of [
      '示例便利店',
      '销售小票',
      '税率',
      '13%',
      '9%',
      '微信支付',
      '现金',
      '找零',
      cola.nameZh,
    ]) {
      expect(text).toContain(expected);
    }
    await byId(page, 'receipt-barcode').waitFor();
    await page.screenshot({ path: '/tmp/history.png' });
    expect(await byId(page, 'reprint-button').isDisabled()).toBe(false);
    expect(await byId(page, 'history-related').textContent()).toMatch(/R-\d{6}/);

    await byId(page, 'history-receipt-input').fill('');
    await byId(page, 'history-amount').fill('8.90');
    await byId(page, 'history-search').click();
    await expect.poll(() => byId(page, 'history-row-0').getAttribute('data-receipt-no')).toBe('S-000002');
    expect(await page.locator('[data-testid^="history-row-"]').count()).toBe(1);
    expectCleanPage();
  });

  it('post-voids the last sale from the history with a supervisor override', async () => {
    await byId(page, 'history-row-0').click();
    await expect.poll(() => byId(page, 'receipt-preview').getAttribute('data-receipt-no')).toBe('S-000002');
    await byId(page, 'post-void-button').click();
    await byId(page, 'post-void-dialog-confirm').click();
    await approveAs(page, supervisor.name, supervisor.pin);
    await expect
      .poll(() => byId(page, 'receipt-preview').getAttribute('data-receipt-no'))
      .toMatch(/^V-\d{6}$/);
    // Esc closes the document, then leaves the history.
    await page.keyboard.press('Escape');
    await expect.poll(() => byId(page, 'receipt-preview').count()).toBe(0);
    await page.keyboard.press('Escape');
    await byId(page, 'checkout-screen').waitFor();
    expectCleanPage();
  });

  it('updates the customer display when an item is scanned, and thanks the customer with the change', async () => {
    const url = new URL(station.url);
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    const display = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const displayErrors = watchPage(display).errors;
    await display.goto(`${url.origin}/#/customer-display?token=${encodeURIComponent(token)}`);
    const screen = byId(display, 'customer-display');
    await expect.poll(() => screen.getAttribute('data-state')).toBe('idle');
    await expect.poll(() => screen.textContent()).toContain('示例便利店');
    // The token left the visible URL; the page path stayed.
    expect(new URL(display.url()).hash).toBe('#/customer-display');

    await page.bringToFront();
    await scan(page, cola.ean13);
    await expectLines(page, 1);
    await expect.poll(() => screen.getAttribute('data-state')).toBe('cart');
    await expect.poll(() => byId(display, 'customer-total').textContent()).toBe(yuan(cola.price));
    expect(await byId(display, 'customer-lines').textContent()).toContain(cola.nameZh);
    await scan(page, water.ean13);
    await expect
      .poll(() => byId(display, 'customer-total').textContent())
      .toBe(yuan(cola.price + water.price));
    await display.screenshot({ path: '/tmp/customer-display-cart.png' });

    await page.keyboard.press('F12');
    await byId(page, 'quick-cash-1000').click();
    await byId(page, 'complete-sale').click();
    await byId(page, 'sale-done').waitFor();
    await byId(display, 'customer-thanks').waitFor();
    expect(await byId(display, 'customer-change').textContent()).toBe(yuan(1000 - cola.price - water.price));
    await display.screenshot({ path: '/tmp/customer-display-thanks.png' });
    expect(displayErrors.filter((e) => !/frame-ancestors/.test(e))).toEqual([]);
    await display.close();
    await byId(page, 'new-sale').click();
    expectCleanPage();
  });

  it('drops a scan while the screen is locked: it never lands in the lock screen PIN pad', async () => {
    await byId(page, 'lock-button').click();
    await byId(page, 'lock-screen').waitFor();
    await scan(page, cola.ean13);
    // Nothing visible should happen; give the page time to do something wrong.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await byId(page, 'pin-display').getAttribute('data-length')).toBe('0');
    await expect.poll(() => byId(page, 'lock-screen').getByTestId('error-message').count()).toBe(0);
    // A person typing the PIN is not mistaken for a scanner.
    await typeLikeAPerson(page, cashier.pin);
    await page.keyboard.press('Enter');
    await expect.poll(() => byId(page, 'lock-screen').count()).toBe(0);
    await byId(page, 'checkout-screen').waitFor();
    await expectLines(page, 0);
    expectCleanPage();
  });

  it('lays out as a POS at 1280×800 and 1024×768, in Chinese and English', async () => {
    for (const item of [
      cola,
      water,
      chips,
      highlighter,
      DEMO_FIXED_PRODUCTS.milk,
      DEMO_FIXED_PRODUCTS.eggs,
    ]) {
      await scan(page, item.ean13);
    }
    await expectLines(page, 6);
    for (const [width, height] of [
      [1280, 800],
      [1024, 768],
    ] as const) {
      await page.setViewportSize({ width, height });
      await byId(page, 'cart-line-5').click();
      const fits = await page.evaluate(PAGE_FITS_VIEWPORT);
      expect(fits).toEqual({ wide: true, tall: true });
      const tender = await byId(page, 'tender-button').boundingBox();
      expect(tender && tender.y + tender.height <= height).toBe(true);
      await page.screenshot({ path: `/tmp/checkout-${width}.png` });
      await page.keyboard.press('F12');
      await byId(page, 'tender-screen').waitFor();
      await page.screenshot({ path: `/tmp/tender-${width}.png` });
      await page.keyboard.press('Escape');
      await byId(page, 'checkout-screen').waitFor();
    }
    // Voice prompts: off by default, the choice kept on this station.
    const voice = byId(page, 'voice-toggle');
    expect(await voice.getAttribute('aria-pressed')).toBe('false');
    await voice.click();
    await expect.poll(() => voice.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(VOICE_SETTING)).toBe('on');
    await voice.click();
    expect(await page.evaluate(VOICE_SETTING)).toBe('off');

    await byId(page, 'lang-en').click();
    await expect.poll(() => byId(page, 'tender-button').textContent()).toContain('Pay');
    await page.screenshot({ path: '/tmp/checkout-1024-en.png' });
    await byId(page, 'lang-zh').click();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.keyboard.press('F12');
    await payExactCash(page);
    await page.screenshot({ path: '/tmp/done-1280.png' });
    await byId(page, 'new-sale').click();
    expectCleanPage();
  });
});
