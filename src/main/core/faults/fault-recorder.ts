import type { DeviceStatus, PrintJob } from '../../../shared/ipc/channels/devices';
import type { FaultCode } from '../../../shared/ipc/channels/selftest';
import type { StationEvents } from '../events';
import type { FaultLog } from './fault-log';

/** Printer conditions that are faults (ready, near end → not; near end is logged as info). */
const CONDITION_CODES: Readonly<Record<string, FaultCode>> = {
  paper_out: 'paper_out',
  cover_open: 'cover_open',
  offline: 'disconnect',
  error: 'printer_error',
};

/** What the driver's reason text says happened, in the log's terms. */
export function codeOfReason(reason: string | null): FaultCode {
  const r = (reason ?? '').toLowerCase();
  if (r.includes('timeout') || r.includes('timed out') || r.includes('not answer')) return 'timeout';
  if (r.includes('protocol') || r.includes('signature') || r.includes('garbage')) return 'bad_data';
  return 'disconnect';
}

function describe(s: DeviceStatus): string {
  return s.reason ?? s.condition ?? s.state;
}

/**
 * Writes device faults to the log from what the station already announces, so no driver needs to know about
 * the log: `devices:changed` status transitions (a device going offline / unavailable, a printer condition such
 * as paper out or cover open, and its recovery) and `printing:job-changed` failures. The cash drawer hangs on
 * the printer, so its offline state mirrors the printer's and is not logged twice.
 */
export class FaultRecorder {
  private readonly last = new Map<string, DeviceStatus>();
  private readonly jobErrors = new Map<string, string>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly log: FaultLog,
    events: StationEvents,
  ) {
    this.unsubscribe = events.on((event) => {
      if (event.name === 'devices:changed') {
        for (const status of event.payload.devices) this.observe(status);
      } else if (event.name === 'printing:job-changed') {
        this.observeJob(event.payload.job);
      }
    });
  }

  stop(): void {
    this.unsubscribe();
  }

  private observe(now: DeviceStatus): void {
    const before = this.last.get(now.id);
    this.last.set(now.id, now);
    if (now.category === 'cash_drawer') return;
    if (now.state === 'starting' || now.state === 'disabled') return;
    const base = { device: now.id, category: now.category, level: 'runtime' as const };
    const wasDown = before !== undefined && (before.state === 'offline' || before.state === 'unavailable');

    if (now.state === 'offline' || now.state === 'unavailable') {
      if (before?.state === now.state && before.reason === now.reason) return;
      this.log.record({
        ...base,
        result: 'fault',
        code: now.state === 'unavailable' ? 'unavailable' : codeOfReason(now.reason),
        message: `${now.id} is ${now.state}: ${describe(now)}`,
        raw: now.reason,
      });
      return;
    }
    // online
    const condition = now.condition;
    const faultCode = condition === null ? undefined : CONDITION_CODES[condition];
    const beforeCondition = before?.state === 'online' ? before.condition : null;
    if (faultCode !== undefined) {
      if (condition === beforeCondition) return;
      this.log.record({
        ...base,
        result: 'fault',
        code: faultCode,
        message: `${now.id}: ${condition}`,
        raw: now.reason,
      });
      return;
    }
    if (condition === 'paper_near_end' && beforeCondition !== 'paper_near_end') {
      this.log.record({
        ...base,
        result: 'info',
        code: 'paper_near_end',
        message: `${now.id}: paper near end`,
        raw: null,
      });
      return;
    }
    const hadFault = beforeCondition !== null && CONDITION_CODES[beforeCondition] !== undefined;
    if (wasDown || hadFault) {
      this.log.record({
        ...base,
        result: 'recovered',
        code: 'ok',
        message: `${now.id} is back online${condition ? ` (${condition})` : ''}`,
        raw: null,
      });
    }
  }

  private observeJob(job: PrintJob): void {
    const error = job.lastError;
    if (error === null || (job.status !== 'failed' && job.status !== 'queued')) return;
    // One entry per failed attempt: a person's Retry announces the job again (queued, same error) before sending.
    const key = String(job.attempts);
    if (this.jobErrors.get(job.id) === key) return;
    this.jobErrors.set(job.id, key);
    if (this.jobErrors.size > 1000) this.jobErrors.delete(this.jobErrors.keys().next().value ?? '');
    const code: FaultCode =
      error.reason === 'paper_out' || error.code === 'paper_out'
        ? 'paper_out'
        : error.reason === 'cover_open' || error.code === 'cover_open'
          ? 'cover_open'
          : error.reason === 'timeout'
            ? 'timeout'
            : 'print_failed';
    this.log.record({
      device: 'printer',
      category: 'receipt_printer',
      level: 'runtime',
      result: 'fault',
      code,
      message: `Print job "${job.title}" ${job.status === 'failed' ? 'failed' : 'is waiting'}: ${error.message}`,
      raw: `${error.code}${error.reason ? `/${error.reason}` : ''}${error.sent ? ' (bytes may have reached the paper)' : ''}`,
    });
  }
}
