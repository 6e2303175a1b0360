import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DeviceDiscovery,
  MIN_INTERVAL_MS,
  type DiscoveredDevice,
} from '../../../src/drivers/discovery/discovery';
import type { SerialPortInfo } from '../../../src/drivers/serial/line-port';
import { FakeNodeHid } from '../../helpers/fake-node-hid';

afterEach(() => vi.useRealTimers());

const SCANNER = {
  vendorId: 0x0c2e,
  productId: 0x0b61,
  path: '/dev/hidraw3',
  serialNumber: 'S1',
  usagePage: 0x8c,
};
const ACM: SerialPortInfo = { path: '/dev/ttyACM0', vendorId: '05F9', productId: '4204', serialNumber: 'A9' };

function setup() {
  const hid = new FakeNodeHid();
  let ports: SerialPortInfo[] = [];
  const discovery = new DeviceDiscovery({
    listers: { serial: () => Promise.resolve(ports), hid: () => hid.devices() },
  });
  const events: string[] = [];
  discovery.on('attached', (d: DiscoveredDevice) => events.push(`+${d.key}`));
  discovery.on('detached', (d: DiscoveredDevice) => events.push(`-${d.key}`));
  return { hid, discovery, events, setPorts: (p: SerialPortInfo[]) => (ports = p) };
}

describe('DeviceDiscovery', () => {
  it('diffs by vendor:product:serial into attached/detached events', async () => {
    const { hid, discovery, events, setPorts } = setup();
    expect(await discovery.scan()).toEqual({ attached: [], detached: [] });
    hid.plug(SCANNER);
    // The keyboard interface of the same scanner is the same device.
    hid.plug({ ...SCANNER, path: '/dev/hidraw2', usagePage: 0x01 });
    setPorts([ACM, { path: '/dev/ttyS0' }]);
    const first = await discovery.scan();
    expect(first.attached.map((d) => d.key)).toEqual([
      'serial:05f9:4204:A9',
      'serial:-:-:/dev/ttyS0',
      'hid:0c2e:0b61:S1',
    ]);
    expect(discovery.devices.find((d) => d.transport === 'hid')).toMatchObject({
      vendorId: '0c2e',
      productId: '0b61',
      serialNumber: 'S1',
      path: '/dev/hidraw3',
      usagePage: 0x8c,
    });
    // The same device on another path (replugged into another USB port) is not a change.
    setPorts([{ ...ACM, path: '/dev/ttyACM1' }, { path: '/dev/ttyS0' }]);
    expect(await discovery.scan()).toEqual({ attached: [], detached: [] });
    hid.unplug('/dev/hidraw3');
    hid.unplug('/dev/hidraw2');
    await discovery.scan();
    expect(events).toEqual([
      '+serial:05f9:4204:A9',
      '+serial:-:-:/dev/ttyS0',
      '+hid:0c2e:0b61:S1',
      '-hid:0c2e:0b61:S1',
    ]);
  });

  it('a failing lister reports an error and keeps that transport as it was', async () => {
    let fail = false;
    const discovery = new DeviceDiscovery({
      listers: {
        serial: () => (fail ? Promise.reject(new Error('udev is gone')) : Promise.resolve([ACM])),
      },
    });
    const errors: unknown[] = [];
    discovery.on('error', (e) => errors.push(e));
    await discovery.scan();
    fail = true;
    expect(await discovery.scan()).toEqual({ attached: [], detached: [] });
    expect(errors).toEqual([{ transport: 'serial', reason: 'udev is gone' }]);
    expect(discovery.devices).toHaveLength(1);
  });

  it('polls on an interval with a floor, never in a tight loop, and stops', async () => {
    vi.useFakeTimers();
    const hid = new FakeNodeHid();
    const discovery = new DeviceDiscovery({ listers: { hid: () => hid.devices() }, intervalMs: 10 });
    discovery.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(hid.listCalls).toBe(1);
    await vi.advanceTimersByTimeAsync(MIN_INTERVAL_MS - 1);
    expect(hid.listCalls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(hid.listCalls).toBe(2);
    discovery.stop();
    await vi.advanceTimersByTimeAsync(10 * MIN_INTERVAL_MS);
    expect(hid.listCalls).toBe(2);
  });
});
