import { spawn } from 'node:child_process';
import path from 'node:path';
import { chromium, type CDPSession } from 'playwright-core';

/**
 * ui.scan_to_render: the built browser host on the bench database, the checkout screen in Debian's Chromium,
 * and `scans` barcodes typed at scanner speed. Each sample runs from the scan's Enter keydown (a capture
 * listener installed before the app's own) to the frame in which the new cart line is in the DOM.
 */
// The probe is installed as a plain script (the Node-side tsconfig has no DOM types, on purpose); the page's
// CSP forbids evaluating strings, so later calls pass functions that only touch what the probe defined.
interface ProbeWindow {
  __lineCount(): number;
  __scanStarts: number[];
  __renders: number[];
}
const LINE_COUNT = `Number(document.querySelector('[data-testid="cart-lines"]')?.getAttribute('data-count') ?? 0)`;
const PROBE = `
  window.__lineCount = () => ${LINE_COUNT};
  window.__scanStarts = [];
  window.__renders = [];
  window.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__scanStarts.push(performance.now()); }, true);
  let lines = 0;
  new MutationObserver(() => {
    const count = ${LINE_COUNT};
    if (count > lines) {
      lines = count;
      // The new line is in the DOM: the sample ends when that frame is painted.
      requestAnimationFrame(() => window.__renders.push(performance.now()));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-count'] });
`;

export async function measureScanToRender(opts: {
  serveScript: string;
  dataDir: string;
  userName: string;
  pin: string;
  codes: readonly string[];
  chromiumPath?: string;
}): Promise<number[]> {
  const serve = spawn(process.execPath, [opts.serveScript, '--port', '0', '--data-dir', opts.dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Station ready: (\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      serve.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
    });
    const browser = await chromium.launch({
      executablePath: opts.chromiumPath ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript({ content: PROBE });
      await page.goto(url);
      await page.getByTestId(`signin-user-${opts.userName}`).click();
      await page.keyboard.type(opts.pin);
      await page.keyboard.press('Enter');
      await page.getByTestId('tile-checkout').click();
      await page.getByTestId('checkout-screen').waitFor();
      const cdp = await page.context().newCDPSession(page);
      const startLines = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__lineCount());
      for (const [i, code] of opts.codes.entries()) {
        await scanLikeAScanner(cdp, code);
        try {
          await page.waitForFunction(
            (n) => (globalThis as unknown as ProbeWindow).__lineCount() >= n,
            startLines + i + 1,
            { timeout: 10_000 },
          );
        } catch (err) {
          // Keep what the screen showed, so a stalled run can be understood afterwards.
          const shot = path.join(opts.dataDir, 'ui-bench-stalled.png');
          await page.screenshot({ path: shot }).catch(() => undefined);
          throw new Error(`Scan ${i + 1} (${code}) did not add a line; the screen is in ${shot}`, {
            cause: err,
          });
        }
      }
      await page.waitForTimeout(100);
      const { starts, renders } = await page.evaluate(() => {
        const probe = globalThis as unknown as ProbeWindow;
        return { starts: probe.__scanStarts, renders: probe.__renders };
      });
      // The PIN's Enter came first: the last `codes.length` starts belong to the scans.
      const scanStarts = starts.slice(-opts.codes.length);
      return renders.slice(-opts.codes.length).map((t, i) => t - (scanStarts[i] ?? t));
    } finally {
      await browser.close();
    }
  } finally {
    serve.kill('SIGTERM');
  }
}

/**
 * A scan as a USB keyboard-wedge scanner delivers it: every key sent at once, stamped 5 ms apart as the OS stamps
 * a scanner's keys on arrival. Playwright's keyboard.type waits until each key was HANDLED before sending the
 * next, so a renderer busy drawing the previous line opened gaps over the wedge's 50 ms and split the scan — a
 * gap no scanner makes.
 */
async function scanLikeAScanner(cdp: CDPSession, code: string): Promise<void> {
  const t0 = Date.now() / 1000;
  const keys = [...code].map((ch) => ({ key: ch, code: `Digit${ch}`, text: ch, vk: ch.charCodeAt(0) }));
  keys.push({ key: 'Enter', code: 'Enter', text: '\r', vk: 13 });
  await Promise.all(
    keys.flatMap((k, i) => {
      const base = { key: k.key, code: k.code, windowsVirtualKeyCode: k.vk, timestamp: t0 + i * 0.005 };
      return [
        cdp.send('Input.dispatchKeyEvent', {
          ...base,
          type: 'keyDown',
          text: k.text,
          unmodifiedText: k.text,
        }),
        cdp.send('Input.dispatchKeyEvent', { ...base, type: 'keyUp', timestamp: t0 + i * 0.005 + 0.001 }),
      ];
    }),
  );
}
