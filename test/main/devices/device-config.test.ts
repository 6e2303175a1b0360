import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe } from '../../../src/main/cli/serve-command';
import {
  DeviceConfigError,
  devicesFileFromArgv,
  loadDeviceConfigFile,
} from '../../../src/main/core/devices/device-config';
import { parsePrinterConnection } from '../../../src/shared/ipc/channels/devices';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';

const temps: TempDir[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.cleanup();
});

function file(content: string): string {
  const t = tempDataDir('countertop-devices-');
  temps.push(t);
  const f = path.join(t.dir, 'devices.json');
  fs.writeFileSync(f, content);
  return f;
}

function caught(fn: () => unknown): DeviceConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeviceConfigError) return e;
    throw e;
  }
  throw new Error('expected a DeviceConfigError');
}

describe('device configuration file', () => {
  it('the minimal file works, everything else defaulted', () => {
    const config = loadDeviceConfigFile(file('{ "printer": { "connection": "tcp://127.0.0.1:9100" } }'));
    expect(config).toEqual({
      printer: {
        connection: 'tcp://127.0.0.1:9100',
        type: 'epson',
        paper: '80mm',
        statusTimeoutMs: 1500,
        pollSeconds: 3,
      },
      drawer: { connection: 'printer', pin: 2, pulseOnMs: 100, pulseOffMs: 500, polarity: 'open_when_high' },
      scanner: { connection: 'simulated' },
      cardReader: { connection: 'simulated' },
      paymentTerminal: { connection: 'simulated' },
      customerDisplay: { connection: 'simulated' },
    });
    // A BOM (Windows editors) is fine.
    expect(loadDeviceConfigFile(file('\uFEFF{}')).printer.connection).toBe('simulated');
  });

  it('the three connection forms parse; others are refused with the accepted forms', () => {
    expect(parsePrinterConnection('tcp://10.0.0.5')).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 9100 });
    expect(parsePrinterConnection('serial:/dev/ttyUSB0?baud=19200')).toEqual({
      kind: 'serial',
      path: '/dev/ttyUSB0',
      baudRate: 19200,
    });
    expect(parsePrinterConnection('usb:/dev/usb/lp0')).toEqual({ kind: 'usb', path: '/dev/usb/lp0' });
    expect(parsePrinterConnection('serial:/dev/ttyS0?baud=12345')).toMatch(/baud 12345/);
    expect(parsePrinterConnection('tcp://h:70000')).toMatch(/port 70000/);
    expect(parsePrinterConnection('COM3')).toMatch(/tcp:\/\/HOST:PORT/);
  });

  it('a bad file is a clear error naming the field', () => {
    const e1 = caught(() =>
      loadDeviceConfigFile(file('{ "printer": { "connection": "lpt1", "paper": "110mm" } }')),
    );
    expect(e1.message).toMatch(/printer\.connection: use tcp:\/\/HOST:PORT/);
    expect(e1.message).toMatch(/printer\.paper/);
    expect(e1.message).toContain('devices.json');
    const e2 = caught(() => loadDeviceConfigFile(file('{ "printer": { "conection": "tcp://x" } }')));
    expect(e2.message).toMatch(/printer.*conection/);
    const e3 = caught(() => loadDeviceConfigFile(file('{ "printer": ')));
    expect(e3.message).toMatch(/not valid JSON/);
    const e4 = caught(() => loadDeviceConfigFile(file('{ "drawer": { "pin": 3 } }')));
    expect(e4.message).toMatch(/drawer\.pin/);
    const e5 = caught(() => loadDeviceConfigFile('/nonexistent/devices.json'));
    expect(e5.message).toMatch(/Cannot read the device file \/nonexistent\/devices.json/);
  });

  it('--devices from the Electron command line', () => {
    expect(devicesFileFromArgv(['electron', '.', '--devices', 'd.json'], '/srv')).toBe('/srv/d.json');
    expect(devicesFileFromArgv(['electron', '--devices=/etc/d.json'], '/srv')).toBe('/etc/d.json');
    expect(devicesFileFromArgv(['electron', '--kiosk'], '/srv')).toBeNull();
    expect(() => devicesFileFromArgv(['electron', '--devices'], '/srv')).toThrow(DeviceConfigError);
  });

  it('npm run serve with a bad device file exits non-zero naming the field, before touching the station', async () => {
    const dataDir = tempDataDir('countertop-data-');
    temps.push(dataDir);
    const err: string[] = [];
    const outcome = await startServe(
      ['--data-dir', dataDir.dir, '--devices', file('{"printer":{"type":"zebra"}}')],
      {
        appRoot: path.resolve('.'),
        io: { out: () => undefined, err: (l) => err.push(l) },
      },
    );
    expect(outcome).toEqual({ kind: 'exit', code: 1 });
    expect(err.join('\n')).toMatch(/printer\.type/);
    expect(fs.readdirSync(dataDir.dir)).toEqual([]);
  });
});
