import { AppError } from '../../../shared/domain/errors';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import type { Journal } from '../journal';
import type { SettingsRepo } from '../settings';
import { verifyPin } from './pin-hash';
import type { UserRow, UsersRepo } from './users';

/** How a PIN check through one door is worded and recorded (sign-in, unlock, a supervisor's approval). */
export interface PinDoor {
  /** Audit action of a wrong PIN, e.g. `auth.sign_in_failed` or `approval.pin_failed`. */
  failedAction: string;
  /** "this user", "this supervisor": used in the lockout sentence. */
  who: string;
  wrongPinMessage: string;
  /** Extra details on the audit row of a failure and on the errors (never the PIN). */
  details?: Record<string, unknown>;
}

/**
 * The one PIN rule every door shares: a locked-out user is refused before the hash is even computed; a right
 * PIN clears the failure count; each wrong PIN is counted and audited, and the `maxPinAttempts`-th locks the user
 * for `lockoutSeconds`. Sign-in and supervisor approvals both go through here, so a PIN is no easier to guess
 * through one than the other.
 */
export class PinChecker {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepo,
    private readonly settings: SettingsRepo,
    private readonly journal: Journal,
    private readonly clock: Clock,
  ) {}

  async check(user: UserRow, pin: string, door: PinDoor): Promise<void> {
    const extra = door.details ?? {};
    const lockedOut = (lockedUntil: string) =>
      new AppError(
        'user_locked_out',
        `Too many wrong PINs: ${door.who} is locked for a while.`,
        { ...extra, lockedUntil },
        'ask_supervisor',
      );
    if (user.locked_until !== null && user.locked_until > this.clock.now().toISOString()) {
      throw lockedOut(user.locked_until);
    }
    if (await verifyPin(pin, user.pin_hash)) {
      if (user.failed_attempts > 0)
        this.db.transaction(() => this.users.succeeded(user.id, this.clock.now()))();
      return;
    }
    const max = this.settings.get('maxPinAttempts');
    let failures = 0;
    let lockedUntil: string | null = null;
    this.db.transaction(() => {
      const at = this.clock.now();
      failures = this.users.failedAttempt(user.id, at);
      this.journal.audit({ at, userId: user.id, action: door.failedAction, details: { ...extra, failures } });
      if (failures >= max) {
        const until = new Date(at.getTime() + this.settings.get('lockoutSeconds') * 1000);
        lockedUntil = until.toISOString();
        this.users.lockUntil(user.id, until, at);
        this.journal.audit({
          at,
          userId: user.id,
          action: 'auth.locked_out',
          details: { until: lockedUntil },
        });
      }
    })();
    if (lockedUntil !== null) throw lockedOut(lockedUntil);
    throw new AppError('wrong_pin', door.wrongPinMessage, {
      ...extra,
      attemptsLeft: Math.max(0, max - failures),
    });
  }
}
