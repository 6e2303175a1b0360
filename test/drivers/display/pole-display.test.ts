import { afterEach, describe, expect, it } from 'vitest';
import { PoleDisplay, UnavailableDisplay, WindowDisplay } from '../../../src/drivers/display/pole-display';
import {
  changeScreen,
  itemScreen,
  toVfdText,
  vfdLine,
  vfdScreenBytes,
} from '../../../src/drivers/display/vfd';
import type { DeviceStatus } from '../../../src/drivers/serial/device-status';
import { money } from '../../../src/shared/domain/money';
import { MockBinding, MockSerial } from '../scanner/mock-serial';

afterEach(() => MockBinding.reset());

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').match(/../g)?.join(' ') ?? '';
const ascii = (s: string) => hex(Buffer.from(s, 'latin1'));

describe('VFD text and lines', () => {
  it('keeps ASCII, transliterates Chinese to pinyin, strips accents, drops the rest', () => {
    expect(toVfdText('Cola 330ml')).toBe('Cola 330ml');
    expect(toVfdText('可口可乐 330ml')).toBe('KeKouKeLe 330ml');
    expect(toVfdText('绿茶')).toBe('LvCha');
    expect(toVfdText('Café crème')).toBe('Cafe creme');
    expect(toVfdText('ＡＢＣ１２３')).toBe('ABC123');
    expect(toVfdText('¥12 €3 £4')).toBe('Y12 E3 L4');
    expect(toVfdText('😀ok\u0007')).toBe('ok');
  });

  it('pads to 20 columns, right-aligns the amount and cuts the name, never the amount', () => {
    expect(vfdLine('Milk', '12.50')).toBe('Milk           12.50');
    expect(vfdLine('A very long product name indeed', '1234.50')).toBe('A very long  1234.50');
    expect(vfdLine('A very long product name indeed', '1234.50')).toHaveLength(20);
    expect(vfdLine('', '')).toBe(' '.repeat(20));
  });

  it('item and change screens', () => {
    expect(itemScreen({ name: '牛奶', price: money(1250) }, money(3899), 'CNY')).toEqual({
      line1: 'NiuNai         12.50',
      line2: 'TOTAL          38.99',
    });
    expect(changeScreen(money(5000), money(1101), 'CNY')).toEqual({
      line1: 'PAID           50.00',
      line2: 'CHANGE         11.01',
    });
  });

  it('screen bytes: clear, cursor 1,1, line 1, cursor 1,2, line 2', () => {
    const bytes = vfdScreenBytes({ line1: 'Milk', line2: 'TOTAL' });
    expect(hex(bytes)).toBe(
      ['0c', '1f 24 01 01', ascii('Milk'.padEnd(20)), '1f 24 01 02', ascii('TOTAL'.padEnd(20))].join(' '),
    );
  });
});

describe('PoleDisplay (binding-mock)', () => {
  interface Recording {
    recording: Buffer;
  }
  const until = async (cond: () => boolean) => {
    while (!cond()) await new Promise((r) => setTimeout(r, 2));
  };

  it('initialises on connect and writes exact screen bytes', async () => {
    MockBinding.createPort('/dev/ttyVFD0', { echo: false, record: true });
    const serial = new MockSerial();
    const display = new PoleDisplay({ path: '/dev/ttyVFD0', baudRate: 9600, access: serial });
    expect((await display.open()).state).toBe('connected');
    const screen = itemScreen({ name: 'Cola', price: money(350) }, money(350), 'CNY');
    await display.show(screen);
    const binding = serial.binding('/dev/ttyVFD0') as unknown as Recording;
    expect(hex(binding.recording)).toBe(`1b 40 ${hex(vfdScreenBytes(screen))}`);
    expect(display.lastScreen).toEqual(screen);
    await display.close();
  });

  it('unplugged: show fails with a typed error; replugged: init and the last screen again', async () => {
    MockBinding.createPort('/dev/ttyVFD1', { echo: false, record: true });
    const serial = new MockSerial();
    const display = new PoleDisplay({ path: '/dev/ttyVFD1', access: serial, backoff: { initialMs: 5 } });
    await display.open();
    const first = itemScreen({ name: 'Tea', price: money(800) }, money(800), 'CNY');
    await display.show(first);
    const gone = new Promise<void>((r) =>
      display.on('status', (s: DeviceStatus) => s.state === 'disconnected' && r()),
    );
    await serial.unplug('/dev/ttyVFD1');
    await gone;
    const second = itemScreen({ name: 'Bread', price: money(600) }, money(1400), 'CNY');
    await expect(display.show(second)).rejects.toMatchObject({ code: 'device_offline', reason: 'not_open' });
    serial.replug('/dev/ttyVFD1');
    await until(() => display.status.state === 'connected');
    const binding = serial.binding('/dev/ttyVFD1') as unknown as Recording;
    const expected = `1b 40 ${hex(vfdScreenBytes(second))}`;
    await until(() => hex(binding.recording) === expected);
    expect(hex(binding.recording)).toBe(expected);
    await display.close();
  });
});

describe('WindowDisplay and UnavailableDisplay', () => {
  it('the window display mirrors screens; an unavailable one refuses with the reason', async () => {
    const w = new WindowDisplay();
    await w.open();
    const screens: unknown[] = [];
    w.on('screen', (s) => screens.push(s));
    await w.show({ line1: '可乐', line2: 'TOTAL' });
    expect(screens).toEqual([{ line1: 'KeLe'.padEnd(20), line2: 'TOTAL'.padEnd(20) }]);
    const u = new UnavailableDisplay('serial:/dev/ttyX', 'serialport could not be loaded');
    expect(await u.open()).toMatchObject({ state: 'unavailable', reason: 'serialport could not be loaded' });
    await expect(u.show()).rejects.toMatchObject({ code: 'device_offline' });
  });
});
