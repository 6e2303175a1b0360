import { randomUUID } from 'node:crypto';
import type { DeviceCategory } from '../../../shared/ipc/channels/devices';
import type {
  FaultCode,
  FaultEntry,
  FaultFilter,
  FaultLevel,
  FaultPage,
  FaultResult,
} from '../../../shared/ipc/channels/selftest';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';

export interface FaultInput {
  device: string;
  category?: DeviceCategory | null;
  level: FaultLevel;
  result: FaultResult;
  code: FaultCode;
  message: string;
  raw?: string | null;
  runId?: string | null;
}

/** UnifiedPOS result codes worth keeping beside ours (vendor-neutral, what other POS logs use). */
const UPOS_CODES: Partial<Record<FaultCode, number>> = {
  disconnect: 108,
  unavailable: 108,
  no_response: 112,
  timeout: 112,
  cover_open: 201,
  paper_out: 203,
  printer_error: 114,
  print_failed: 114,
  bad_data: 114,
};

/** The log keeps this many rows; older ones are pruned (a station can run for years). */
export const FAULT_LOG_KEEP = 50_000;
/** Raw details are bounded: enough to diagnose, never a dump. */
const RAW_LIMIT = 600;
const MESSAGE_LIMIT = 500;
const PRUNE_EVERY = 500;

interface Row {
  id: string;
  at: string;
  device: string;
  category: DeviceCategory | null;
  level: FaultLevel;
  result: FaultResult;
  code: FaultCode;
  upos_code: number | null;
  message: string;
  raw: string | null;
  run_id: string | null;
}

const view = (r: Row): FaultEntry => ({
  id: r.id,
  at: r.at,
  device: r.device,
  category: r.category,
  level: r.level,
  result: r.result,
  code: r.code,
  uposCode: r.upos_code,
  message: r.message,
  raw: r.raw,
  runId: r.run_id,
});

/** The WHERE clause of a filter: fixed SQL with every value bound (an absent filter binds NULL and matches all). */
const WHERE = `WHERE (@device IS NULL OR device = @device) AND (@level IS NULL OR level = @level)
  AND (@result IS NULL OR result = @result) AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)`;

function bind(filter: FaultFilter): Record<string, string | null> {
  // Times are stored as UTC ISO strings; a filter given with another offset is compared in UTC too.
  const utc = (t: string | undefined) => (t === undefined ? null : new Date(t).toISOString());
  return {
    device: filter.device ?? null,
    level: filter.level ?? null,
    result: filter.result ?? null,
    from: utc(filter.from),
    to: utc(filter.to),
  };
}

/**
 * The device fault log (table `device_faults`, migrations/0010_faults.sql). Each entry is its own small write:
 * a fault is recorded when it is seen, never inside a sale's transaction, and a failing write (disk full) is
 * swallowed — the log must never take the station down with it. New entries are pushed as `faults:recorded`.
 */
export class FaultLog {
  private readonly insertRow;
  private readonly pageRows;
  private readonly countRows;
  private readonly pruneRows;
  private inserts = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: StationEvents,
  ) {
    this.insertRow = db.prepare(
      `INSERT INTO device_faults (id, at, device, category, level, result, code, upos_code, message, raw, run_id)
       VALUES (@id, @at, @device, @category, @level, @result, @code, @upos_code, @message, @raw, @run_id)`,
    );
    this.pageRows = db.prepare<Record<string, unknown>, Row>(
      `SELECT * FROM device_faults ${WHERE} ORDER BY at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
    );
    this.countRows = db.prepare<Record<string, unknown>, { n: number }>(
      `SELECT count(*) AS n FROM device_faults ${WHERE}`,
    );
    this.pruneRows = db.prepare(
      `DELETE FROM device_faults WHERE rowid <= (SELECT rowid FROM device_faults ORDER BY rowid DESC LIMIT 1 OFFSET ?)`,
    );
  }

  /** Writes one entry and announces it; returns null when it could not be written (the station carries on). */
  record(input: FaultInput): FaultEntry | null {
    if (!this.db.open) return null;
    const row: Row = {
      id: randomUUID(),
      at: this.clock.now().toISOString(),
      device: input.device,
      category: input.category ?? null,
      level: input.level,
      result: input.result,
      code: input.code,
      upos_code:
        input.result === 'pass' || input.result === 'recovered' ? null : (UPOS_CODES[input.code] ?? null),
      message: input.message.slice(0, MESSAGE_LIMIT),
      raw: input.raw === undefined || input.raw === null ? null : input.raw.slice(0, RAW_LIMIT),
      run_id: input.runId ?? null,
    };
    try {
      this.insertRow.run(row);
      this.inserts += 1;
      if (this.inserts % PRUNE_EVERY === 0) this.pruneRows.run(FAULT_LOG_KEEP);
    } catch {
      return null;
    }
    const entry = view(row);
    this.events.emit('faults:recorded', { entry });
    return entry;
  }

  list(filter: FaultFilter, offset = 0, limit = 50): FaultPage {
    const params = bind(filter);
    const entries = this.pageRows.all({ ...params, limit, offset }).map(view);
    const total = this.countRows.get(params)?.n ?? 0;
    return { entries, total, offset };
  }

  /** Every matching entry, newest first, up to `max` (the export). */
  all(filter: FaultFilter, max: number): FaultEntry[] {
    return this.pageRows.all({ ...bind(filter), limit: max, offset: 0 }).map(view);
  }
}
