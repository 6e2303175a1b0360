import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE, Station } from '../../../src/main/core/station';
import { APP_ENTRY_URL } from '../../../src/main/electron/app-url';
import type { DisplayPart } from '../../../src/main/electron/electron-parts';
import { connectionIdOf, createIpcBinding } from '../../../src/main/electron/ipc-binding';
import { startShell, type ShellDeps } from '../../../src/main/electron/lifecycle';
import { IPC_INVOKE } from '../../../src/shared/ipc/api';
import { createFakeElectron, fakeDisplay, type FakeBrowserWindow, type FakeElectron } from './fake-electron';
import { MIGRATIONS_DIR, REPO_ROOT, SETUP_INPUT, silentLogger, TestResources } from './helpers';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectronModule());

describe('shell lifecycle', () => {
  const resources = new TestResources();
  afterEach(() => resources.cleanup());

  interface LaunchOptions {
    lockAvailable?: boolean;
    argv?: string[];
    env?: Record<string, string>;
    displays?: DisplayPart[];
    primaryDisplayId?: number;
  }

  function launch(options: LaunchOptions = {}) {
    const appData = resources.tempDir();
    const electron = createFakeElectron({
      appData,
      appPath: REPO_ROOT,
      lockAvailable: options.lockAvailable ?? true,
      ...(options.displays ? { displays: options.displays } : {}),
      ...(options.primaryDisplayId === undefined ? {} : { primaryDisplayId: options.primaryDisplayId }),
    });
    const openStation = vi.fn((o: Parameters<ShellDeps['openStation']>[0]) =>
      resources.track(Station.open(o)),
    );
    const hideMenu = vi.fn();
    const deps: ShellDeps = {
      app: electron.app,
      protocol: electron.protocol,
      dialog: electron.dialog,
      defaultSession: () => electron.session,
      screen: () => electron.screen,
      createWindow: (o) => electron.createWindow(o),
      bindIpc: (station, logger) => createIpcBinding(electron.ipcMain, station, logger),
      openStation,
      hideMenu,
      argv: ['/opt/Countertop/countertop', ...(options.argv ?? [])],
      env: options.env ?? {},
      cwd: appData,
      version: 'test',
      logger: silentLogger,
    };
    return { electron, appData, openStation, hideMenu, started: startShell(deps) };
  }

  async function running(options?: LaunchOptions) {
    const launched = launch(options);
    const shell = await launched.started;
    if (!shell) throw new Error('the shell did not start');
    const window = launched.electron.windows[0]!;
    return { ...launched, shell, window };
  }

  const invoke = (electron: FakeElectron, window: FakeBrowserWindow, channel: string, input: unknown) =>
    electron.ipcMain.invoke(window.webContents, window.webContents.getURL(), IPC_INVOKE, channel, input);

  it('quits a second instance before opening the station or a window', async () => {
    const { electron, openStation, started } = launch({ lockAvailable: false });
    expect(await started).toBeNull();
    expect(electron.app.quitCalls).toBe(1);
    expect(openStation).not.toHaveBeenCalled();
    expect(electron.windows).toEqual([]);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('brings the running window to the front when a second instance starts', async () => {
    const { electron, window } = await running();
    window.minimized = true;
    electron.app.emit('second-instance', {}, ['countertop'], '/');
    expect(window.minimized).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.focusCount).toBe(1);
  });

  it('sets up before ready: privileged scheme, sandbox for all renderers, one userData folder', async () => {
    const { electron, appData } = await running();
    expect(electron.protocol.privileged?.[0]?.scheme).toBe('countertop');
    expect(electron.app.sandboxEnabled).toBe(true);
    expect(electron.app.getPath('userData')).toBe(path.join(appData, 'Countertop'));
  });

  it('opens the station in <userData>/data and shows countertop://app/index.html in a locked-down window', async () => {
    const { electron, appData, openStation, hideMenu, shell, window } = await running();
    const dataDir = path.join(appData, 'Countertop', 'data');
    expect(openStation).toHaveBeenCalledWith(
      expect.objectContaining({ dataDir, migrationsDir: MIGRATIONS_DIR, version: 'test' }),
    );
    expect(fs.existsSync(path.join(dataDir, DATABASE_FILE))).toBe(true);
    expect(shell.args).toEqual({ dataDir: null, kiosk: false, customerDisplay: false });
    expect(hideMenu).not.toHaveBeenCalled(); // a development run keeps the menu (reload, devtools)

    expect(window.options.webPreferences).toMatchObject({
      preload: path.join(REPO_ROOT, 'dist', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: true,
    });
    expect(window.webContents.getURL()).toBe(APP_ENTRY_URL);
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
    expect(window.shownActive).toBe(true);
    expect(electron.windows).toHaveLength(1); // one display: no customer display
    expect(shell.customerWindow()).toBeNull();

    expect(electron.protocol.handlers.has('countertop')).toBe(true);
    expect(await electron.session.requestPermission(window.webContents, 'media')).toBe(false);
    expect(window.webContents.navigate('https://evil.example/').defaultPrevented).toBe(true);
    expect(window.webContents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });

    expect(await invoke(electron, window, 'app:status', {})).toMatchObject({
      ok: true,
      value: { version: 'test' },
    });
  });

  it('takes --data-dir (relative to the working directory) and --kiosk', async () => {
    const { appData, shell, window, hideMenu } = await running({ argv: ['--data-dir', 'till-1', '--kiosk'] });
    expect(shell.args).toEqual({
      dataDir: path.join(appData, 'till-1'),
      kiosk: true,
      customerDisplay: false,
    });
    expect(fs.existsSync(path.join(appData, 'till-1', DATABASE_FILE))).toBe(true);
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(hideMenu).toHaveBeenCalled();
  });

  it('takes kiosk mode from COUNTERTOP_KIOSK=1', async () => {
    const { window } = await running({ env: { COUNTERTOP_KIOSK: '1' } });
    expect(window.options.kiosk).toBe(true);
  });

  it('hides the menu and the devtools in a packaged build', async () => {
    const launched = launch();
    launched.electron.app.isPackaged = true;
    await launched.started;
    expect(launched.hideMenu).toHaveBeenCalled();
    expect(launched.electron.windows[0]?.options.webPreferences?.devTools).toBe(false);
  });

  it('refuses bad arguments with a message and exit code 2', async () => {
    const { electron, started } = launch({ argv: ['--data-dir'] });
    expect(await started).toBeNull();
    expect(electron.dialog.errorBoxes[0]?.content).toMatch(/--data-dir needs a directory/);
    expect(electron.app.exitCode).toBe(2);
  });

  it('refuses a database written by a newer version, says why, exits 1 and leaves the file untouched', async () => {
    const dataDir = resources.tempDir();
    Station.open({ dataDir, migrationsDir: MIGRATIONS_DIR, version: 'old' }).close();
    const file = path.join(dataDir, DATABASE_FILE);
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    const digest = () => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const before = digest();

    const { electron, started } = launch({ argv: [`--data-dir=${dataDir}`] });
    expect(await started).toBeNull();
    expect(electron.dialog.errorBoxes).toHaveLength(1);
    expect(electron.dialog.errorBoxes[0]?.content).toMatch(/newer version of Countertop/);
    expect(electron.app.exitCode).toBe(1);
    expect(electron.windows).toEqual([]);
    expect(digest()).toBe(before);
  });

  it('reloads a crashed renderer and keeps its window trusted and its session signed in', async () => {
    const { electron, shell, window } = await running();
    expect(await invoke(electron, window, 'setup:complete', SETUP_INPUT)).toMatchObject({ ok: true });

    window.webContents.crash('crashed');
    expect(window.webContents.reloads).toBe(1);
    const connectionId = connectionIdOf(window.webContents);
    expect(shell.station.gate.isTrusted(connectionId)).toBe(true);
    expect(await invoke(electron, window, 'app:status', {})).toMatchObject({
      ok: true,
      value: { session: { user: { name: 'Ada' }, locked: false } },
    });
  });

  it('quits when the last window closes and closes the station on will-quit', async () => {
    const { electron, shell, window } = await running();
    const station = shell.station as Station;
    window.close();
    expect(electron.app.quitCalls).toBe(0); // Electron quits on window-all-closed, not on the close itself
    expect(station.gate.isTrusted(connectionIdOf(window.webContents))).toBe(false);
    electron.app.emit('window-all-closed');
    expect(electron.app.quitCalls).toBe(1);
    expect(station.db.open).toBe(false);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('keeps the station open when a quit is only announced (before-quit can still be cancelled)', async () => {
    const { electron, shell, window } = await running();
    electron.app.emit('before-quit', {});
    expect((shell.station as Station).db.open).toBe(true);
    window.webContents.crash('killed');
    expect(window.webContents.reloads).toBe(0); // no reload while quitting
  });

  it('reopens a window on activate (macOS) when none is left', async () => {
    const { electron, shell, window } = await running();
    window.close();
    electron.app.emit('activate');
    expect(electron.windows).toHaveLength(2);
    expect(shell.mainWindow()).toBe(electron.windows[1]);
  });

  describe('customer display', () => {
    const PRIMARY = fakeDisplay(1, 0);
    const SECOND = fakeDisplay(2, 1920, 1024, 768);
    const CUSTOMER_URL = 'countertop://app/index.html#/customer-display';

    async function twoScreens(options: LaunchOptions = {}) {
      const launched = await running({ displays: [PRIMARY, SECOND], ...options });
      const customer = launched.electron.windows[1];
      if (!customer) throw new Error('no customer display window');
      return { ...launched, customer };
    }

    it('opens a second window full screen on the secondary display, with the same preferences', async () => {
      const { electron, shell, window, customer } = await twoScreens();
      expect(electron.windows).toHaveLength(2);
      expect(shell.mainWindow()).toBe(window);
      expect(shell.customerWindow()).toBe(customer);
      expect(customer.options).toMatchObject({
        ...SECOND.bounds,
        frame: false,
        fullscreen: true,
        show: false,
      });
      expect(customer.options.kiosk).toBeUndefined();
      expect(customer.options.webPreferences).toEqual(window.options.webPreferences);
      expect(customer.options.webPreferences?.preload).toBe(
        path.join(REPO_ROOT, 'dist', 'preload', 'preload.cjs'),
      );
      expect(customer.webContents.getURL()).toBe(CUSTOMER_URL);

      // Shown without the focus, so the cashier's keyboard and scanner stay on the station window.
      customer.emit('ready-to-show');
      expect(customer.visible).toBe(true);
      expect(customer.shownActive).toBe(false);

      // Hardened like the main window.
      expect(customer.webContents.navigate('https://evil.example/').defaultPrevented).toBe(true);
      expect(customer.webContents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
    });

    it('picks the first display that is not the primary', async () => {
      const third = fakeDisplay(3, 3840);
      const { customer } = await twoScreens({ displays: [PRIMARY, SECOND, third], primaryDisplayId: 2 });
      expect(customer.options).toMatchObject(PRIMARY.bounds);
    });

    it('opens none on a single display unless forced; forced, a window on the primary', async () => {
      expect((await running()).electron.windows).toHaveLength(1);

      for (const forced of [
        { argv: ['--customer-display'] },
        { env: { COUNTERTOP_CUSTOMER_DISPLAY: '1' } },
      ]) {
        const { electron, shell } = await running(forced);
        expect(shell.args.customerDisplay).toBe(true);
        expect(electron.windows).toHaveLength(2);
        const customer = electron.windows[1]!;
        expect(customer.webContents.getURL()).toBe(CUSTOMER_URL);
        expect(customer.options).toMatchObject({ x: 448, y: 136, width: 1024, height: 768 });
        expect(customer.options.fullscreen).toBeUndefined();
        expect(customer.options.frame).toBeUndefined();
      }
    });

    it('follows the screen: opens on a display plugged in, closes when it is unplugged', async () => {
      const { electron, shell, window } = await running();
      electron.screen.plug(SECOND);
      expect(electron.windows).toHaveLength(2);
      const customer = electron.windows[1]!;
      expect(customer.options).toMatchObject({ ...SECOND.bounds, fullscreen: true });
      expect(shell.customerWindow()).toBe(customer);
      const customerId = connectionIdOf(customer.webContents);
      expect(shell.station.gate.isTrusted(customerId)).toBe(true);

      electron.screen.plug(fakeDisplay(3, 2944)); // a third screen does not move it
      expect(electron.windows).toHaveLength(2);

      electron.screen.unplug(3);
      expect(customer.isDestroyed()).toBe(false);
      electron.screen.unplug(2);
      expect(customer.isDestroyed()).toBe(true);
      expect(shell.customerWindow()).toBeNull();
      expect(shell.station.gate.isTrusted(customerId)).toBe(false);
      expect(window.isDestroyed()).toBe(false);
      expect(electron.app.quitCalls).toBe(0);

      electron.screen.plug(SECOND); // plugged in again: a new window
      expect(electron.windows).toHaveLength(3);
      expect(shell.customerWindow()).toBe(electron.windows[2]);
    });

    it('when forced, moves between the primary (windowed) and a second display (full screen)', async () => {
      const { electron, shell } = await running({ argv: ['--customer-display'] });
      const windowed = electron.windows[1]!;
      electron.screen.plug(SECOND);
      expect(windowed.isDestroyed()).toBe(true);
      const fullscreen = electron.windows[2]!;
      expect(fullscreen.options).toMatchObject({ ...SECOND.bounds, fullscreen: true });
      electron.screen.unplug(2);
      expect(fullscreen.isDestroyed()).toBe(true);
      expect(shell.customerWindow()).toBe(electron.windows[3]);
      expect(electron.windows[3]?.options.fullscreen).toBeUndefined();
    });

    it("trusts the customer window's calls: public channels answer, signed-in ones need a session it lacks", async () => {
      const { electron, shell, window, customer } = await twoScreens();
      expect(connectionIdOf(customer.webContents)).not.toBe(connectionIdOf(window.webContents));
      expect(await invoke(electron, window, 'setup:complete', SETUP_INPUT)).toMatchObject({ ok: true });

      expect(await invoke(electron, customer, 'display:snapshot', {})).toEqual({
        ok: true,
        value: { cart: null },
      });
      expect(await invoke(electron, customer, 'app:status', {})).toMatchObject({
        ok: true,
        value: { version: 'test', session: null },
      });
      const refused = await invoke(electron, customer, 'sale:current', {});
      expect(refused).toMatchObject({ ok: false });
      expect((refused as { error: { code: string } }).error.code).not.toBe('forbidden'); // the gate said no

      // Broadcast events reach it too.
      (shell.station as Station).events.emit('sale:changed', { cart: null });
      expect(customer.webContents.sent.at(-1)?.args[0]).toEqual({
        name: 'sale:changed',
        payload: { cart: null },
      });
    });

    it('reloads the customer display after a renderer crash', async () => {
      const { customer } = await twoScreens();
      customer.webContents.crash('crashed');
      expect(customer.webContents.reloads).toBe(1);
    });

    it('closing the customer window does not quit; closing the station window closes it and quits', async () => {
      const { electron, shell, window, customer } = await twoScreens();
      const station = shell.station as Station;
      customer.close();
      expect(electron.app.quitCalls).toBe(0);
      expect(shell.customerWindow()).toBeNull();
      expect(window.isDestroyed()).toBe(false);
      expect(station.db.open).toBe(true);
      expect(await invoke(electron, window, 'app:status', {})).toMatchObject({ ok: true });

      electron.screen.plug(fakeDisplay(3, 2944)); // a screen change brings it back
      const again = electron.windows[2]!;
      expect(shell.customerWindow()).toBe(again);

      window.close();
      expect(again.isDestroyed()).toBe(true);
      expect(electron.windows.every((w) => w.isDestroyed())).toBe(true);
      electron.app.emit('window-all-closed'); // what Electron does once both are gone
      expect(electron.app.quitCalls).toBe(1);
      expect(station.db.open).toBe(false);

      electron.screen.plug(fakeDisplay(4, 4864)); // nothing opens while quitting
      expect(electron.windows).toHaveLength(3);
    });
  });
});
