import { afterEach, describe, expect, it } from 'vitest';
import { EscPosSimulator } from '../../../src/drivers/printer/simulator';
import { saleScreen } from '../../../src/main/core/devices/input-device-hub';
import type { FaultEntry } from '../../../src/shared/ipc/channels/selftest';
import type { DiagnosticsBundle } from '../../../src/main/core/faults/diagnostics-bundle';
import { unwrap } from '../../helpers/station';
import { deviceStation, nextEvent, type DeviceStation } from '../selftest/fixture';

let ds: DeviceStation | null = null;
const sims: EscPosSimulator[] = [];
afterEach(async () => {
  await ds?.cleanup();
  ds = null;
  for (const s of sims.splice(0)) await s.close().catch(() => undefined);
});

const runtime = async (d: DeviceStation, device: string): Promise<FaultEntry[]> =>
  unwrap(await d.tech('faults:list', { device, level: 'runtime' })).entries.reverse();

describe('fault log', () => {
  it('records a printer disconnect, its return, and paper out from the status transitions', async () => {
    const sim = await EscPosSimulator.start();
    sims.push(sim);
    const port = sim.port;
    ds = await deviceStation({ printer: { connection: `tcp://127.0.0.1:${port}` } });
    const printer = ds.station.devices.manager.printer!;
    await printer.pollNow();

    sim.setState('paperOut');
    await printer.pollNow();
    sim.setState('normal');
    await printer.pollNow();

    await sim.close();
    sims.splice(0);
    await expect(printer.pollNow()).rejects.toThrow();
    const back = await EscPosSimulator.start({ port });
    sims.push(back);
    await printer.pollNow();

    const entries = await runtime(ds, 'printer');
    expect(entries.map((e) => [e.result, e.code])).toEqual([
      ['fault', 'paper_out'],
      ['recovered', 'ok'],
      ['fault', 'disconnect'],
      ['recovered', 'ok'],
    ]);
    expect(entries[0]).toMatchObject({ uposCode: 203, category: 'receipt_printer' });
    expect(entries[2]?.uposCode).toBe(108);
    expect(entries[2]?.message).toMatch(/^printer is offline: /);
    expect(entries[2]?.raw).not.toBeNull();
  });

  it('records a print job that fails on paper out', async () => {
    ds = await deviceStation();
    const printing = ds.station.devices.printing;
    ds.sim!.setState('paperOut');
    await ds.station.devices.manager.printer!.pollNow().catch(() => undefined);
    const id = printing.queue.insert(
      { kind: 'report', ref: 'x:1', title: 'X report', blocks: [{ kind: 'text', text: 'hello' }] },
      { copy: false, userId: null, at: new Date() },
    );
    // The printer reports ready at the status check, then runs out of paper during the job.
    ds.sim!.setState('normal');
    ds.sim!.flipStateAfter(10, 'paperOut');
    printing.kick(true);
    await printing.idle();
    expect(printing.queue.get(id)?.status).toBe('failed');
    const entries = await runtime(ds, 'printer');
    expect(entries.some((e) => e.code === 'paper_out' && e.message.includes('X report'))).toBe(true);
  });

  it('shows the scanner unplugged and replugged', async () => {
    ds = await deviceStation();
    unwrap(await ds.tech('selftest:simulate', { action: 'unplug_scanner' }));
    const status = unwrap(await ds.tech('devices:status', {})).find((s) => s.id === 'scanner');
    expect(status).toMatchObject({ state: 'offline', reason: 'simulator unplugged' });
    unwrap(await ds.tech('selftest:simulate', { action: 'replug_scanner' }));
    const entries = await runtime(ds, 'scanner');
    expect(entries.map((e) => [e.result, e.code])).toEqual([
      ['fault', 'disconnect'],
      ['recovered', 'ok'],
    ]);
    expect(entries[0]).toMatchObject({ category: 'scanner', uposCode: 108 });
  });

  it('filters by device, level and time, and pages', async () => {
    ds = await deviceStation();
    await ds.station.diagnostics.selftest.run('internal', null);
    await ds.station.diagnostics.selftest.run('internal', null);
    const all = unwrap(await ds.tech('faults:list', { level: 'internal', limit: 4 }));
    expect(all.total).toBe(10);
    expect(all.entries).toHaveLength(4);
    const next = unwrap(await ds.tech('faults:list', { level: 'internal', limit: 4, offset: 8 }));
    expect(next.entries).toHaveLength(2);
    expect(new Set([...all.entries, ...next.entries].map((e) => e.id)).size).toBe(6);
    const printerOnly = unwrap(await ds.tech('faults:list', { device: 'printer' }));
    expect(printerOnly.entries.every((e) => e.device === 'printer')).toBe(true);
    const future = unwrap(await ds.tech('faults:list', { from: '2999-01-01T00:00:00+08:00' }));
    expect(future.total).toBe(0);
    const bad = await ds.tech('faults:list', { level: 'loud' as never });
    expect(bad.ok ? null : bad.error.code).toBe('bad_input');
  });

  it('exports one diagnostics file with the configuration, statuses, faults and versions (audited)', async () => {
    ds = await deviceStation();
    ds.sim!.setState('paperOut');
    await ds.station.diagnostics.selftest.run('internal', null);
    const file = unwrap(await ds.tech('faults:export', {}));
    expect(file.fileName).toMatch(/^countertop-diagnostics-[0-9a-f]{8}-\d{8}T\d{6}Z\.json$/);
    const bundle = JSON.parse(file.content) as DiagnosticsBundle;
    expect(bundle.format).toBe('countertop-diagnostics/1');
    expect(bundle.stationId).toBe(ds.station.id);
    expect(bundle.versions).toMatchObject({ app: 'test', node: process.versions.node, migrations: 11 });
    expect(bundle.versions.sqlite).toMatch(/^3\.\d+/);
    expect(bundle.deviceConfig.config.printer).toMatchObject({ connection: 'simulated', type: 'epson' });
    expect(bundle.deviceStatuses.map((s) => s.id)).toContain('printer');
    expect(bundle.faults.entries.some((e) => e.code === 'paper_out' && e.level === 'internal')).toBe(true);
    expect(file.faults).toBe(bundle.faults.count);
    const audit = ds.station.db
      .prepare<[], { action: string }>("SELECT action FROM audit_log WHERE action = 'faults.exported'")
      .all();
    expect(audit).toHaveLength(1);
  });

  it('records garbage from a scanner as bad data with its raw bytes, and never a card read', async () => {
    ds = await deviceStation();
    const recorded = nextEvent(ds.station, 'faults:recorded', (p) => p.entry.code === 'bad_data');
    unwrap(await ds.tech('selftest:simulate', { action: 'scan', code: 'AB\u0001\u0002' }));
    expect((await recorded).entry).toMatchObject({ device: 'scanner', raw: '41 42 01 02' });
  });
});

describe('input devices in the station', () => {
  it('turns a device scan into one scanner:scan event the checkout takes like a wedge scan', async () => {
    ds = await deviceStation();
    const scanned = nextEvent(ds.station, 'scanner:scan');
    unwrap(await ds.tech('selftest:simulate', { action: 'scan', code: ']E04006381333931' }));
    expect(await scanned).toMatchObject({
      code: ']E04006381333931',
      source: 'simulated',
      symbology: 'ean13',
    });
  });

  it('emits member card reads', async () => {
    ds = await deviceStation();
    const read = nextEvent(ds.station, 'card:read');
    unwrap(await ds.tech('selftest:simulate', { action: 'swipe' }));
    expect(await read).toMatchObject({ kind: 'member', number: '9990001234567' });
  });

  it('refuses to drive a real device as a simulator', async () => {
    const sim = await EscPosSimulator.start();
    sims.push(sim);
    ds = await deviceStation({ printer: { connection: `tcp://127.0.0.1:${sim.port}` } });
    const refused = await ds.tech('selftest:simulate', { action: 'printer_state', state: 'paperOut' });
    expect(refused.ok ? null : refused.error.code).toBe('conflict');
  });

  it('shows the last line and total, then paid and change, on the pole display', () => {
    const base = { currency: 'CNY', status: 'open', totals: { total: 650, paid: 0, change: 0 } };
    const line = (nameZh: string, total: number, voided = false) => ({
      nameZh,
      nameEn: 'Cola',
      voided,
      amounts: { total },
    });
    const open = { ...base, lines: [line('面包', 300), line('可口可乐', 350), line('口香糖', 199, true)] };
    const item = saleScreen(open as never, 'zh-CN');
    expect(item.line1).toBe('KeKouKeLe       3.50');
    expect(item.line2).toMatch(/^TOTAL\s+6\.50$/);
    const done = { ...base, status: 'completed', totals: { total: 650, paid: 1000, change: 350 }, lines: [] };
    const change = saleScreen(done as never, 'en');
    expect(change.line1).toMatch(/^PAID\s+10\.00$/);
    expect(change.line2).toMatch(/^CHANGE\s+3\.50$/);
    expect(saleScreen(null, 'en').line1).toBe('WELCOME');
  });
});
