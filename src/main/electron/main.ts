/**
 * Electron entry point (bundled to dist/main/electron.cjs). Wires the real electron module into the shell;
 * all logic lives in lifecycle.ts and its helpers, which tests drive with a fake.
 */
import { app, BrowserWindow, dialog, Menu, protocol, screen, session } from 'electron';
import { startPaymentTerminal } from '../core/devices/payment-terminal-host';
import { devicesFileFromArgv, loadDeviceConfigFile } from '../core/devices/device-config';
import type { DeviceConfig } from '../../shared/ipc/channels/devices';
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

// `--devices FILE`: read before anything starts, so a bad file stops the launch naming the wrong field.
let deviceFile: DeviceConfig | null = null;
let deviceFileProblem: string | null = null;
try {
  const file = devicesFileFromArgv(process.argv, process.cwd());
  if (file !== null) deviceFile = loadDeviceConfigFile(file);
} catch (err) {
  deviceFileProblem = err instanceof Error ? err.message : String(err);
}

if (deviceFileProblem !== null) {
  logger.error(deviceFileProblem);
  void app.whenReady().then(() => {
    dialog.showErrorBox('Countertop cannot start', deviceFileProblem);
    app.exit(1);
  });
} else
  startShell({
    app,
    protocol,
    dialog,
    defaultSession: () => session.defaultSession,
    screen: () => screen,
    createWindow: (options) => new BrowserWindow(options),
    bindIpc: bindElectronIpc,
    // After a restore the database under the running station was swapped: start again on the restored data
    // (a moment later, so the restore's answer reaches the screen first).
    openStation: (options) =>
      Station.open({
        ...options,
        onRestartRequired: () => {
          setTimeout(() => {
            logger.info('A backup was restored: restarting on the restored data.');
            app.relaunch();
            app.quit();
          }, 1500);
        },
      }),
    startDevices: async (station) => {
      if (deviceFile !== null) await station.devices.manager.configure(deviceFile, 'file', null);
      await station.devices.manager.start();
      const stopTerminal = await startPaymentTerminal(station, {
        env: process.env,
        log: (line) => logger.info(line),
      });
      return async () => {
        await stopTerminal().catch(() => undefined);
        await station.devices.stop();
      };
    },
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
