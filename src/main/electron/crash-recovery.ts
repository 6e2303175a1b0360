import type { ShellLogger, WebContentsPart } from './electron-parts';

export interface CrashRecoveryOptions {
  logger: ShellLogger;
  /** No reload while the app is quitting. */
  isQuitting(): boolean;
  now?: () => number;
  schedule?: (run: () => void, delayMs: number) => void;
}

const CRASH_WINDOW_MS = 60_000;
const MAX_DELAY_MS = 30_000;

/**
 * Reloads the station page when its renderer process dies. Nothing is lost: the open sale and the session
 * live in the core, keyed by the webContents' connection id, which a reload keeps. The first crash reloads at
 * once; repeated crashes within a minute back off (1 s, 2 s, 4 s … 30 s) so a page that crashes on load does
 * not spin the CPU.
 */
export function reloadAfterRendererCrash(contents: WebContentsPart, options: CrashRecoveryOptions): void {
  const now = options.now ?? Date.now;
  const schedule =
    options.schedule ??
    ((run: () => void, delayMs: number) => {
      setTimeout(run, delayMs);
    });
  let recent: number[] = [];
  const reload = (): void => {
    if (!contents.isDestroyed() && !options.isQuitting()) contents.reload();
  };
  contents.on('render-process-gone', (_event, details) => {
    if (contents.isDestroyed() || options.isQuitting()) return;
    const at = now();
    recent = [...recent.filter((t) => at - t < CRASH_WINDOW_MS), at];
    const delayMs = recent.length === 1 ? 0 : Math.min(MAX_DELAY_MS, 1000 * 2 ** (recent.length - 2));
    options.logger.error(
      `The station screen stopped (${details.reason}, exit code ${details.exitCode}); reloading it` +
        (delayMs > 0 ? ` in ${delayMs / 1000} s.` : '.'),
    );
    if (delayMs === 0) reload();
    else schedule(reload, delayMs);
  });
}
