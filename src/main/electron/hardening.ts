/**
 * Locks every webContents and the session down: the station UI cannot navigate away from `countertop://app`,
 * open windows, embed webviews, download from anywhere but itself or be granted any browser permission (camera,
 * HID, serial, notifications …). Devices are driven by the core in the main process, never by the page.
 */
import { APP_ORIGIN, isAppUrl } from './app-url';
import type { AppPart, NavigationEvent, SessionPart, ShellLogger, WebContentsPart } from './electron-parts';

const hardened = new WeakSet<WebContentsPart>();

/** Idempotent: applied from `web-contents-created` and again when the shell creates its own window. */
export function hardenWebContents(contents: WebContentsPart, logger?: ShellLogger): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  const stayInApp = (event: NavigationEvent): void => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    logger?.warn(`Blocked navigation to ${event.url.slice(0, 200)}`);
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-frame-navigate', stayInApp);
  contents.setWindowOpenHandler(({ url }) => {
    logger?.warn(`Blocked a new window for ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function hardenSession(session: SessionPart): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // The page's own exports (the audit log as CSV, the diagnostics bundle) are Blob URLs it made itself, saved
  // through Electron's Save dialog; nothing is ever downloaded from elsewhere.
  session.on('will-download', (event, item) => {
    if (!isOwnBlob(item.getURL())) event.preventDefault();
  });
}

/** `blob:countertop://app/<uuid>`: a Blob the station page created. */
export function isOwnBlob(url: string): boolean {
  return url.startsWith(`blob:${APP_ORIGIN}/`);
}

/** Applies `hardenWebContents` to every webContents the app ever creates. Install before the first window. */
export function hardenAllWebContents(app: Pick<AppPart, 'on'>, logger?: ShellLogger): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, logger));
}
