import { AppError, type ErrorCode } from '../../shared/domain/errors';

/**
 * Plumbing shared by the input-side drivers (scanner, card reader, pole display): the status they report, the typed
 * error they emit for bad data, and the reconnect backoff.
 *
 * - `connected`: open and reading.
 * - `disconnected`: the device is gone (unplugged, not listed); the driver reconnects on its own with backoff.
 * - `unavailable`: the device cannot be used for a reason a person must fix (native module failed to load, port held
 *   by another program, permission denied). The driver still retries with backoff where a retry can help.
 * - `closed`: closed by the station.
 */
export type DeviceState = 'connected' | 'disconnected' | 'unavailable' | 'closed';

export interface DeviceStatus {
  state: DeviceState;
  /** Why it is not connected, in English for the fault log; null when connected. */
  reason: string | null;
  /** ISO-8601 time of the change. */
  since: string;
}

export const statusNow = (state: DeviceState, reason: string | null = null): DeviceStatus => ({
  state,
  reason,
  since: new Date().toISOString(),
});

/** Why an input device reported bad data or failed, finer than the closed `ErrorCode` set. */
export type InputDeviceFailure =
  | 'garbage'
  | 'overlong'
  | 'short_report'
  | 'bad_report'
  | 'open_failed'
  | 'write_failed'
  | 'not_open'
  | 'bad_input';

/**
 * A typed input-device failure. `details.raw` holds the offending bytes as hex (capped), except for card readers,
 * which never put what they read into an error (it could be track data): they set only `details.length`.
 */
export class InputDeviceError extends AppError {
  readonly reason: InputDeviceFailure;

  constructor(
    code: ErrorCode,
    reason: InputDeviceFailure,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, { reason, ...details }, code === 'bad_input' ? 'scan_again' : 'retry');
    this.name = 'InputDeviceError';
    this.reason = reason;
  }
}

/** At most this many bytes of raw data go into an error (enough to diagnose, bounded for the fault log). */
export const RAW_HEX_LIMIT = 64;

export function rawHex(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, RAW_HEX_LIMIT), (b) => b.toString(16).padStart(2, '0'));
  return shown.join(' ') + (bytes.length > RAW_HEX_LIMIT ? ` …(+${bytes.length - RAW_HEX_LIMIT})` : '');
}

/** The message of whatever was thrown, with the errno code when there is one (EBUSY, EACCES …). */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return code !== undefined && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}

export interface BackoffOptions {
  /** First retry delay. Default 500 ms. */
  initialMs?: number;
  /** Longest delay between retries. Default 10 s: a replugged device is back within seconds, never a tight loop. */
  maxMs?: number;
}

/** Exponential backoff (×2) between reconnect attempts; `reset()` after a successful connect. */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private next: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = Math.max(1, options.initialMs ?? 500);
    this.maxMs = Math.max(this.initialMs, options.maxMs ?? 10_000);
    this.next = this.initialMs;
  }

  delay(): number {
    const d = this.next;
    this.next = Math.min(this.maxMs, this.next * 2);
    return d;
  }

  reset(): void {
    this.next = this.initialMs;
  }
}
