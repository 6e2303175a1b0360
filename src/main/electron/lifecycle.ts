/**
 * The app lifecycle, written against the narrow electron parts so tests can drive it with a fake:
 * single instance, privileged scheme, hardening, opening the station core, the main window, the customer
 * display window, crash reload, quit. main.ts is the only caller with the real module.
 */
import path from 'node:path';
import { APP_DIR_NAME } from '../cli/paths';
import { DatabaseOpenError } from '../db/errors';
import type { Station, StationOptions } from '../core/station';
import { APP_ENTRY_URL, CUSTOMER_DISPLAY_URL } from './app-url';
import { reloadAfterRendererCrash } from './crash-recovery';
import { manageCustomerDisplay, type CustomerDisplay } from './customer-display';
import type {
  AppPart,
  CreateWindow,
  DialogPart,
  ProtocolPart,
  ScreenPart,
  SessionPart,
  ShellLogger,
  WindowPart,
} from './electron-parts';
import { hardenAllWebContents, hardenSession, hardenWebContents } from './hardening';
import type { BindableStation, IpcBinding } from './ipc-binding';
import { registerAppScheme, serveAppProtocol } from './protocol';
import { parseShellArgs, type ShellArgs } from './shell-args';
import { createCustomerDisplayWindowOptions, createWindowOptions } from './window-options';

export type StationHandle = BindableStation & Pick<Station, 'close'>;

export interface ShellDeps<S extends StationHandle = StationHandle> {
  app: AppPart;
  protocol: ProtocolPart;
  dialog: DialogPart;
  /** `session.defaultSession`, read only after ready. */
  defaultSession(): SessionPart;
  /** Electron's `screen`, read only after ready. */
  screen(): ScreenPart;
  createWindow: CreateWindow;
  bindIpc(station: BindableStation, logger: ShellLogger): IpcBinding;
  openStation(options: StationOptions): S;
  /**
   * Starts the station's devices once it is open (main.ts: the demo card terminal, see
   * core/devices/demo-terminal.ts) and returns their stop function, called on quit. A failure is logged, not fatal.
   */
  startDevices?(station: S): Promise<() => Promise<void>>;
  /** Removes the application menu (and with it the reload / devtools shortcuts). */
  hideMenu(): void;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  version: string;
  logger: ShellLogger;
}

export interface Shell {
  readonly args: ShellArgs;
  readonly station: StationHandle;
  readonly binding: IpcBinding;
  /** The current main window (a new one after macOS `activate`). */
  mainWindow(): WindowPart | null;
  /** The customer display window, when one is open. */
  customerWindow(): WindowPart | null;
}

/** Where the packaged app keeps its parts, relative to `app.getAppPath()` (the asar root). */
export function appPaths(appPath: string): {
  rendererDir: string;
  preloadPath: string;
  migrationsDir: string;
} {
  return {
    rendererDir: path.join(appPath, 'dist', 'renderer'),
    preloadPath: path.join(appPath, 'dist', 'preload', 'preload.cjs'),
    migrationsDir: path.join(appPath, 'migrations'),
  };
}

export function focusWindow(window: WindowPart): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/**
 * Starts the shell. Everything before the first `await` runs synchronously while main.ts is loaded, i.e. before
 * Electron is ready, as the privileged scheme, the sandbox switch and the single-instance lock require.
 * Resolves to null when this process must not run (another instance, bad arguments, unopenable database).
 */
export async function startShell<S extends StationHandle>(deps: ShellDeps<S>): Promise<Shell | null> {
  const { app, logger } = deps;

  let args: ShellArgs;
  try {
    args = parseShellArgs(deps.argv, deps.env, deps.cwd);
  } catch (err) {
    deps.dialog.showErrorBox('Countertop cannot start', messageOf(err));
    app.exit(2);
    return null;
  }

  registerAppScheme(deps.protocol);
  // One userData folder whatever the launch (`electron .` would use the package name, "countertop"): the
  // single-instance lock lives there, and the browser host's default data dir (src/main/cli/paths.ts) matches.
  app.setPath('userData', path.join(app.getPath('appData'), APP_DIR_NAME));
  if (!app.requestSingleInstanceLock()) {
    logger.info('Countertop is already running on this machine; bringing that window to the front.');
    app.quit();
    return null;
  }
  app.enableSandbox();
  hardenAllWebContents(app, logger);

  let station: StationHandle | null = null;
  let stopDevices: (() => Promise<void>) | null = null;
  let binding: IpcBinding | null = null;
  let mainWindow: WindowPart | null = null;
  let customerDisplay: CustomerDisplay | null = null;
  let quitting = false;

  app.on('second-instance', () => {
    if (mainWindow) focusWindow(mainWindow);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    quitting = true;
  });
  // Closed on will-quit rather than before-quit: before-quit fires before the windows close, and a window may
  // still cancel the quit; will-quit comes once they are all gone and the quit can no longer be cancelled.
  app.on('will-quit', () => {
    binding?.dispose();
    binding = null;
    // Detaches the devices synchronously (nothing new reaches them); their sockets close in the background.
    stopDevices?.().catch((err: unknown) => logger.error('The devices did not stop cleanly', err));
    stopDevices = null;
    station?.close();
    station = null;
  });

  await app.whenReady();

  const paths = appPaths(app.getAppPath());
  const dataDir = args.dataDir ?? path.join(app.getPath('userData'), 'data');
  if (app.isPackaged || args.kiosk) deps.hideMenu();
  hardenSession(deps.defaultSession());
  serveAppProtocol(deps.protocol, paths.rendererDir);

  let opened: S;
  try {
    opened = deps.openStation({ dataDir, migrationsDir: paths.migrationsDir, version: deps.version, logger });
  } catch (err) {
    // Never "repair" or recreate the database here: a technician decides (the message says what to do).
    logger.error(`The station could not open its data in ${dataDir}`, err);
    const message =
      err instanceof DatabaseOpenError
        ? err.message
        : `The station could not open its data in ${dataDir}: ${messageOf(err)}`;
    deps.dialog.showErrorBox('Countertop cannot start', message);
    app.exit(1);
    return null;
  }
  station = opened;
  const bound = deps.bindIpc(opened, logger);
  binding = bound;
  logger.info(`Countertop ${deps.version} started; data in ${dataDir}`);
  if (deps.startDevices) {
    try {
      const stop = await deps.startDevices(opened);
      if (station === null)
        void stop().catch(() => undefined); // quit while the devices were starting
      else stopDevices = stop;
    } catch (err) {
      logger.error('The devices could not start; card payments are unavailable', err);
    }
  }

  /** Both windows: hardened, trusted by the gate (as `wc:<id>`), reloaded after a renderer crash. */
  const prepareWindow = (window: WindowPart, url: string, what: string): void => {
    hardenWebContents(window.webContents, logger);
    bound.attach(window.webContents);
    reloadAfterRendererCrash(window.webContents, { logger, isQuitting: () => quitting });
    window.loadURL(url).catch((err: unknown) => logger.error(`The ${what} failed to load`, err));
  };
  const devTools = !app.isPackaged;

  const openMainWindow = (): WindowPart => {
    const window = deps.createWindow(
      createWindowOptions({ preloadPath: paths.preloadPath, kiosk: args.kiosk, devTools }),
    );
    window.once('ready-to-show', () => window.show());
    // The customer display is no use without the till: it closes with it, and window-all-closed then quits.
    window.once('closed', () => {
      if (mainWindow === window) mainWindow = null;
      customerDisplay?.close();
    });
    prepareWindow(window, APP_ENTRY_URL, 'station screen');
    return window;
  };
  mainWindow = openMainWindow();

  customerDisplay = manageCustomerDisplay({
    screen: deps.screen(),
    forced: args.customerDisplay,
    canOpen: () => !quitting && mainWindow !== null && !mainWindow.isDestroyed(),
    logger,
    open: ({ bounds, fullscreen }) => {
      const window = deps.createWindow(
        createCustomerDisplayWindowOptions({ preloadPath: paths.preloadPath, devTools, bounds, fullscreen }),
      );
      // Without the focus: the cashier's keyboard and scanner stay on the station window.
      window.once('ready-to-show', () => window.showInactive());
      prepareWindow(window, CUSTOMER_DISPLAY_URL, 'customer display');
      return window;
    },
  });
  customerDisplay.sync();

  app.on('activate', () => {
    if (quitting || (mainWindow !== null && !mainWindow.isDestroyed())) return;
    mainWindow = openMainWindow();
    customerDisplay?.sync();
  });

  return {
    args,
    station: opened,
    binding: bound,
    mainWindow: () => mainWindow,
    customerWindow: () => customerDisplay?.window() ?? null,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
