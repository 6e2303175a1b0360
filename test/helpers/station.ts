import type { Clock } from '../../src/main/core/clock';
import { ManualClock } from '../../src/main/core/clock';
import { Station } from '../../src/main/core/station';
import type { GateLogger } from '../../src/main/ipc/gate';
import type { Result } from '../../src/shared/domain/errors';
import type { Channel, InputOf, OutputOf } from '../../src/shared/ipc/contract';
import { MIGRATIONS_DIR } from './paths';
import { tempDataDir } from './temp-dir';

export interface TestStationOptions {
  /** Defaults to a ManualClock at 2026-01-15T09:00Z; pass `systemClock` for real time. */
  clock?: Clock;
  /** An existing folder (e.g. to reopen a station); default: a new temp folder removed by cleanup(). */
  dataDir?: string;
  version?: string;
  logger?: GateLogger;
}

export interface TestStation {
  station: Station;
  dataDir: string;
  clock: Clock;
  /** Closes the station and removes its temp folder (not a folder passed in). Safe to call twice. */
  cleanup(): void;
}

/** A real station on a real SQLite file with the real migrations. */
export function openTestStation(options: TestStationOptions = {}): TestStation {
  const temp = options.dataDir === undefined ? tempDataDir('countertop-station-') : null;
  const dataDir = options.dataDir ?? temp!.dir;
  const clock = options.clock ?? new ManualClock();
  const station = Station.open({
    dataDir,
    migrationsDir: MIGRATIONS_DIR,
    version: options.version ?? 'test',
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    station,
    dataDir,
    clock,
    cleanup: () => {
      station.close();
      temp?.cleanup();
    },
  };
}

export type Caller = <C extends Channel>(channel: C, input: InputOf<C>) => Promise<Result<OutputOf<C>>>;

/** Registers a connection with the gate and returns a typed way to call it as that connection. */
export function connect(station: Station, connectionId: string): Caller {
  station.gate.registerConnection(connectionId);
  return callAs(station, connectionId);
}

/** Calls the gate as a connection without registering it (to test refusals). */
export function callAs(station: Station, connectionId: string): Caller {
  return <C extends Channel>(channel: C, input: InputOf<C>) =>
    station.gate.handle(connectionId, channel, input) as Promise<Result<OutputOf<C>>>;
}

/** The value of a successful Result, or a thrown error naming the failure. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export const TEST_SETUP = {
  storeName: 'Test Store',
  currency: 'CNY',
  locale: 'zh-CN',
  taxMode: 'inclusive',
  adminName: 'Admin',
  adminPin: '135790',
} as const satisfies InputOf<'setup:complete'>;
