import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_STAFF } from '../../src/main/core/demo';
import { launchChromium, serveStation, watchPage, type ServedStation } from './harness';
import { byId, signIn } from './checkout-page';

/**
 * The technician's screen in the built browser host and Chromium, on the demo store's simulators: the demo
 * technician signs in, sees every device with its live status, runs the internal check and reads the results,
 * and finds them in the fault log; a scripted paper out shows up too.
 */

const technician = DEMO_STAFF.find((s) => s.role === 'technician')!;

let browser: Browser;
let station: ServedStation;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  [browser, station] = await Promise.all([launchChromium(), serveStation({ demo: true })]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  pageErrors = watchPage(page).errors;
  await page.goto(station.url);
  await signIn(page, technician.name, technician.pin);
});

afterAll(async () => {
  await browser?.close();
  if (station) expect(await station.stop()).toBe(0);
});

describe('technician screen (Chromium, demo devices)', () => {
  it('the technician opens the devices tile and sees every device with its live status', async () => {
    await byId(page, 'tile-devices').click();
    await byId(page, 'technician-screen').waitFor();
    for (const id of [
      'printer',
      'drawer',
      'scanner',
      'card_reader',
      'customer_display',
      'payment_terminal',
    ]) {
      await expect
        .poll(() => byId(page, `device-${id}`).getAttribute('data-state'), { timeout: 10_000 })
        .toBe('online');
    }
  });

  it('runs the internal check and shows every device passed', async () => {
    await byId(page, 'selftest-internal').click();
    await expect
      .poll(() => byId(page, 'selftest-run').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('passed');
    for (const id of [
      'printer',
      'drawer',
      'scanner',
      'card_reader',
      'customer_display',
      'payment_terminal',
    ]) {
      expect(await byId(page, `result-${id}`).getAttribute('data-result')).toBe('pass');
    }
    // Each check is in the fault log.
    await byId(page, 'fault-filter-level').selectOption('internal');
    await expect.poll(() => byId(page, 'fault-table').getAttribute('data-total')).toBe('6');
  });

  it('a printer out of paper shows offline cause, fails the check, and is logged', async () => {
    await byId(page, 'tech-simulators').locator('summary').click();
    await byId(page, 'tech-sim-printer-state').selectOption('paperOut');
    await expect.poll(() => byId(page, 'device-printer-state').textContent()).toContain('paper_out');
    await byId(page, 'selftest-internal').click();
    await expect
      .poll(() => byId(page, 'selftest-run').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('failed');
    expect(await byId(page, 'result-printer').getAttribute('data-result')).toBe('fail');
    await byId(page, 'fault-filter-level').selectOption('');
    await byId(page, 'fault-filter-device').selectOption('printer');
    await byId(page, 'fault-filter-result').selectOption('fault');
    await expect
      .poll(() => page.locator('[data-testid="fault-row"][data-device="printer"]').count())
      .toBeGreaterThan(0);
    await byId(page, 'tech-sim-printer-state').selectOption('normal');
  });

  it('exports the diagnostics bundle as one JSON file', async () => {
    const download = page.waitForEvent('download');
    await byId(page, 'fault-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^countertop-diagnostics-.*\.json$/);
    await byId(page, 'fault-exported').waitFor();
    // The meta CSP's frame-ancestors notice is Chromium's, for every page (see the other e2e tests).
    expect(pageErrors.filter((e) => !/frame-ancestors/.test(e))).toEqual([]);
  });
});
