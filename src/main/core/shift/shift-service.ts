import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/domain/errors';
import type { CurrencyCode } from '../../../shared/domain/money';
import {
  DEFAULT_SHIFT_CONFIG,
  ShiftConfigSchema,
  type CashCount,
  type CashMovementKind,
  type Denomination,
  type ShiftCloseInput,
  type ShiftConfig,
  type ShiftState,
  type ShiftView,
} from '../../../shared/ipc/channels/shift';
import type { Db } from '../../db/open';
import type { Caller } from '../auth/auth-service';
import type { UsersRepo } from '../auth/users';
import type { Clock } from '../clock';
import type { Journal } from '../journal';
import { Approvals, type ApprovalNeed } from '../sale/approvals';
import type { DrawerControl } from '../sale/sale-service';
import type { SettingsRepo } from '../settings';
import { countCash } from './cash-count';
import { JsonSetting } from './json-setting';
import { ShiftRepo, type BusinessDayRow, type ShiftRow, type TenderCountRow } from './shift-repo';

export interface ShiftDeps {
  db: Db;
  journal: Journal;
  settings: SettingsRepo;
  users: UsersRepo;
  clock: Clock;
  stationId: string;
}

/** Expected against counted for one tender at a close. */
export interface TenderReconciliation {
  tender: string;
  type: TenderCountRow['tender_type'];
  expected: number;
  counted: number | null;
}

const MOVEMENT_AUDIT: Record<CashMovementKind, string> = {
  paid_in: 'cash.paid_in',
  paid_out: 'cash.paid_out',
  drop: 'cash.drop',
};

/**
 * The station's drawer shift and its business day.
 *
 * - One drawer, so at most one open shift per station; it belongs to the cashier who opened it with a counted
 *   float, and every document completed on the station while it is open is attributed to it.
 * - Cash needs an open shift (`requireShiftForCash`, on by default): checkout asks before taking or giving back
 *   cash. Card and wallet sales need none; they are still tied to the open business day.
 * - The close is blind: the count goes in before anything shows what was expected. A difference on any counted
 *   tender above `differenceThreshold` needs a supervisor's approval bound to this shift and the difference.
 * - The owner cannot sign out while the shift is open. Hand-over to the next cashier is a close (count) followed
 *   by their own open with a counted float, so every drawer count has one person answerable for it.
 */
export class ShiftService implements DrawerControl {
  readonly repo: ShiftRepo;
  readonly config: JsonSetting<ShiftConfig>;
  readonly approvals: Approvals;
  private readonly db: Db;
  private readonly journal: Journal;
  private readonly settings: SettingsRepo;
  private readonly users: UsersRepo;
  private readonly clock: Clock;
  private readonly stationId: string;

  constructor(deps: ShiftDeps) {
    this.db = deps.db;
    this.journal = deps.journal;
    this.settings = deps.settings;
    this.users = deps.users;
    this.clock = deps.clock;
    this.stationId = deps.stationId;
    this.repo = new ShiftRepo(deps.db);
    this.config = new JsonSetting(deps.db, 'shift.config', ShiftConfigSchema, DEFAULT_SHIFT_CONFIG);
    this.approvals = new Approvals(deps.db, deps.users, deps.settings, deps.journal, deps.clock);
  }

  // --- reading ------------------------------------------------------------------------------------------------

  openShift(): ShiftRow | undefined {
    return this.repo.openShift(this.stationId);
  }

  state(caller: Caller): ShiftState {
    const shift = this.openShift();
    const config = this.config.get();
    return {
      shift: shift ? this.view(shift) : null,
      mayClose: shift !== undefined && this.mayClose(caller, shift),
      requireShiftForCash: config.requireShiftForCash,
      differenceThreshold: config.differenceThreshold,
      currency: this.settings.get('currency'),
      denominations: this.denominations(),
    };
  }

  /** The store currency's denominations (empty: counted as a total). */
  denominations(): Denomination[] {
    const currency = this.settings.get('currency');
    return currency === null ? [] : (this.config.get().denominations[currency] ?? []);
  }

  /**
   * The view of a shift. An open shift shows its float and movements but never what the drawer should hold:
   * the close is blind. A closed shift shows expected against counted.
   */
  view(shift: ShiftRow): ShiftView {
    const name = (id: string | null) => (id === null ? '' : (this.users.get(id)?.name ?? ''));
    const closed = shift.status === 'closed';
    // In the order the tenders are configured (the order the close screen asked for them).
    const order = this.settings.get('tenders').map((t) => t.code);
    const rank = (code: string) => (order.includes(code) ? order.indexOf(code) : order.length);
    const counts = closed
      ? this.repo.counts(shift.id).sort((a, b) => rank(a.tender_code) - rank(b.tender_code))
      : [];
    const approvedBy =
      shift.close_approval_id === null ? null : this.repo.approverName(shift.close_approval_id);
    return {
      id: shift.id,
      status: shift.status,
      userId: shift.user_id,
      userName: name(shift.user_id),
      currency: shift.currency as CurrencyCode,
      openedAt: shift.opened_at,
      openingFloat: shift.opening_float,
      movements: this.repo.movements(shift.id).map((m) => ({
        id: m.id,
        kind: m.kind,
        amount: m.amount,
        reason: m.reason,
        userName: name(m.user_id),
        at: m.at,
      })),
      closedAt: shift.closed_at,
      tenders: closed
        ? counts.map((c) => ({
            tender: c.tender_code,
            type: c.tender_type,
            expected: c.expected,
            counted: c.counted,
            difference: c.counted === null ? null : c.counted - c.expected,
          }))
        : null,
      expectedCash: shift.expected_cash,
      countedCash: shift.counted_cash,
      difference:
        shift.expected_cash === null || shift.counted_cash === null
          ? null
          : shift.counted_cash - shift.expected_cash,
      approvedBy,
    };
  }

  /**
   * What each tender of a shift should hold now: the net takings of its documents per tender, and for cash also
   * the opening float, paid-ins, paid-outs and drops. Every configured tender is listed, plus any other tender
   * that took money in the shift.
   */
  expected(shift: ShiftRow): TenderReconciliation[] {
    const takings = new Map(this.repo.takings(shift.id).map((t) => [t.tender_code, t]));
    const movements = this.repo.movements(shift.id);
    const cashMoves = movements.reduce((sum, m) => sum + (m.kind === 'paid_in' ? m.amount : -m.amount), 0);
    const tenders = this.settings.get('tenders');
    const out: TenderReconciliation[] = tenders.map((t) => ({
      tender: t.code,
      type: t.type,
      expected: takings.get(t.code)?.amount ?? 0,
      counted: null,
    }));
    for (const t of takings.values()) {
      if (!tenders.some((c) => c.code === t.tender_code)) {
        out.push({ tender: t.tender_code, type: t.tender_type, expected: t.amount, counted: null });
      }
    }
    // The float and movements are cash: they go on the first cash tender (there is one drawer).
    const cash = out.find((t) => t.type === 'cash');
    if (cash) cash.expected += shift.opening_float + cashMoves;
    else
      out.unshift({ tender: 'cash', type: 'cash', expected: shift.opening_float + cashMoves, counted: null });
    return out;
  }

  // --- DrawerControl (checkout) --------------------------------------------------------------------------------

  assertCashAllowed(): void {
    if (!this.config.get().requireShiftForCash) return;
    if (!this.openShift()) {
      throw new AppError('conflict', 'Open a drawer shift (count the float) before taking cash.', {
        reason: 'shift_required',
      });
    }
  }

  attribute(saleId: string, at: Date): void {
    const day = this.ensureDay(at);
    this.repo.attribute(saleId, this.openShift()?.id ?? null, day.id);
  }

  // --- sign-out ------------------------------------------------------------------------------------------------

  /** Refuses the sign-out of the cashier whose drawer shift is open (a deactivated user is let go). */
  assertMaySignOut(userId: string): void {
    const shift = this.openShift();
    if (!shift || shift.user_id !== userId) return;
    if (this.users.get(userId)?.active !== 1) return;
    throw new AppError(
      'conflict',
      'Your drawer shift is still open: close it (count the drawer) before signing out.',
      {
        reason: 'shift_open',
        shiftId: shift.id,
      },
    );
  }

  // --- actions -------------------------------------------------------------------------------------------------

  open(caller: Caller, float: CashCount): ShiftView {
    const { total, denominations } = countCash(float, this.denominations());
    return this.tx((at) => {
      const currency = this.settings.get('currency');
      if (currency === null) throw new AppError('setup_required', 'This station has not been set up yet.');
      const current = this.openShift();
      if (current) {
        throw new AppError('conflict', 'A drawer shift is already open on this station.', {
          reason: 'shift_already_open',
          userName: this.users.get(current.user_id)?.name ?? '',
        });
      }
      const day = this.ensureDay(at);
      const id = randomUUID();
      this.repo.insertShift({
        id,
        station_id: this.stationId,
        business_day_id: day.id,
        user_id: caller.user.id,
        currency,
        opened_at: at.toISOString(),
        audit_seq_from: this.repo.lastAuditSeq(),
        opening_float: total,
        opening_count: JSON.stringify(denominations === null ? {} : { denominations }),
      });
      const payload = {
        stationId: this.stationId,
        shiftId: id,
        businessDayId: day.id,
        userId: caller.user.id,
        currency,
        openingFloat: total,
        denominations,
        at: at.toISOString(),
      };
      this.journal.enqueue('shift.opened', payload, at);
      this.journal.audit({
        at,
        userId: caller.user.id,
        action: 'shift.opened',
        details: { shiftId: id, openingFloat: total, denominations },
      });
      return this.view(this.mustGet(id));
    });
  }

  cashMovement(caller: Caller, kind: CashMovementKind, amount: number, reason: string): ShiftView {
    return this.tx((at) => {
      const shift = this.requireOpen();
      if (!this.mayClose(caller, shift)) {
        throw new AppError('permission_denied', 'This drawer belongs to another cashier.', {
          permission: 'shift.manage',
          overridable: false,
        });
      }
      const id = randomUUID();
      this.repo.insertMovement({
        id,
        shift_id: shift.id,
        kind,
        amount,
        reason,
        user_id: caller.user.id,
        at: at.toISOString(),
      });
      this.journal.enqueue(
        'cash.movement',
        {
          stationId: this.stationId,
          shiftId: shift.id,
          movementId: id,
          kind,
          amount,
          reason,
          userId: caller.user.id,
          at: at.toISOString(),
        },
        at,
      );
      this.journal.audit({
        at,
        userId: caller.user.id,
        action: MOVEMENT_AUDIT[kind],
        details: { shiftId: shift.id, movementId: id, amount, reason },
      });
      return this.view(shift);
    });
  }

  /**
   * The blind close. The count is compared with what the drawer should hold; a difference above the threshold
   * on any counted tender needs a supervisor (bound to this shift and the exact differences). Each refused
   * attempt is audited with its count, so recounting until the numbers match leaves a trail.
   */
  async close(caller: Caller, input: ShiftCloseInput): Promise<ShiftView> {
    const cash = countCash(input.cash, this.denominations());
    const plan = () => {
      const shift = this.requireOpen();
      if (!this.mayClose(caller, shift)) {
        throw new AppError(
          'permission_denied',
          'This drawer belongs to another cashier: a supervisor can close it.',
          {
            permission: 'shift.manage',
            overridable: false,
          },
        );
      }
      if (this.repo.tenderingSales(this.stationId) > 0) {
        throw new AppError(
          'conflict',
          'A sale is being paid: complete or cancel it before closing the drawer.',
          {
            reason: 'sale_in_progress',
          },
        );
      }
      const lines = this.expected(shift);
      for (const other of input.others ?? []) {
        const line = lines.find((l) => l.tender === other.tender);
        if (!line || line.type === 'cash') {
          throw new AppError('bad_input', `Not a non-cash tender: ${other.tender}`, { tender: other.tender });
        }
        line.counted = other.amount;
      }
      const cashLine = lines.find((l) => l.type === 'cash');
      if (!cashLine) throw new Error('expected() always lists cash');
      cashLine.counted = cash.total;
      const differences = lines
        .filter((l) => l.counted !== null)
        .map((l) => ({ tender: l.tender, difference: (l.counted ?? 0) - l.expected }));
      const threshold = this.config.get().differenceThreshold;
      const over = differences.some((d) => Math.abs(d.difference) > threshold);
      const need: ApprovalNeed | null = over
        ? {
            permission: 'shift.manage',
            action: 'shift.close_difference',
            saleId: null,
            targetId: shift.id,
            amount: differences.reduce((sum, d) => sum + d.difference, 0),
            value: differences,
          }
        : null;
      return { shift, lines, cashLine, differences, need };
    };

    const first = plan();
    let grant = null;
    if (first.need) {
      try {
        grant = await this.approvals.authorize(caller, first.need, input.approval);
      } catch (err) {
        if (err instanceof AppError && err.code === 'permission_denied') {
          this.tx((at) =>
            this.journal.audit({
              at,
              userId: caller.user.id,
              action: 'shift.count_refused',
              details: {
                shiftId: first.shift.id,
                counted: first.lines.map((l) => ({ tender: l.tender, counted: l.counted })),
                differences: first.differences,
              },
            }),
          );
        }
        throw err;
      }
    }
    return this.tx((at) => {
      const p = plan();
      if (grant) {
        if (!p.need)
          throw new AppError('conflict', 'The drawer changed while the supervisor approved: count again.');
        this.approvals.record(grant, caller, p.need, at);
      }
      const iso = at.toISOString();
      const closeCount = {
        cash: cash.denominations === null ? { total: cash.total } : { denominations: cash.denominations },
      };
      this.repo.closeShift({
        id: p.shift.id,
        closed_at: iso,
        closed_by: caller.user.id,
        expected_cash: p.cashLine.expected,
        counted_cash: cash.total,
        close_count: JSON.stringify(closeCount),
        close_approval_id: grant?.id ?? null,
      });
      for (const l of p.lines) {
        this.repo.insertCount({
          shift_id: p.shift.id,
          tender_code: l.tender,
          tender_type: l.type,
          expected: l.expected,
          counted: l.counted,
        });
      }
      const closed = this.view(this.mustGet(p.shift.id));
      this.journal.enqueue(
        'shift.closed',
        { stationId: this.stationId, shift: closed, documentIds: this.repo.documentIds(p.shift.id) },
        at,
      );
      this.journal.audit({
        at,
        userId: caller.user.id,
        action: 'shift.closed',
        details: {
          shiftId: p.shift.id,
          ownerId: p.shift.user_id,
          expectedCash: p.cashLine.expected,
          countedCash: cash.total,
          differences: p.differences,
          approvalId: grant?.id ?? null,
        },
      });
      return closed;
    });
  }

  setConfig(caller: Caller, config: ShiftConfig): ShiftConfig {
    try {
      return this.tx((at) => {
        const saved = this.config.set(config, at);
        this.journal.audit({
          at,
          userId: caller.user.id,
          action: 'settings.shift_changed',
          details: { config: saved },
        });
        return saved;
      });
    } catch (err) {
      this.config.invalidate();
      throw err;
    }
  }

  // --- business day ----------------------------------------------------------------------------------------------

  /**
   * The open business day, started now when there is none (the first activity after a Z). Its audit range starts
   * where the last Z's ended, so nothing that happened in between is lost from the next Z.
   */
  ensureDay(at: Date): BusinessDayRow {
    const open = this.repo.openDay(this.stationId);
    if (open) return open;
    const row = {
      id: randomUUID(),
      station_id: this.stationId,
      opened_at: at.toISOString(),
      audit_seq_from: this.repo.lastClosedDay(this.stationId)?.audit_seq_to ?? 0,
    };
    this.repo.insertDay(row);
    const day = this.repo.openDay(this.stationId);
    if (!day) throw new Error('business day not written');
    return day;
  }

  // --- internals -----------------------------------------------------------------------------------------------

  private mayClose(caller: Caller, shift: ShiftRow): boolean {
    return shift.user_id === caller.user.id || caller.permissions.has('shift.manage');
  }

  private requireOpen(): ShiftRow {
    const shift = this.openShift();
    if (!shift)
      throw new AppError('conflict', 'No drawer shift is open on this station.', { reason: 'no_shift' });
    return shift;
  }

  private mustGet(id: string): ShiftRow {
    const shift = this.repo.shift(id);
    if (!shift) throw new Error(`shift ${id} missing`);
    return shift;
  }

  private tx<T>(fn: (at: Date) => T): T {
    return this.db.transaction(() => fn(this.clock.now()))();
  }
}
