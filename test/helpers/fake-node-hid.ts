import { EventEmitter } from 'node:events';
import type {
  HidDeviceHandle,
  HidDeviceInfo,
  HidLoader,
  NodeHidModule,
} from '../../src/drivers/hid/node-hid';

/**
 * A fake node-hid module with the same shape as the real one (`devices()`, `new HID(path)` emitting `data` and
 * `error`). Tests plug devices in and out and push input reports as node-hid would deliver them (report id first).
 */
export class FakeHidDevice extends EventEmitter implements HidDeviceHandle {
  closed = false;

  constructor(readonly path: string) {
    super();
  }

  close(): void {
    this.closed = true;
  }
}

export class FakeNodeHid implements NodeHidModule {
  private present: HidDeviceInfo[] = [];
  private readonly open = new Map<string, FakeHidDevice>();
  /** How many times `devices()` walked the (fake) bus. */
  listCalls = 0;
  /** Paths whose open fails (e.g. permission denied on /dev/hidraw*). */
  readonly failOpen = new Map<string, string>();
  readonly HID: new (path: string) => HidDeviceHandle;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    this.HID = class {
      constructor(path: string) {
        const failure = fake.failOpen.get(path);
        if (failure !== undefined) throw new Error(failure);
        if (!fake.present.some((d) => d.path === path)) throw new Error(`could not open device ${path}`);
        const device = new FakeHidDevice(path);
        fake.open.set(path, device);
        return device;
      }
    } as unknown as new (path: string) => HidDeviceHandle;
  }

  devices(): HidDeviceInfo[] {
    this.listCalls++;
    return this.present.map((d) => ({ ...d }));
  }

  plug(info: HidDeviceInfo): void {
    this.present = [...this.present.filter((d) => d.path !== info.path), info];
  }

  /** Pulls the cable: the device leaves the list and an open handle emits `error` as node-hid does on a read error. */
  unplug(path: string): void {
    this.present = this.present.filter((d) => d.path !== path);
    const device = this.open.get(path);
    this.open.delete(path);
    if (device !== undefined && !device.closed) {
      device.emit('error', new Error('could not read from HID device'));
    }
  }

  /** The open handle for `path`, if the driver opened it and has not closed it. */
  handle(path: string): FakeHidDevice | undefined {
    const d = this.open.get(path);
    return d !== undefined && !d.closed ? d : undefined;
  }

  /** Delivers one input report to the open handle. */
  send(path: string, report: Uint8Array): void {
    const d = this.handle(path);
    if (d === undefined) throw new Error(`${path} is not open`);
    d.emit('data', Buffer.from(report));
  }

  loader(): HidLoader {
    return () => Promise.resolve(this);
  }
}

/** A loader that fails the way node-hid does when libusb is missing. */
export const failingHidLoader =
  (message = 'libusb-1.0.so.0: cannot open shared object file: No such file or directory'): HidLoader =>
  () =>
    Promise.reject(new Error(message));
