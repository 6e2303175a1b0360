import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DriverError, EscPosProtocolError } from '../../../src/drivers/printer/errors';
import { EscPosPrinter, drawerKickBytes } from '../../../src/drivers/printer/printer';
import { buildReceipt } from '../../../src/drivers/printer/receipt-builder';
import { EscPosSimulator, type SimulatorState } from '../../../src/drivers/printer/simulator';
import { TcpTransport } from '../../../src/drivers/printer/transport';
import { decodeEscPos } from '../../helpers/escpos-decoder';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(state: SimulatorState = 'normal', statusTimeoutMs = 2000) {
  const sim = await EscPosSimulator.start({ state });
  const printer = new EscPosPrinter({
    transport: new TcpTransport({ host: sim.host, port: sim.port, connectTimeoutMs: 2000 }),
    statusTimeoutMs,
  });
  cleanups.push(
    () => sim.close(),
    () => printer.close(),
  );
  return { sim, printer };
}

const receipt = buildReceipt({
  paper: '58mm',
  header: [{ text: '好邻居 Shop', bold: true }],
  items: [{ name: '矿泉水', qty: '1', price: '2.00', total: '2.00' }],
  totals: [{ label: '合计', amount: '2.00', bold: true }],
  footer: [],
  qr: 'https://例子.cn/r/1',
});

async function caught(p: Promise<unknown>): Promise<DriverError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DriverError);
    return e as DriverError;
  }
  throw new Error('expected a DriverError');
}

describe('EscPosPrinter against the loopback simulator', () => {
  it('reads status n=1,2,4 from a normal printer and reports the drawer sensor', async () => {
    const { sim, printer } = await setup();
    expect(await printer.status()).toMatchObject({ condition: 'ready', online: true, drawerOpen: false });
    expect(sim.statusQueries()).toEqual([1, 2, 4]);
    sim.drawerSensorHigh = true;
    expect(await printer.status()).toMatchObject({ drawerSensorHigh: true, drawerOpen: true });
  });

  it('asks n=3 when n=2 reports an error', async () => {
    const { sim, printer } = await setup('offline');
    expect(await printer.status()).toMatchObject({ condition: 'error', online: false, cutterError: true });
    expect(sim.statusQueries()).toEqual([1, 2, 3, 4]);
  });

  it('prints a receipt: the job arrives byte for byte and decodes', async () => {
    const { sim, printer } = await setup('paperNearEnd');
    const result = await printer.print(receipt, { idempotencyKey: 'sale-1' });
    expect(result).toMatchObject({ idempotencyKey: 'sale-1', bytes: receipt.length, replayed: false });
    expect(result.statusBefore.condition).toBe('paper_near_end');
    expect(sim.jobBytes()).toEqual(receipt);
    const d = decodeEscPos(sim.jobBytes());
    expect(d.cuts).toBe(1);
    expect(d.text).toContain('矿泉水');
    expect(d.qrData).toEqual(['https://例子.cn/r/1']);
  });

  it('kicks the drawer with the full 5-byte ESC p on pin 2 and pin 5', async () => {
    const { sim, printer } = await setup();
    await printer.kickDrawer(2);
    await printer.kickDrawer(5, { onMs: 100, offMs: 200 });
    await printer.status(); // round trip: everything before it has arrived
    expect([...drawerKickBytes(2)]).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    const kicks = decodeEscPos(sim.jobBytes()).ops.filter((o) => o.op === 'drawerKick');
    expect(kicks.map((k) => (k.op === 'drawerKick' ? k.bytes : []))).toEqual([
      [0x1b, 0x70, 0x00, 0x19, 0xfa],
      [0x1b, 0x70, 0x01, 0x32, 0x64],
    ]);
    expect(sim.jobBytes().length).toBe(10);
    await expect(printer.kickDrawer(2, { onMs: 0, offMs: 500 })).rejects.toMatchObject({ code: 'bad_input' });
  });

  for (const [state, code] of [
    ['paperOut', 'paper_out'],
    ['coverOpen', 'cover_open'],
    ['offline', 'device_offline'],
  ] as const) {
    it(`refuses to print when ${state} and sends nothing but status queries`, async () => {
      const { sim, printer } = await setup(state);
      const err = await caught(printer.print(receipt, { idempotencyKey: `k-${state}` }));
      expect(err.code).toBe(code);
      expect(sim.jobBytes().length).toBe(0);
      expect(decodeEscPos(sim.receivedBytes()).ops.every((o) => o.op === 'statusQuery')).toBe(true);
      // Refused before sending: the same key may be retried once the printer is fixed.
      sim.setState('normal');
      const ok = await printer.print(receipt, { idempotencyKey: `k-${state}` });
      expect(ok.replayed).toBe(false);
      expect(sim.jobBytes()).toEqual(receipt);
    });
  }

  it('a printer that never answers is a typed timeout (device_offline)', async () => {
    const { sim, printer } = await setup('silent', 150);
    const err = await caught(printer.status());
    expect(err).toMatchObject({ code: 'device_offline', reason: 'timeout' });
    const err2 = await caught(printer.print(receipt, { idempotencyKey: 'silent-1' }));
    expect(err2.reason).toBe('timeout');
    expect(sim.jobBytes().length).toBe(0);
  });

  it('connection refused is device_offline with the raw detail', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const printer = new EscPosPrinter({ transport: new TcpTransport({ host: '127.0.0.1', port }) });
    const err = await caught(printer.status());
    expect(err).toMatchObject({ code: 'device_offline', reason: 'connect_refused' });
    expect(String(err.details?.raw)).toContain('ECONNREFUSED');
    expect(err.toData()).toMatchObject({ code: 'device_offline', details: { reason: 'connect_refused' } });
  });

  it('paper out mid-job: the status after the job shows it, and the next print is refused', async () => {
    const { sim, printer } = await setup();
    sim.flipStateAfter(Math.floor(receipt.length / 2), 'paperOut');
    const result = await printer.print(receipt, { idempotencyKey: 'mid-1' });
    expect(result.statusBefore.condition).toBe('ready');
    expect(result.statusAfter?.condition).toBe('paper_out');
    expect((await printer.status()).paperOut).toBe(true);
    const err = await caught(printer.print(receipt, { idempotencyKey: 'mid-2' }));
    expect(err.code).toBe('paper_out');
  });

  it('the same idempotency key twice prints once and returns the earlier result', async () => {
    const { sim, printer } = await setup();
    const [a, b] = await Promise.all([
      printer.print(receipt, { idempotencyKey: 'sale-7' }),
      printer.print(receipt, { idempotencyKey: 'sale-7' }),
    ]);
    const c = await printer.print(receipt, { idempotencyKey: 'sale-7' });
    expect(a.replayed).toBe(false);
    expect(b).toMatchObject({ replayed: true, printedAt: a.printedAt });
    expect(c).toMatchObject({ replayed: true, printedAt: a.printedAt });
    expect(sim.jobBytes()).toEqual(receipt);
    expect(decodeEscPos(sim.jobBytes()).cuts).toBe(1);
  });

  it('a garbage answer byte is a typed protocol error carrying the byte', async () => {
    const { sim, printer } = await setup('garbage');
    const err = await caught(printer.status());
    expect(err).toBeInstanceOf(EscPosProtocolError);
    expect((err as EscPosProtocolError).rawByte).toBe(0xff);
    expect(err).toMatchObject({ code: 'device_offline', reason: 'protocol' });
    await caught(printer.print(receipt, { idempotencyKey: 'g-1' }));
    expect(sim.jobBytes().length).toBe(0);
  });

  it('reconnects after the connection drops', async () => {
    const { sim, printer } = await setup();
    await printer.status();
    sim.dropConnections();
    // The next call either fails as offline (the drop not yet seen) or succeeds on a fresh socket.
    let status = await printer.status().catch((e: unknown) => e);
    if (status instanceof DriverError) {
      expect(status.code).toBe('device_offline');
      status = await printer.status();
    }
    expect(status).toMatchObject({ condition: 'ready' });
  });

  it('commands run one at a time: concurrent calls never interleave their bytes', async () => {
    const { sim, printer } = await setup();
    await Promise.all([
      printer.print(receipt, { idempotencyKey: 'c-1' }),
      printer.kickDrawer(2),
      printer.status(),
      printer.print(receipt, { idempotencyKey: 'c-2' }),
    ]);
    const ops = decodeEscPos(sim.receivedBytes()).ops;
    expect(ops.filter((o) => o.op === 'cut')).toHaveLength(2);
    expect(ops.filter((o) => o.op === 'drawerKick')).toHaveLength(1);
    expect(decodeEscPos(sim.jobBytes()).cuts).toBe(2);
  });
});
