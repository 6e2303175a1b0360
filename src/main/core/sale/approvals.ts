import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/domain/errors';
import { roleHas, type Permission } from '../../../shared/domain/permissions';
import type { ApprovalInput } from '../../../shared/ipc/channels/sale';
import type { Db } from '../../db/open';
import type { Caller } from '../auth/auth-service';
import type { UserRow, UsersRepo } from '../auth/users';
import { PinChecker } from '../auth/pin-checker';
import type { Clock } from '../clock';
import type { Journal } from '../journal';
import type { SettingsRepo } from '../settings';

/** What an action needs approved: the permission and everything the approval must be bound to. */
export interface ApprovalNeed {
  permission: Permission;
  /** e.g. `line.discount`, `sale.post_void`. */
  action: string;
  saleId: string | null;
  /** The line (or other object) the action changes. */
  targetId: string | null;
  /** The money the action moves (discount amount, new price, voided value, refund total), minor units. */
  amount: number;
  /** The requested value itself (discount, price, quantities), so e.g. 10% and 50% are different actions. */
  value: unknown;
}

/** A verified supervisor approval, to be recorded inside the action's transaction. */
export interface Grant {
  id: string;
  requestId: string;
  supervisorId: string;
  need: ApprovalNeed;
  binding: string;
}

interface PendingRequest {
  binding: string;
  requestedBy: string;
  expiresAt: number;
}

/** Approval requests live in memory: a restart simply makes the UI ask again. */
const REQUEST_TTL_MS = 5 * 60_000;
const MAX_PENDING = 64;

/** Canonical JSON of a need: the approval is valid for exactly this and nothing else. */
export function bindingOf(need: ApprovalNeed): string {
  return JSON.stringify([need.permission, need.action, need.saleId, need.targetId, need.amount, need.value]);
}

/**
 * Says whether an action must be approved by a second person even though the caller's role may do it alone
 * (a risk rule in `approve` mode, src/main/core/risk): the rule's name, or null.
 */
export type Escalation = (caller: Caller, need: ApprovalNeed) => string | null;

/**
 * Supervisor overrides for overridable permissions. A caller without the permission gets `permission_denied`
 * with an `approvalRequestId` bound to the exact action; the repeated call carries that id with a supervisor's
 * id and PIN. The id is single-use and only valid for the same action and amount, and the approval row has a
 * UNIQUE request id, so an approval can never be replayed for another line, amount or sale.
 *
 * Wrong supervisor PINs count towards that supervisor's lockout exactly like wrong sign-in PINs.
 */
export class Approvals {
  /** Set by the station (the risk engine). */
  escalate: Escalation | null = null;
  private readonly requests = new Map<string, PendingRequest>();
  private readonly insert;
  private readonly pins: PinChecker;

  constructor(
    private readonly db: Db,
    private readonly users: UsersRepo,
    private readonly settings: SettingsRepo,
    private readonly journal: Journal,
    private readonly clock: Clock,
  ) {
    this.pins = new PinChecker(db, users, settings, journal, clock);
    this.insert = db.prepare(
      `INSERT INTO approvals (id, request_id, permission, action, supervisor_id, requested_by, sale_id, target_id,
         amount, binding, at)
       VALUES (@id, @request_id, @permission, @action, @supervisor_id, @requested_by, @sale_id, @target_id,
         @amount, @binding, @at)`,
    );
  }

  /**
   * Checks that the caller may do `need` — by role, or with a valid supervisor approval — and returns the grant
   * to record (null when the caller's own role suffices).
   */
  async authorize(
    caller: Caller,
    need: ApprovalNeed,
    approval: ApprovalInput | undefined,
  ): Promise<Grant | null> {
    const rule = this.escalate?.(caller, need) ?? null;
    if (rule === null && caller.permissions.has(need.permission)) return null;
    if (!approval) {
      if (rule !== null) this.deny(caller, need, 'This needs a second person: ask a supervisor.', rule);
      this.deny(caller, need, `Your role (${caller.user.role}) may not do this: ask a supervisor.`);
    }
    const binding = bindingOf(need);
    const now = this.clock.now().getTime();
    const request = this.requests.get(approval.requestId);
    if (
      !request ||
      request.expiresAt < now ||
      request.requestedBy !== caller.user.id ||
      request.binding !== binding
    ) {
      this.deny(
        caller,
        need,
        'This approval was not given for this action, or has expired: ask the supervisor again.',
      );
    }
    const supervisor = await this.checkSupervisor(approval, need.permission);
    if (rule !== null && supervisor.id === caller.user.id) {
      this.deny(caller, need, 'A risk rule holds this for a second person: ask another supervisor.', rule);
    }
    // Re-check after the PIN hash: the request must still be unused (two calls racing with one approval).
    if (this.requests.get(approval.requestId) !== request) {
      this.deny(caller, need, 'This approval was already used: ask the supervisor again.');
    }
    this.requests.delete(approval.requestId);
    return { id: randomUUID(), requestId: approval.requestId, supervisorId: supervisor.id, need, binding };
  }

  /**
   * Records a grant inside the action's transaction, after re-checking that the action is still the same.
   * `documentId` names the document an action creates (a refund without receipt has none when it is approved).
   */
  record(grant: Grant, caller: Caller, currentNeed: ApprovalNeed, at: Date, documentId?: string): void {
    if (bindingOf(currentNeed) !== grant.binding) {
      throw new AppError(
        'conflict',
        'The sale changed while the supervisor approved: ask for the approval again.',
      );
    }
    this.insert.run({
      id: grant.id,
      request_id: grant.requestId,
      permission: grant.need.permission,
      action: grant.need.action,
      supervisor_id: grant.supervisorId,
      requested_by: caller.user.id,
      sale_id: documentId ?? grant.need.saleId,
      target_id: grant.need.targetId,
      amount: grant.need.amount,
      binding: grant.binding,
      at: at.toISOString(),
    });
    this.journal.audit({
      at,
      userId: caller.user.id,
      action: 'approval.granted',
      details: {
        approvalId: grant.id,
        supervisorId: grant.supervisorId,
        permission: grant.need.permission,
        action: grant.need.action,
        saleId: documentId ?? grant.need.saleId,
        targetId: grant.need.targetId,
        amount: grant.need.amount,
      },
    });
  }

  /** Throws `permission_denied` carrying a fresh request id bound to `need`. */
  deny(caller: Caller, need: ApprovalNeed, message: string, rule?: string): never {
    const now = this.clock.now().getTime();
    for (const [id, r] of this.requests) if (r.expiresAt < now) this.requests.delete(id);
    while (this.requests.size >= MAX_PENDING) {
      const oldest = this.requests.keys().next().value;
      if (oldest === undefined) break;
      this.requests.delete(oldest);
    }
    const requestId = randomUUID();
    this.requests.set(requestId, {
      binding: bindingOf(need),
      requestedBy: caller.user.id,
      expiresAt: now + REQUEST_TTL_MS,
    });
    throw new AppError(
      'permission_denied',
      message,
      {
        permission: need.permission,
        overridable: true,
        approvalRequestId: requestId,
        approvalFor: need.action,
        amount: need.amount,
        ...(rule === undefined ? {} : { riskRule: rule }),
      },
      'ask_supervisor',
    );
  }

  private async checkSupervisor(approval: ApprovalInput, permission: Permission): Promise<UserRow> {
    const user = this.users.get(approval.supervisorId);
    if (!user || user.active !== 1) {
      throw new AppError('not_found', 'This supervisor does not exist or is inactive.', {
        approvalRequestId: approval.requestId,
      });
    }
    if (!roleHas(user.role, permission)) {
      throw new AppError(
        'permission_denied',
        `${user.name} may not approve this.`,
        {
          permission,
          overridable: true,
          approvalRequestId: approval.requestId,
        },
        'ask_supervisor',
      );
    }
    // Same lockout rule as sign-in: a supervisor PIN is no easier to guess through this door.
    await this.pins.check(user, approval.pin, {
      failedAction: 'approval.pin_failed',
      who: 'this supervisor',
      wrongPinMessage: 'Wrong supervisor PIN.',
      details: { permission, approvalRequestId: approval.requestId },
    });
    return user;
  }
}
