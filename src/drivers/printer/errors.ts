import { AppError, type ErrorCode } from '../../shared/domain/errors';

/**
 * Why a printer operation failed, finer than the closed `ErrorCode` set: the code is what the UI shows, the
 * reason is what the fault log and the print queue act on.
 */
export type DriverFailure =
  | 'connect_refused'
  | 'connect_timeout'
  | 'timeout'
  | 'socket_error'
  | 'closed'
  | 'protocol'
  | 'offline'
  | 'cover_open'
  | 'paper_out'
  | 'printer_error'
  | 'bad_input';

/** A typed printer failure. `code` is one of the closed error codes; `details.raw` keeps the raw detail. */
export class DriverError extends AppError {
  readonly reason: DriverFailure;

  constructor(code: ErrorCode, reason: DriverFailure, message: string, details?: Record<string, unknown>) {
    super(code, message, { reason, ...details }, code === 'bad_input' ? undefined : 'retry');
    this.name = 'DriverError';
    this.reason = reason;
  }
}

/** The printer answered with a byte that is not a valid `DLE EOT` status byte. */
export class EscPosProtocolError extends DriverError {
  readonly rawByte: number;
  readonly query: number;

  constructor(query: number, rawByte: number) {
    super(
      'device_offline',
      'protocol',
      `Printer answered DLE EOT ${query} with 0x${hex(rawByte)}, which lacks the status signature`,
      { query, rawByte, raw: `0x${hex(rawByte)}` },
    );
    this.name = 'EscPosProtocolError';
    this.rawByte = rawByte;
    this.query = query;
  }
}

export const hex = (b: number): string => b.toString(16).padStart(2, '0').toUpperCase();
