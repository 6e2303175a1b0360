import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { RectanglePart } from './electron-parts';

export interface WindowOptionsInput {
  /** Absolute path of dist/preload/preload.cjs. */
  preloadPath: string;
  /** Full-screen kiosk mode for a dedicated till (no window chrome, no way out but the app). */
  kiosk: boolean;
  /** Developer tools: on in development, off in a packaged build so a cashier cannot open them. */
  devTools: boolean;
}

/**
 * Every window's web preferences. The renderer gets no Node, runs sandboxed and isolated from the preload, and
 * can reach the core only through the preload's `window.countertop` API.
 */
export function stationWebPreferences({
  preloadPath,
  devTools,
}: Pick<WindowOptionsInput, 'preloadPath' | 'devTools'>): WebPreferences {
  return {
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
  };
}

/** The station (cashier) window. */
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
    webPreferences: stationWebPreferences({ preloadPath, devTools }),
  };
}

export interface CustomerDisplayWindowInput extends Pick<WindowOptionsInput, 'preloadPath' | 'devTools'> {
  /** Where the window goes: a whole display when full screen, otherwise a window's bounds. */
  bounds: RectanglePart;
  /** Frameless and full screen on a display of its own; false for the forced window on the primary. */
  fullscreen: boolean;
}

/** The customer-facing window: same preload and web preferences as the station window. */
export function createCustomerDisplayWindowOptions({
  preloadPath,
  devTools,
  bounds,
  fullscreen,
}: CustomerDisplayWindowInput): BrowserWindowConstructorOptions {
  return {
    title: 'Countertop — customer display',
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    ...(fullscreen ? { frame: false, fullscreen: true } : {}),
    webPreferences: stationWebPreferences({ preloadPath, devTools }),
  };
}
