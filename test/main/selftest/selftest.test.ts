import { afterEach, describe, expect, it } from 'vitest';
import { NexoTerminal } from '../../../src/drivers/payment/nexo-terminal';
import { NexoTerminalSimulator } from '../../../src/drivers/payment/simulator';
import { decodeEscPos } from '../../helpers/escpos-decoder';
import { TEST_PAGE_CHINESE, TEST_PAGE_ENGLISH } from '../../../src/main/core/selftest/test-page';
import type { SelfTestRun } from '../../../src/shared/ipc/channels/selftest';
import { unwrap } from '../../helpers/station';
import { deviceStation, nextEvent, type DeviceStation } from './fixture';

let ds: DeviceStation | null = null;
afterEach(async () => {
  await ds?.cleanup();
  ds = null;
});

const device = (run: SelfTestRun, id: string) => {
  const d = run.devices.find((x) => x.device === id);
  if (!d) throw new Error(`${id} not in the run: ${run.devices.map((x) => x.device).join(', ')}`);
  return d;
};

describe('self-test, internal level', () => {
  it('passes every simulated device when the printer is normal, and logs each check', async () => {
    ds = await deviceStation();
    const run = await ds.station.diagnostics.selftest.run('internal', null);
    expect(run.status).toBe('passed');
    expect(run.devices.map((d) => d.device).sort()).toEqual(
      ['card_reader', 'customer_display', 'drawer', 'printer', 'scanner'].sort(),
    );
    expect(device(run, 'printer')).toMatchObject({ result: 'pass', message: 'status: ready' });
    expect(device(run, 'drawer').message).toBe('sensor: reads closed');
    const logged = unwrap(await ds.tech('faults:list', { level: 'internal' }));
    expect(logged.total).toBe(5);
    expect(logged.entries.every((e) => e.result === 'pass' && e.runId === run.id)).toBe(true);
    // Internal prints nothing.
    expect(ds.sim!.jobBytes().length).toBe(0);
  });

  it('fails the printer with paper out, keeping the raw status in the fault log', async () => {
    ds = await deviceStation();
    ds.sim!.setState('paperOut');
    const run = await ds.station.diagnostics.selftest.run('internal', null);
    expect(run.status).toBe('failed');
    expect(device(run, 'printer')).toMatchObject({ result: 'fail', message: 'status: out of paper' });
    const page = unwrap(await ds.tech('faults:list', { device: 'printer', result: 'fail' }));
    expect(page.entries[0]).toMatchObject({ level: 'internal', code: 'paper_out', uposCode: 203 });
    expect(page.entries[0]?.raw).toMatch(/DLE EOT/);
  });

  it('fails with a timeout, not a hang, when the printer never answers', async () => {
    ds = await deviceStation();
    ds.sim!.setState('silent');
    const run = await ds.station.diagnostics.selftest.run('external', null);
    expect(run.status).toBe('failed');
    expect(device(run, 'printer').result).toBe('fail');
    expect(device(run, 'printer').steps[0]).toMatchObject({ name: 'status', result: 'fail' });
    // The test page is not attempted after the status failed.
    expect(device(run, 'printer').steps[1]).toMatchObject({ name: 'test_page', result: 'skipped' });
    const entry = unwrap(await ds.tech('faults:list', { device: 'printer', level: 'internal' })).entries[0];
    expect(entry).toMatchObject({ result: 'fail', code: 'timeout', uposCode: 112 });
  });

  it('fails an unavailable scanner with the reason the driver gave', async () => {
    ds = await deviceStation({ scanner: { connection: 'hid:zzzz:1' } });
    const run = await ds.station.diagnostics.selftest.run('internal', null);
    expect(device(run, 'scanner').result).toBe('fail');
    expect(device(run, 'scanner').message).toMatch(/unavailable: HID connection must be/);
    expect(run.status).toBe('failed');
  });
});

describe('self-test, external level', () => {
  it('prints the test page: station id, code-page lines, CODE128 of the test code, QR, exactly one cut', async () => {
    ds = await deviceStation();
    const run = await ds.station.diagnostics.selftest.run('external', null);
    expect(device(run, 'printer').steps.map((s) => [s.name, s.result])).toEqual([
      ['status', 'pass'],
      ['test_page', 'pass'],
    ]);
    const decoded = decodeEscPos(ds.sim!.jobBytes());
    expect(decoded.text).toContain(`Station: ${ds.station.id}`);
    expect(decoded.text).toContain('Status: ready');
    expect(decoded.text).toContain(TEST_PAGE_ENGLISH);
    // Chinese goes inside FS & … FS . as GB18030.
    expect(decoded.lines.map((l) => l.text)).toContain(TEST_PAGE_CHINESE);
    const chinese = decoded.ops
      .filter((o) => o.op === 'text' && o.chinese)
      .map((o) => (o.op === 'text' ? o.text : ''));
    expect(chinese).toContain('中文打印测试：收银台自检，￥');
    const on = decoded.ops.findIndex((o) => o.op === 'chineseOn');
    const off = decoded.ops.findIndex((o, i) => i > on && o.op === 'chineseOff');
    expect(on).toBeGreaterThanOrEqual(0);
    expect(off).toBeGreaterThan(on);
    expect(decoded.barcodes).toEqual([run.testCode]);
    const qrData = `countertop-selftest:${ds.station.id}:${run.testCode}`;
    expect(decoded.qrData).toEqual([qrData]);
    // The QR store command counts bytes: data + 3 (cn fn m).
    const store = decoded.ops.find((o) => o.op === 'qr' && o.fn === 180);
    expect(store && store.op === 'qr' ? store.pL + store.pH * 256 : -1).toBe(Buffer.byteLength(qrData) + 3);
    expect(decoded.cuts).toBe(1);
    // The drawer was kicked with the full 5 bytes, and the watched sensor changed: the demo drawer opened.
    expect(ds.sim!.drawerKicks).toBe(1);
    const kick = decoded.ops.find((o) => o.op === 'drawerKick');
    expect(kick && kick.op === 'drawerKick' ? kick.bytes : []).toEqual([0x1b, 0x70, 0x00, 50, 250]);
    expect(device(run, 'drawer').steps.map((s) => [s.name, s.result])).toEqual([
      ['sensor', 'pass'],
      ['kick', 'pass'],
    ]);
    expect(device(run, 'customer_display')).toMatchObject({ result: 'pass' });
    expect(run.status).toBe('passed');
    // The page went through the print queue.
    const jobs = ds.station.devices.printing.jobs(`selftest:${run.id}`);
    expect(jobs.map((j) => [j.kind, j.status])).toEqual([['test_page', 'printed']]);
  });

  it('fails the drawer when its sensor does not change after the kick', async () => {
    ds = await deviceStation();
    // The drawer's cable is on the other connector pin: the kick on pin 2 moves nothing.
    ds.sim!.setDrawer({ pin: 5, polarity: 'open_when_high', autoCloseMs: null });
    const run = await ds.station.diagnostics.selftest.run('external', null);
    expect(ds.sim!.drawerKicks).toBe(0);
    expect(device(run, 'drawer').steps[1]).toMatchObject({ name: 'kick', result: 'fail' });
    expect(device(run, 'drawer').message).toMatch(/kicked \(pin 2\), but the sensor still reads closed/);
    expect(device(run, 'printer').result).toBe('pass');
  });

  it('withdraws a refused test page so it never prints later', async () => {
    ds = await deviceStation();
    // Ready for the status check, out of paper by the time the page is sent.
    const printer = ds.station.devices.manager.printer!;
    const original = printer.pollNow.bind(printer);
    let reads = 0;
    printer.pollNow = async () => {
      reads += 1;
      if (reads === 2) ds!.sim!.setState('paperOut');
      return original();
    };
    const run = await ds.station.diagnostics.selftest.run('external', null);
    expect(device(run, 'printer').steps[1]).toMatchObject({ name: 'test_page', result: 'fail' });
    const jobs = ds.station.devices.printing.jobs(`selftest:${run.id}`);
    expect(jobs.map((j) => j.status)).toEqual(['failed']);
    ds.sim!.setState('normal');
    await printer.pollNow();
    await ds.station.devices.printing.idle();
    expect(decodeEscPos(ds.sim!.jobBytes()).barcodes).toEqual([]);
  });

  it('asks the payment terminal for a diagnosis', async () => {
    ds = await deviceStation();
    const terminalSim = await NexoTerminalSimulator.start();
    const driver = new NexoTerminal({
      baseUrl: terminalSim.url,
      saleId: 'CTTEST',
      poiId: terminalSim.poiId,
      persist: () => undefined,
      settle: () => undefined,
    });
    ds.station.diagnostics.attachTerminal({ driver, connection: terminalSim.url, simulated: true });
    try {
      const run = await ds.station.diagnostics.selftest.run('external', null);
      expect(device(run, 'payment_terminal').steps.map((s) => [s.name, s.result])).toEqual([
        ['reachable', 'pass'],
        ['diagnosis', 'pass'],
      ]);
      await terminalSim.close();
      const offline = await ds.station.diagnostics.selftest.run('internal', null);
      expect(device(offline, 'payment_terminal')).toMatchObject({ result: 'fail' });
      expect(device(offline, 'payment_terminal').message).toMatch(/not reachable/);
    } finally {
      driver.close();
      await terminalSim.close().catch(() => undefined);
    }
  });
});

describe('self-test, interactive level', () => {
  it('prompts for the test barcode, a test card and closing the drawer, each answered on the simulators', async () => {
    ds = await deviceStation();
    const { station, tech } = ds;
    const answered: string[] = [];
    const off = station.events.on((event) => {
      if (event.name !== 'selftest:changed') return;
      const prompt = event.payload.run.prompt;
      if (!prompt || answered.includes(prompt.kind)) return;
      answered.push(prompt.kind);
      expect(Date.parse(prompt.deadline)).toBeGreaterThan(Date.now());
      setImmediate(() => {
        if (prompt.kind === 'scan_test_barcode') {
          // A wrong code first: noted, still waiting.
          void tech('selftest:simulate', { action: 'scan', code: '4006381333931' }).then(() =>
            tech('selftest:simulate', { action: 'scan' }),
          );
        } else if (prompt.kind === 'swipe_test_card') {
          void tech('selftest:simulate', { action: 'swipe' });
        } else {
          void tech('selftest:simulate', { action: 'drawer', open: false });
        }
      });
    });
    const started = unwrap(await tech('selftest:start', { level: 'interactive' }));
    await station.diagnostics.selftest.settled();
    off();
    const run = unwrap(await tech('selftest:current', {}))!;
    expect(run.id).toBe(started.id);
    expect(answered.sort()).toEqual(['close_drawer', 'scan_test_barcode', 'swipe_test_card']);
    expect(device(run, 'scanner').steps.at(-1)).toMatchObject({ name: 'scan_test_barcode', result: 'pass' });
    expect(device(run, 'card_reader').steps.at(-1)).toMatchObject({
      name: 'swipe_test_card',
      result: 'pass',
    });
    expect(device(run, 'drawer').steps.at(-1)).toMatchObject({ name: 'close_drawer', result: 'pass' });
    expect(run.status).toBe('passed');
    const interactive = unwrap(await tech('faults:list', { level: 'interactive' }));
    expect(interactive.entries.map((e) => e.device).sort()).toEqual(['card_reader', 'drawer', 'scanner']);
  });

  it('fails a step the technician skips; a wedge scan from the screen answers the scan step', async () => {
    ds = await deviceStation({ drawer: { connection: 'none' } });
    const { station, tech } = ds;
    const off = station.events.on((event) => {
      if (event.name !== 'selftest:changed') return;
      const { run } = event.payload;
      const prompt = run.prompt;
      if (
        prompt?.kind === 'scan_test_barcode' &&
        run.devices.find((d) => d.device === 'scanner')?.steps.at(-1)?.result === 'waiting'
      ) {
        setImmediate(() => void tech('selftest:step', { runId: run.id, action: 'scan', code: run.testCode }));
      }
      if (prompt?.kind === 'swipe_test_card') {
        setImmediate(() => void tech('selftest:step', { runId: run.id, action: 'skip' }));
      }
    });
    const run = await station.diagnostics.selftest.run('interactive', null);
    off();
    expect(device(run, 'scanner').steps.at(-1)).toMatchObject({
      result: 'pass',
      message: 'read the test code (wedge)',
    });
    expect(device(run, 'card_reader')).toMatchObject({
      result: 'fail',
      message: 'swipe_test_card: skipped by the technician',
    });
    expect(run.status).toBe('failed');
  });

  it('rejects a bank card on the test-card step without keeping it, and times out', async () => {
    ds = await deviceStation({ drawer: { connection: 'none' } });
    const { station } = ds;
    Object.assign(station.diagnostics.selftest.limits, { interactiveMs: 1500 });
    const reads: unknown[] = [];
    let swiped = false;
    const offReads = station.events.on((e) => {
      if (e.name === 'card:read') reads.push(e.payload);
    });
    const off = station.events.on((event) => {
      if (event.name !== 'selftest:changed') return;
      const { run } = event.payload;
      if (run.prompt?.kind === 'scan_test_barcode') {
        setImmediate(() => void station.diagnostics.selftest.answer(run.id, { action: 'skip' }));
      }
      if (run.prompt?.kind === 'swipe_test_card' && !swiped) {
        swiped = true;
        const reader = station.diagnostics.inputs.running!.cardReader as unknown as {
          swipe(t: string): boolean;
        };
        setImmediate(() =>
          reader.swipe(
            '%B4111111111111111^DOE/JOHN^30121010000000000000?;4111111111111111=30121010000000000000?',
          ),
        );
      }
    });
    const run = await station.diagnostics.selftest.run('interactive', null);
    off();
    offReads();
    expect(reads).toEqual([expect.objectContaining({ kind: 'rejected_bank_card', number: null })]);
    expect(device(run, 'card_reader').steps.at(-1)).toMatchObject({
      result: 'fail',
      message: 'no card read in time',
    });
    const all = JSON.stringify(unwrap(await ds.tech('faults:list', { limit: 200 })));
    expect(all).not.toContain('4111');
    expect(all).not.toContain('DOE');
    expect(all).toContain('bank card was swiped');
  });

  it('runs one self-test at a time and can be cancelled while it waits', async () => {
    ds = await deviceStation({ drawer: { connection: 'none' } });
    const { tech, station } = ds;
    const waiting = nextEvent(station, 'selftest:changed', (p) => p.run.prompt !== null);
    const run = unwrap(await tech('selftest:start', { level: 'interactive' }));
    await waiting;
    const again = await tech('selftest:start', { level: 'internal' });
    expect(again.ok ? null : again.error.code).toBe('conflict');
    unwrap(await tech('selftest:cancel', { runId: run.id }));
    await station.diagnostics.selftest.settled();
    const after = unwrap(await tech('selftest:current', {}))!;
    expect(after.status).toBe('cancelled');
    expect(after.prompt).toBeNull();
  });

  it('is for technicians: a cashier is refused', async () => {
    ds = await deviceStation();
    const refused = await ds.cashier('selftest:start', { level: 'internal' });
    expect(refused.ok ? null : refused.error.code).toBe('permission_denied');
    const list = await ds.cashier('faults:list', {});
    expect(list.ok ? null : list.error.code).toBe('permission_denied');
  });
});
