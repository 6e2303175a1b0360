import { SerialPortMock } from 'serialport';
import type { SerialAccess, SerialPortLike } from '../../../src/drivers/serial/line-port';

// @serialport/binding-mock's types do not resolve under "exports"; the few members used here:
interface MockBindingLike {
  createPort(path: string, options: { echo: boolean; record: boolean }): void;
  list(): Promise<{ path: string }[]>;
  reset(): void;
}
export interface MockPortBindingLike {
  emitData(data: Buffer): void;
  recording: Buffer;
  pendingRead: ((err?: Error) => void) | null;
}
export const MockBinding = SerialPortMock.binding as unknown as MockBindingLike;

/**
 * Serial access over `@serialport/binding-mock`, plus a cable to pull: `unplug(path)` hides the port from the list
 * and fails the pending read the way the OS does when a USB CDC device disappears (serialport then closes the port
 * with a disconnect error); `replug(path)` lists it again.
 */
export class MockSerial implements SerialAccess {
  private readonly hidden = new Set<string>();
  readonly opened: SerialPortMock[] = [];

  createPort(path: string, baudRate: number): SerialPortLike {
    const port = new SerialPortMock({ path, baudRate, autoOpen: false });
    this.opened.push(port);
    return port;
  }

  async list(): Promise<{ path: string }[]> {
    return (await MockBinding.list()).filter((p) => !this.hidden.has(p.path));
  }

  /** The binding of the most recent open port on `path`. */
  binding(path: string): MockPortBindingLike {
    const port = [...this.opened].reverse().find((p) => p.path === path && p.isOpen);
    if (port === undefined) throw new Error(`${path} is not open`);
    const binding: unknown = port.port;
    return binding as MockPortBindingLike;
  }

  emit(path: string, data: string | Uint8Array): void {
    this.binding(path).emitData(Buffer.from(typeof data === 'string' ? Buffer.from(data, 'latin1') : data));
  }

  async unplug(path: string): Promise<void> {
    this.hidden.add(path);
    const b = this.binding(path);
    // serialport starts its first read a few ticks after open; the OS fails the read that is waiting.
    while (b.pendingRead === null) await new Promise((r) => setImmediate(r));
    const err = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    b.pendingRead(err);
  }

  replug(path: string): void {
    this.hidden.delete(path);
  }
}
