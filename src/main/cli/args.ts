import { parseArgs } from 'node:util';

export const DEFAULT_PORT = 4310;

export interface ServeOptions {
  port: number;
  /** null: the per-user default (see paths.ts). */
  dataDir: string | null;
  demo: boolean;
  /** `--devices FILE`: the device configuration (JSON, see README "Devices"), stored and applied at start. */
  devicesFile: string | null;
}

export type ParsedServeArgs =
  { kind: 'run'; options: ServeOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export const SERVE_USAGE = `Usage: npm run serve -- [options]

Runs the Countertop station in plain Node and serves its UI to a browser on this machine only
(http://127.0.0.1). Open the printed URL; it carries this launch's access token.

Options:
  --port N          Port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --data-dir DIR    Station data folder (default: the per-user Countertop/data folder the desktop app uses)
  --demo            Set up the demo store (staff, ~300 products) if this station is not set up yet
  --devices FILE    Device configuration file (JSON; see README "Devices"), e.g.
                    { "printer": { "connection": "tcp://192.168.1.50:9100" } }
  -h, --help        Show this help
`;

/** Reads the serve command line strictly: an unknown flag or a bad value is an error, never ignored. */
export function parseServeArgs(argv: readonly string[]): ParsedServeArgs {
  let values: { port?: string; 'data-dir'?: string; demo?: boolean; devices?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        demo: { type: 'boolean' },
        devices: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
  if (values.help === true) return { kind: 'help' };

  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65_535) {
      return { kind: 'error', message: `--port must be a number from 0 to 65535, got "${values.port}"` };
    }
    port = Number(values.port);
  }
  const dataDir = values['data-dir'];
  if (dataDir !== undefined && dataDir.trim() === '')
    return { kind: 'error', message: '--data-dir must not be empty' };
  const devices = values.devices;
  if (devices !== undefined && devices.trim() === '')
    return { kind: 'error', message: '--devices must not be empty' };

  return {
    kind: 'run',
    options: { port, dataDir: dataDir ?? null, demo: values.demo === true, devicesFile: devices ?? null },
  };
}
