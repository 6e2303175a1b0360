import { describe, expect, it } from 'vitest';
import { createWindowOptions } from '../../../src/main/electron/window-options';

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
});
