import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Station } from '../../../src/main/core/station';
import type { ShellLogger } from '../../../src/main/electron/electron-parts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'migrations');

/** Temp directories and stations opened by a test; `cleanup()` closes and removes them (call in afterEach). */
export class TestResources {
  private readonly dirs: string[] = [];
  private readonly stations: Station[] = [];

  tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-'));
    this.dirs.push(dir);
    return dir;
  }

  /** A real station core on a fresh temp directory. */
  station(): Station {
    const station = Station.open({
      dataDir: this.tempDir(),
      migrationsDir: MIGRATIONS_DIR,
      version: 'test',
      logger: silentLogger,
    });
    this.stations.push(station);
    return station;
  }

  track(station: Station): Station {
    this.stations.push(station);
    return station;
  }

  cleanup(): void {
    for (const station of this.stations.splice(0)) station.close();
    for (const dir of this.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const silentLogger: ShellLogger & { warnings: string[]; errors: string[] } = {
  warnings: [],
  errors: [],
  info: () => undefined,
  warn(message) {
    this.warnings.push(message);
  },
  error(message) {
    this.errors.push(message);
  },
};

export const SETUP_INPUT = {
  storeName: 'Corner Shop',
  currency: 'CNY',
  locale: 'en',
  taxMode: 'inclusive',
  adminName: 'Ada',
  adminPin: '4321',
} as const;
