/**
 * Locks every webContents and the session down: the station UI cannot navigate away from `countertop://app`,
 * open windows, embed webviews, download files or be granted any browser permission (camera, HID, serial,
 * notifications …). Devices are driven by the core in the main process, never by the page.
 */
import { isAppUrl } from './app-url';
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
  session.on('will-download', (event) => event.preventDefault());
}

/** Applies `hardenWebContents` to every webContents the app ever creates. Install before the first window. */
export function hardenAllWebContents(app: Pick<AppPart, 'on'>, logger?: ShellLogger): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, logger));
}
