import os from 'node:os';
import path from 'node:path';

/** The product name Electron derives its userData folder from; the browser host uses the same folder. */
export const APP_DIR_NAME = 'Countertop';

export interface PlatformInfo {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
}

/**
 * Where the station keeps its data when no `--data-dir` is given: Electron's `app.getPath('userData')` for
 * productName Countertop, plus `data` — so `npm run serve` and the desktop app open the same station.
 *   Linux   $XDG_CONFIG_HOME/Countertop/data, else ~/.config/Countertop/data
 *   macOS   ~/Library/Application Support/Countertop/data
 *   Windows %APPDATA%\Countertop\data, else ~\AppData\Roaming\Countertop\data
 */
export function defaultDataDir(
  { platform, env, home }: PlatformInfo = {
    platform: process.platform,
    env: process.env,
    home: os.homedir(),
  },
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  let appData: string;
  if (platform === 'win32') {
    appData = nonEmpty(env.APPDATA) ?? p.join(home, 'AppData', 'Roaming');
  } else if (platform === 'darwin') {
    appData = p.join(home, 'Library', 'Application Support');
  } else {
    appData = nonEmpty(env.XDG_CONFIG_HOME) ?? p.join(home, '.config');
  }
  return p.join(appData, APP_DIR_NAME, 'data');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
