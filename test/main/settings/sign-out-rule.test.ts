/** When signing out warns about records the store server has not received (the renderer's pure rule). */
import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../src/shared/ipc/channels/sync';
import { mayNeedSignOutWarning, signOutWarningCount } from '../../../src/renderer/shift/sign-out-rule';

const status = (patch: Partial<SyncStatus>): SyncStatus => ({
  state: 'offline',
  serverUrl: 'https://store.example:8443',
  storeId: 'store-1',
  storeName: 'Demo',
  pinned: true,
  enrolledAt: '2026-01-15T08:00:00.000Z',
  pendingEvents: 12,
  quarantined: 0,
  lastPushAt: null,
  lastPullAt: null,
  lastError: null,
  cursor: 0,
  offlineSince: '2026-01-15T08:30:00.000Z',
  offlineWarnMinutes: 60,
  offlineWarning: false,
  giftCardOffline: 'block',
  progress: null,
  retryAt: null,
  ...patch,
});

describe('the sign-out warning', () => {
  it('counts what waits when no shift is open any more, or the role cannot tell', () => {
    expect(signOutWarningCount(status({}), 'none')).toBe(12);
    expect(signOutWarningCount(status({ state: 'online', pendingEvents: 3 }), 'unknown')).toBe(3);
    expect(signOutWarningCount(status({ state: 'refused' }), 'none')).toBe(12);
  });

  it('stays quiet while a shift is open, when nothing waits, or when there is no store server', () => {
    expect(signOutWarningCount(status({}), 'open')).toBeNull();
    expect(signOutWarningCount(status({ pendingEvents: 0 }), 'none')).toBeNull();
    expect(signOutWarningCount(status({ state: 'not_enrolled', pendingEvents: 40 }), 'none')).toBeNull();
    expect(signOutWarningCount(null, 'none')).toBeNull();
    expect(mayNeedSignOutWarning(status({ pendingEvents: 0 }))).toBe(false);
    expect(mayNeedSignOutWarning(status({}))).toBe(true);
  });
});
