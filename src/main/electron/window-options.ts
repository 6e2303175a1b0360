import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of dist/preload/preload.cjs. */
  preloadPath: string;
  /** Full-screen kiosk mode for a dedicated till (no window chrome, no way out but the app). */
  kiosk: boolean;
  /** Developer tools: on in development, off in a packaged build so a cashier cannot open them. */
  devTools: boolean;
}

/**
 * The station window. The renderer gets no Node, runs sandboxed and isolated from the preload, and can reach
 * the core only through the preload's `window.countertop` API.
 */
export function createWindowOptions({
  preloadPath,
  kiosk,
  devTools,
}: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Countertop',
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 600,
    // Shown on `ready-to-show`, so the cashier never sees an empty white frame.
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    ...(kiosk ? { kiosk: true, fullscreen: true } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools,
    },
  };
}
