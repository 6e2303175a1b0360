import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CardReaderSimulator,
  SerialCardReader,
  type CardEvent,
  type CardReader,
} from '../../../src/drivers/card-reader/card-reader';
import type { DeviceStatus, InputDeviceError } from '../../../src/drivers/serial/device-status';
import { MockBinding, MockSerial } from '../scanner/mock-serial';

afterEach(() => {
  MockBinding.reset();
  vi.restoreAllMocks();
});

const PAN = '4111111111111111';
const NAME = 'DOE/JOHN';
const DISCRETIONARY = '1010000000000000';
const SWIPE = `%B${PAN}^${NAME}^2812${DISCRETIONARY}?;${PAN}=2812${DISCRETIONARY}?\r\n`;
/** Every piece of the card that must never leave the parser. */
const SECRETS = [PAN, NAME, 'DOE', DISCRETIONARY, `2812${DISCRETIONARY}`, SWIPE.trim(), PAN.slice(6, 12)];

function nextCard(reader: CardReader): Promise<CardEvent> {
  return new Promise((resolve) => {
    const on = (e: CardEvent) => {
      reader.off('card', on);
      resolve(e);
    };
    reader.on('card', on);
  });
}

/** Everything a reader could leak through: events, errors, statuses, its log and the console. */
function recorder(reader: CardReader) {
  const seen: unknown[] = [];
  reader.on('card', (e) => seen.push(e));
  reader.on('error', (e: InputDeviceError) =>
    seen.push({ message: e.message, details: e.details, stack: e.stack }),
  );
  reader.on('status', (s: DeviceStatus) => seen.push(s));
  return seen;
}

function serialReader(path: string) {
  MockBinding.createPort(path, { echo: false, record: false });
  const serial = new MockSerial();
  const logs: unknown[] = [];
  const reader = new SerialCardReader({
    path,
    access: serial,
    backoff: { initialMs: 5 },
    log: (message, fields) => logs.push({ message, fields }),
    rules: { memberPrefixes: ['999'], giftPrefixes: ['888'], staffPrefixes: [], defaultKind: 'member' },
  });
  return { serial, reader, logs };
}

describe('SerialCardReader (binding-mock)', () => {
  it('reads member and gift cards and UIDs', async () => {
    const { serial, reader } = serialReader('/dev/ttyUSB4');
    await reader.open();
    const cards: CardEvent[] = [];
    reader.on('card', (e) => cards.push(e));
    const last = new Promise<void>((r) => reader.on('card', (e) => e.kind === 'id' && r()));
    serial.emit('/dev/ttyUSB4', ';9990001234567?\r\n%B8880042^GIFT^?;8880042=0000?\r\n04a1b2c3\r\n');
    await last;
    expect(cards).toMatchObject([
      {
        kind: 'member',
        number: '9990001234567',
        track: 2,
        source: 'serial',
        deviceId: 'serial:/dev/ttyUSB4',
      },
      { kind: 'gift', number: '8880042' },
      { kind: 'id', number: '04A1B2C3' },
    ]);
    await reader.close();
  });

  it('a bank card is rejected and nothing of it is kept, logged or emitted', async () => {
    const console_ = ['log', 'info', 'warn', 'error', 'debug'].map((m) =>
      vi.spyOn(console, m as 'log').mockImplementation(() => undefined),
    );
    const { serial, reader, logs } = serialReader('/dev/ttyUSB5');
    const seen = recorder(reader);
    await reader.open();
    const card = nextCard(reader);
    serial.emit('/dev/ttyUSB5', SWIPE.slice(0, 20));
    serial.emit('/dev/ttyUSB5', SWIPE.slice(20));
    const event = await card;
    expect(event).toEqual({
      kind: 'rejected_bank_card',
      masked: '411111…1111',
      source: 'serial',
      deviceId: 'serial:/dev/ttyUSB5',
      at: event.at,
    });
    // The same card with a corrupted byte: a typed error that carries only the length.
    const error = new Promise<InputDeviceError>((r) => {
      const on = (e: InputDeviceError) => {
        reader.off('error', on);
        r(e);
      };
      reader.on('error', on);
    });
    serial.emit(
      '/dev/ttyUSB5',
      Buffer.concat([Buffer.from(SWIPE.slice(0, 30)), Buffer.of(0x00), Buffer.from('?\r')]),
    );
    expect((await error).details).toEqual({ reason: 'garbage', length: 32 });
    expect(reader.pendingLength).toBe(0);
    await reader.close();

    const consoleCalls = console_.flatMap((s) => s.mock.calls);
    const everything = JSON.stringify({ seen, logs, consoleCalls });
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  });

  it('a magstripe read error is a typed misread event', async () => {
    const { serial, reader, logs } = serialReader('/dev/ttyUSB6');
    await reader.open();
    const card = nextCard(reader);
    serial.emit('/dev/ttyUSB6', '%E?;E?\r');
    expect(await card).toMatchObject({ kind: 'misread', reason: 'read_error' });
    expect(logs).toContainEqual({ message: 'card reader serial:/dev/ttyUSB6: misread', fields: undefined });
    await reader.close();
  });

  it('unplugged and replugged: disconnected, then connected again', async () => {
    const { serial, reader } = serialReader('/dev/ttyUSB7');
    await reader.open();
    const states: string[] = [];
    const back = new Promise<void>((r) =>
      reader.on('status', (s) => {
        states.push(s.state);
        if (s.state === 'disconnected') serial.replug('/dev/ttyUSB7');
        if (s.state === 'connected') r();
      }),
    );
    await serial.unplug('/dev/ttyUSB7');
    await back;
    expect(states).toEqual(['disconnected', 'connected']);
    await reader.close();
  });
});

describe('CardReaderSimulator', () => {
  it('swipes the self-test card, a bank card and a failed read; refuses reads when closed', async () => {
    const sim = new CardReaderSimulator();
    expect(sim.swipe()).toBe(false);
    await sim.open();
    const cards: CardEvent[] = [];
    sim.on('card', (e) => cards.push(e));
    sim.swipe();
    sim.swipe(SWIPE);
    sim.swipe('%E?;E?');
    sim.tap('04AABBCC');
    expect(cards.map((c) => c.kind)).toEqual(['member', 'rejected_bank_card', 'misread', 'id']);
    expect(JSON.stringify(cards)).not.toContain(PAN);
    await sim.close();
  });
});
