import path from 'node:path';

export interface ShellArgs {
  /** `--data-dir DIR`: where the station database lives; null means `<userData>/data`. */
  dataDir: string | null;
  /** `--kiosk` or `COUNTERTOP_KIOSK=1`. */
  kiosk: boolean;
  /**
   * `--customer-display` or `COUNTERTOP_CUSTOMER_DISPLAY=1`: open the customer display even on a single screen
   * (windowed on the primary). With a second screen it opens anyway.
   */
  customerDisplay: boolean;
}

export class ShellArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellArgsError';
  }
}

/**
 * Reads the shell's own flags from `process.argv` and ignores everything else (Electron and Chromium add
 * their own switches, and `--devices` belongs to the core).
 */
export function parseShellArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): ShellArgs {
  let dataDir: string | null = null;
  let kiosk = env.COUNTERTOP_KIOSK === '1';
  let customerDisplay = env.COUNTERTOP_CUSTOMER_DISPLAY === '1';
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--kiosk') {
      kiosk = true;
    } else if (arg === '--customer-display') {
      customerDisplay = true;
    } else if (arg === '--data-dir' || arg?.startsWith('--data-dir=')) {
      const value = arg === '--data-dir' ? argv[(i += 1)] : arg.slice('--data-dir='.length);
      if (value === undefined || value === '' || value.startsWith('--')) {
        throw new ShellArgsError('--data-dir needs a directory, e.g. --data-dir /srv/countertop');
      }
      dataDir = path.resolve(cwd, value);
    }
  }
  return { dataDir, kiosk, customerDisplay };
}
