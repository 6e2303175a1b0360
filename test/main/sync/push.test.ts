/**
 * Pushing the outbox: per-event results (created / duplicate / rejected → quarantine), retries with backoff on
 * network errors, 5xx and 429 (Retry-After), always resuming from the first unacknowledged row, and a refused
 * station that stops instead of hammering the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/main/core/clock';
import type { SyncFailure } from '../../../src/main/core/sync/http-client';
import { unwrap } from '../../helpers/station';
import { allSeqs, openSyncStation, pendingSeqs, queueFacts, until, type SyncStation } from './fixture';
import { LoopbackStoreServer } from './loopback-server';

let server: LoopbackStoreServer;
let st: SyncStation;
afterEach(async () => {
  st?.cleanup();
  await server?.close();
});

async function enrolled(
  options: Parameters<typeof openSyncStation>[0] = {},
  clock?: Parameters<typeof openSyncStation>[1],
): Promise<SyncStation> {
  server = await new LoopbackStoreServer().start();
  st = await openSyncStation(options, clock);
  unwrap(await st.admin('sync:enrol', { serverUrl: server.url, code: 'ENROL-123456' }));
  return st;
}

const drained = () => pendingSeqs(st.station).length === 0;

describe('push results', () => {
  it('acknowledges created events, quarantines rejected ones with the server code and body', async () => {
    await enrolled();
    server.rejectTypes.add('weird.type');
    queueFacts(st.station, 120);
    const [odd] = queueFacts(st.station, 1, 'weird.type');
    queueFacts(st.station, 5);
    await until(drained, 'outbox drained');

    const all = allSeqs(st.station);
    // Every outbox row reached the server exactly once as an accepted event, except the rejected one.
    expect(server.events.size).toBe(all.length - 1);
    expect([...server.events.values()].map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      all.filter((seq) => seq !== seqOf(odd!)),
    );
    // Batches of at most 100, in seq order, never overlapping while all answers arrived.
    for (const r of server.pushRequests()) {
      expect(r.seqs.length).toBeLessThanOrEqual(100);
      expect(r.seqs).toEqual([...r.seqs].sort((a, b) => a - b));
    }
    const quarantine = unwrap(await st.admin('sync:quarantine', {}));
    expect(quarantine.total).toBe(1);
    expect(quarantine.items[0]).toMatchObject({ eventId: odd, type: 'weird.type', code: 'unknown_type' });
    expect(JSON.parse(quarantine.items[0]!.payload)).toMatchObject({ note: 'fact 0' });
    const status = unwrap(await st.admin('sync:status', {}));
    expect(status).toMatchObject({ state: 'online', pendingEvents: 0, quarantined: 1 });
    expect(status.lastPushAt).not.toBeNull();
  });

  it('a response lost after the server committed is resent and answered duplicate, not stored twice', async () => {
    await enrolled();
    await until(drained, 'enrolment facts pushed');
    const before = server.events.size;
    server.next('/v1/events', { kind: 'commit_then_reset' });
    queueFacts(st.station, 30);
    await until(drained, 'outbox drained after the lost answer');

    const pushes = server.pushRequests().slice(-2);
    // The second request resent exactly the batch whose answer was lost, from its first row.
    expect(pushes[1]!.seqs.slice(0, pushes[0]!.seqs.length)).toEqual(pushes[0]!.seqs);
    expect(server.events.size).toBe(before + 30);
    expect(unwrap(await st.admin('sync:quarantine', {})).total).toBe(0);
  });

  it('a partial answer acknowledges what it covers; the rest goes again, first unacknowledged row first', async () => {
    await enrolled();
    await until(drained, 'enrolment facts pushed');
    server.next('/v1/events', { kind: 'partial', n: 7 });
    queueFacts(st.station, 20);
    await until(drained, 'outbox drained');
    const [partial, rest] = server.pushRequests().slice(-2);
    expect(rest!.seqs[0]).toBe(partial!.seqs[7]);
    expect(rest!.seqs).toEqual(partial!.seqs.slice(7));
  });
});

describe('a backlog', () => {
  it('goes out with two batches in flight, every event exactly once, in disjoint batches of at most 100', async () => {
    await enrolled();
    await until(drained, 'enrolment facts pushed');
    const before = server.pushRequests().length;
    server.pushAnswerDelayMs = 15;
    queueFacts(st.station, 650);
    await until(drained, 'backlog drained');

    expect(server.maxPushesInFlight).toBe(2);
    const all = allSeqs(st.station);
    expect(server.events.size).toBe(all.length);
    const sent = server
      .pushRequests()
      .slice(before)
      .flatMap((r) => {
        expect(r.seqs.length).toBeLessThanOrEqual(100);
        return r.seqs;
      });
    // Nothing was sent twice: the window's batches never overlap.
    expect(new Set(sent).size).toBe(sent.length);
    expect(unwrap(await st.admin('sync:status', {}))).toMatchObject({ pendingEvents: 0, lastError: null });
  });

  it('a batch failing inside the window: the other is still acknowledged, the retry starts at the first unacknowledged row', async () => {
    await enrolled({ backoff: { baseMs: 5, capMs: 20 } });
    await until(drained, 'enrolment facts pushed');
    const before = server.pushRequests().length;
    server.pushAnswerDelayMs = 15;
    // The first batch goes alone; the next two share the window, and the first of those fails.
    server
      .next('/v1/events', { kind: 'pass' })
      .next('/v1/events', { kind: 'status', status: 503, code: 'unavailable' });
    queueFacts(st.station, 450);
    await until(drained, 'backlog drained after the failure');

    const pushes = server.pushRequests().slice(before);
    // pushes[0] went alone; pushes[1] and [2] shared the window (in whichever order they arrived).
    const failed = pushes.slice(1, 3).find((r) => r.status === 503)!;
    const partner = pushes.slice(1, 3).find((r) => r.status === 200)!;
    expect(failed).toBeDefined();
    expect(partner).toBeDefined();
    // The batch in flight beside the failed one was answered and acknowledged: it never went again.
    for (const seq of partner.seqs) expect(pushes.filter((r) => r.seqs.includes(seq))).toHaveLength(1);
    // The first request after the failure resent the failed batch from its first row.
    const retry = pushes.slice(3).find((r) => r.seqs.includes(failed.seqs[0]!))!;
    expect(retry.seqs.slice(0, failed.seqs.length)).toEqual(failed.seqs);
    expect(server.events.size).toBe(allSeqs(st.station).length);
  });
});

describe('retries', () => {
  it('backs off on 503, 429 (honouring Retry-After) and a reset, then resumes from the first unacknowledged row', async () => {
    const retries: { delay: number; failure: SyncFailure }[] = [];
    await enrolled({
      backoff: { baseMs: 5, capMs: 2_000 },
      onRetry: (delay, failure) => retries.push({ delay, failure }),
    });
    await until(drained, 'enrolment facts pushed');
    server
      .next('/v1/events', { kind: 'status', status: 503, code: 'unavailable' })
      .next('/v1/events', { kind: 'status', status: 429, code: 'rate_limited', retryAfter: '0.3' })
      .next('/v1/events', { kind: 'reset' });
    const firstPending = Math.max(...allSeqs(st.station)) + 1;
    queueFacts(st.station, 150);
    await until(drained, 'outbox drained after three failures');

    expect(retries.map((r) => (r.failure.kind === 'http' ? r.failure.status : r.failure.kind))).toEqual([
      503,
      429,
      'network',
    ]);
    // Retry-After is a floor for the wait after the 429.
    expect(retries[1]!.delay).toBeGreaterThanOrEqual(300);
    // Each try after a failure started again at the first row that was not acknowledged.
    const tries = server.pushRequests().filter((r) => r.seqs.includes(firstPending));
    expect(tries).toHaveLength(4);
    for (const t of tries) expect(t.seqs[0]).toBe(firstPending);
    const status = unwrap(await st.admin('sync:status', {}));
    expect(status).toMatchObject({ state: 'online', pendingEvents: 0, lastError: null, retryAt: null });
  });

  it('is offline with the error while the server is down, warns past the policy, and recovers', async () => {
    const retries: number[] = [];
    const clock = new ManualClock(new Date());
    await enrolled({ backoff: { baseMs: 5, capMs: 20 }, onRetry: (delay) => retries.push(delay) }, clock);
    unwrap(await st.admin('sync:set-policy', { offlineWarnMinutes: 30 }));
    await until(drained, 'enrolment facts pushed');
    const port = new URL(server.url).port;
    await server.close();
    queueFacts(st.station, 3);
    await until(() => retries.length >= 3, 'three retries against a closed port');
    const offline = unwrap(await st.admin('sync:status', {}));
    expect(offline.state).toBe('offline');
    expect(offline.pendingEvents).toBe(3);
    expect(offline.lastError?.code).toBe('network');
    expect(offline.offlineSince).not.toBeNull();
    expect(offline.offlineWarning).toBe(false);
    // Half an hour and a minute without reaching the server: the manager is warned.
    // (Read from the core: the admin's screen has idle-locked by then.)
    clock.advance(31 * 60_000);
    expect(st.station.sync.status().offlineWarning).toBe(true);

    // The server restarts on the same port, knowing the station: the station finds it on its next try.
    const restarted = new LoopbackStoreServer();
    for (const [k, v] of server.credentials) restarted.credentials.set(k, v);
    server = await restarted.start(Number(port));
    await until(drained, 'outbox drained after the server came back');
    const back = st.station.sync.status();
    expect(back).toMatchObject({ state: 'online', offlineWarning: false, lastError: null });
  });

  it('a body the server finds too large is sent in smaller batches', async () => {
    await enrolled();
    await until(drained, 'enrolment facts pushed');
    const sizes = server.pushRequests().length;
    server.maxBodyBytes = 4_000;
    queueFacts(st.station, 40);
    await until(drained, 'outbox drained in small batches');
    const later = server.pushRequests().slice(sizes);
    expect(later[0]).toMatchObject({ status: 413 });
    expect(later[0]!.seqs).toHaveLength(40);
    const accepted = later.filter((r) => r.status === 200);
    expect(Math.max(...accepted.map((r) => r.seqs.length))).toBeLessThan(40);
    // Nothing was lost or sent twice on the way down (with two batches in flight they may be taken out of order).
    expect(accepted.flatMap((r) => r.seqs).sort((a, b) => a - b)).toEqual(later[0]!.seqs);
    expect(unwrap(await st.admin('sync:quarantine', {})).total).toBe(0);
  });
});

describe('a refused station', () => {
  it('stops on 403 revoked, records it and does not retry until enrolled again', async () => {
    const retries: number[] = [];
    await enrolled({ onRetry: (delay) => retries.push(delay) });
    await until(drained, 'enrolment facts pushed');
    server.revoked = true;
    queueFacts(st.station, 5);
    await until(() => st.station.sync.status().state === 'refused', 'refused state');
    const requests = server.requests.length;
    // More sales and a "sync now" do not wake a refused station.
    queueFacts(st.station, 5);
    unwrap(await st.admin('sync:now', {}));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requests.length).toBe(requests);
    expect(retries).toEqual([]);
    const status = unwrap(await st.admin('sync:status', {}));
    // The ten facts, plus the audit row of the refusal itself (a station fact like any other).
    expect(status).toMatchObject({ state: 'refused', pendingEvents: 11 });
    expect(status.lastError?.code).toBe('revoked');
    const refusedAudit = st.station.db
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'sync.refused'")
      .pluck()
      .get();
    expect(refusedAudit).toBe(1);

    // A new enrolment starts it again and the waiting events go.
    server.codes.add('ENROL-654321');
    unwrap(await st.admin('sync:enrol', { serverUrl: server.url, code: 'ENROL-654321' }));
    await until(drained, 'outbox drained after re-enrolment');
    expect(unwrap(await st.admin('sync:status', {})).state).toBe('online');
  });
});

function seqOf(eventId: string): number {
  return st.station.db.prepare('SELECT seq FROM outbox WHERE event_id = ?').pluck().get(eventId) as number;
}
