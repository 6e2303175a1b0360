/**
 * The permission table: every channel in the contract declares an explicit, known access; the role table is
 * what the gate enforces, checked through the gate with real signed-in sessions of every role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccess } from '../../../src/main/ipc/gate';
import type { Caller as CoreCaller } from '../../../src/main/core/auth/auth-service';
import {
  PERMISSIONS,
  permissionsOf,
  ROLE_PERMISSIONS,
  ROLES,
  type Role,
} from '../../../src/shared/domain/permissions';
import { CHANNELS, contract, type Channel } from '../../../src/shared/ipc/contract';
import {
  connect,
  openTestStation,
  TEST_SETUP,
  unwrap,
  type Caller,
  type TestStation,
} from '../../helpers/station';

const LEVELS = ['public', 'session', 'signed_in'] as const;
const PINS: Record<Role, string> = {
  cashier: '1111',
  supervisor: '2222',
  technician: '4444',
  manager: '3333',
  admin: TEST_SETUP.adminPin,
};

let test: TestStation;
const as = {} as Record<Role, Caller>;

beforeAll(async () => {
  test = openTestStation();
  const admin = connect(test.station, 'role-admin');
  unwrap(await admin('setup:complete', TEST_SETUP));
  as.admin = admin;
  for (const role of ROLES) {
    if (role === 'admin') continue;
    const user = unwrap(await admin('staff:create', { name: `Staff ${role}`, role, pin: PINS[role] }));
    as[role] = connect(test.station, `role-${role}`);
    unwrap(await as[role]('auth:sign-in', { userId: user.id, pin: PINS[role] }));
  }
});
afterAll(() => test.cleanup());

describe('the contract', () => {
  it('gives every channel an explicit, known access', () => {
    const known = new Set<string>([...LEVELS, ...PERMISSIONS]);
    const missing = CHANNELS.filter((c) => !known.has((contract[c] as { access?: string }).access ?? ''));
    expect(missing).toEqual([]);
    expect(CHANNELS.length).toBeGreaterThan(20);
  });

  it('leaves only sign-in, setup, status and display channels open to callers without a session', () => {
    const open = CHANNELS.filter((c) => contract[c].access === 'public');
    for (const c of open) expect(c).toMatch(/^(app|setup|auth|ui|display):/);
  });

  it('gates every permission channel by the role table (each role × each channel)', () => {
    for (const role of ROLES) {
      const caller: CoreCaller = {
        connectionId: role,
        user: { id: role, name: role, role },
        permissions: new Set(permissionsOf(role)),
        locked: false,
      };
      for (const c of CHANNELS) {
        const access = contract[c].access;
        if ((LEVELS as readonly string[]).includes(access)) continue;
        const denied = checkAccess(access, caller);
        const allowed = ROLE_PERMISSIONS[role].has(access as (typeof PERMISSIONS)[number]);
        expect({ role, c, denied: denied?.code ?? null }).toEqual({
          role,
          c,
          denied: allowed ? null : 'permission_denied',
        });
      }
    }
  });
});

/** role × channel samples, with valid input, so the gate's own decision is what is tested. */
const SAMPLES: { channel: Channel; input: unknown; allowed: readonly Role[] }[] = [
  { channel: 'staff:list', input: {}, allowed: ['manager', 'admin'] },
  { channel: 'audit:list', input: { limit: 5 }, allowed: ['technician', 'manager', 'admin'] },
  { channel: 'audit:facets', input: {}, allowed: ['technician', 'manager', 'admin'] },
  { channel: 'audit:verify', input: {}, allowed: ['technician', 'manager', 'admin'] },
  { channel: 'backup:status', input: {}, allowed: ['technician', 'manager', 'admin'] },
  { channel: 'backup:history', input: {}, allowed: ['technician', 'manager', 'admin'] },
  { channel: 'backup:files', input: {}, allowed: ['admin'] },
  {
    channel: 'backup:restore',
    input: { file: '/nonexistent/backup.ctbk', passphrase: 'a wrong passphrase', confirmUnsentLoss: false },
    allowed: ['admin'],
  },
  { channel: 'sale:current', input: {}, allowed: ['cashier', 'supervisor', 'manager', 'admin'] },
  { channel: 'sale:parked', input: {}, allowed: ['cashier', 'supervisor', 'manager', 'admin'] },
];

describe('the gate enforces the table', () => {
  it.each(SAMPLES)('$channel', async ({ channel, input, allowed }) => {
    for (const role of ROLES) {
      const r = await test.station.gate.handle(`role-${role}`, channel, input);
      const code = r.ok ? null : r.error.code;
      if (allowed.includes(role)) {
        expect({ role, code }).not.toEqual({ role, code: 'permission_denied' });
        expect(['unauthenticated', 'session_locked', 'bad_input']).not.toContain(code);
      } else {
        expect({ role, code }).toEqual({ role, code: 'permission_denied' });
      }
      // The table agrees with the role definitions.
      expect(allowed.includes(role)).toBe(ROLE_PERMISSIONS[role].has(contract[channel].access as never));
    }
  });

  it('refuses a locked session and a connection without one, whatever the role', async () => {
    const stranger = connect(test.station, 'role-nobody');
    expect(await stranger('audit:list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    unwrap(await as.technician('auth:lock', {}));
    expect(await as.technician('audit:list', {})).toMatchObject({
      ok: false,
      error: { code: 'session_locked' },
    });
    unwrap(await as.technician('auth:unlock', { pin: PINS.technician }));
    expect((await as.technician('audit:list', {})).ok).toBe(true);
  });
});
