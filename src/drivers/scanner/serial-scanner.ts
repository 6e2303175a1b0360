import type { DeviceStatus } from '../serial/device-status';
import { SerialLinePort, type SerialLinePortOptions } from '../serial/line-port';
import { ScannerBase, type Scanner } from './scanner';

export type SerialScannerOptions = SerialLinePortOptions;

/**
 * A serial (RS-232 or USB CDC-ACM) scanner: one read per CR/LF-terminated line, AIM identifier optional. Garbage
 * bytes and overlong lines become `error` events with the raw bytes; an unplugged scanner reports `disconnected`
 * and is reopened with backoff when its port is listed again.
 */
export class SerialScanner extends ScannerBase implements Scanner {
  readonly source = 'serial' as const;
  readonly deviceId: string;
  private readonly port: SerialLinePort;

  constructor(options: SerialScannerOptions) {
    super();
    this.deviceId = `serial:${options.path}`;
    this.port = new SerialLinePort(options);
    this.port.on('line', (line) => this.deliver(line));
    this.port.on('error', (e) => this.emit('error', e));
    this.port.on('status', (s) => this.setStatus(s));
  }

  async open(): Promise<DeviceStatus> {
    await this.port.open();
    return this.current;
  }

  close(): Promise<void> {
    return this.port.close();
  }
}
