import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_STAFF } from '../../src/main/core/demo';
import { launchChromium, serveStation, watchPage, type ServedStation } from './harness';
import { byId, signIn } from './checkout-page';

/**
 * The device configuration screen in the built browser host and Chromium, on the demo store: the technician
 * 陈静 opens it from the technician screen, sees what is plugged in, gets a wrong setting refused at its field,
 * switches the printer off (the device list shows it disabled), back to the demo printer (online again), and
 * prints the test page on it.
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

const printerState = () => byId(page, 'device-printer').getAttribute('data-state');

async function save(): Promise<void> {
  await byId(page, 'cfg-save').click();
  await byId(page, 'cfg-saved').waitFor();
}

describe('device configuration screen (Chromium, demo devices)', () => {
  it('陈静 opens the configuration from the technician screen and sees the devices found', async () => {
    expect(technician.name).toContain('陈静');
    await byId(page, 'tile-devices').click();
    await byId(page, 'technician-screen').waitFor();
    await byId(page, 'tech-configure').click();
    await byId(page, 'device-config-screen').waitFor();
    await expect.poll(printerState, { timeout: 10_000 }).toBe('online');
    expect(await byId(page, 'cfg-printer-kind').inputValue()).toBe('simulated');
    // The listing answered: counts, or the reason a native module could not list (never nothing).
    await expect
      .poll(async () => (await byId(page, 'cfg-discovery').textContent()) ?? '')
      .toMatch(/串口 \d+ 个|部分设备无法列出/);
  });

  it('a network printer without an address is refused at its field; nothing is saved', async () => {
    await byId(page, 'cfg-printer-kind').selectOption('tcp');
    await byId(page, 'cfg-printer-host').fill('');
    await byId(page, 'cfg-save').click();
    await byId(page, 'cfg-printer-host-error').waitFor();
    expect(await byId(page, 'cfg-printer-host').getAttribute('aria-invalid')).toBe('true');
    expect(await byId(page, 'cfg-saved').count()).toBe(0);
    expect(await printerState()).toBe('online');
  });

  it('switches the printer to none: saved, and the device list shows it disabled', async () => {
    await byId(page, 'cfg-printer-kind').selectOption('none');
    await save();
    await expect.poll(printerState, { timeout: 10_000 }).toBe('disabled');
    // No printer, no drawer on it, no test print.
    expect(await byId(page, 'device-drawer').count()).toBe(0);
    expect(await byId(page, 'cfg-test-print').count()).toBe(0);
  });

  it('switches back to the demo printer and prints the test page on it', async () => {
    await byId(page, 'cfg-printer-kind').selectOption('simulated');
    await save();
    await expect.poll(printerState, { timeout: 10_000 }).toBe('online');
    await byId(page, 'cfg-test-print').click();
    await expect
      .poll(() => byId(page, 'cfg-test-print-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('printed');
    // The meta CSP's frame-ancestors notice is Chromium's, for every page (see the other e2e tests).
    expect(pageErrors.filter((e) => !/frame-ancestors/.test(e))).toEqual([]);
  });
});
