import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/domain/errors';
import { permissionsOf, type Permission, type Role } from '../../../shared/domain/permissions';
import type { SessionInfo, StaffMember, UserSummary } from '../../../shared/ipc/contract';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import type { SettingsRepo } from '../settings';
import { hashPin } from './pin-hash';
import { PinChecker } from './pin-checker';
import { toStaffMember, UsersRepo, type UserRow } from './users';

interface Session {
  userId: string;
  locked: boolean;
  lastActivity: number;
}

/** The signed-in caller as the gate sees it, re-read from the database on every call. */
export interface Caller {
  connectionId: string;
  user: { id: string; name: string; role: Role };
  permissions: ReadonlySet<Permission>;
  locked: boolean;
}

/**
 * Staff sign-in, lock/unlock, lockout after repeated wrong PINs, idle lock, and staff management.
 * Sessions are per connection (an Electron window or a WebSocket); the user's role and active flag are
 * re-read on each call, so a permission change or a deactivation takes effect immediately.
 */
export class AuthService {
  readonly users: UsersRepo;
  private readonly pins: PinChecker;
  private readonly sessions = new Map<string, Session>();
  /** Set by the station: throws when a user may not sign out now (their drawer shift is still open). */
  signOutGuard: (userId: string) => void = () => undefined;

  constructor(
    private readonly db: Db,
    private readonly settings: SettingsRepo,
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly events: StationEvents,
  ) {
    this.users = new UsersRepo(db);
    this.pins = new PinChecker(db, this.users, settings, journal, clock);
  }

  signInList(): UserSummary[] {
    return this.users.active().map((u) => ({ id: u.id, name: u.name, role: u.role }));
  }

  /** Resolves the caller for a connection, applying the idle lock; null when nobody is signed in. */
  caller(connectionId: string): Caller | null {
    const session = this.sessions.get(connectionId);
    if (!session) return null;
    const user = this.users.get(session.userId);
    if (!user || user.active !== 1) {
      this.sessions.delete(connectionId);
      this.events.emit('session:changed', { session: null }, connectionId);
      return null;
    }
    const now = this.clock.now().getTime();
    if (!session.locked && now - session.lastActivity > this.settings.get('idleLockSeconds') * 1000) {
      session.locked = true;
      this.events.emit('session:changed', { session: this.info(user, session) }, connectionId);
    }
    return {
      connectionId,
      user: { id: user.id, name: user.name, role: user.role },
      permissions: new Set(permissionsOf(user.role)),
      locked: session.locked,
    };
  }

  /** Marks activity on an unlocked session (called by the gate after access was granted). */
  touch(connectionId: string): void {
    const session = this.sessions.get(connectionId);
    if (session && !session.locked) session.lastActivity = this.clock.now().getTime();
  }

  sessionInfo(connectionId: string): SessionInfo | null {
    const session = this.sessions.get(connectionId);
    const user = session && this.users.get(session.userId);
    return session && user ? this.info(user, session) : null;
  }

  async signIn(connectionId: string, userId: string, pin: string): Promise<SessionInfo> {
    const user = await this.checkPin(userId, pin);
    const session: Session = { userId: user.id, locked: false, lastActivity: this.clock.now().getTime() };
    const previous = this.sessions.get(connectionId);
    this.sessions.set(connectionId, session);
    this.record(user.id, 'auth.sign_in', previous ? { replacedUserId: previous.userId } : {});
    return this.announce(connectionId, user, session);
  }

  async unlock(connectionId: string, pin: string): Promise<SessionInfo> {
    const session = this.requireSession(connectionId);
    const user = await this.checkPin(session.userId, pin);
    session.locked = false;
    session.lastActivity = this.clock.now().getTime();
    this.record(user.id, 'auth.unlock', {});
    return this.announce(connectionId, user, session);
  }

  lock(connectionId: string): SessionInfo {
    const session = this.requireSession(connectionId);
    const user = this.users.get(session.userId);
    if (!user) throw new AppError('unauthenticated', 'Please sign in.', undefined, 'sign_in');
    session.locked = true;
    return this.announce(connectionId, user, session);
  }

  signOut(connectionId: string): void {
    const session = this.sessions.get(connectionId);
    if (!session) return;
    this.signOutGuard(session.userId);
    this.sessions.delete(connectionId);
    this.record(session.userId, 'auth.sign_out', {});
    this.events.emit('session:changed', { session: null }, connectionId);
  }

  /** Drops the session of a connection that went away (window closed, socket dropped). */
  disconnect(connectionId: string): void {
    this.sessions.delete(connectionId);
  }

  /** Creates the first administrator during setup, inside the setup transaction. */
  insertUser(id: string, name: string, role: Role, pinHash: string): void {
    this.users.insert({ id, name, role, pin_hash: pinHash }, this.clock.now());
  }

  /** Signs a connection in without a PIN check: only for the user who just created themselves in setup. */
  startSession(connectionId: string, userId: string): SessionInfo {
    const user = this.users.get(userId);
    if (!user) throw new AppError('not_found', 'User not found.');
    const session: Session = { userId, locked: false, lastActivity: this.clock.now().getTime() };
    this.sessions.set(connectionId, session);
    return this.announce(connectionId, user, session);
  }

  // --- staff management (permission staff.manage is checked by the gate) ------------------------------------

  listStaff(): StaffMember[] {
    const now = this.clock.now();
    return this.users.list().map((u) => toStaffMember(u, now));
  }

  async createStaff(actor: Caller, name: string, role: Role, pin: string): Promise<StaffMember> {
    if (role === 'admin' && actor.user.role !== 'admin') {
      throw new AppError('permission_denied', 'Only an administrator can create another administrator.', {
        permission: 'staff.manage',
        overridable: false,
      });
    }
    const pinHash = await hashPin(pin);
    const id = randomUUID();
    const now = this.clock.now();
    this.tx(() => {
      if (this.users.active().some((u) => u.name.toLowerCase() === name.toLowerCase())) {
        throw new AppError('conflict', `A staff member named "${name}" already exists.`, { field: 'name' });
      }
      this.users.insert({ id, name, role, pin_hash: pinHash }, now);
      this.journal.audit({
        at: now,
        userId: actor.user.id,
        action: 'staff.created',
        details: { staffId: id, name, role },
      });
    });
    return toStaffMember(this.mustGet(id), now);
  }

  unlockStaff(actor: Caller, userId: string): StaffMember {
    const now = this.clock.now();
    this.mustGet(userId);
    this.tx(() => {
      this.users.succeeded(userId, now);
      this.journal.audit({
        at: now,
        userId: actor.user.id,
        action: 'staff.unlocked',
        details: { staffId: userId },
      });
    });
    return toStaffMember(this.mustGet(userId), now);
  }

  setStaffActive(actor: Caller, userId: string, active: boolean): StaffMember {
    const now = this.clock.now();
    const target = this.mustGet(userId);
    if (!active && userId === actor.user.id) {
      throw new AppError('conflict', 'You cannot deactivate yourself.');
    }
    this.tx(() => {
      if (!active && target.role === 'admin') {
        const admins = this.users.active().filter((u) => u.role === 'admin').length;
        if (admins <= 1)
          throw new AppError('conflict', 'The last active administrator cannot be deactivated.');
      }
      this.users.setActive(userId, active, now);
      this.journal.audit({
        at: now,
        userId: actor.user.id,
        action: active ? 'staff.reactivated' : 'staff.deactivated',
        details: { staffId: userId },
      });
    });
    if (!active) {
      for (const [conn, s] of this.sessions) if (s.userId === userId) this.signOut(conn);
    }
    return toStaffMember(this.mustGet(userId), now);
  }

  // --- internals ----------------------------------------------------------------------------------------------

  private async checkPin(userId: string, pin: string): Promise<UserRow> {
    const user = this.users.get(userId);
    if (!user || user.active !== 1)
      throw new AppError('not_found', 'This staff member does not exist or is inactive.');
    await this.pins.check(user, pin, {
      failedAction: 'auth.sign_in_failed',
      who: 'this user',
      wrongPinMessage: 'Wrong PIN.',
    });
    return user;
  }

  private requireSession(connectionId: string): Session {
    const session = this.sessions.get(connectionId);
    if (!session) throw new AppError('unauthenticated', 'Please sign in.', undefined, 'sign_in');
    return session;
  }

  private mustGet(userId: string): UserRow {
    const user = this.users.get(userId);
    if (!user) throw new AppError('not_found', 'This staff member does not exist.');
    return user;
  }

  private info(user: UserRow, session: Session): SessionInfo {
    return {
      user: { id: user.id, name: user.name, role: user.role },
      permissions: permissionsOf(user.role),
      locked: session.locked,
      idleLockSeconds: this.settings.get('idleLockSeconds'),
    };
  }

  private announce(connectionId: string, user: UserRow, session: Session): SessionInfo {
    const info = this.info(user, session);
    this.events.emit('session:changed', { session: info }, connectionId);
    return info;
  }

  private record(userId: string, action: string, details: Record<string, unknown>): void {
    this.tx(() => this.journal.audit({ at: this.clock.now(), userId, action, details }));
  }

  private tx(fn: () => void): void {
    this.db.transaction(fn)();
  }
}
