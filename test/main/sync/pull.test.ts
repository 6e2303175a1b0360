/**
 * Pulling the change feed: each page applied together with its cursor in one transaction (a failure or a
 * closed station in the middle neither skips nor re-applies a page), products/tax rates/staff/settings written
 * through the station's own paths, pulled products not echoed back to the server, pulled staff able to sign in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hashPin } from '../../../src/main/core/auth/pin-hash';
import type { Station } from '../../../src/main/core/station';
import type { Change } from '../../../src/shared/sync/protocol';
import { connect, unwrap } from '../../helpers/station';
import { tempDataDir } from '../../helpers/temp-dir';
import { openSyncStation, openSyncStationAt, until, type SyncStation } from './fixture';
import { LoopbackStoreServer } from './loopback-server';

let server: LoopbackStoreServer;
let st: SyncStation;
const extraCleanup: (() => void)[] = [];
afterEach(async () => {
  st?.cleanup();
  for (const fn of extraCleanup.splice(0)) fn();
  await server?.close();
});

const VAT13: Omit<Change, 'seq'> = {
  entity: 'tax_rate',
  data: { code: 'VAT13', nameZh: '增值税13%', nameEn: 'VAT 13%', ratePpm: 130_000, active: true },
};

function product(plu: string, price: number, barcodes: string[] = []): Omit<Change, 'seq'> {
  return {
    entity: 'product',
    data: {
      plu,
      barcodes,
      nameZh: `商品${plu}`,
      nameEn: `Product ${plu}`,
      category: null,
      unit: 'piece',
      price,
      cost: null,
      taxCode: 'VAT13',
      active: true,
    },
  };
}

const priceOf = (station: Station, plu: string) =>
  station.db.prepare('SELECT price FROM products WHERE plu = ?').pluck().get(plu) as number | undefined;
const cursorOf = (station: Station) => station.sync.status().cursor;
const pulledAudits = (station: Station) =>
  (
    station.db
      .prepare("SELECT details FROM audit_log WHERE action = 'sync.pulled' ORDER BY seq")
      .pluck()
      .all() as string[]
  ).map((d) => JSON.parse(d) as { from: number; to: number });

async function enrol(s: SyncStation): Promise<void> {
  unwrap(await s.admin('sync:enrol', { serverUrl: server.url, code: 'ENROL-123456' }));
}

describe('pull', () => {
  it('applies products, tax rates, staff and known settings; pulled staff sign in with their PIN', async () => {
    server = await new LoopbackStoreServer().start();
    const staffId = '0190a5e0-0000-7000-8000-000000000001';
    server.addChange(VAT13);
    server.addChange(product('2001', 350, ['6901234567892']));
    server.addChange(product('2002', 1200));
    server.addChange(product('2001', 390, ['6901234567892'])); // a later price for the same PLU in one page
    server.addChange({
      entity: 'staff',
      data: { id: staffId, name: '赵敏', role: 'cashier', pinHash: await hashPin('4826'), active: true },
    });
    server.addChange({ entity: 'setting', data: { key: 'idleLockSeconds', value: 600 } });
    server.addChange({ entity: 'setting', data: { key: 'loyaltyBonanza', value: true } });
    server.addChange({ entity: 'setting', data: { key: 'maxPinAttempts', value: 'many' } });
    st = await openSyncStation();
    await enrol(st);
    await until(() => cursorOf(st.station) === 8, 'cursor at the last change');
    const { station } = st;

    expect(priceOf(station, '2001')).toBe(390);
    expect(priceOf(station, '2002')).toBe(1200);
    expect(station.catalog.resolveScan('6901234567892').product.price).toBe(390);
    expect(station.settings.get('idleLockSeconds')).toBe(600);
    expect(station.settings.get('maxPinAttempts')).toBe(5);
    expect(st.logs.some((l) => l.includes('loyaltyBonanza'))).toBe(true);
    // Pulled products are the server's facts: nothing about them goes back in the outbox.
    const echoed = station.db
      .prepare("SELECT count(*) FROM outbox WHERE type = 'catalog.products_upserted'")
      .pluck()
      .get();
    expect(echoed).toBe(0);
    expect(pulledAudits(station)).toHaveLength(1);

    const till = connect(station, 'till');
    const users = unwrap(await till('auth:users', {}));
    expect(users.map((u) => u.name)).toContain('赵敏');
    const session = unwrap(await till('auth:sign-in', { userId: staffId, pin: '4826' }));
    expect(session.user).toMatchObject({ id: staffId, role: 'cashier' });
    expect((await till('auth:sign-out', {})).ok).toBe(true);
    expect((await till('auth:sign-in', { userId: staffId, pin: '0000' })).ok).toBe(false);

    // A later deactivation by the server takes the user off the sign-in list.
    server.addChange({
      entity: 'staff',
      data: { id: staffId, name: '赵敏', role: 'cashier', pinHash: await hashPin('4826'), active: false },
    });
    unwrap(await st.admin('sync:now', {}));
    await until(() => cursorOf(station) === 9, 'cursor after the deactivation');
    expect(unwrap(await till('auth:users', {})).map((u) => u.id)).not.toContain(staffId);
  });

  it('takes the store’s sync policies from the feed: offline warning and gift cards offline', async () => {
    server = await new LoopbackStoreServer().start();
    server.addChange({ entity: 'setting', data: { key: 'syncOfflineWarnMinutes', value: 45 } });
    server.addChange({ entity: 'setting', data: { key: 'syncGiftCardOffline', value: 'allow' } });
    st = await openSyncStation();
    await enrol(st);
    await until(() => cursorOf(st.station) === 2, 'cursor at the policies');
    expect(unwrap(await st.admin('sync:status', {}))).toMatchObject({
      offlineWarnMinutes: 45,
      giftCardOffline: 'allow',
    });

    // A value this station does not know is skipped and logged; the policy stays as it was.
    server.addChange({ entity: 'setting', data: { key: 'syncGiftCardOffline', value: 'sometimes' } });
    unwrap(await st.admin('sync:now', {}));
    await until(() => cursorOf(st.station) === 3, 'cursor after the unknown value');
    expect(unwrap(await st.admin('sync:status', {}))).toMatchObject({ giftCardOffline: 'allow' });
    expect(st.logs.some((l) => l.includes('syncGiftCardOffline') && l.includes('block, allow'))).toBe(true);

    server.addChange({ entity: 'setting', data: { key: 'syncGiftCardOffline', value: 'block' } });
    unwrap(await st.admin('sync:now', {}));
    await until(() => cursorOf(st.station) === 4, 'cursor after block');
    expect(unwrap(await st.admin('sync:status', {}))).toMatchObject({ giftCardOffline: 'block' });
  });

  it('a page and its cursor commit together: a failure while applying leaves neither, the retry applies it once', async () => {
    server = await new LoopbackStoreServer().start();
    server.addChange(VAT13);
    for (let i = 1; i <= 4; i++) server.addChange(product(`30${i}`, 100 * i));
    st = await openSyncStation({ pageSize: 2 });
    // Any cursor past 2 fails at the very end of the page's transaction, after its products were written.
    st.station.db.exec(
      "CREATE TEMP TRIGGER fail_page BEFORE UPDATE OF pull_cursor ON main.sync_state WHEN NEW.pull_cursor > 2 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    );
    const failures: string[] = [];
    const progress: { applied: number; remaining: number }[] = [];
    st.station.events.on((e) => {
      if (e.name === 'sync:changed' && e.payload.lastError) failures.push(e.payload.lastError.message);
      if (e.name === 'sync:progress') progress.push(e.payload);
    });
    await enrol(st);
    await until(() => failures.length >= 2, 'two failed tries of the second page');

    expect(cursorOf(st.station)).toBe(2);
    expect(priceOf(st.station, '301')).toBe(100);
    expect(priceOf(st.station, '302')).toBeUndefined(); // written, then rolled back with the cursor
    expect(st.station.sync.status().state).toBe('offline');

    st.station.db.exec('DROP TRIGGER fail_page');
    unwrap(await st.admin('sync:now', {}));
    await until(() => cursorOf(st.station) === 5, 'cursor at the end');
    expect([301, 302, 303, 304].map((p) => priceOf(st.station, String(p)))).toEqual([100, 200, 300, 400]);
    expect(pulledAudits(st.station).map((a) => [a.from, a.to])).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
    // Progress for the catch-up: applied so far and what the server still has, ending at nothing left.
    expect(progress.at(-1)).toMatchObject({ remaining: 0 });
    expect(progress.some((p) => p.remaining > 0 && p.applied > 0)).toBe(true);
    const afters = server.pullRequests().map((r) => r.after);
    expect(afters[0]).toBe(0);
    expect(afters.filter((a) => a === 0)).toHaveLength(1);
  });

  it('a large page is written in parts, each with its cursor: a failure in one part keeps the parts before it', async () => {
    server = await new LoopbackStoreServer().start();
    server.addChange(VAT13);
    for (let i = 1; i <= 5; i++) server.addChange(product(`60${i}`, 100 * i));
    st = await openSyncStation({ pageSize: 10, changesPerTransaction: 2 });
    st.station.db.exec(
      "CREATE TEMP TRIGGER fail_part BEFORE UPDATE OF pull_cursor ON main.sync_state WHEN NEW.pull_cursor > 4 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    );
    const failures: string[] = [];
    st.station.events.on((e) => {
      if (e.name === 'sync:changed' && e.payload.lastError) failures.push(e.payload.lastError.message);
    });
    await enrol(st);
    await until(() => failures.length >= 1, 'the third part failed');
    expect(cursorOf(st.station)).toBe(4);
    expect(priceOf(st.station, '603')).toBe(300);
    expect(priceOf(st.station, '604')).toBeUndefined();

    st.station.db.exec('DROP TRIGGER fail_part');
    unwrap(await st.admin('sync:now', {}));
    await until(() => cursorOf(st.station) === 6, 'cursor at the end');
    expect([601, 602, 603, 604, 605].map((p) => priceOf(st.station, String(p)))).toEqual([
      100, 200, 300, 400, 500,
    ]);
    expect(pulledAudits(st.station).map((a) => [a.from, a.to])).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
    ]);
    // One page on the wire; every retry asked for what came after the last part written, never from before it.
    // (The cycle that pushes the pull's audit rows may ask once more, from the end.)
    const afters = server.pullRequests().map((r) => r.after);
    expect(afters[0]).toBe(0);
    expect(afters).toContain(4);
    expect(afters.slice(1).every((a) => a === 4 || a === 6)).toBe(true);
  });

  it('a station closed while a page is on its way resumes after the last committed page', async () => {
    server = await new LoopbackStoreServer().start();
    server.addChange(VAT13);
    for (let i = 1; i <= 4; i++) server.addChange(product(`40${i}`, 10 * i));
    const dir = tempDataDir('countertop-sync-kill-');
    extraCleanup.push(dir.cleanup);
    st = await openSyncStation({ pageSize: 2 });
    let release: (() => void) | null = null;
    server.next('/v1/changes', { kind: 'pass' }).next('/v1/changes', {
      kind: 'hold',
      onHeld: (r) => (release = r),
    });
    await enrol(st);
    await until(() => release !== null, 'second page requested');
    const dataDir = st.dataDir;
    st.close(); // the station goes away with page 2 on the wire
    release!();

    const seen: number[] = [];
    const reopened = openSyncStationAt(dataDir, { pageSize: 2, onPage: (p) => seen.push(...p.seqs) });
    extraCleanup.push(() => reopened.close());
    await until(() => cursorOf(reopened) === 5, 'cursor at the end after reopening');
    expect(seen).toEqual([3, 4, 5]);
    expect(pulledAudits(reopened).map((a) => [a.from, a.to])).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
    const afters = server.pullRequests().map((r) => r.after);
    expect(afters.slice(0, 4)).toEqual([0, 2, 2, 4]);
    // The cycle that pushes the pulled pages' audit rows may ask once more, from the end.
    expect(afters.slice(4).every((a) => a === 5)).toBe(true);
  });

  it('refuses a page that does not continue from the cursor and applies nothing of it', async () => {
    server = await new LoopbackStoreServer().start();
    server.addChange(VAT13);
    server.addChange(product('501', 100));
    // A server bug: the feed goes backwards.
    server.changes.push({ ...product('502', 200), seq: 1 } as Change);
    st = await openSyncStation();
    await enrol(st);
    await until(() => st.station.sync.status().lastError?.code === 'protocol', 'protocol error');
    expect(cursorOf(st.station)).toBe(0);
    expect(priceOf(st.station, '501')).toBeUndefined();
  });
});
