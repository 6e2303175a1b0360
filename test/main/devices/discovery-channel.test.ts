/**
 * `devices:discover` through the gate with injected listers: serial ports, HID devices (a composite scanner
 * listed once, its POS interface standing for it) and USB printer files; a native module that does not load
 * leaves its transport empty with the reason while the others are still listed; technicians only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SerialPortInfo } from '../../../src/drivers/serial/line-port';
import { failingHidLoader, FakeNodeHid } from '../../helpers/fake-node-hid';
import { unwrap } from '../../helpers/station';
import { failure, openSaleStation, type SaleFixture } from '../sale/fixture';

let fx: SaleFixture | null = null;
afterEach(() => {
  fx?.cleanup();
  fx = null;
});

const PORTS: SerialPortInfo[] = [
  {
    path: '/dev/ttyUSB0',
    vendorId: '067B',
    productId: '2303',
    serialNumber: 'PL01',
    manufacturer: 'Prolific',
  },
  { path: '/dev/ttyS0' },
];

function scannerHid(): FakeNodeHid {
  const hid = new FakeNodeHid();
  // One scanner, two interfaces: keyboard (usage page 1) first, then HID POS (0x8C).
  const base = { vendorId: 0x0c2e, productId: 0x0b61, serialNumber: '17123A', manufacturer: 'Honeywell' };
  hid.plug({ ...base, path: '/dev/hidraw2', usagePage: 0x01, product: 'Xenon 1950g' });
  hid.plug({ ...base, path: '/dev/hidraw3', usagePage: 0x8c, product: 'Xenon 1950g' });
  return hid;
}

describe('devices:discover', () => {
  it('lists serial ports, HID devices and USB printer files with their identities', async () => {
    fx = await openSaleStation();
    let hidListings = 0;
    const hid = scannerHid();
    fx.station.devices.manager.useListers({
      serial: () => Promise.resolve(PORTS),
      loadHid: () => {
        hidListings += 1;
        return Promise.resolve(hid);
      },
      usbPrinters: () => Promise.resolve(['/dev/usb/lp0']),
    });
    // Two calls at once are one listing (each HID listing walks the USB bus).
    const [listing, again] = await Promise.all([
      fx.admin('devices:discover', {}),
      fx.admin('devices:discover', {}),
    ]);
    expect(unwrap(again)).toEqual(unwrap(listing));
    expect(hidListings).toBe(1);
    const found = unwrap(listing);
    expect(found.problems).toEqual([]);
    expect(found.serial).toEqual([
      {
        transport: 'serial',
        key: 'serial:-:-:/dev/ttyS0',
        vendorId: null,
        productId: null,
        serialNumber: null,
        path: '/dev/ttyS0',
        manufacturer: null,
        product: null,
        usagePage: null,
      },
      expect.objectContaining({
        key: 'serial:067b:2303:PL01',
        vendorId: '067b',
        productId: '2303',
        path: '/dev/ttyUSB0',
        manufacturer: 'Prolific',
      }),
    ]);
    expect(found.hid).toEqual([
      {
        transport: 'hid',
        key: 'hid:0c2e:0b61:17123A',
        vendorId: '0c2e',
        productId: '0b61',
        serialNumber: '17123A',
        path: '/dev/hidraw3',
        manufacturer: 'Honeywell',
        product: 'Xenon 1950g',
        usagePage: 0x8c,
      },
    ]);
    expect(found.usbPrinters).toEqual(['/dev/usb/lp0']);
  });

  it('a native module that does not load: the other transports are listed, the reason is returned', async () => {
    fx = await openSaleStation();
    fx.station.devices.manager.useListers({
      serial: () => Promise.resolve(PORTS),
      loadHid: failingHidLoader(),
      usbPrinters: () => Promise.resolve([]),
    });
    const found = unwrap(await fx.admin('devices:discover', {}));
    expect(found.serial.map((d) => d.path)).toEqual(['/dev/ttyS0', '/dev/ttyUSB0']);
    expect(found.hid).toEqual([]);
    expect(found.problems).toEqual([
      {
        transport: 'hid',
        reason:
          'node-hid could not be loaded: libusb-1.0.so.0: cannot open shared object file: No such file or directory',
      },
    ]);

    // serialport's binding missing as well: still an answer, two reasons.
    fx.station.devices.manager.useListers({
      serial: () => Promise.reject(new Error("Cannot find module '@serialport/bindings-cpp'")),
      loadHid: failingHidLoader(),
      usbPrinters: () => Promise.resolve(['/dev/usb/lp1']),
    });
    const degraded = unwrap(await fx.admin('devices:discover', {}));
    expect(degraded.usbPrinters).toEqual(['/dev/usb/lp1']);
    expect(degraded.problems.map((p) => p.transport)).toEqual(['serial', 'hid']);
    expect(degraded.problems[0]?.reason).toMatch(/serial ports cannot be listed: Cannot find module/);
  });

  it('is for the technician: a cashier is refused', async () => {
    fx = await openSaleStation();
    expect(failure(await fx.till('devices:discover', {})).code).toBe('permission_denied');
  });
});
