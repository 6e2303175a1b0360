import type { CardSlip } from '../../../shared/print/receipt';
import type { Db } from '../../db/open';
import type { UsersRepo } from '../auth/users';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import { PrintingService } from '../printing/printing-service';
import { Approvals } from '../sale/approvals';
import type { SaleService } from '../sale/sale-service';
import type { SettingsRepo } from '../settings';
import { CashDrawer } from './cash-drawer';
import { DeviceManager } from './device-manager';
import { TerminalRequestLog } from './terminal-request-log';

export interface StationDevicesDeps {
  db: Db;
  clock: Clock;
  events: StationEvents;
  journal: Journal;
  settings: SettingsRepo;
  users: UsersRepo;
  sales: SaleService;
}

/**
 * Devices on `Station.devices`: the print queue (`printing`), the device manager (`manager`: configuration,
 * printer, status) and the cash drawer's "no sale" (`drawer`). Constructed with the station (the receipt of
 * every completed document is queued in its completing transaction from the start); `manager.start()` opens the
 * hardware, which the hosts do after the station is up.
 */
export class StationDevices {
  readonly printing: PrintingService;
  readonly manager: DeviceManager;
  readonly drawer: CashDrawer;

  constructor(deps: StationDevicesDeps) {
    const terminalLog = new TerminalRequestLog(deps.db, deps.clock);
    this.printing = new PrintingService({
      db: deps.db,
      clock: deps.clock,
      events: deps.events,
      journal: deps.journal,
      settings: deps.settings,
      document: (ref) => deps.sales.history.get(ref),
      cardSlip: (paymentId) => cardSlipOf(terminalLog, paymentId),
    });
    this.manager = new DeviceManager({
      db: deps.db,
      clock: deps.clock,
      events: deps.events,
      journal: deps.journal,
      printing: this.printing,
    });
    this.drawer = new CashDrawer({
      db: deps.db,
      clock: deps.clock,
      journal: deps.journal,
      approvals: new Approvals(deps.db, deps.users, deps.settings, deps.journal, deps.clock),
      devices: this.manager,
    });
    const queueReceipt = (
      document: Parameters<PrintingService['enqueueReceipt']>[0],
      at: Date,
      userId: string | null,
    ) => {
      this.printing.enqueueReceipt(document, at, userId);
    };
    deps.sales.checkout.onCompleted = queueReceipt;
    deps.sales.returns.onCompleted = queueReceipt;
  }

  stop(): Promise<void> {
    return this.manager.stop();
  }
}

/** The masked PAN and slip text the terminal returned for a payment (from the terminal's request log). */
function cardSlipOf(log: TerminalRequestLog, paymentId: string): CardSlip | null {
  const settlement = log.latestFor(paymentId)?.settlement;
  if (!settlement || settlement.status !== 'approved') return null;
  return { maskedPan: settlement.maskedPan, receiptText: settlement.receiptText };
}
