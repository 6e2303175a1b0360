import type { SyncStatus } from '../../shared/ipc/channels/sync';

/** What the station knows about its drawer shift when someone signs out (`unknown`: the role cannot read it). */
export type ShiftAtSignOut = 'open' | 'none' | 'unknown';

/** Whether a sign-out needs the loud warning at all before the shift is looked at (it costs a call). */
export function mayNeedSignOutWarning(status: SyncStatus | null): boolean {
  return status !== null && status.state !== 'not_enrolled' && status.pendingEvents > 0;
}

/**
 * How many records to warn about when signing out, or null for no warning. Only at the end of the day on this
 * station — no drawer shift open any more — since nobody may be around when the network comes back. While any
 * shift is open the station is still in use (someone else's shift), or the core refuses the sign-out anyway (the
 * user's own), so neither warns. A role that cannot read the shift is warned: it costs one tap.
 */
export function signOutWarningCount(status: SyncStatus | null, shift: ShiftAtSignOut): number | null {
  if (status === null || !mayNeedSignOutWarning(status) || shift === 'open') return null;
  return status.pendingEvents;
}
