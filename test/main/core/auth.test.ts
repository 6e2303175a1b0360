import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/main/core/clock';
import { Station } from '../../../src/main/core/station';
import { auditHash, GENESIS_HASH, type AuditRow } from '../../../src/main/core/journal';
import type { Channel, InputOf, OutputOf } from '../../../src/shared/ipc/contract';
import type { Result } from '../../../src/shared/domain/errors';

const opened: { station: Station; dir: string }[] = [];
afterEach(() => {
  for (const { station, dir } of opened.splice(0)) {
    station.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function open(clock = new ManualClock()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-auth-'));
  const station = Station.open({
    dataDir: dir,
    migrationsDir: path.resolve('migrations'),
    version: 'test',
    clock,
  });
  opened.push({ station, dir });
  const connect = (id: string) => {
    station.gate.registerConnection(id);
    return <C extends Channel>(channel: C, input: InputOf<C>) =>
      station.gate.handle(id, channel, input) as Promise<Result<OutputOf<C>>>;
  };
  return { station, clock, connect };
}

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

const SETUP = {
  storeName: '示例便利店',
  currency: 'CNY',
  locale: 'zh-CN',
  taxMode: 'inclusive',
  adminName: 'Admin',
  adminPin: '135790',
} as const;

describe('first-run setup', () => {
  it('requires setup, creates the admin signed in, and runs only once', async () => {
    const { station, connect } = open();
    const call = connect('c1');
    expect(value(await call('app:status', {})).setupRequired).toBe(true);
    expect(await call('auth:users', {})).toMatchObject({ ok: false, error: { code: 'setup_required' } });

    const session = value(await call('setup:complete', SETUP));
    expect(session).toMatchObject({ user: { name: 'Admin', role: 'admin' }, locked: false });
    const status = value(await call('app:status', {}));
    expect(status).toMatchObject({
      setupRequired: false,
      storeName: '示例便利店',
      currency: 'CNY',
      taxMode: 'inclusive',
    });
    expect(status.session?.user.name).toBe('Admin');

    expect(await connect('c2')('setup:complete', { ...SETUP, adminName: 'Mallory' })).toMatchObject({
      ok: false,
      error: { code: 'already_set_up' },
    });
    const pinHash = station.db.prepare('SELECT pin_hash FROM users').pluck().get() as string;
    expect(pinHash).toMatch(/^scrypt\$/);
    expect(pinHash).not.toContain(SETUP.adminPin);
  });
});

describe('sign-in, lockout and idle lock', () => {
  async function setUpWithCashier() {
    const ctx = open();
    const admin = ctx.connect('admin');
    value(await admin('setup:complete', SETUP));
    const cashier = value(await admin('staff:create', { name: '王芳', role: 'cashier', pin: '1111' }));
    return { ...ctx, admin, cashierId: cashier.id };
  }

  it('signs in with the right PIN and lists users for the sign-in screen', async () => {
    const { connect, cashierId } = await setUpWithCashier();
    const till = connect('till');
    const users = value(await till('auth:users', {}));
    expect(users.map((u) => u.name).sort()).toEqual(['Admin', '王芳']);
    expect(JSON.stringify(users)).not.toMatch(/scrypt|pin/i);
    const session = value(await till('auth:sign-in', { userId: cashierId, pin: '1111' }));
    expect(session.permissions).toContain('sale.operate');
    expect(session.permissions).not.toContain('staff.manage');
  });

  it('locks a user out after five wrong PINs, then lets them in after the lockout', async () => {
    const { connect, cashierId, clock, station } = await setUpWithCashier();
    const till = connect('till');
    for (let i = 1; i <= 4; i++) {
      expect(await till('auth:sign-in', { userId: cashierId, pin: '0000' })).toMatchObject({
        ok: false,
        error: { code: 'wrong_pin', details: { attemptsLeft: 5 - i } },
      });
    }
    const fifth = await till('auth:sign-in', { userId: cashierId, pin: '0000' });
    expect(fifth).toMatchObject({ ok: false, error: { code: 'user_locked_out' } });
    // Even the right PIN is refused while locked out.
    expect(await till('auth:sign-in', { userId: cashierId, pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'user_locked_out' },
    });
    const actions = station.db.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all();
    expect(actions.filter((a) => a === 'auth.sign_in_failed')).toHaveLength(5);
    expect(actions).toContain('auth.locked_out');

    clock.advance(301_000);
    expect(value(await till('auth:sign-in', { userId: cashierId, pin: '1111' })).user.name).toBe('王芳');
    expect(station.db.prepare('SELECT failed_attempts FROM users WHERE id = ?').pluck().get(cashierId)).toBe(
      0,
    );
  });

  it('a manager can unlock a locked-out user', async () => {
    const { connect, admin, cashierId } = await setUpWithCashier();
    const till = connect('till');
    for (let i = 0; i < 5; i++) await till('auth:sign-in', { userId: cashierId, pin: '0000' });
    const staff = value(await admin('staff:list', {}));
    expect(staff.find((s) => s.id === cashierId)?.lockedUntil).not.toBeNull();
    expect(value(await admin('staff:unlock', { userId: cashierId })).lockedUntil).toBeNull();
    expect((await till('auth:sign-in', { userId: cashierId, pin: '1111' })).ok).toBe(true);
  });

  it('locks the session after idle time and unlocks with the same PIN', async () => {
    const { connect, cashierId, clock } = await setUpWithCashier();
    const till = connect('till');
    value(await till('auth:sign-in', { userId: cashierId, pin: '1111' }));
    clock.advance(299_000);
    expect(value(await till('auth:lock', {})).locked).toBe(true);
    expect(await till('staff:list', {})).toMatchObject({ ok: false, error: { code: 'session_locked' } });
    expect(await till('auth:unlock', { pin: '2222' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_pin' },
    });
    expect(value(await till('auth:unlock', { pin: '1111' })).locked).toBe(false);

    clock.advance(301_000);
    // Any call after the idle time finds the session locked; polling the status does not keep it awake.
    expect(value(await till('app:status', {})).session?.locked).toBe(true);
    expect(await till('auth:lock', {})).toMatchObject({ ok: false, error: { code: 'session_locked' } });
  });

  it('checks permissions in the core, and applies changes immediately', async () => {
    const { connect, admin, cashierId } = await setUpWithCashier();
    const till = connect('till');
    expect(await till('staff:list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    value(await till('auth:sign-in', { userId: cashierId, pin: '1111' }));
    expect(await till('staff:list', {})).toMatchObject({
      ok: false,
      error: { code: 'permission_denied', details: { permission: 'staff.manage', overridable: false } },
    });
    value(await admin('staff:set-active', { userId: cashierId, active: false }));
    expect(await till('auth:lock', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await till('auth:sign-in', { userId: cashierId, pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('refuses duplicate names, a manager creating an admin, and deactivating the last admin', async () => {
    const { connect, admin, station } = await setUpWithCashier();
    expect(await admin('staff:create', { name: '王芳', role: 'cashier', pin: '1234' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const manager = value(await admin('staff:create', { name: 'Li', role: 'manager', pin: '3333' }));
    const office = connect('office');
    value(await office('auth:sign-in', { userId: manager.id, pin: '3333' }));
    expect(await office('staff:create', { name: 'Root', role: 'admin', pin: '4444' })).toMatchObject({
      ok: false,
      error: { code: 'permission_denied' },
    });
    const adminId = station.db.prepare("SELECT id FROM users WHERE role = 'admin'").pluck().get() as string;
    expect(await office('staff:set-active', { userId: adminId, active: false })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });
});

describe('audit journal', () => {
  it('hash-chains every audit row and queues each for sync in the same transaction', async () => {
    const { station, connect } = open();
    const call = connect('c');
    value(await call('setup:complete', SETUP));
    value(await call('ui:set-locale', { locale: 'en' }));
    await call('auth:sign-out', {});
    const rows = station.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
    expect(rows.map((r) => r.action)).toEqual([
      'station.setup_completed',
      'settings.locale_changed',
      'auth.sign_out',
    ]);
    let prev = GENESIS_HASH;
    for (const row of rows) {
      expect(row.prev_hash).toBe(prev);
      expect(auditHash(row)).toBe(row.hash);
      prev = row.hash;
    }
    const outbox = station.db.prepare('SELECT seq, type FROM outbox ORDER BY seq').all() as {
      seq: number;
      type: string;
    }[];
    expect(outbox.map((o) => o.seq)).toEqual([1, 2, 3]);
    expect(outbox.every((o) => o.type === 'audit.appended')).toBe(true);
    expect(() => station.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => station.db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
  });
});
