import { statusNow, type DeviceStatus } from '../serial/device-status';
import { ScannerBase, type Scanner } from './scanner';

/**
 * A scanner whose reads arrive inside the station rather than over a port:
 *
 * - `WedgeScanner`: a keyboard-wedge scanner. The renderer tells its keystrokes from typing (useScanner) and the
 *   core hands each detected code to `push()`; from there on it is a scan like any other.
 * - `ScannerSimulator`: the shipped simulator for the demo and the self-test. The technician screen (or a test)
 *   fires reads with `scan()`, optionally with an AIM identifier and GS separators, and can unplug/replug it to
 *   exercise the offline path. Reads go through the same validation as a real device's.
 */
abstract class InProcessScanner extends ScannerBase implements Scanner {
  open(): Promise<DeviceStatus> {
    this.setStatus(statusNow('connected'));
    return Promise.resolve(this.current);
  }

  close(): Promise<void> {
    this.setStatus(statusNow('closed'));
    return Promise.resolve();
  }

  protected accept(raw: string): boolean {
    if (this.current.state !== 'connected') return false;
    this.deliver(raw);
    return true;
  }
}

export class WedgeScanner extends InProcessScanner {
  readonly source = 'wedge' as const;
  readonly deviceId = 'wedge';

  /** A code the renderer detected as a wedge scan. Returns false when the scanner is closed (the code is dropped). */
  push(code: string): boolean {
    return this.accept(code);
  }
}

/** The barcode the self-test prints on the test page and the simulator "scans" when asked for it. */
export const SELF_TEST_BARCODE = ']E04006381333931';

export class ScannerSimulator extends InProcessScanner {
  readonly source = 'simulated' as const;
  readonly deviceId: string;

  constructor(deviceId = 'simulated') {
    super();
    this.deviceId = deviceId;
  }

  /** A read as the scanner would send it (e.g. `]E04006381333931`, `]C1` + element string with GS). */
  scan(raw: string = SELF_TEST_BARCODE): boolean {
    return this.accept(raw);
  }

  /** Simulates pulling the cable: `disconnected`, reads refused until `replug()`. */
  unplug(): void {
    if (this.current.state === 'connected') this.setStatus(statusNow('disconnected', 'simulator unplugged'));
  }

  replug(): void {
    if (this.current.state === 'disconnected') this.setStatus(statusNow('connected'));
  }
}
