import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DriverError } from '../../../src/drivers/printer/errors';
import { EscPosPrinter } from '../../../src/drivers/printer/printer';
import { EscPosDevice } from '../../../src/drivers/printer/simulator';
import { UsbTransport } from '../../../src/drivers/printer/usb-transport';
import { decodeEscPos } from '../../helpers/escpos-decoder';

/**
 * A stand-in for /dev/usb/lp0: a pseudo-terminal in raw mode is a character device the transport opens
 * read/write like the usblp device. A small Python relay holds the master side and pipes its bytes to this test,
 * where the printer device model answers them.
 */
const RELAY = `
import os, pty, tty, sys, select
m, s = pty.openpty()
tty.setraw(s)
sys.stdout.write(os.ttyname(s) + "\\n"); sys.stdout.flush()
while True:
    r, _, _ = select.select([m, 0], [], [])
    if m in r:
        os.write(1, os.read(m, 4096))
    if 0 in r:
        data = os.read(0, 4096)
        if not data:
            break
        os.write(m, data)
`;

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

async function fakeUsbPrinter(device: EscPosDevice): Promise<string> {
  const child = spawn('python3', ['-c', RELAY]);
  children.push(child);
  const feed = device.connection();
  return new Promise((resolve, reject) => {
    let path: string | null = null;
    let head = Buffer.alloc(0);
    child.once('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (path === null) {
        head = Buffer.concat([head, chunk]);
        const nl = head.indexOf(0x0a);
        if (nl < 0) return;
        path = head.subarray(0, nl).toString();
        data = head.subarray(nl + 1);
        resolve(path);
      }
      if (data.length > 0) {
        const answer = feed(data);
        if (answer.length > 0) child.stdin.write(Buffer.from(answer));
      }
    });
  });
}

describe('UsbTransport (Linux USB printer device file)', () => {
  it('reads status, prints and kicks the drawer through a character device', async () => {
    const device = new EscPosDevice('paperNearEnd');
    const path = await fakeUsbPrinter(device);
    const printer = new EscPosPrinter({ transport: new UsbTransport({ path }), statusTimeoutMs: 2000 });
    expect(await printer.status()).toMatchObject({ condition: 'paper_near_end', online: true });
    const job = Uint8Array.of(0x1b, 0x40, 0x48, 0x69, 0x0a, 0x1d, 0x56, 66, 3);
    await printer.print(job, { idempotencyKey: 'u-1' });
    await printer.kickDrawer(2);
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

  it('a printer that never answers is a typed timeout; a missing device file is device_offline', async () => {
    const path = await fakeUsbPrinter(new EscPosDevice('silent'));
    const printer = new EscPosPrinter({ transport: new UsbTransport({ path }), statusTimeoutMs: 150 });
    await expect(printer.status()).rejects.toMatchObject({ code: 'device_offline', reason: 'timeout' });
    await printer.close();

    const missing = new EscPosPrinter({ transport: new UsbTransport({ path: '/dev/usb/lp-missing' }) });
    const err = await missing.status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect(err).toMatchObject({ code: 'device_offline', reason: 'connect_refused' });
    expect(String((err as DriverError).details?.raw)).toContain('ENOENT');
  });
});
