import path from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoPaymentTerminal } from '../core/devices/demo-terminal';
import { loadDeviceConfigFile } from '../core/devices/device-config';
import { Station } from '../core/station';
import { DatabaseOpenError } from '../db/errors';
import { APP_VERSION } from '../version';
import type { DeviceConfig } from '../../shared/ipc/channels/devices';
import type { SelfTestLevel, SelfTestRun } from '../../shared/ipc/channels/selftest';
import { describeError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io';
import { defaultDataDir, type PlatformInfo } from './paths';

export const SELFTEST_USAGE = `Usage: npm run selftest -- [options]

Checks every configured device of this station without the UI and prints one line per device:
  PASS printer           simulated (tcp://127.0.0.1:40123)  test_page: test page printed
  FAIL printer           tcp://192.168.1.50:9100  status: out of paper
Exit status: 0 when every device passed, 1 when any failed (or the station cannot be opened), 2 on a bad command line.

Options:
  --level L         internal (status only, default) or external (also prints a test page, kicks the drawer,
                    asks the payment terminal for a diagnosis). The interactive level needs the technician screen.
  --devices FILE    Device configuration file (JSON, as for "npm run serve"); stored and used for this run
  --data-dir DIR    Station data folder (default: the per-user Countertop/data folder the desktop app uses)
  --json            Print the whole run as JSON instead of the lines
  -h, --help        Show this help
`;

export interface SelftestOptions {
  level: Extract<SelfTestLevel, 'internal' | 'external'>;
  devicesFile: string | null;
  dataDir: string | null;
  json: boolean;
}

export function parseSelftestArgs(
  argv: readonly string[],
): { kind: 'run'; options: SelftestOptions } | { kind: 'help' } | { kind: 'error'; message: string } {
  let values: { level?: string; devices?: string; 'data-dir'?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        level: { type: 'string' },
        devices: { type: 'string' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { kind: 'error', message: describeError(err) };
  }
  if (values.help === true) return { kind: 'help' };
  const level = values.level ?? 'internal';
  if (level !== 'internal' && level !== 'external') {
    return { kind: 'error', message: `--level must be internal or external, got "${level}"` };
  }
  for (const name of ['devices', 'data-dir'] as const) {
    if (values[name] !== undefined && values[name].trim() === '') {
      return { kind: 'error', message: `--${name} must not be empty` };
    }
  }
  return {
    kind: 'run',
    options: {
      level,
      devicesFile: values.devices ?? null,
      dataDir: values['data-dir'] ?? null,
      json: values.json === true,
    },
  };
}

export interface SelftestRuntime {
  /** The app root: `migrations/` is found under it. */
  appRoot: string;
  io: CliIo;
  platform?: PlatformInfo;
  env?: Readonly<Record<string, string | undefined>>;
  /** Tests shorten the self-test's limits. */
  configure?: (station: Station) => void;
}

/** `PASS printer           <connection>  <message>`: one line per device, columns aligned for a terminal. */
export function formatRunLines(run: SelfTestRun): string[] {
  return run.devices.map((d) => {
    const verdict = d.result === 'pass' ? 'PASS' : d.result === 'skipped' ? 'SKIP' : 'FAIL';
    return `${verdict} ${d.device.padEnd(17)} ${d.connection}  ${d.message ?? ''}`.trimEnd();
  });
}

/**
 * `npm run selftest`: opens the station (the same data folder as serve and the desktop app), applies a
 * `--devices` file like serve does, starts the devices (and the demo card terminal when it is wanted, as serve
 * does), runs the self-test and prints the result. Returns the exit code; the entry point exits with it.
 */
export async function runSelftest(argv: readonly string[], runtime: SelftestRuntime): Promise<number> {
  const { io } = runtime;
  const parsed = parseSelftestArgs(argv);
  if (parsed.kind === 'help') {
    io.out(SELFTEST_USAGE.trimEnd());
    return EXIT_OK;
  }
  if (parsed.kind === 'error') {
    io.err(`countertop selftest: ${parsed.message}`);
    io.err('Run "npm run selftest -- --help" for the options.');
    return EXIT_USAGE;
  }
  const options = parsed.options;
  let deviceFile: DeviceConfig | null = null;
  if (options.devicesFile !== null) {
    try {
      deviceFile = loadDeviceConfigFile(path.resolve(options.devicesFile));
    } catch (err) {
      io.err(describeError(err));
      return EXIT_USAGE;
    }
  }
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir(runtime.platform));
  let station: Station;
  try {
    station = Station.open({
      dataDir,
      migrationsDir: path.join(runtime.appRoot, 'migrations'),
      version: APP_VERSION,
      logger: { error: (message: string, err?: unknown) => io.err(`${message}: ${describeError(err)}`) },
    });
  } catch (err) {
    io.err(
      err instanceof DatabaseOpenError
        ? err.message
        : `Cannot open the station data folder ${dataDir}: ${describeError(err)}`,
    );
    return EXIT_FAILED;
  }
  runtime.configure?.(station);
  let stopTerminal: () => Promise<void> = () => Promise.resolve();
  try {
    if (deviceFile !== null) await station.devices.manager.configure(deviceFile, 'file', null);
    await station.devices.manager.start();
    stopTerminal = await startDemoPaymentTerminal(station, { env: runtime.env ?? process.env });
    const run = await station.diagnostics.selftest.run(options.level, null);
    if (options.json) io.out(JSON.stringify(run, null, 2));
    else {
      for (const line of formatRunLines(run)) io.out(line);
      if (run.devices.length === 0) io.out('No devices are configured.');
    }
    return run.status === 'passed' ? EXIT_OK : EXIT_FAILED;
  } catch (err) {
    io.err(`The self-test could not run: ${describeError(err)}`);
    return EXIT_FAILED;
  } finally {
    await stopTerminal().catch(() => undefined);
    await station.devices.stop().catch(() => undefined);
    await station.diagnostics.stop().catch(() => undefined);
    station.close();
  }
}
