/**
 * The closed set of error codes shared by core, drivers and UI. The UI maps each code to a sentence in the
 * cashier's language and, where there is one, a next action; nothing else about an error crosses the gate.
 */
export const ERROR_CODES = [
  'bad_input',
  'unknown_channel',
  'forbidden',
  'unauthenticated',
  'session_locked',
  'permission_denied',
  'wrong_pin',
  'user_locked_out',
  'setup_required',
  'already_set_up',
  'not_found',
  'conflict',
  'device_offline',
  'paper_out',
  'cover_open',
  'payment_declined',
  'payment_timeout',
  /** The store server cannot be reached (network, server down); the station keeps selling. */
  'server_unreachable',
  'storage_error',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What the UI can offer the user next. */
export type NextAction =
  'retry' | 'ask_supervisor' | 'sign_in' | 'scan_again' | 'try_another_card' | 'call_technician';

export interface ErrorData {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown> | undefined;
  action?: NextAction | undefined;
}

/** A typed, expected failure. Handlers throw it; the gate turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly action: NextAction | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, action?: NextAction) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.action = action;
  }

  toData(): ErrorData {
    const data: ErrorData = { code: this.code, message: this.message };
    if (this.details !== undefined) data.details = this.details;
    if (this.action !== undefined) data.action = this.action;
    return data;
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: ErrorData): Result<never> => ({ ok: false, error });

/** Exhaustiveness guard for switches over closed unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
