import { describe, expect, it } from 'vitest';
import {
  createCustomerDisplayWindowOptions,
  createWindowOptions,
} from '../../../src/main/electron/window-options';

describe('createWindowOptions', () => {
  it('isolates and sandboxes the renderer and gives it no Node', () => {
    const options = createWindowOptions({
      preloadPath: '/app/dist/preload/preload.cjs',
      kiosk: false,
      devTools: false,
    });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
    expect(options.show).toBe(false);
    expect(options.kiosk).toBeUndefined();
    expect(options.fullscreen).toBeUndefined();
  });

  it('turns on kiosk and full screen only when asked', () => {
    const options = createWindowOptions({ preloadPath: '/p.cjs', kiosk: true, devTools: true });
    expect(options.kiosk).toBe(true);
    expect(options.fullscreen).toBe(true);
    expect(options.webPreferences?.devTools).toBe(true);
  });

  it('gives the customer display the same web preferences, on the bounds it is given', () => {
    const input = { preloadPath: '/p.cjs', devTools: false };
    const bounds = { x: 1920, y: 0, width: 1024, height: 768 };
    const main = createWindowOptions({ ...input, kiosk: true });
    const fullscreen = createCustomerDisplayWindowOptions({ ...input, bounds, fullscreen: true });
    expect(fullscreen.webPreferences).toEqual(main.webPreferences);
    expect(fullscreen).toMatchObject({ ...bounds, show: false, frame: false, fullscreen: true });
    expect(fullscreen.kiosk).toBeUndefined();
    const windowed = createCustomerDisplayWindowOptions({ ...input, bounds, fullscreen: false });
    expect(windowed.frame).toBeUndefined();
    expect(windowed.fullscreen).toBeUndefined();
  });
});
