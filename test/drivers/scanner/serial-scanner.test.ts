import fs from 'node:fs';
import path from 'node:path';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { Scanner } from '../../../src/drivers/scanner/scanner';
import { SerialScanner } from '../../../src/drivers/scanner/serial-scanner';
import type { DeviceStatus, InputDeviceError } from '../../../src/drivers/serial/device-status';
import type { ScanEvent } from '../../../src/shared/domain/scan-event';
import type { SerialPortLike } from '../../../src/drivers/serial/line-port';
import { tempDataDir } from '../../helpers/temp-dir';
import { MockBinding, MockSerial } from './mock-serial';

afterEach(() => MockBinding.reset());

function next<T>(
  scanner: Scanner,
  event: 'scan' | 'error' | 'status',
  match: (v: T) => boolean = () => true,
) {
  return new Promise<T>((resolve) => {
    const on = (v: T) => {
      if (!match(v)) return;
      scanner.off(event, on as never);
      resolve(v);
    };
    scanner.on(event, on as never);
  });
}
const becomes = (scanner: Scanner, state: DeviceStatus['state']) =>
  scanner.status.state === state
    ? Promise.resolve(scanner.status)
    : next<DeviceStatus>(scanner, 'status', (s) => s.state === state);

function setup(path = '/dev/ttyACM0', maxLineLength?: number) {
  MockBinding.createPort(path, { echo: false, record: true });
  const serial = new MockSerial();
  const scanner = new SerialScanner({
    path,
    baudRate: 115200,
    access: serial,
    backoff: { initialMs: 5, maxMs: 20 },
    ...(maxLineLength === undefined ? {} : { maxLineLength }),
  });
  return { serial, scanner, path };
}

describe('SerialScanner (binding-mock)', () => {
  it('emits one scan per CR/LF-terminated line, split across chunks, with the AIM symbology', async () => {
    const { serial, scanner, path } = setup();
    expect((await scanner.open()).state).toBe('connected');
    const scans: ScanEvent[] = [];
    scanner.on('scan', (e) => scans.push(e));
    const done = next<ScanEvent>(scanner, 'scan', (e) => e.data.startsWith('01'));
    serial.emit(path, ']E040063813');
    serial.emit(path, '33931\r\n]E4963');
    serial.emit(path, '85074\r');
    serial.emit(path, ']C10109501101530003\u001d10AB12\r\n');
    await done;
    expect(scans).toMatchObject([
      { source: 'serial', deviceId: 'serial:/dev/ttyACM0', data: '4006381333931', symbology: 'ean13' },
      { data: '96385074', symbology: 'ean8', aim: ']E4' },
      { data: '0109501101530003\u001d10AB12', symbology: 'gs1_128', aim: ']C1' },
    ]);
    expect(serial.opened[0]?.baudRate).toBe(115200);
    await scanner.close();
  });

  it('garbage bytes: a typed error with the raw bytes, the line dropped, the next scan read', async () => {
    const { serial, scanner, path } = setup();
    await scanner.open();
    const error = next<InputDeviceError>(scanner, 'error');
    const scan = next<ScanEvent>(scanner, 'scan');
    serial.emit(path, Uint8Array.of(0x41, 0x00, 0xff, 0x1b, 0x42, 0x0d));
    serial.emit(path, '036000291452\r\n');
    const e = await error;
    expect(e).toMatchObject({ code: 'bad_input', reason: 'garbage' });
    expect(e.details?.raw).toBe('41 00 ff 1b 42');
    expect((await scan).data).toBe('036000291452');
    await scanner.close();
  });

  it('an overlong line without terminator is dropped with a typed error; the buffer stays bounded', async () => {
    const { serial, scanner, path } = setup('/dev/ttyACM1', 32);
    await scanner.open();
    const errors: InputDeviceError[] = [];
    scanner.on('error', (e) => errors.push(e));
    const scan = next<ScanEvent>(scanner, 'scan');
    serial.emit(path, 'X'.repeat(500));
    serial.emit(path, 'Y'.repeat(500));
    serial.emit(path, '\r\n96385074\r\n');
    expect((await scan).data).toBe('96385074');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'overlong', details: { length: 32 } });
    await scanner.close();
  });

  it('unplugged: disconnected, then reconnects with backoff when the port is listed again', async () => {
    const { serial, scanner, path } = setup();
    await scanner.open();
    const gone = becomes(scanner, 'disconnected');
    await serial.unplug(path);
    expect((await gone).reason).toContain('EIO');
    const back = becomes(scanner, 'connected');
    serial.replug(path);
    await back;
    const scan = next<ScanEvent>(scanner, 'scan');
    serial.emit(path, ']E04006381333931\r');
    expect((await scan).data).toBe('4006381333931');
    expect(serial.opened.length).toBeGreaterThanOrEqual(2);
    await scanner.close();
  });

  it('a port held by another program is unavailable with the reason, and is taken once released', async () => {
    MockBinding.createPort('/dev/ttyACM2', { echo: false, record: false });
    const other = new SerialPortMock({ path: '/dev/ttyACM2', baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => other.open((e) => (e ? reject(e) : resolve())));
    const scanner = new SerialScanner({
      path: '/dev/ttyACM2',
      access: new MockSerial(),
      backoff: { initialMs: 5, maxMs: 20 },
    });
    const status = await scanner.open();
    expect(status.state).toBe('unavailable');
    expect(status.reason).toContain('locked');
    const ok = becomes(scanner, 'connected');
    await new Promise<void>((resolve) => other.close(() => resolve()));
    await ok;
    await scanner.close();
    expect(scanner.status.state).toBe('closed');
  });

  it('a port that is not there is disconnected (it may be plugged in later)', async () => {
    const scanner = new SerialScanner({
      path: '/dev/ttyNOPE',
      access: new MockSerial(),
      backoff: { initialMs: 5 },
    });
    expect(await scanner.open()).toMatchObject({
      state: 'disconnected',
      reason: '/dev/ttyNOPE is not present',
    });
    await scanner.close();
  });

  it('a /dev/serial/by-id style symlink counts as present when its target is listed', async () => {
    const tmp = tempDataDir();
    try {
      const target = path.join(tmp.dir, 'ttyACM7');
      const link = path.join(tmp.dir, 'usb-Datalogic_Scanner_S123-if00');
      fs.writeFileSync(target, '');
      fs.symlinkSync(target, link);
      MockBinding.createPort(target, { echo: false, record: false });
      // The OS follows the link when opening; the mock binding knows only the target path.
      class LinkFollowingSerial extends MockSerial {
        override createPort(p: string, baudRate: number): SerialPortLike {
          return super.createPort(fs.realpathSync(p), baudRate);
        }
      }
      const serial = new LinkFollowingSerial();
      const scanner = new SerialScanner({ path: link, access: serial, backoff: { initialMs: 5 } });
      expect((await scanner.open()).state).toBe('connected');
      const scan = next<ScanEvent>(scanner, 'scan');
      serial.emit(target, '96385074\r');
      expect(await scan).toMatchObject({ data: '96385074', deviceId: `serial:${link}` });
      await scanner.close();
    } finally {
      tmp.cleanup();
    }
  });
});
