/**
 * A station whose database failed its integrity check: the sync loop sends nothing, acknowledges nothing and
 * applies no pulled change to it (the gate already refuses every call but the status); the same file, sound,
 * syncs as usual.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Station } from '../../../src/main/core/station';
import { DATABASE_FILE } from '../../../src/main/core/station';
import { unwrap } from '../../helpers/station';
import {
  openSyncStation,
  openSyncStationAt,
  pendingSeqs,
  queueFacts,
  until,
  type SyncStation,
} from './fixture';
import { LoopbackStoreServer } from './loopback-server';

let server: LoopbackStoreServer;
let st: SyncStation;
const reopened: Station[] = [];
afterEach(async () => {
  for (const s of reopened.splice(0)) s.close();
  st?.cleanup();
  await server?.close();
});

/**
 * An enrolled station closed with 30 events waiting and a product change waiting on the server; its file ends
 * with a few thousand settings rows (the pages a damaged disk will hit).
 */
async function closedWithBacklog(): Promise<string> {
  server = await new LoopbackStoreServer().start();
  st = await openSyncStation();
  unwrap(await st.admin('sync:enrol', { serverUrl: server.url, code: 'ENROL-123456' }));
  await until(() => pendingSeqs(st.station).length === 0, 'enrolment facts pushed');
  await st.station.sync.stop();
  queueFacts(st.station, 30);
  server.addChange({
    entity: 'tax_rate',
    data: { code: 'VAT13', nameZh: '增值税13%', nameEn: 'VAT 13%', ratePpm: 130_000, active: true },
  });
  const insert = st.station.db.prepare(
    "INSERT INTO settings (key, value, updated_at) VALUES (?, '\"x\"', 'now')",
  );
  st.station.db.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(`filler-${i}-${'x'.repeat(50)}`);
  })();
  st.station.db.pragma('wal_checkpoint(TRUNCATE)');
  st.close();
  return st.dataDir;
}

/** Scribbles over a page deep in the settings table: the schema still reads, so the station opens. */
function damage(dataDir: string): void {
  const file = path.join(dataDir, DATABASE_FILE);
  const bytes = fs.readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  const last = Math.floor(bytes.length / pageSize) - 2;
  for (let i = pageSize * last + 100; i < pageSize * (last + 1); i++) bytes[i] = 0xa5;
  fs.writeFileSync(file, bytes);
}

const taxRates = (station: Station) =>
  station.db.prepare('SELECT count(*) FROM tax_rates').pluck().get() as number;

describe('sync and the integrity check', () => {
  it('a damaged database is neither pushed from nor written to; the status says why', async () => {
    const dataDir = await closedWithBacklog();
    const requestsBefore = server.requests.length;
    damage(dataDir);
    const logs: string[] = [];
    const station = openSyncStationAt(dataDir, {}, logs);
    reopened.push(station);
    expect((await station.integrity).length).toBeGreaterThan(0);
    await until(() => station.sync.status().lastError?.code === 'storage_error', 'sync reports the damage');
    // Time for a cycle that should not happen (pushes go out within milliseconds in these tests).
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(server.requests.length).toBe(requestsBefore);
    expect(pendingSeqs(station)).toHaveLength(30);
    expect(station.sync.status()).toMatchObject({ state: 'offline', cursor: 0, pendingEvents: 30 });
    expect(taxRates(station)).toBe(0);
    expect(logs.some((l) => l.includes('integrity check'))).toBe(true);
    // Enrolling again is refused before anything is sent or stored.
    await expect(
      station.sync.enrol({ serverUrl: server.url, code: 'ENROL-123456' }, null),
    ).rejects.toMatchObject({ code: 'storage_error' });
    expect(server.requests.length).toBe(requestsBefore);
  });

  it('the same file, sound, pushes its backlog and pulls the waiting change', async () => {
    const dataDir = await closedWithBacklog();
    const station = openSyncStationAt(dataDir);
    reopened.push(station);
    expect(await station.integrity).toEqual([]);
    await until(
      () => pendingSeqs(station).length === 0 && taxRates(station) === 1,
      'backlog pushed and change pulled',
    );
    expect(station.sync.status().lastError).toBeNull();
  });
});
