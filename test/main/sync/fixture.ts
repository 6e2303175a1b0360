/**
 * A set-up station for the sync tests: real SQLite in a temp dir, an admin signed in on its own connection, and
 * sync options tuned for tests (millisecond backoff, no idle polling unless asked).
 */
import { systemClock, type Clock } from '../../../src/main/core/clock';
import { Station } from '../../../src/main/core/station';
import type { SyncServiceOptions } from '../../../src/main/core/sync/sync-service';
import { MIGRATIONS_DIR } from '../../helpers/paths';
import { connect, TEST_SETUP, unwrap, type Caller } from '../../helpers/station';
import { tempDataDir } from '../../helpers/temp-dir';

export interface SyncStation {
  station: Station;
  dataDir: string;
  admin: Caller;
  adminId: string;
  logs: string[];
  /** Closes the station (not the folder). */
  close(): void;
  /** Closes the station and removes its folder. */
  cleanup(): void;
}

export const TEST_SYNC_OPTIONS: SyncServiceOptions = {
  pollIntervalMs: 60_000,
  pushDelayMs: 5,
  backoff: { baseMs: 5, capMs: 40 },
  requestTimeoutMs: 5_000,
};

export function openSyncStationAt(
  dataDir: string,
  options: SyncServiceOptions = {},
  logs: string[] = [],
  clock: Clock = systemClock,
): Station {
  return Station.open({
    dataDir,
    migrationsDir: MIGRATIONS_DIR,
    version: 'sync-test',
    clock,
    logger: { error: (message) => logs.push(message) },
    sync: { ...TEST_SYNC_OPTIONS, log: (line) => logs.push(line), ...options },
  });
}

export async function openSyncStation(
  options: SyncServiceOptions = {},
  clock: Clock = systemClock,
): Promise<SyncStation> {
  const temp = tempDataDir('countertop-sync-');
  const logs: string[] = [];
  const station = openSyncStationAt(temp.dir, options, logs, clock);
  const admin = connect(station, 'admin');
  const session = unwrap(await admin('setup:complete', TEST_SETUP));
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    station.close();
  };
  return {
    station,
    dataDir: temp.dir,
    admin,
    adminId: session.user.id,
    logs,
    close,
    cleanup: () => {
      close();
      temp.cleanup();
    },
  };
}

/** Queues `n` station facts the way a business action does: one transaction each, through the journal. */
export function queueFacts(station: Station, n: number, type = 'sale.completed'): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    station.db.transaction(() => {
      ids.push(station.journal.enqueue(type, { stationId: station.id, n: i, note: `fact ${i}` }, new Date()));
    })();
  }
  return ids;
}

export function pendingSeqs(station: Station): number[] {
  return station.db
    .prepare('SELECT seq FROM outbox WHERE acked_at IS NULL ORDER BY seq')
    .pluck()
    .all() as number[];
}

export function allSeqs(station: Station): number[] {
  return station.db.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all() as number[];
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
