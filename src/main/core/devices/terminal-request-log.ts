import type { CurrencyCode } from '../../../shared/domain/money';
import type { PersistedRequest, Settlement } from '../../../drivers/payment/nexo-terminal';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';

/**
 * The nexo driver's `persist` / `settle` hooks on the station database (table `terminal_requests`). A request is
 * on disk, durably (`synchronous=FULL`), before the driver sends it; its settlement is written when the outcome
 * is known. What stays unsettled after a crash or a timeout is found again by `open()` / `latestFor()`, and its
 * outcome is asked for by TransactionStatus — never by sending the payment again.
 */
export interface LoggedRequest {
  request: PersistedRequest;
  /** Null while the outcome is unknown (not settled, or settled as `unknown`). */
  settlement: Settlement | null;
}

interface Row {
  service_id: string;
  kind: 'payment' | 'refund';
  reference: string;
  sale_ref: string;
  poi_id: string;
  time_stamp: string;
  amount: number;
  currency: string;
  settlement: string | null;
}

export class TerminalRequestLog {
  private readonly insert;
  private readonly update;
  private readonly openRows;
  private readonly byReference;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(
      `INSERT INTO terminal_requests (service_id, kind, reference, sale_ref, poi_id, time_stamp, amount, currency, created_at)
       VALUES (@serviceId, @kind, @reference, @saleId, @poiId, @timeStamp, @amountMinor, @currency, @createdAt)`,
    );
    this.update = db.prepare(
      'UPDATE terminal_requests SET settled_at = ?, settlement = ? WHERE service_id = ?',
    );
    this.openRows = db.prepare<[], Row>(
      `SELECT * FROM terminal_requests
        WHERE settled_at IS NULL OR json_extract(settlement, '$.status') = 'unknown'
        ORDER BY created_at`,
    );
    this.byReference = db.prepare<[string], Row>(
      'SELECT * FROM terminal_requests WHERE reference = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
    );
  }

  readonly persist = (request: PersistedRequest): void => {
    this.insert.run({ ...request, createdAt: this.clock.now().toISOString() });
  };

  /**
   * The driver passes only masked PANs (a response with a full one is refused whole), so the settlement is kept
   * as it is, the terminal's receipt text included for reprints.
   */
  readonly settle = (request: PersistedRequest, settlement: Settlement): void => {
    this.update.run(this.clock.now().toISOString(), JSON.stringify(settlement), request.serviceId);
  };

  /** Requests whose outcome is not known yet, oldest first (what recovery after a restart works through). */
  open(): LoggedRequest[] {
    return this.openRows.all().map(toLogged);
  }

  /** The latest request made for one of our payment ids, if any. */
  latestFor(reference: string): LoggedRequest | null {
    const row = this.byReference.get(reference);
    return row ? toLogged(row) : null;
  }
}

function toLogged(row: Row): LoggedRequest {
  const settlement = row.settlement === null ? null : (JSON.parse(row.settlement) as Settlement);
  return {
    request: {
      kind: row.kind,
      serviceId: row.service_id,
      saleId: row.sale_ref,
      poiId: row.poi_id,
      reference: row.reference,
      timeStamp: row.time_stamp,
      amountMinor: row.amount,
      currency: row.currency as CurrencyCode,
    },
    settlement: settlement && settlement.status !== 'unknown' ? settlement : null,
  };
}
