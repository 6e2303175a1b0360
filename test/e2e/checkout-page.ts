import { expect } from 'vitest';
import type { CDPSession, Locator, Page } from 'playwright-core';

/**
 * Driving the checkout like a cashier: a barcode scanner types at machine speed and presses Enter; a person
 * types a key every ~120 ms. The checkout tells them apart by that timing alone.
 */

/** Scanners send a key every ~1–20 ms; the keys of a scan are stamped this far apart. */
export const SCANNER_KEY_DELAY_MS = 5;
/** People: ~80–200 ms between keys. */
export const HUMAN_KEY_DELAY_MS = 120;

export const byId = (page: Page, id: string): Locator => page.getByTestId(id);

const sessions = new WeakMap<Page, Promise<CDPSession>>();

/**
 * A scan as a USB keyboard-wedge scanner delivers it: every key sent at once, stamped SCANNER_KEY_DELAY_MS
 * apart, as the OS stamps a scanner's keys on arrival. Playwright's keyboard.type waits until each key was
 * HANDLED before it sends the next, so a renderer still drawing the previous line opened gaps over the wedge's
 * 50 ms and split the scan — a gap no scanner makes (seen in full CI runs and in the UI bench).
 */
export async function scan(page: Page, code: string): Promise<void> {
  let session = sessions.get(page);
  if (session === undefined) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
  }
  const cdp = await session;
  const t0 = Date.now() / 1000;
  const step = SCANNER_KEY_DELAY_MS / 1000;
  const keys = [...code].map((ch) => ({
    key: ch,
    code: /[0-9]/.test(ch) ? `Digit${ch}` : /[A-Za-z]/.test(ch) ? `Key${ch.toUpperCase()}` : '',
    text: ch,
    vk: /[0-9A-Za-z]/.test(ch) ? ch.toUpperCase().charCodeAt(0) : 0,
  }));
  keys.push({ key: 'Enter', code: 'Enter', text: '\r', vk: 13 });
  await Promise.all(
    keys.flatMap((k, i) => {
      const base = { key: k.key, code: k.code, windowsVirtualKeyCode: k.vk };
      return [
        cdp.send('Input.dispatchKeyEvent', {
          ...base,
          type: 'keyDown',
          text: k.text,
          unmodifiedText: k.text,
          timestamp: t0 + i * step,
        }),
        cdp.send('Input.dispatchKeyEvent', { ...base, type: 'keyUp', timestamp: t0 + i * step + step / 2 }),
      ];
    }),
  );
}

export async function typeLikeAPerson(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: HUMAN_KEY_DELAY_MS });
}

export async function signIn(page: Page, name: string, pin: string): Promise<void> {
  await byId(page, `signin-user-${name}`).click();
  await byId(page, 'pin-pad').waitFor();
  for (const digit of pin) await byId(page, `pin-digit-${digit}`).click();
  await byId(page, 'pin-submit').click();
  await byId(page, 'home-screen').waitFor();
}

export async function openCheckout(page: Page): Promise<void> {
  await byId(page, 'tile-checkout').click();
  await byId(page, 'checkout-screen').waitFor();
}

export async function lineCount(page: Page): Promise<number> {
  return Number(await byId(page, 'cart-lines').getAttribute('data-count'));
}

export async function expectLines(page: Page, count: number): Promise<void> {
  await expect.poll(() => lineCount(page)).toBe(count);
}

export async function expectTotal(page: Page, text: string): Promise<void> {
  await expect.poll(() => byId(page, 'cart-total').textContent()).toBe(text);
}

export async function expectError(page: Page, code: string): Promise<Locator> {
  const error = byId(page, 'error-message');
  await expect.poll(() => error.getAttribute('data-code')).toBe(code);
  return error;
}

/** The supervisor dialog: pick the supervisor, enter the PIN on the pad (touch), confirm. */
export async function approveAs(page: Page, supervisor: string, pin: string): Promise<void> {
  const modal = byId(page, 'override-modal');
  await modal.waitFor();
  await byId(page, `override-user-${supervisor}`).click();
  for (const digit of pin) await modal.getByTestId(`pin-digit-${digit}`).click();
  await modal.getByTestId('pin-submit').click();
}

/** Completes the tender screen with exact cash and returns to a fresh cart. */
export async function payExactCash(page: Page): Promise<void> {
  await byId(page, 'tender-screen').waitFor();
  await page.locator('[data-testid^="quick-cash-"]').first().click();
  await byId(page, 'complete-sale').click();
  await byId(page, 'sale-done').waitFor();
}

/** Amount in minor units written on an element as `data-amount`. */
export async function amountOf(locator: Locator): Promise<number> {
  return Number(await locator.getAttribute('data-amount'));
}

/** "¥1,234.50" for an amount in fen (what the UI shows for CNY). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** From the checkout to the return screen's "no receipt" mode. */
export async function openNoReceiptReturn(page: Page): Promise<void> {
  await byId(page, 'return-button').click();
  await byId(page, 'return-screen').waitFor();
  await byId(page, 'return-mode-no-receipt').click();
  await page.locator('[data-testid="return-screen"][data-mode="no-receipt"]').waitFor();
}
