import { afterEach, describe, expect, it } from 'vitest';
import {
  InputDevicesConfigSchema,
  parseConnection,
  startInputDevices,
} from '../../../src/drivers/input-devices';
import type { ScannerSimulator } from '../../../src/drivers/scanner/in-process-scanner';
import type { DeviceStatus } from '../../../src/drivers/serial/device-status';
import type { ScanEvent } from '../../../src/shared/domain/scan-event';
import { FakeNodeHid, failingHidLoader } from '../../helpers/fake-node-hid';
import { MockBinding, MockSerial } from './mock-serial';

afterEach(() => MockBinding.reset());

const reasonOf = (r: ReturnType<typeof parseConnection>): string => (r.ok ? '' : r.reason);
function expectUnavailable(status: DeviceStatus, reasonPart: string): void {
  expect(status.state).toBe('unavailable');
  expect(status.reason).toContain(reasonPart);
}

describe('parseConnection', () => {
  it('reads the documented forms', () => {
    expect(parseConnection('hid:0c2e:0b61')).toEqual({
      ok: true,
      connection: { kind: 'hid', vendorId: 0x0c2e, productId: 0x0b61 },
    });
    expect(parseConnection('hid:0x05e0:1200?serial=AB1&reportId=none&reportSize=32')).toEqual({
      ok: true,
      connection: {
        kind: 'hid',
        vendorId: 0x05e0,
        productId: 0x1200,
        serialNumber: 'AB1',
        reportId: null,
        reportSize: 32,
      },
    });
    expect(parseConnection('serial:/dev/ttyACM0?baud=115200')).toEqual({
      ok: true,
      connection: { kind: 'serial', path: '/dev/ttyACM0', baudRate: 115200 },
    });
    expect(parseConnection('serial:COM3')).toMatchObject({ ok: true, connection: { baudRate: 9600 } });
    expect(parseConnection('wedge')).toEqual({ ok: true, connection: { kind: 'wedge' } });
  });

  it('says why a connection string is wrong', () => {
    expect(parseConnection('hid:zz:1')).toMatchObject({ ok: false });
    expect(reasonOf(parseConnection('serial:/dev/ttyACM0?baud=fast'))).toContain('baud');
    expect(parseConnection('serial:ttyACM0')).toMatchObject({ ok: false });
    expect(reasonOf(parseConnection('usb:/dev/usb/lp0'))).toContain('Unknown');
  });
});

describe('startInputDevices', () => {
  it('defaults: simulated scanner and card reader, window display, all connected', async () => {
    const devices = await startInputDevices();
    expect(devices.statuses()).toMatchObject({
      scanner: { state: 'connected' },
      cardReader: { state: 'connected' },
      customerDisplay: { state: 'connected' },
    });
    const scans: ScanEvent[] = [];
    devices.scanner.on('scan', (e) => scans.push(e));
    (devices.scanner as ScannerSimulator).scan();
    expect(scans).toMatchObject([{ source: 'simulated', data: '4006381333931', symbology: 'ean13' }]);
    await devices.close();
    expect(devices.statuses().scanner.state).toBe('closed');
  });

  it('real transports through injected node-hid and serial access', async () => {
    const hid = new FakeNodeHid();
    hid.plug({ vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw0', usagePage: 0x8c });
    MockBinding.createPort('/dev/ttyUSB0', { echo: false, record: true });
    MockBinding.createPort('/dev/ttyUSB1', { echo: false, record: true });
    const devices = await startInputDevices(
      {
        scanner: { connection: 'hid:0c2e:0b61' },
        cardReader: { connection: 'serial:/dev/ttyUSB0?baud=19200', rules: { memberPrefixes: ['999'] } },
        customerDisplay: { connection: 'serial:/dev/ttyUSB1?baud=9600' },
      },
      { loadHid: hid.loader(), loadSerial: () => Promise.resolve(new MockSerial()) },
    );
    expect(devices.scanner.deviceId).toBe('hid:0c2e:0b61');
    expect(devices.cardReader.deviceId).toBe('serial:/dev/ttyUSB0');
    expect(devices.customerDisplay.kind).toBe('pole');
    expect(devices.statuses()).toMatchObject({
      scanner: { state: 'connected' },
      cardReader: { state: 'connected' },
      customerDisplay: { state: 'connected' },
    });
    await devices.close();
  });

  it('native modules that fail to load make only their devices unavailable, with the reason', async () => {
    const devices = await startInputDevices(
      {
        scanner: { connection: 'hid:0c2e:0b61' },
        cardReader: { connection: 'serial:/dev/ttyUSB0' },
        customerDisplay: { connection: 'serial:/dev/ttyUSB1' },
      },
      {
        loadHid: failingHidLoader(),
        loadSerial: () => Promise.reject(new Error('No native build was found for platform=linux')),
      },
    );
    const s = devices.statuses();
    expectUnavailable(s.scanner, 'libusb');
    expectUnavailable(s.cardReader, 'serialport could not be loaded');
    expectUnavailable(s.customerDisplay, 'No native build');
    await devices.close();
  });

  it('a bad connection string is an unavailable device, not a throw', async () => {
    const devices = await startInputDevices({
      scanner: { connection: 'hid:nope' },
      cardReader: { connection: 'hid:1:2' },
    });
    expectUnavailable(devices.statuses().scanner, 'hid:<vendor hex>');
    expectUnavailable(devices.statuses().cardReader, 'not supported');
    await devices.close();
  });

  it('the config schema accepts the documented keys and refuses unknown ones', () => {
    expect(
      InputDevicesConfigSchema.safeParse({
        scanner: { connection: 'wedge' },
        cardReader: { connection: 'keyboard', mode: 'magstripe', rules: { giftPrefixes: ['888'] } },
        customerDisplay: { connection: 'window' },
      }).success,
    ).toBe(true);
    expect(InputDevicesConfigSchema.safeParse({ scanner: { connection: 'wedge', speed: 1 } }).success).toBe(
      false,
    );
  });
});
