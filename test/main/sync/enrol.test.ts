/**
 * Enrolment and the sync channels through the gate: who may call what, the credential kept in the station
 * database (never in an audit row, an outbox event or the status), wrong codes and unreachable servers as
 * typed errors, and certificate pinning over TLS.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, unwrap } from '../../helpers/station';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';
import { openSyncStation, until, type SyncStation } from './fixture';
import { LoopbackStoreServer } from './loopback-server';

let server: LoopbackStoreServer;
let st: SyncStation;
afterEach(async () => {
  st?.cleanup();
  await server?.close();
});

async function staff(s: SyncStation, role: 'cashier' | 'technician' | 'manager', pin: string) {
  const user = unwrap(await s.admin('staff:create', { name: `${role}-${pin}`, role, pin }));
  const conn = connect(s.station, `${role}-conn`);
  unwrap(await conn('auth:sign-in', { userId: user.id, pin }));
  return conn;
}

describe('sync channels', () => {
  it('status is for signed-in users; enrol, now, quarantine and policy need sync.manage', async () => {
    server = await new LoopbackStoreServer().start();
    st = await openSyncStation();
    const cashier = await staff(st, 'cashier', '1111');
    const technician = await staff(st, 'technician', '4444');
    const manager = await staff(st, 'manager', '3333');
    const anonymous = connect(st.station, 'nobody');

    expect(unwrap(await cashier('sync:status', {})).state).toBe('not_enrolled');
    const anon = await anonymous('sync:status', {});
    expect(anon.ok ? 'ok' : anon.error.code).toBe('unauthenticated');
    for (const call of [
      () => cashier('sync:quarantine', {}),
      () => cashier('sync:now', {}),
      () => cashier('sync:enrol', { serverUrl: server.url, code: 'ENROL-123456' }),
      () => cashier('sync:set-policy', { offlineWarnMinutes: 10 }),
    ]) {
      const r = await call();
      expect(r.ok ? 'ok' : r.error.code).toBe('permission_denied');
    }
    // The technician installs the station; the manager runs it.
    unwrap(await technician('sync:enrol', { serverUrl: `${server.url}/`, code: 'ENROL-123456' }));
    unwrap(await manager('sync:quarantine', {}));
    unwrap(await manager('sync:now', {}));
    const status = unwrap(await manager('sync:set-policy', { offlineWarnMinutes: 30 }));
    expect(status).toMatchObject({ serverUrl: server.url, storeId: 'store-1', offlineWarnMinutes: 30 });
  });

  it('keeps the credential only in the station database; the audit row names the server, not the secret', async () => {
    server = await new LoopbackStoreServer().start();
    st = await openSyncStation();
    const status = unwrap(await st.admin('sync:enrol', { serverUrl: server.url, code: 'ENROL-123456' }));
    expect(status).toMatchObject({ state: 'online', storeName: 'Loopback Store', pinned: false });
    const credential = server.credentials.get(st.station.id)!;
    const stored = st.station.db.prepare('SELECT credential FROM sync_enrolment').pluck().get();
    expect(stored).toBe(credential);
    const secret = credential.split('.')[1]!;
    const everywhere = [
      ...(st.station.db.prepare('SELECT details FROM audit_log').pluck().all() as string[]),
      ...(st.station.db.prepare('SELECT payload FROM outbox').pluck().all() as string[]),
      JSON.stringify(status),
      ...st.logs,
    ].join('\n');
    expect(everywhere).not.toContain(secret);
    expect(everywhere).not.toContain('ENROL-123456');
    const audit = st.station.db
      .prepare("SELECT details FROM audit_log WHERE action = 'sync.enrolled'")
      .pluck()
      .get() as string;
    expect(JSON.parse(audit)).toMatchObject({ serverUrl: server.url, storeId: 'store-1', pinned: false });
  });

  it('a wrong code and an unreachable server are typed errors that store nothing', async () => {
    server = await new LoopbackStoreServer().start();
    st = await openSyncStation();
    const wrong = await st.admin('sync:enrol', { serverUrl: server.url, code: 'WRONG-000000' });
    expect(wrong.ok ? null : [wrong.error.code, wrong.error.details?.reason]).toEqual([
      'bad_input',
      'enrolment_code_invalid',
    ]);
    const url = server.url;
    await server.close();
    const unreachable = await st.admin('sync:enrol', { serverUrl: url, code: 'ENROL-123456' });
    expect(unreachable.ok ? null : unreachable.error.code).toBe('server_unreachable');
    const bad = await st.admin('sync:enrol', { serverUrl: 'ftp://example.com', code: 'ENROL-123456' });
    expect(bad.ok ? null : bad.error.code).toBe('bad_input');
    expect(st.station.db.prepare('SELECT count(*) FROM sync_enrolment').pluck().get()).toBe(0);
    expect(unwrap(await st.admin('sync:status', {})).state).toBe('not_enrolled');
    server = await new LoopbackStoreServer().start(); // for afterEach
  });
});

describe('certificate pinning', () => {
  let certs: TempDir;
  let tls: { key: string; cert: string };
  let fingerprint: string;
  beforeAll(() => {
    certs = tempDataDir('countertop-sync-tls-');
    const key = path.join(certs.dir, 'key.pem');
    const cert = path.join(certs.dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=store.local',
      ],
      { stdio: 'ignore' },
    );
    tls = { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
    fingerprint = new X509Certificate(tls.cert).fingerprint256;
  });
  afterAll(() => certs.cleanup());

  it('enrols and syncs over TLS with a self-signed certificate when its fingerprint is pinned', async () => {
    server = await new LoopbackStoreServer().start(0, tls);
    st = await openSyncStation();
    const status = unwrap(
      await st.admin('sync:enrol', { serverUrl: server.url, code: 'ENROL-123456', certSha256: fingerprint }),
    );
    expect(status.pinned).toBe(true);
    const stored = st.station.db.prepare('SELECT cert_sha256 FROM sync_enrolment').pluck().get();
    expect(stored).toBe(fingerprint.replace(/:/g, '').toLowerCase());
    await until(() => st.station.sync.status().pendingEvents === 0, 'outbox pushed over TLS');
    expect(server.events.size).toBeGreaterThan(0);
  });

  it('refuses a server whose certificate is not the pinned one before sending it anything', async () => {
    server = await new LoopbackStoreServer().start(0, tls);
    st = await openSyncStation();
    const other = createHash('sha256').update('another certificate').digest('hex');
    const r = await st.admin('sync:enrol', {
      serverUrl: server.url,
      code: 'ENROL-123456',
      certSha256: other,
    });
    expect(r.ok ? null : [r.error.code, r.error.details?.reason]).toEqual([
      'bad_input',
      'certificate_mismatch',
    ]);
    expect(server.requests).toHaveLength(0);
    // Without a pin, a self-signed certificate is refused by the normal CA check.
    const unpinned = await st.admin('sync:enrol', { serverUrl: server.url, code: 'ENROL-123456' });
    expect(unpinned.ok ? null : unpinned.error.code).toBe('server_unreachable');
    expect(server.requests).toHaveLength(0);
  });
});
