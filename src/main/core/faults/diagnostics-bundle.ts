import os from 'node:os';
import type { DeviceStatus } from '../../../shared/ipc/channels/devices';
import type { FaultEntry, FaultFilter } from '../../../shared/ipc/channels/selftest';
import type { Db } from '../../db/open';
import type { StoredDeviceConfig } from '../devices/device-config';

/** The most fault entries one bundle carries (newest first); the filter narrows an older range. */
export const MAX_BUNDLE_FAULTS = 20_000;

export const DIAGNOSTICS_FORMAT = 'countertop-diagnostics/1';

export interface DiagnosticsBundle {
  format: typeof DIAGNOSTICS_FORMAT;
  createdAt: string;
  stationId: string;
  versions: {
    app: string;
    node: string;
    electron: string | null;
    sqlite: string;
    /** `PRAGMA user_version`: the newest migration applied. */
    migrations: number;
  };
  system: { platform: string; arch: string; release: string };
  deviceConfig: StoredDeviceConfig;
  deviceStatuses: DeviceStatus[];
  filter: FaultFilter;
  faults: { count: number; truncated: boolean; entries: FaultEntry[] };
}

export interface BundleInput {
  db: Db;
  at: Date;
  stationId: string;
  appVersion: string;
  config: StoredDeviceConfig;
  statuses: DeviceStatus[];
  filter: FaultFilter;
  faults: FaultEntry[];
}

/**
 * The diagnostics bundle a technician sends to support: ONE JSON document with the fault log, the device
 * configuration and statuses, the station id and the versions that matter (app, Node, Electron, SQLite, schema).
 * Nothing in it is card data: the fault log never holds any, and the device configuration holds none.
 */
export function buildDiagnosticsBundle(input: BundleInput): DiagnosticsBundle {
  const sqlite = input.db.prepare<[], { v: string }>('SELECT sqlite_version() AS v').get()?.v ?? 'unknown';
  const migrations = input.db.pragma('user_version', { simple: true }) as number;
  const truncated = input.faults.length > MAX_BUNDLE_FAULTS;
  const entries = truncated ? input.faults.slice(0, MAX_BUNDLE_FAULTS) : input.faults;
  return {
    format: DIAGNOSTICS_FORMAT,
    createdAt: input.at.toISOString(),
    stationId: input.stationId,
    versions: {
      app: input.appVersion,
      node: process.versions.node,
      electron: process.versions['electron'] ?? null,
      sqlite,
      migrations,
    },
    system: { platform: process.platform, arch: process.arch, release: os.release() },
    deviceConfig: input.config,
    deviceStatuses: input.statuses,
    filter: input.filter,
    faults: { count: entries.length, truncated, entries },
  };
}

/** `countertop-diagnostics-<station 8>-20260115T090000Z.json` */
export function bundleFileName(stationId: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `countertop-diagnostics-${stationId.slice(0, 8)}-${stamp}.json`;
}
