/**
 * The demo printer's cash drawer: the simulator opens it on a complete kick on its pin (reported through
 * `DLE EOT 1` with its polarity), closes it after the configured time or when told, and ignores a truncated
 * kick, a kick on the other pin and bytes inside a length-prefixed block. In the station, the external
 * self-test passes on the demo, and the interactive "close the drawer" step is answered by the demo drawer.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { drawerKickBytes } from '../../../src/drivers/printer/printer';
import { EscPosDevice, EscPosSimulator } from '../../../src/drivers/printer/simulator';
import { waitFor } from '../printing/helpers';
import { deviceStation, type DeviceStation } from '../selftest/fixture';

let ds: DeviceStation | null = null;
const sims: EscPosSimulator[] = [];
afterEach(async () => {
  await ds?.cleanup();
  ds = null;
  for (const s of sims.splice(0)) await s.close();
});

/** DLE EOT 1 answered by the device: bit 2 is the drawer sensor. */
const sensorHigh = (device: EscPosDevice): boolean => {
  const answer = device.connection()(Uint8Array.of(0x10, 0x04, 0x01));
  expect(answer[0]! & 0x93).toBe(0x12);
  return (answer[0]! & 0x04) !== 0;
};

const manual = { pin: 2 as const, polarity: 'open_when_high' as const, autoCloseMs: null };

describe('the simulated cash drawer', () => {
  it('opens on a complete kick on its pin, reports it in DLE EOT 1, and closes when told', () => {
    const device = new EscPosDevice('normal', false, { drawer: manual });
    const feed = device.connection();
    expect(sensorHigh(device)).toBe(false);
    // Split across chunks, as TCP may deliver it.
    feed(Uint8Array.of(0x1b, 0x70));
    expect(device.drawerOpen).toBe(false);
    feed(Uint8Array.of(0x00, 0x32, 0xfa));
    expect(device.drawerOpen).toBe(true);
    expect(sensorHigh(device)).toBe(true);
    expect(device.drawerKicks).toBe(1);
    device.closeDrawer();
    expect(sensorHigh(device)).toBe(false);
  });

  it('respects the pin, the polarity and the full five bytes', () => {
    const pin5Low = new EscPosDevice('normal', false, {
      drawer: { pin: 5, polarity: 'open_when_low', autoCloseMs: null },
    });
    const feed = pin5Low.connection();
    // Closed, open_when_low: the sensor reads high.
    expect(sensorHigh(pin5Low)).toBe(true);
    feed(drawerKickBytes(2));
    expect(pin5Low.drawerOpen).toBe(false);
    // node-thermal-printer's truncated `ESC p m` moves nothing on its own.
    feed(Uint8Array.of(0x1b, 0x70, 0x01));
    expect(pin5Low.drawerOpen).toBe(false);
    feed(Uint8Array.of(0x19, 0xfa));
    expect(pin5Low.drawerOpen).toBe(true);
    expect(sensorHigh(pin5Low)).toBe(false);
  });

  it('does not take bytes inside a QR block or a parameter for a kick', () => {
    const device = new EscPosDevice('normal', false, { drawer: manual });
    const feed = device.connection();
    const data = [0x1b, 0x70, 0x00, 0x19, 0xfa]; // a kick's bytes as QR data
    const len = data.length + 3;
    feed(Uint8Array.of(0x1d, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30, ...data));
    // `ESC d 27` feeds 27 lines: its parameter is 0x1b, not an ESC.
    feed(Uint8Array.of(0x1b, 0x64, 0x1b, 0x70, 0x00, 0x19, 0xfa));
    expect(device.drawerKicks).toBe(0);
    expect(device.drawerOpen).toBe(false);
  });

  it('Star Line Mode: ESC BEL n1 n2 then BEL (pin 2)', () => {
    const device = new EscPosDevice('normal', false, { drawer: manual, dialect: 'star' });
    device.connection()(Uint8Array.of(0x1b, 0x07, 0x0a, 0x32, 0x07));
    expect(device.drawerOpen).toBe(true);
  });

  it('the TCP simulator closes its drawer again after the configured time', async () => {
    const sim = await EscPosSimulator.start({ drawer: { ...manual, autoCloseMs: 50 } });
    sims.push(sim);
    const socket = net.connect(sim.port, sim.host);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(drawerKickBytes(2));
    await waitFor('drawer open', () => sim.drawerOpen);
    await waitFor('drawer closed again', () => !sim.drawerOpen);
    expect(sim.drawerKicks).toBe(1);
    socket.destroy();
  });
});

describe('the demo drawer in the station', () => {
  it('the external self-test passes on the demo devices; the kick opened the demo drawer', async () => {
    ds = await deviceStation();
    const run = await ds.station.diagnostics.selftest.run('external', null);
    const drawer = run.devices.find((d) => d.device === 'drawer');
    expect(drawer?.steps.map((s) => [s.name, s.result])).toEqual([
      ['sensor', 'pass'],
      ['kick', 'pass'],
    ]);
    expect(run.status).toBe('passed');
    expect(ds.sim!.drawerKicks).toBe(1);
  });

  it('the interactive "close the drawer" step is answered by the demo drawer closing', async () => {
    // Only the drawer asks the technician here; nobody answers: the demo drawer closes 3 s after it opened.
    ds = await deviceStation({
      drawer: { polarity: 'open_when_low', pin: 5 },
      scanner: { connection: 'none' },
      cardReader: { connection: 'none' },
    });
    const { station } = ds;
    Object.assign(station.diagnostics.selftest.limits, { interactiveMs: 8000 });
    const prompts: string[] = [];
    const off = station.events.on((event) => {
      const prompt = event.name === 'selftest:changed' ? event.payload.run.prompt : null;
      if (prompt && !prompts.includes(prompt.kind)) prompts.push(prompt.kind);
    });
    const run = await station.diagnostics.selftest.run('interactive', null);
    off();
    expect(prompts).toEqual(['close_drawer']);
    const drawer = run.devices.find((d) => d.device === 'drawer');
    expect(drawer?.steps.at(-1)).toMatchObject({ name: 'close_drawer', result: 'pass' });
    expect(drawer?.result).toBe('pass');
    expect(ds.sim!.drawerOpen).toBe(false);
  });
});
