import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveStation, watchPage, type ServedStation } from './harness';

/**
 * The foundation as a newcomer meets it: the built browser host in Debian's Chromium, first-run setup,
 * sign-in, wrong PINs and lockout, lock/unlock, sign-out and the language switch (persisted by the core).
 */

let browser: Browser;
const stations: ServedStation[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const s of stations.splice(0)) expect(await s.stop()).toBe(0);
});

async function open(station: ServedStation): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const { errors } = watchPage(page);
  await page.goto(station.url);
  return { page, errors };
}

const byId = (page: Page, id: string) => page.getByTestId(id);

async function enterPin(page: Page, pin: string, via: 'touch' | 'keyboard') {
  await byId(page, 'pin-pad').waitFor();
  if (via === 'touch') {
    for (const digit of pin) await byId(page, `pin-digit-${digit}`).click();
    await byId(page, 'pin-submit').click();
  } else {
    await page.keyboard.type(pin, { delay: 30 });
    await page.keyboard.press('Enter');
  }
}

describe('first run, staff and sign-in (Chromium)', () => {
  it('sets up the station, manages staff, rejects wrong PINs, locks out, locks and unlocks', async () => {
    const station = await serveStation();
    stations.push(station);
    const { page, errors } = await open(station);

    // First run: the setup screen, no default accounts.
    await byId(page, 'setup-form').waitFor();
    await byId(page, 'setup-store-name').fill('端到端 小店');
    await byId(page, 'setup-currency').selectOption('CNY');
    await byId(page, 'setup-locale').selectOption('zh-CN');
    await byId(page, 'setup-tax-mode-inclusive').click();
    await byId(page, 'setup-admin-name').fill('Boss');
    await byId(page, 'setup-admin-pin').fill('2580');
    await byId(page, 'setup-admin-pin-confirm').fill('2580');
    await byId(page, 'setup-submit').click();
    await byId(page, 'home-screen').waitFor();
    await expect.poll(() => byId(page, 'header-user').textContent()).toContain('Boss');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    // A cashier is created from the staff screen.
    await byId(page, 'tile-staff').click();
    await byId(page, 'staff-screen').waitFor();
    await byId(page, 'staff-create-name').fill('Wang');
    await byId(page, 'staff-create-role').selectOption('cashier');
    await byId(page, 'staff-create-pin').fill('1111');
    await byId(page, 'staff-create-pin-confirm').fill('1111');
    await byId(page, 'staff-create-submit').click();
    await byId(page, 'staff-row-Wang').waitFor();
    await byId(page, 'staff-back').click();

    // Sign out; a wrong PIN is rejected; five wrong PINs lock the cashier out.
    await byId(page, 'signout-button').click();
    await byId(page, 'signin-screen').waitFor();
    await byId(page, 'signin-user-Wang').click();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await enterPin(page, '9999', attempt % 2 ? 'touch' : 'keyboard');
      const expected = attempt < 5 ? 'wrong_pin' : 'user_locked_out';
      await expect.poll(() => byId(page, 'error-message').getAttribute('data-code')).toBe(expected);
    }
    // Even the right PIN is refused while locked out.
    await enterPin(page, '1111', 'touch');
    await expect.poll(() => byId(page, 'error-message').getAttribute('data-code')).toBe('user_locked_out');

    // The administrator signs in, locks the screen and unlocks it with the PIN.
    await byId(page, 'signin-back').click();
    await byId(page, 'signin-user-Boss').click();
    await enterPin(page, '2580', 'keyboard');
    await byId(page, 'home-screen').waitFor();
    await byId(page, 'lock-button').click();
    await byId(page, 'lock-screen').waitFor();
    await enterPin(page, '1234', 'touch');
    await expect.poll(() => byId(page, 'error-message').getAttribute('data-code')).toBe('wrong_pin');
    await enterPin(page, '2580', 'touch');
    await expect.poll(() => byId(page, 'lock-screen').count()).toBe(0);
    await byId(page, 'home-screen').waitFor();

    // Language switch: English now, and still English after a reload (the core persists it).
    await byId(page, 'lang-en').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await byId(page, 'lang-zh').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');

    // Sign out from wherever the reload left us.
    if (await byId(page, 'signout-button').isVisible()) await byId(page, 'signout-button').click();
    await byId(page, 'signin-screen').waitFor();
    expect(errors.filter((e) => !/frame-ancestors/.test(e))).toEqual([]);
    await page.close();
  });
});

describe('demo store (Chromium)', () => {
  it('opens on the sign-in screen with the demo staff, and a demo cashier can sign in', async () => {
    const station = await serveStation({ demo: true });
    stations.push(station);
    const { DEMO_STAFF } = await import('../../src/main/core/demo');
    const cashier = DEMO_STAFF.find((s) => s.role === 'cashier');
    if (!cashier) throw new Error('the demo has no cashier');
    const { page, errors } = await open(station);
    await byId(page, 'signin-screen').waitFor();
    for (const member of DEMO_STAFF) await byId(page, `signin-user-${member.name}`).waitFor();
    await byId(page, `signin-user-${cashier.name}`).click();
    await enterPin(page, cashier.pin, 'touch');
    await byId(page, 'home-screen').waitFor();
    expect(await byId(page, 'header-user').textContent()).toContain(cashier.name);
    await page.screenshot({ path: `${station.dataDir}/home.png` });
    expect(errors.filter((e) => !/frame-ancestors/.test(e))).toEqual([]);
    await page.close();
  });
});
