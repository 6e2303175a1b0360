import { EventEmitter } from 'node:events';
import { toScanEvent, type ScanEvent, type ScanSource } from '../../shared/domain/scan-event';
import { InputDeviceError, rawHex, statusNow, type DeviceStatus } from '../serial/device-status';

export interface ScannerEvents {
  /** One complete, validated read. */
  scan: [event: ScanEvent];
  /** Connection changes (connected, disconnected, unavailable, closed). */
  status: [status: DeviceStatus];
  /** Bad data from the device (garbage, short report, overlong line): the read is dropped, the driver carries on. */
  error: [error: InputDeviceError];
}

/**
 * A barcode scanner, whatever its transport. `open()` never rejects: it resolves with the status after the first
 * attempt, and a driver that is disconnected keeps trying on its own with backoff. `error` always has a listener
 * (the base class adds one), so bad data can never throw out of an event emitter.
 */
export interface Scanner {
  readonly deviceId: string;
  readonly source: ScanSource | 'unavailable';
  readonly status: DeviceStatus;
  open(): Promise<DeviceStatus>;
  close(): Promise<void>;
  on<E extends keyof ScannerEvents>(event: E, listener: (...args: ScannerEvents[E]) => void): this;
  off<E extends keyof ScannerEvents>(event: E, listener: (...args: ScannerEvents[E]) => void): this;
}

const PROBLEM_TEXT = {
  empty: 'an empty read',
  control_characters: 'control characters',
  too_long: 'a read longer than the scan limit',
} as const;

/** What every scanner shares: status bookkeeping and one path from raw text to a validated `ScanEvent`. */
export abstract class ScannerBase extends EventEmitter<ScannerEvents> {
  abstract readonly deviceId: string;
  abstract readonly source: ScanSource;
  protected current: DeviceStatus = statusNow('closed');

  constructor() {
    super();
    this.on('error', () => undefined);
  }

  get status(): DeviceStatus {
    return this.current;
  }

  protected setStatus(status: DeviceStatus): void {
    if (
      this.current.state === status.state &&
      (status.state !== 'unavailable' || this.current.reason === status.reason)
    ) {
      return;
    }
    this.current = status;
    this.emit('status', status);
  }

  /** Validates a complete read (AIM identifier optional) and emits `scan`, or a typed `error` carrying the bytes. */
  protected deliver(raw: string, rawBytes?: Uint8Array): void {
    const result = toScanEvent(raw, this.source, this.deviceId, new Date().toISOString());
    if (result.ok) {
      this.emit('scan', result.event);
      return;
    }
    const bytes = rawBytes ?? Uint8Array.from(raw, (c) => c.charCodeAt(0) & 0xff);
    this.emit(
      'error',
      new InputDeviceError(
        'bad_input',
        result.problem === 'too_long' ? 'overlong' : 'garbage',
        `${this.deviceId} sent ${PROBLEM_TEXT[result.problem]}`,
        { raw: rawHex(bytes), length: bytes.length },
      ),
    );
  }
}

/**
 * A scanner that cannot work here (node-hid or serialport failed to load, bad connection string): it reports
 * `unavailable` with the reason, so the station starts and the self-test fails this device with that reason.
 */
export class UnavailableScanner extends EventEmitter<ScannerEvents> implements Scanner {
  readonly source = 'unavailable' as const;
  readonly status: DeviceStatus;

  constructor(
    readonly deviceId: string,
    reason: string,
  ) {
    super();
    this.status = statusNow('unavailable', reason);
    this.on('error', () => undefined);
  }

  open(): Promise<DeviceStatus> {
    return Promise.resolve(this.status);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
