import type { Role } from '../../../shared/domain/permissions';
import type { StaffMember } from '../../../shared/ipc/contract';
import type { Db } from '../../db/open';

export interface UserRow {
  id: string;
  name: string;
  role: Role;
  pin_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export function toStaffMember(row: UserRow, now: Date): StaffMember {
  const locked = row.locked_until !== null && row.locked_until > now.toISOString();
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    active: row.active === 1,
    lockedUntil: locked ? row.locked_until : null,
  };
}

/** Parameterised queries over `users`. Writes are called inside the caller's transaction. */
export class UsersRepo {
  private readonly byId;
  private readonly listAll;
  private readonly listActive;
  private readonly insertRow;
  private readonly recordFailure;
  private readonly clearFailures;
  private readonly setLock;
  private readonly setActiveRow;
  private readonly countActive;

  constructor(db: Db) {
    this.byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
    this.listAll = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY active DESC, name');
    this.listActive = db.prepare<[], UserRow>('SELECT * FROM users WHERE active = 1 ORDER BY name');
    this.insertRow = db.prepare(
      'INSERT INTO users (id, name, role, pin_hash, active, failed_attempts, locked_until, created_at, updated_at) VALUES (@id, @name, @role, @pin_hash, 1, 0, NULL, @now, @now)',
    );
    this.recordFailure = db.prepare<[string, string], { failed_attempts: number }>(
      'UPDATE users SET failed_attempts = failed_attempts + 1, updated_at = ? WHERE id = ? RETURNING failed_attempts',
    );
    this.clearFailures = db.prepare(
      'UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?',
    );
    this.setLock = db.prepare('UPDATE users SET locked_until = ?, updated_at = ? WHERE id = ?');
    this.setActiveRow = db.prepare('UPDATE users SET active = ?, updated_at = ? WHERE id = ?');
    this.countActive = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users WHERE active = 1');
  }

  get(id: string): UserRow | undefined {
    return this.byId.get(id);
  }
  list(): UserRow[] {
    return this.listAll.all();
  }
  active(): UserRow[] {
    return this.listActive.all();
  }
  activeCount(): number {
    return this.countActive.get()?.n ?? 0;
  }
  insert(user: { id: string; name: string; role: Role; pin_hash: string }, now: Date): void {
    this.insertRow.run({ ...user, now: now.toISOString() });
  }
  /** Returns the number of consecutive failures after this one. */
  failedAttempt(id: string, now: Date): number {
    return this.recordFailure.get(now.toISOString(), id)?.failed_attempts ?? 0;
  }
  succeeded(id: string, now: Date): void {
    this.clearFailures.run(now.toISOString(), id);
  }
  lockUntil(id: string, until: Date, now: Date): void {
    this.setLock.run(until.toISOString(), now.toISOString(), id);
  }
  setActive(id: string, active: boolean, now: Date): void {
    this.setActiveRow.run(active ? 1 : 0, now.toISOString(), id);
  }
}
