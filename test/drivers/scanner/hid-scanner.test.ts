import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HID_POS_LAYOUT,
  encodeHidPosReports,
  parseHidPosReport,
} from '../../../src/drivers/scanner/hid-pos-report';
import { HidScanner, createHidScanner } from '../../../src/drivers/scanner/hid-scanner';
import type { Scanner } from '../../../src/drivers/scanner/scanner';
import type { DeviceStatus, InputDeviceError } from '../../../src/drivers/serial/device-status';
import { parseScan } from '../../../src/shared/domain/barcode';
import { scanText, type ScanEvent } from '../../../src/shared/domain/scan-event';
import { FakeNodeHid, failingHidLoader } from '../../helpers/fake-node-hid';

const PATH = '/dev/hidraw3';
const INFO = {
  vendorId: 0x0c2e,
  productId: 0x0b61,
  path: PATH,
  serialNumber: 'S1',
  usagePage: 0x8c,
  usage: 2,
};
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Resolves with the next `status` whose state is `state`. */
function statusBecomes(scanner: Scanner, state: DeviceStatus['state']): Promise<DeviceStatus> {
  if (scanner.status.state === state) return Promise.resolve(scanner.status);
  return new Promise((resolve) => {
    const on = (s: DeviceStatus) => {
      if (s.state !== state) return;
      scanner.off('status', on);
      resolve(s);
    };
    scanner.on('status', on);
  });
}

function connectedScanner(): { hid: FakeNodeHid; scanner: HidScanner } {
  const hid = new FakeNodeHid();
  hid.plug(INFO);
  const scanner = new HidScanner({
    hid,
    vendorId: 0x0c2e,
    productId: 0x0b61,
    backoff: { initialMs: 5, maxMs: 20 },
  });
  return { hid, scanner };
}

describe('HID POS report parsing', () => {
  it('reads report id, length, AIM id, data and the continuation flag', () => {
    const [report] = encodeHidPosReports(']E0', ascii('4006381333931'));
    expect(report?.[0]).toBe(0x02);
    const parsed = parseHidPosReport(report!);
    expect(parsed).toEqual({
      ok: true,
      report: { aim: ']E0', data: ascii('4006381333931'), more: false },
    });
  });

  it('works without a report-id byte (libusb backends that drop it)', () => {
    const layout = { reportId: null, reportSize: 32 };
    const [report] = encodeHidPosReports(null, ascii('ABC'), layout);
    expect(parseHidPosReport(report!, layout)).toMatchObject({
      ok: true,
      report: { aim: null, more: false },
    });
  });

  it('rejects short reports, wrong ids, impossible lengths and non-AIM symbology bytes', () => {
    expect(parseHidPosReport(Uint8Array.of(2, 1))).toMatchObject({ ok: false, problem: 'short_report' });
    const good = encodeHidPosReports(']E0', ascii('1'))[0]!;
    expect(parseHidPosReport(Uint8Array.of(9, ...good.slice(1)))).toMatchObject({ problem: 'bad_report' });
    const tooLong = good.slice();
    tooLong[1] = 200;
    expect(parseHidPosReport(tooLong)).toMatchObject({ problem: 'bad_report' });
    const badSym = good.slice();
    badSym[2] = 0x41;
    expect(parseHidPosReport(badSym)).toMatchObject({ problem: 'bad_report' });
  });
});

describe('HidScanner (fake node-hid)', () => {
  it('emits one typed scan per barcode, with the AIM symbology', async () => {
    const { hid, scanner } = connectedScanner();
    expect((await scanner.open()).state).toBe('connected');
    const scans: ScanEvent[] = [];
    scanner.on('scan', (e) => scans.push(e));
    for (const r of encodeHidPosReports(']E0', ascii('4006381333931'))) hid.send(PATH, r);
    for (const r of encodeHidPosReports(']E4', ascii('96385074'))) hid.send(PATH, r);
    expect(scans).toMatchObject([
      { source: 'hid', deviceId: 'hid:0c2e:0b61', data: '4006381333931', aim: ']E0', symbology: 'ean13' },
      { data: '96385074', aim: ']E4', symbology: 'ean8' },
    ]);
    await scanner.close();
  });

  it('reassembles a GS1 DataMatrix read spread over several reports, keeping GS separators', async () => {
    const hid = new FakeNodeHid();
    hid.plug(INFO);
    const layout = { reportId: 2, reportSize: 16 };
    const scanner = new HidScanner({ hid, vendorId: 0x0c2e, productId: 0x0b61, layout });
    await scanner.open();
    const element = '0109501101530003' + '10LOT4711\u001d' + '17261231' + '21SN000042';
    const reports = encodeHidPosReports(']d2', ascii(element), layout);
    expect(reports.length).toBeGreaterThan(2);
    const scans: ScanEvent[] = [];
    scanner.on('scan', (e) => scans.push(e));
    for (const r of reports) hid.send(PATH, r);
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ data: element, aim: ']d2', symbology: 'gs1_datamatrix' });
    const parsed = parseScan(scanText(scans[0]!), [], { currencyDecimals: 2, currentYear: 2026 });
    expect(parsed).toMatchObject({ kind: 'gs1', gtin: '09501101530003', expiry: '2026-12-31' });
    await scanner.close();
  });

  it('turns garbage and short reports into typed errors with the raw bytes, and keeps scanning', async () => {
    const { hid, scanner } = connectedScanner();
    await scanner.open();
    const errors: InputDeviceError[] = [];
    const scans: ScanEvent[] = [];
    scanner.on('error', (e) => errors.push(e));
    scanner.on('scan', (e) => scans.push(e));
    hid.send(PATH, Uint8Array.of(0x02, 0x05));
    const control = encodeHidPosReports(null, Uint8Array.of(0x41, 0x07, 0x42))[0]!;
    hid.send(PATH, control);
    // A continued read interrupted by a bad report is dropped whole.
    const [first] = encodeHidPosReports(']C1', ascii('01'.repeat(60)));
    hid.send(PATH, first!);
    hid.send(PATH, Uint8Array.of(0x07, 0, 0, 0, 0, 0, 0));
    for (const r of encodeHidPosReports(']E0', ascii('036000291452'))) hid.send(PATH, r);
    expect(errors.map((e) => e.reason)).toEqual(['short_report', 'garbage', 'bad_report']);
    expect(errors[0]?.details?.raw).toBe('02 05');
    expect(errors[1]?.details?.raw).toContain('41 07 42');
    expect(errors.every((e) => e.code === 'bad_input')).toBe(true);
    expect(scans).toMatchObject([{ data: '036000291452', symbology: 'upca' }]);
    await scanner.close();
  });

  it('ignores the keyboard interface of a composite scanner and picks the POS one', async () => {
    const hid = new FakeNodeHid();
    hid.plug({ ...INFO, path: '/dev/hidraw2', usagePage: 0x01, usage: 6 });
    hid.plug(INFO);
    const scanner = new HidScanner({ hid, vendorId: 0x0c2e, productId: 0x0b61 });
    await scanner.open();
    expect(hid.handle(PATH)).toBeDefined();
    expect(hid.handle('/dev/hidraw2')).toBeUndefined();
    await scanner.close();
  });

  it('unplugged: reports disconnected, then reconnects with backoff when listed again', async () => {
    const { hid, scanner } = connectedScanner();
    await scanner.open();
    const states: string[] = [];
    scanner.on('status', (s) => states.push(s.state));
    const gone = statusBecomes(scanner, 'disconnected');
    hid.unplug(PATH);
    expect((await gone).reason).toContain('went away');
    const listedWhileGone = hid.listCalls;
    // Wait for at least one retry that found nothing, so reconnecting really was the backoff loop.
    while (hid.listCalls === listedWhileGone) await new Promise((r) => setTimeout(r, 5));
    expect(scanner.status.state).toBe('disconnected');
    const back = statusBecomes(scanner, 'connected');
    hid.plug(INFO);
    await back;
    const scans: ScanEvent[] = [];
    scanner.on('scan', (e) => scans.push(e));
    for (const r of encodeHidPosReports(']E0', ascii('4006381333931'))) hid.send(PATH, r);
    expect(scans).toHaveLength(1);
    expect(states).toEqual(['disconnected', 'connected']);
    await scanner.close();
    expect(hid.handle(PATH)).toBeUndefined();
  });

  it('a device that is listed but cannot be opened is unavailable with the reason', async () => {
    const hid = new FakeNodeHid();
    hid.plug(INFO);
    hid.failOpen.set(PATH, 'cannot open device with path /dev/hidraw3');
    const scanner = new HidScanner({ hid, vendorId: 0x0c2e, productId: 0x0b61, backoff: { initialMs: 5 } });
    const status = await scanner.open();
    expect(status.state).toBe('unavailable');
    expect(status.reason).toContain('cannot open device');
    const ok = statusBecomes(scanner, 'connected');
    hid.failOpen.delete(PATH);
    await ok;
    await scanner.close();
  });

  it('node-hid failing to load gives an unavailable scanner with the reason, not a throw', async () => {
    const scanner = await createHidScanner({
      vendorId: 0x0c2e,
      productId: 0x0b61,
      loadHid: failingHidLoader(),
    });
    expect(scanner.source).toBe('unavailable');
    const status = await scanner.open();
    expect(status).toMatchObject({ state: 'unavailable' });
    expect(status.reason).toContain('libusb-1.0.so.0');
    await scanner.close();
  });

  it('createHidScanner with a working loader opens the device', async () => {
    const hid = new FakeNodeHid();
    hid.plug(INFO);
    const scanner = await createHidScanner({ vendorId: 0x0c2e, productId: 0x0b61, loadHid: hid.loader() });
    const [status] = (await Promise.all([once(scanner as HidScanner, 'status'), scanner.open()]))[0] as [
      DeviceStatus,
    ];
    expect(status.state).toBe('connected');
    await scanner.close();
  });
});

it('layout default is report id 2, 64-byte reports', () => {
  expect(DEFAULT_HID_POS_LAYOUT).toEqual({ reportId: 2, reportSize: 64 });
});
