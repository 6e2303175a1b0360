import fs from 'node:fs';
import path from 'node:path';
import { seedDemo } from '../core/demo';
import { startPaymentTerminal } from '../core/devices/payment-terminal-host';
import { loadDeviceConfigFile } from '../core/devices/device-config';
import type { DeviceConfig } from '../../shared/ipc/channels/devices';
import { Station } from '../core/station';
import { DatabaseOpenError } from '../db/errors';
import { APP_VERSION } from '../version';
import { startWebHost, type WebHost } from '../web';
import { parseServeArgs, SERVE_USAGE } from './args';
import { defaultDataDir, type PlatformInfo } from './paths';

export interface ServeIo {
  /** One line for stdout (the ready line, help). */
  out(line: string): void;
  /** One line for stderr (errors, notes). */
  err(line: string): void;
}

export interface ServeRuntime {
  /** The app root: `migrations/` and `dist/renderer/` are found under it. */
  appRoot: string;
  io: ServeIo;
  platform?: PlatformInfo;
  version?: string;
  /** Read for `COUNTERTOP_NO_DEMO_TERMINAL`; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

export type ServeOutcome =
  | { kind: 'exit'; code: number }
  | { kind: 'running'; url: string; host: WebHost; station: Station; stop(): Promise<void> };

/** Exit codes: 0 done, 1 could not start, 2 bad command line. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * `npm run serve`: opens the station, optionally seeds the demo store, and starts the browser host. Returns
 * either an exit code (help, bad arguments, a problem a person must fix) or the running server with `stop()`.
 * Process concerns (signals, process.exit) belong to the entry point, so this is testable in-process.
 */
export async function startServe(argv: readonly string[], runtime: ServeRuntime): Promise<ServeOutcome> {
  const { io, appRoot } = runtime;
  const parsed = parseServeArgs(argv);
  if (parsed.kind === 'help') {
    io.out(SERVE_USAGE.trimEnd());
    return { kind: 'exit', code: 0 };
  }
  if (parsed.kind === 'error') {
    io.err(`countertop serve: ${parsed.message}`);
    io.err('Run "npm run serve -- --help" for the options.');
    return { kind: 'exit', code: EXIT_USAGE };
  }
  const options = parsed.options;
  // A bad device file stops the launch before the station is touched, with the field that is wrong.
  let deviceFile: DeviceConfig | null = null;
  if (options.devicesFile !== null) {
    try {
      deviceFile = loadDeviceConfigFile(path.resolve(options.devicesFile));
    } catch (err) {
      io.err(describe(err));
      return { kind: 'exit', code: EXIT_FAILURE };
    }
  }

  const migrationsDir = path.join(appRoot, 'migrations');
  const rendererDir = path.join(appRoot, 'dist', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    io.err(
      `The UI is not built: ${path.join(rendererDir, 'index.html')} is missing. Run "npm run build" first.`,
    );
    return { kind: 'exit', code: EXIT_FAILURE };
  }
  if (!fs.existsSync(migrationsDir)) {
    io.err(`The database migrations are missing: ${migrationsDir} does not exist.`);
    return { kind: 'exit', code: EXIT_FAILURE };
  }

  const dataDir = path.resolve(options.dataDir ?? defaultDataDir(runtime.platform));
  const logger = {
    error: (message: string, err?: unknown) =>
      io.err(`${message}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    warn: (message: string) => io.err(message),
  };

  /** One life of the station: opened, devices started, served. A restore ends it and starts the next. */
  interface Life {
    station: Station;
    host: WebHost;
    stop(): Promise<void>;
  }
  let onRestoreDone: () => void = () => undefined;

  const launch = async (first: boolean, port: number, token?: string): Promise<Life | string> => {
    let station: Station;
    try {
      station = Station.open({
        dataDir,
        migrationsDir,
        version: runtime.version ?? APP_VERSION,
        logger,
        onRestartRequired: () => onRestoreDone(),
      });
    } catch (err) {
      if (err instanceof DatabaseOpenError) return err.message;
      return `Cannot open the station data folder ${dataDir}: ${describe(err)}`;
    }
    // The configured card terminal (`paymentTerminal`; the demo simulator by default), re-attached on changes.
    let stopTerminal: () => Promise<void> = () => Promise.resolve();
    let host: WebHost;
    try {
      if (first && options.demo) await seedDemo(station);
      if (first && deviceFile !== null) await station.devices.manager.configure(deviceFile, 'file', null);
      // Never fails for a device: one that cannot be reached shows offline / unavailable with the reason.
      await station.devices.manager.start();
      // Silent: stdout is the ready line and stderr is for problems (the demo terminal is in the README).
      stopTerminal = await startPaymentTerminal(station, { env: runtime.env ?? process.env });
      host = await startWebHost({ station, port, rendererDir, logger, ...(token ? { token } : {}) });
    } catch (err) {
      await stopTerminal().catch(() => undefined);
      await station.devices.stop().catch(() => undefined);
      station.close();
      return listenProblem(err, port) ?? `Countertop could not start: ${describe(err)}`;
    }
    const stop = () =>
      host
        .close()
        .finally(() => stopTerminal())
        .finally(() => station.devices.stop())
        .finally(() => station.close());
    return { station, host, stop };
  };

  const firstLife = await launch(true, options.port);
  if (typeof firstLife === 'string') {
    io.err(firstLife);
    return { kind: 'exit', code: EXIT_FAILURE };
  }
  let life: Life = firstLife;
  io.out(`Station ready: ${life.host.url}`);

  let stopping: Promise<void> | null = null;
  let restarting: Promise<void> | null = null;
  // A restore swapped the database under the running station: close this life and open the restored data on
  // the same port with the same token, so the open page reconnects on its own.
  onRestoreDone = () => {
    restarting ??= (async () => {
      // Let the restore's answer reach the page first.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { port, token } = life.host;
      await life.stop().catch(() => undefined);
      if (stopping) return;
      const next = await launch(false, port, token);
      if (typeof next === 'string') {
        io.err(`The restored database could not be opened: ${next} Stop Countertop and call a technician.`);
        return;
      }
      life = next;
      io.err('A backup was restored: the station reopened on the restored data.');
    })().finally(() => {
      restarting = null;
    });
  };
  const stop = (): Promise<void> => {
    stopping ??= (restarting ?? Promise.resolve()).then(() => life.stop());
    return stopping;
  };
  return {
    kind: 'running',
    url: life.host.url,
    get host() {
      return life.host;
    },
    get station() {
      return life.station;
    },
    stop,
  };
}

function listenProblem(err: unknown, port: number): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return `Port ${port} on 127.0.0.1 is already in use: stop the program using it or choose another with --port.`;
  }
  if (code === 'EACCES')
    return `Not allowed to listen on port ${port}: choose a port above 1023 with --port.`;
  return null;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
