import { AppError } from '../../../shared/domain/errors';
import type { ApprovalInput } from '../../../shared/ipc/channels/sale';
import type { Caller } from '../auth/auth-service';
import type { Clock } from '../clock';
import type { Db } from '../../db/open';
import type { Journal } from '../journal';
import type { Approvals } from '../sale/approvals';
import type { DeviceManager } from './device-manager';

/**
 * "No sale": opening the cash drawer without a sale. Needs `drawer.no_sale` or a supervisor's approval bound to
 * this action (the sale approvals' flow); recorded as `drawer.no_sale` in the audit log in the same transaction
 * as the approval, and written BEFORE the drawer opens, so an opening is never unrecorded. A kick that then fails
 * (printer away) is recorded too and reported as `device_offline`.
 */
export class CashDrawer {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      journal: Journal;
      approvals: Approvals;
      devices: DeviceManager;
    },
  ) {}

  async noSale(
    caller: Caller,
    reason: string | undefined,
    approval: ApprovalInput | undefined,
  ): Promise<{ openedAt: string }> {
    const printer = this.deps.devices.printer;
    if (!printer || printer.drawer.connection !== 'printer') {
      throw new AppError(
        'device_offline',
        'No cash drawer is configured.',
        { device: 'cash_drawer' },
        'call_technician',
      );
    }
    const need = {
      permission: 'drawer.no_sale' as const,
      action: 'drawer.no_sale',
      saleId: null,
      targetId: null,
      amount: 0,
      value: null,
    };
    const grant = await this.deps.approvals.authorize(caller, need, approval);
    const at = this.deps.clock.now();
    this.deps.db.transaction(() => {
      if (grant) this.deps.approvals.record(grant, caller, need, at);
      this.deps.journal.audit({
        at,
        userId: caller.user.id,
        action: 'drawer.no_sale',
        details: { reason: reason?.length ? reason : null, approvalId: grant?.id ?? null },
      });
    })();
    try {
      await printer.kickDrawer();
    } catch (err) {
      const failedAt = this.deps.clock.now();
      this.deps.db.transaction(() => {
        this.deps.journal.audit({
          at: failedAt,
          userId: caller.user.id,
          action: 'drawer.kick_failed',
          details: { cause: 'no_sale', error: err instanceof Error ? err.message : String(err) },
        });
      })();
      throw new AppError(
        'device_offline',
        'The drawer did not open: the printer it hangs on cannot be reached.',
        { device: 'cash_drawer' },
        'retry',
      );
    }
    return { openedAt: at.toISOString() };
  }
}
