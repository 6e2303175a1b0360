import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { DriverError } from '../../../src/drivers/printer/errors';
import { EscPosPrinter } from '../../../src/drivers/printer/printer';
import { EscPosDevice } from '../../../src/drivers/printer/simulator';
import { SerialTransport } from '../../../src/drivers/printer/transport';
import { decodeEscPos } from '../../helpers/escpos-decoder';

// @serialport/binding-mock's types do not resolve under "exports"; the few members used here:
interface MockBindingLike {
  createPort(path: string, options: { echo: boolean; record: boolean }): void;
  reset(): void;
}
interface MockPortBindingLike {
  write(buf: Buffer): Promise<void>;
  emitData(data: Buffer): void;
}
const MockBinding = SerialPortMock.binding as unknown as MockBindingLike;

afterEach(() => MockBinding.reset());

/** A serial transport whose mock port answers like the printer device model. */
function serialPrinter(path: string, device: EscPosDevice): { printer: EscPosPrinter } {
  const feed = device.connection();
  const transport = new SerialTransport({
    path,
    baudRate: 19200,
    createPort: (p, baudRate) => {
      const port = new SerialPortMock({ path: p, baudRate, autoOpen: false });
      port.on('open', () => {
        const binding = port.port as unknown as MockPortBindingLike;
        const write = binding.write.bind(binding);
        binding.write = async (buf: Buffer) => {
          await write(buf);
          const answer = feed(buf);
          if (answer.length > 0) binding.emitData(Buffer.from(answer));
        };
      });
      return port;
    },
  });
  return { printer: new EscPosPrinter({ transport, statusTimeoutMs: 2000 }) };
}

describe('SerialTransport (serialport mock binding)', () => {
  it('reads status, prints and kicks the drawer over a serial port', async () => {
    MockBinding.createPort('/dev/ttyPRN0', { echo: false, record: true });
    const device = new EscPosDevice('paperNearEnd');
    const { printer } = serialPrinter('/dev/ttyPRN0', device);
    expect(await printer.status()).toMatchObject({ condition: 'paper_near_end', online: true });
    const job = Uint8Array.of(0x1b, 0x40, 0x48, 0x69, 0x0a, 0x1d, 0x56, 66, 3);
    await printer.print(job, { idempotencyKey: 's-1' });
    await printer.kickDrawer(5);
    await printer.status();
    expect(decodeEscPos(device.jobBytes()).ops.map((o) => o.op)).toEqual([
      'init',
      'text',
      'lf',
      'cut',
      'drawerKick',
    ]);
    await printer.close();
  });

  it('a port that does not exist is device_offline', async () => {
    const { printer } = serialPrinter('/dev/ttyMISSING', new EscPosDevice());
    const err = await printer.status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect(err).toMatchObject({ code: 'device_offline', reason: 'connect_refused' });
    expect(String((err as DriverError).details?.raw)).toContain('/dev/ttyMISSING');
  });

  it('paper out on a serial printer refuses the job', async () => {
    MockBinding.createPort('/dev/ttyPRN1', { echo: false, record: true });
    const device = new EscPosDevice('paperOut');
    const { printer } = serialPrinter('/dev/ttyPRN1', device);
    await expect(printer.print(Uint8Array.of(0x41, 0x0a), { idempotencyKey: 's-2' })).rejects.toMatchObject({
      code: 'paper_out',
    });
    expect(device.jobBytes().length).toBe(0);
    await printer.close();
  });
});
