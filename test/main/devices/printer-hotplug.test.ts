/**
 * Hot-plug of a network printer, with nothing but the station's own status poll: the printer goes away (the
 * TCP simulator stops) → the device shows offline with the reason; it comes back on the same port → the
 * station reconnects by itself (backoff) and shows it online, and a receipt queued meanwhile prints once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EscPosSimulator } from '../../../src/drivers/printer/simulator';
import type { DeviceStatus } from '../../../src/shared/ipc/channels/devices';
import { decodeEscPos } from '../../helpers/escpos-decoder';
import { waitFor } from '../printing/helpers';
import { deviceStation, type DeviceStation } from '../selftest/fixture';

let ds: DeviceStation | null = null;
const sims: EscPosSimulator[] = [];
afterEach(async () => {
  await ds?.cleanup();
  ds = null;
  for (const s of sims.splice(0)) await s.close();
});

describe('printer hot-plug', () => {
  it('unplugged shows offline with the reason, and reconnects on its own when it returns', async () => {
    const first = await EscPosSimulator.start();
    sims.push(first);
    const port = first.port;
    ds = await deviceStation({ printer: { connection: `tcp://127.0.0.1:${port}`, pollSeconds: 1 } });
    const { station } = ds;
    const printerStatus = () => station.devices.manager.statuses().find((d) => d.id === 'printer');
    await waitFor('printer online', () => printerStatus()?.state === 'online');
    // What the UI is told, from here on.
    const seen: DeviceStatus['state'][] = ['online'];
    station.events.on((event) => {
      if (event.name !== 'devices:changed') return;
      const printer = event.payload.devices.find((d) => d.id === 'printer');
      if (printer && printer.state !== seen.at(-1)) seen.push(printer.state);
    });

    // Unplugged: the idle poll finds it gone.
    sims.splice(0);
    await first.close();
    await waitFor('printer offline', () => printerStatus()?.state === 'offline', 8000);
    expect(printerStatus()?.reason).toMatch(/connect_refused|closed|socket_error/);
    expect(station.devices.manager.statuses().find((d) => d.id === 'drawer')?.state).toBe('offline');

    // A receipt while it is away waits in the queue.
    const printing = station.devices.printing;
    const jobId = printing.queue.insert(
      { kind: 'report', ref: 'x:hotplug', title: 'X report', blocks: [{ kind: 'text', text: 'while away' }] },
      { copy: false, userId: null, at: new Date() },
    );
    printing.kick(true);
    await printing.idle();
    expect(printing.queue.get(jobId)?.status).not.toBe('printed');

    // Plugged back in on the same address: no call from the test, the station finds it by itself.
    const back = await EscPosSimulator.start({ port });
    sims.push(back);
    await waitFor('printer back online', () => printerStatus()?.state === 'online', 8000);
    expect(printerStatus()).toMatchObject({ condition: 'ready', reason: null });
    await waitFor('queued receipt printed', () => printing.queue.get(jobId)?.status === 'printed', 8000);
    const paper = decodeEscPos(back.jobBytes());
    expect(paper.lines.filter((l) => l.text.includes('while away'))).toHaveLength(1);
    expect(seen).toEqual(['online', 'offline', 'online']);
  });
});
