import { randomUUID } from 'node:crypto';
import {
  DEFAULT_RISK_RULES,
  RiskRulesSchema,
  type RiskAlert,
  type RiskRuleName,
  type RiskRules,
} from '../../../shared/ipc/channels/risk';
import type { Db } from '../../db/open';
import type { Caller } from '../auth/auth-service';
import type { UsersRepo } from '../auth/users';
import type { Clock } from '../clock';
import type { AuditRow, Journal } from '../journal';
import type { ApprovalNeed } from '../sale/approvals';
import { JsonSetting } from '../shift/json-setting';
import type { ShiftService } from '../shift/shift-service';

export interface RiskDeps {
  db: Db;
  journal: Journal;
  users: UsersRepo;
  clock: Clock;
  shifts: ShiftService;
  stationId: string;
  /** The product's cost (minor units per selling unit), or null when the catalog has none. */
  costOf: (productId: string) => number | null;
}

/** Where a per-shift count starts: the open shift, or without one the business day since the last Z. */
interface Window {
  shiftId: string | null;
  fromSeq: number;
}

interface AlertRow {
  id: string;
  rule: RiskRuleName;
  user_id: string | null;
  shift_id: string | null;
  details: string;
  at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

/** Audit actions that count as a line void for `lineVoids`. */
const VOID_ACTIONS = ['sale.line_voided', 'sale.line_quantity_reduced', 'sale.voided'] as const;
const VOID_NEEDS = new Set(['line.void', 'line.reduce_quantity', 'sale.void']);

/**
 * The fraud and risk rules. Two hooks, both inside the business transaction of the event:
 *
 * - `onAudit` (the journal's audit stream): each event the rules watch is evaluated right after its audit row;
 *   a rule that fires writes an alert row and a `risk.alert` audit row, which commit or roll back with the event.
 *   Count rules fire once per shift, when the count first goes over the limit.
 * - `escalate` (the supervisor approvals): a rule in `approve` mode holds the action before it happens, even
 *   for a role that could do it alone, until another person approves it with their PIN.
 */
export class RiskEngine {
  readonly rules: JsonSetting<RiskRules>;
  private readonly q;

  constructor(private readonly deps: RiskDeps) {
    const { db } = deps;
    this.rules = new JsonSetting(db, 'risk.rules', RiskRulesSchema, DEFAULT_RISK_RULES);
    this.q = {
      countActions: db
        .prepare<[number, ...string[]], number>(
          "SELECT count(*) FROM audit_log WHERE seq > ? AND action IN (?, ?, ?) AND (action <> ? OR json_extract(details, '$.lines') > 0)",
        )
        .pluck(),
      countAction: db
        .prepare<[number, string], number>('SELECT count(*) FROM audit_log WHERE seq > ? AND action = ?')
        .pluck(),
      countRefundsWithoutReceipt: db
        .prepare<[number], number>(
          "SELECT count(*) FROM audit_log WHERE seq > ? AND action = 'refund.completed' AND json_extract(details, '$.originalSaleId') IS NULL",
        )
        .pluck(),
      alertedSince: db
        // Count alerts fire once per window; they are the ones that carry a `count`.
        .prepare<[string, number], number>(
          "SELECT count(*) FROM risk_alerts WHERE rule = ? AND audit_seq > ? AND json_extract(details, '$.count') IS NOT NULL",
        )
        .pluck(),
      insertAlert: db.prepare(
        `INSERT INTO risk_alerts (id, station_id, rule, user_id, shift_id, audit_seq, details, at)
         VALUES (@id, @station_id, @rule, @user_id, @shift_id, @audit_seq, @details, @at)`,
      ),
      line: db.prepare<
        [string],
        { product_id: string; unit_price: number; qty_milli: number; sale_id: string }
      >('SELECT product_id, unit_price, qty_milli, sale_id FROM sale_lines WHERE id = ?'),
      saleGross: db
        .prepare<[string], number>(
          'SELECT COALESCE(SUM(unit_price * qty_milli / 1000), 0) FROM sale_lines WHERE sale_id = ? AND voided = 0',
        )
        .pluck(),
      completedAt: db.prepare<[string], string | null>('SELECT completed_at FROM sales WHERE id = ?').pluck(),
      otherTender: db
        .prepare<[string], number>(
          `SELECT count(*) FROM payments r LEFT JOIN payments o ON o.id = r.original_payment_id
           WHERE r.sale_id = ? AND r.status = 'approved' AND (o.id IS NULL OR o.tender_code <> r.tender_code)`,
        )
        .pluck(),
      refundTenders: db
        .prepare<[string], string>(
          "SELECT DISTINCT tender_code FROM payments WHERE sale_id = ? AND status = 'approved' ORDER BY tender_code",
        )
        .pluck(),
      alerts: db.prepare<[number], AlertRow>(
        'SELECT * FROM risk_alerts WHERE acknowledged_at IS NULL ORDER BY at DESC, rowid DESC LIMIT ?',
      ),
      allAlerts: db.prepare<[number], AlertRow>(
        'SELECT * FROM risk_alerts ORDER BY at DESC, rowid DESC LIMIT ?',
      ),
      acknowledge: db.prepare<{ id: string; at: string; by: string }>(
        'UPDATE risk_alerts SET acknowledged_at = @at, acknowledged_by = @by WHERE id = @id AND acknowledged_at IS NULL',
      ),
    };
  }

  // --- hook 1: after the event (alerts) -----------------------------------------------------------------------

  onAudit(row: AuditRow, details: Record<string, unknown>): void {
    if (row.action === 'risk.alert') return;
    const rules = this.rules.get();
    const fire = (rule: RiskRuleName, facts: Record<string, unknown>, once = false) =>
      this.fire(rule, row, facts, once);
    const str = (key: string) => {
      const v = details[key];
      return typeof v === 'string' ? v : null;
    };
    const num = (key: string) => {
      const v = details[key];
      return typeof v === 'number' ? v : 0;
    };

    switch (row.action) {
      case 'sale.line_voided':
      case 'sale.line_quantity_reduced':
      case 'sale.voided': {
        if (!rules.lineVoids.enabled) return;
        if (row.action === 'sale.voided' && num('lines') === 0) return;
        const count = this.voidCount(this.window());
        if (count > rules.lineVoids.max) fire('lineVoids', { count, max: rules.lineVoids.max }, true);
        return;
      }
      case 'sale.post_voided': {
        const w = this.window();
        if (rules.postVoids.enabled) {
          const count = this.q.countAction.get(w.fromSeq, 'sale.post_voided') ?? 0;
          if (count > rules.postVoids.max) fire('postVoids', { count, max: rules.postVoids.max }, true);
        }
        const original = str('originalSaleId');
        if (rules.quickPostVoid.enabled && original !== null) {
          const minutes = this.minutesSincePaid(original, new Date(row.at));
          if (minutes !== null && minutes < rules.quickPostVoid.minutes) {
            fire('quickPostVoid', {
              documentId: str('documentId'),
              receiptNo: str('originalReceiptNo'),
              minutes,
              limit: rules.quickPostVoid.minutes,
            });
          }
        }
        return;
      }
      case 'refund.completed': {
        const original = str('originalSaleId');
        const documentId = str('documentId');
        if (original === null) {
          if (!rules.refundsWithoutReceipt.enabled) return;
          const amount = Math.abs(num('total'));
          if (amount > rules.refundsWithoutReceipt.maxAmount) {
            fire('refundsWithoutReceipt', {
              documentId,
              amount,
              maxAmount: rules.refundsWithoutReceipt.maxAmount,
            });
          }
          const count = this.q.countRefundsWithoutReceipt.get(this.window().fromSeq) ?? 0;
          if (count > rules.refundsWithoutReceipt.maxCount) {
            fire('refundsWithoutReceipt', { count, maxCount: rules.refundsWithoutReceipt.maxCount }, true);
          }
          return;
        }
        if (
          rules.refundToOtherTender.enabled &&
          documentId !== null &&
          (this.q.otherTender.get(documentId) ?? 0) > 0
        ) {
          fire('refundToOtherTender', {
            documentId,
            receiptNo: str('receiptNo'),
            tenders: this.q.refundTenders.all(documentId),
          });
        }
        return;
      }
      case 'sale.line_discount_set':
      case 'sale.order_discount_set': {
        if (!rules.discounts.enabled) return;
        const bp = this.discountBp(row.action, details);
        if (bp !== null && bp > rules.discounts.maxBp) {
          fire('discounts', {
            saleId: str('saleId'),
            lineId: str('lineId'),
            bp,
            maxBp: rules.discounts.maxBp,
            amount: num('amount'),
          });
        }
        return;
      }
      case 'sale.price_overridden': {
        if (!rules.priceBelowCost.enabled) return;
        const lineId = str('lineId');
        const line = lineId === null ? undefined : this.q.line.get(lineId);
        const cost = line ? this.deps.costOf(line.product_id) : null;
        const price = num('to');
        if (line && cost !== null && price < cost) {
          fire('priceBelowCost', { saleId: line.sale_id, lineId, productId: line.product_id, price, cost });
        }
        return;
      }
      case 'drawer.no_sale': {
        if (!rules.noSales.enabled) return;
        const count = this.q.countAction.get(this.window().fromSeq, 'drawer.no_sale') ?? 0;
        if (count > rules.noSales.max) fire('noSales', { count, max: rules.noSales.max }, true);
        return;
      }
      default:
        return;
    }
  }

  // --- hook 2: before the action (approve mode) -------------------------------------------------------------------

  /** The rule (in `approve` mode) that holds this action for a second person, or null. */
  escalate(_caller: Caller, need: ApprovalNeed): string | null {
    const rules = this.rules.get();
    const held = (rule: { enabled: boolean; mode?: 'alert' | 'approve' }) =>
      rule.enabled && rule.mode === 'approve';
    const value = (need.value ?? {}) as Record<string, unknown>;
    if (VOID_NEEDS.has(need.action)) {
      return held(rules.lineVoids) && this.voidCount(this.window()) >= rules.lineVoids.max
        ? 'lineVoids'
        : null;
    }
    switch (need.action) {
      case 'sale.post_void': {
        if (
          held(rules.postVoids) &&
          (this.q.countAction.get(this.window().fromSeq, 'sale.post_voided') ?? 0) >= rules.postVoids.max
        ) {
          return 'postVoids';
        }
        const minutes =
          need.saleId === null ? null : this.minutesSincePaid(need.saleId, this.deps.clock.now());
        return held(rules.quickPostVoid) && minutes !== null && minutes < rules.quickPostVoid.minutes
          ? 'quickPostVoid'
          : null;
      }
      case 'refund.without_receipt': {
        if (!held(rules.refundsWithoutReceipt)) return null;
        const count = this.q.countRefundsWithoutReceipt.get(this.window().fromSeq) ?? 0;
        return need.amount > rules.refundsWithoutReceipt.maxAmount ||
          count >= rules.refundsWithoutReceipt.maxCount
          ? 'refundsWithoutReceipt'
          : null;
      }
      case 'line.discount':
      case 'order.discount': {
        if (!held(rules.discounts)) return null;
        const bp = this.discountBp(
          need.action === 'line.discount' ? 'sale.line_discount_set' : 'sale.order_discount_set',
          {
            saleId: need.saleId,
            lineId: need.targetId,
            discount: value,
            amount: need.amount,
          },
        );
        return bp !== null && bp > rules.discounts.maxBp ? 'discounts' : null;
      }
      case 'line.price_override': {
        if (!held(rules.priceBelowCost) || need.targetId === null) return null;
        const line = this.q.line.get(need.targetId);
        const cost = line ? this.deps.costOf(line.product_id) : null;
        return cost !== null && need.amount < cost ? 'priceBelowCost' : null;
      }
      default:
        return null;
    }
  }

  // --- alerts ------------------------------------------------------------------------------------------------------

  alerts(include: 'open' | 'all', limit = 200): RiskAlert[] {
    const rows = include === 'open' ? this.q.alerts.all(limit) : this.q.allAlerts.all(limit);
    const name = (id: string | null) => (id === null ? null : (this.deps.users.get(id)?.name ?? null));
    return rows.map((r) => ({
      id: r.id,
      rule: r.rule,
      userId: r.user_id,
      userName: name(r.user_id),
      shiftId: r.shift_id,
      at: r.at,
      details: JSON.parse(r.details) as Record<string, unknown>,
      acknowledgedAt: r.acknowledged_at,
      acknowledgedBy: name(r.acknowledged_by),
    }));
  }

  acknowledge(caller: Caller, ids: readonly string[]): number {
    return this.deps.db.transaction(() => {
      const at = this.deps.clock.now();
      let done = 0;
      for (const id of ids) {
        done += this.q.acknowledge.run({ id, at: at.toISOString(), by: caller.user.id }).changes;
      }
      if (done > 0) {
        this.deps.journal.audit({
          at,
          userId: caller.user.id,
          action: 'risk.acknowledged',
          details: { ids, count: done },
        });
      }
      return done;
    })();
  }

  setRules(caller: Caller, rules: RiskRules): RiskRules {
    try {
      return this.deps.db.transaction(() => {
        const at = this.deps.clock.now();
        const saved = this.rules.set(rules, at);
        this.deps.journal.audit({
          at,
          userId: caller.user.id,
          action: 'settings.risk_rules_changed',
          details: { rules: saved },
        });
        return saved;
      })();
    } catch (err) {
      this.rules.invalidate();
      throw err;
    }
  }

  // --- internals -----------------------------------------------------------------------------------------------

  private window(): Window {
    const shift = this.deps.shifts.openShift();
    if (shift) return { shiftId: shift.id, fromSeq: shift.audit_seq_from };
    const day = this.deps.shifts.repo.openDay(this.deps.stationId);
    const fromSeq =
      day?.audit_seq_from ?? this.deps.shifts.repo.lastClosedDay(this.deps.stationId)?.audit_seq_to ?? 0;
    return { shiftId: null, fromSeq };
  }

  private voidCount(w: Window): number {
    return this.q.countActions.get(w.fromSeq, ...VOID_ACTIONS, 'sale.voided') ?? 0;
  }

  private minutesSincePaid(saleId: string, now: Date): number | null {
    const completedAt = this.q.completedAt.get(saleId);
    if (!completedAt) return null;
    return Math.floor((now.getTime() - new Date(completedAt).getTime()) / 60_000);
  }

  /** A discount as basis points of what it discounts (a line's or the sale's value before it). */
  private discountBp(action: string, details: Record<string, unknown>): number | null {
    const discount = details['discount'] as { type?: unknown; value?: unknown } | null | undefined;
    if (!discount) return null;
    if (discount.type === 'percent' && typeof discount.value === 'number') return discount.value;
    const amount = typeof details['amount'] === 'number' ? details['amount'] : 0;
    let base = 0;
    if (action === 'sale.line_discount_set' && typeof details['lineId'] === 'string') {
      const line = this.q.line.get(details['lineId']);
      base = line ? Math.round((line.unit_price * line.qty_milli) / 1000) : 0;
    } else if (typeof details['saleId'] === 'string') {
      base = this.q.saleGross.get(details['saleId']) ?? 0;
    }
    if (base <= 0) return null;
    return Math.floor((amount * 10_000) / base);
  }

  private fire(rule: RiskRuleName, row: AuditRow, facts: Record<string, unknown>, once: boolean): void {
    const w = this.window();
    if (once && (this.q.alertedSince.get(rule, w.fromSeq) ?? 0) > 0) return;
    const id = randomUUID();
    const at = new Date(row.at);
    const details = { ...facts, event: row.action, eventAuditId: row.id };
    this.q.insertAlert.run({
      id,
      station_id: this.deps.stationId,
      rule,
      user_id: row.user_id,
      shift_id: w.shiftId,
      audit_seq: row.seq,
      details: JSON.stringify(details),
      at: row.at,
    });
    this.deps.journal.audit({
      at,
      userId: row.user_id,
      action: 'risk.alert',
      details: { alertId: id, rule, shiftId: w.shiftId, ...details },
    });
  }
}
