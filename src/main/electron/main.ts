/**
 * Electron entry point (bundled to dist/main/electron.cjs). Wires the real electron module into the shell;
 * all logic lives in lifecycle.ts and its helpers, which tests drive with a fake.
 */
import { app, BrowserWindow, dialog, Menu, protocol, screen, session } from 'electron';
import { startDemoPaymentTerminal } from '../core/devices/demo-terminal';
import { Station } from '../core/station';
import { APP_VERSION } from '../version';
import type { ShellLogger } from './electron-parts';
import { bindElectronIpc } from './ipc-binding';
import { startShell } from './lifecycle';

const logger: ShellLogger = {
  info: (message) => console.log(`[countertop] ${message}`),
  warn: (message) => console.warn(`[countertop] ${message}`),
  error: (message, err) => console.error(`[countertop] ${message}`, ...(err === undefined ? [] : [err])),
};

startShell({
  app,
  protocol,
  dialog,
  defaultSession: () => session.defaultSession,
  screen: () => screen,
  createWindow: (options) => new BrowserWindow(options),
  bindIpc: bindElectronIpc,
  openStation: (options) => Station.open(options),
  startDevices: (station) =>
    startDemoPaymentTerminal(station, { env: process.env, log: (line) => logger.info(line) }),
  hideMenu: () => Menu.setApplicationMenu(null),
  argv: process.argv,
  env: process.env,
  cwd: process.cwd(),
  version: APP_VERSION,
  logger,
}).catch((err: unknown) => {
  logger.error('Countertop failed to start', err);
  dialog.showErrorBox('Countertop cannot start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
