import { EventEmitter } from 'node:events';
import { InputDeviceError, statusNow, type DeviceStatus } from '../serial/device-status';
import { SerialLinePort, type SerialLinePortOptions } from '../serial/line-port';
import { VFD_INIT, vfdLine, vfdScreenBytes, type VfdScreen } from './vfd';

export interface CustomerDisplayEvents {
  status: [status: DeviceStatus];
  /** Every screen shown (the window display and the technician screen mirror it). */
  screen: [screen: VfdScreen];
}

/** A customer-facing display: a serial pole display, or the second window that the renderer draws. */
export interface CustomerDisplay {
  readonly deviceId: string;
  readonly kind: 'pole' | 'window' | 'unavailable';
  readonly status: DeviceStatus;
  /** The screen shown last (shown again after a reconnect). */
  readonly lastScreen: VfdScreen | null;
  open(): Promise<DeviceStatus>;
  /** Shows two lines. Rejects with a typed `device_offline` error when the display is not connected. */
  show(screen: VfdScreen): Promise<void>;
  close(): Promise<void>;
  on<E extends keyof CustomerDisplayEvents>(
    event: E,
    listener: (...args: CustomerDisplayEvents[E]) => void,
  ): this;
  off<E extends keyof CustomerDisplayEvents>(
    event: E,
    listener: (...args: CustomerDisplayEvents[E]) => void,
  ): this;
}

const normalise = (screen: VfdScreen): VfdScreen => ({
  line1: vfdLine(screen.line1),
  line2: vfdLine(screen.line2),
});

/**
 * A VFD pole display on a serial port. Writes go one at a time (a screen is never interleaved with another); on
 * (re)connect the display is initialised (`ESC @`) and the last screen is shown again, so a display unplugged
 * mid-sale shows the current total as soon as it is back.
 */
export class PoleDisplay extends EventEmitter<CustomerDisplayEvents> implements CustomerDisplay {
  readonly kind = 'pole' as const;
  readonly deviceId: string;
  private readonly port: SerialLinePort;
  private queue: Promise<unknown> = Promise.resolve();
  private shown: VfdScreen | null = null;

  constructor(options: Omit<SerialLinePortOptions, 'redactRaw'>) {
    super();
    this.deviceId = `serial:${options.path}`;
    this.port = new SerialLinePort(options);
    this.port.on('status', (s) => {
      if (s.state === 'connected') void this.restore();
      this.emit('status', s);
    });
    // A display may echo or send noise; it is not input, so bad bytes are ignored.
    this.port.on('error', (_e: InputDeviceError) => undefined);
  }

  get status(): DeviceStatus {
    return this.port.status;
  }

  get lastScreen(): VfdScreen | null {
    return this.shown;
  }

  async open(): Promise<DeviceStatus> {
    return this.port.open();
  }

  show(screen: VfdScreen): Promise<void> {
    const s = normalise(screen);
    this.shown = s;
    this.emit('screen', s);
    return this.exclusive(() => this.port.write(vfdScreenBytes(s)));
  }

  close(): Promise<void> {
    return this.exclusive(() => this.port.close());
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs when the port (re)connects: the screen to restore is the one shown at that moment, not a later one. */
  private restore(): Promise<void> {
    const screen = this.shown;
    return this.exclusive(async () => {
      await this.port.write(VFD_INIT);
      if (screen !== null) await this.port.write(vfdScreenBytes(screen));
    }).catch(() => undefined);
  }
}

/**
 * The customer display as a second window (Electron) or page (browser host): the renderer draws it from the sale
 * events, so there is no device to drive. It is always "connected" and remembers the last screen so the
 * technician screen and the self-test can show what the customer sees.
 */
export class WindowDisplay extends EventEmitter<CustomerDisplayEvents> implements CustomerDisplay {
  readonly kind = 'window' as const;
  readonly deviceId = 'window';
  private current: DeviceStatus = statusNow('closed');
  private shown: VfdScreen | null = null;

  get status(): DeviceStatus {
    return this.current;
  }

  get lastScreen(): VfdScreen | null {
    return this.shown;
  }

  open(): Promise<DeviceStatus> {
    this.current = statusNow('connected');
    this.emit('status', this.current);
    return Promise.resolve(this.current);
  }

  show(screen: VfdScreen): Promise<void> {
    this.shown = normalise(screen);
    this.emit('screen', this.shown);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.current = statusNow('closed');
    this.emit('status', this.current);
    return Promise.resolve();
  }
}

/** A pole display that cannot work here (serialport failed to load, bad connection string). */
export class UnavailableDisplay extends EventEmitter<CustomerDisplayEvents> implements CustomerDisplay {
  readonly kind = 'unavailable' as const;
  readonly status: DeviceStatus;
  readonly lastScreen = null;

  constructor(
    readonly deviceId: string,
    reason: string,
  ) {
    super();
    this.status = statusNow('unavailable', reason);
  }

  open(): Promise<DeviceStatus> {
    return Promise.resolve(this.status);
  }

  show(): Promise<void> {
    return Promise.reject(
      new InputDeviceError(
        'device_offline',
        'not_open',
        `${this.deviceId} is unavailable: ${this.status.reason}`,
      ),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
