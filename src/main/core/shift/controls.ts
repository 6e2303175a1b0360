import type { Db } from '../../db/open';
import type { UsersRepo } from '../auth/users';
import type { CatalogReader } from '../catalog/types';
import type { Clock } from '../clock';
import type { Journal } from '../journal';
import { ReportService } from '../reports/report-service';
import { RiskEngine } from '../risk/risk-engine';
import type { SaleService } from '../sale/sale-service';
import type { SettingsRepo } from '../settings';
import { ShiftService } from './shift-service';

export interface ShiftControls {
  shifts: ShiftService;
  reports: ReportService;
  risk: RiskEngine;
}

/**
 * Builds the drawer shifts, the X/Z reports and the risk rules, and hooks them into checkout: cash needs an open
 * shift and documents carry their shift and business day (`sales.attachDrawer`), the risk rules watch the audit
 * stream (`journal.onAudit`) and may hold an approval for a second person (`approvals.escalate`).
 */
export function createShiftControls(deps: {
  db: Db;
  journal: Journal;
  settings: SettingsRepo;
  users: UsersRepo;
  clock: Clock;
  catalog: CatalogReader;
  sales: SaleService;
  stationId: string;
}): ShiftControls {
  const { db, journal, settings, users, clock, stationId } = deps;
  const shifts = new ShiftService({ db, journal, settings, users, clock, stationId });
  const reports = new ReportService({ db, journal, settings, clock, shifts, stationId });
  const risk = new RiskEngine({
    db,
    journal,
    users,
    clock,
    shifts,
    stationId,
    costOf: (productId) => deps.catalog.getProduct(productId)?.cost ?? null,
  });
  deps.sales.attachDrawer(shifts);
  journal.onAudit((row, details) => risk.onAudit(row, details));
  const escalate = risk.escalate.bind(risk);
  deps.sales.approvals.escalate = escalate;
  shifts.approvals.escalate = escalate;
  return { shifts, reports, risk };
}
