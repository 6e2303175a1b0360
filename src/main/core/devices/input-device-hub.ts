import {
  InputDevicesConfigSchema,
  startInputDevices,
  type InputDeviceDeps,
  type InputDevices,
  type InputDevicesConfig,
} from '../../../drivers/input-devices';
import type { CardEvent } from '../../../drivers/card-reader/card-reader';
import { changeScreen, itemScreen, type VfdScreen } from '../../../drivers/display/vfd';
import type { InputDeviceError, DeviceStatus as DriverStatus } from '../../../drivers/serial/device-status';
import { scanText, type ScanEvent } from '../../../shared/domain/scan-event';
import type { DeviceCategory, DeviceConfig, DeviceStatus } from '../../../shared/ipc/channels/devices';
import type { CardRead, ScannerScan } from '../../../shared/ipc/channels/selftest';
import type { SaleView } from '../../../shared/ipc/channels/sale';
import type { Locale } from '../../../shared/domain/locale';
import { money } from '../../../shared/domain/money';
import type { StationEvents } from '../events';
import type { FaultLog } from '../faults/fault-log';
import type { ManagedDevice } from './device-manager';

export interface InputDeviceHubDeps {
  events: StationEvents;
  faults: FaultLog;
  /** The device manager's register / notify (the hub's devices are listed with the printer and drawer). */
  manager: { register(device: ManagedDevice): void; notify(): void };
  /** The receipt language decides which product name the pole display shows. */
  locale: () => Locale;
  /** Driver seams for tests (fake node-hid, serialport binding-mock, short backoff). */
  drivers?: Pick<InputDeviceDeps, 'loadHid' | 'loadSerial' | 'backoff'>;
}

type Slot = 'scanner' | 'cardReader' | 'customerDisplay';

const SLOTS: readonly { slot: Slot; id: string; category: DeviceCategory }[] = [
  { slot: 'scanner', id: 'scanner', category: 'scanner' },
  { slot: 'cardReader', id: 'card_reader', category: 'card_reader' },
  { slot: 'customerDisplay', id: 'customer_display', category: 'customer_display' },
];

/** A device's connection from the stored configuration. The display's `simulated` is the customer window. */
function connectionOf(config: DeviceConfig, slot: Slot): string {
  const c = config[slot].connection;
  return slot === 'customerDisplay' && c === 'simulated' ? 'window' : c;
}

/**
 * The factory's configuration from the station's device configuration. The stored document keeps the
 * input devices' keys loosely (the driver owns their shape): a key the driver refuses is dropped with a note
 * in the fault log, and the device still starts on its connection.
 */
export function inputDevicesConfig(
  config: DeviceConfig,
  note: (message: string) => void,
): InputDevicesConfig {
  const out: InputDevicesConfig = {};
  for (const { slot } of SLOTS) {
    const connection = connectionOf(config, slot);
    if (connection === 'none') continue;
    const candidate = { ...config[slot], connection };
    const parsed = InputDevicesConfigSchema.safeParse({ [slot]: candidate });
    if (parsed.success) Object.assign(out, parsed.data);
    else {
      note(`${slot}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      Object.assign(out, { [slot]: { connection } });
    }
  }
  return out;
}

const STATE: Readonly<Record<DriverStatus['state'], DeviceStatus['state']>> = {
  connected: 'online',
  disconnected: 'offline',
  unavailable: 'unavailable',
  closed: 'offline',
};

/** A configured input device as the manager lists it. */
class HubDevice implements ManagedDevice {
  constructor(
    readonly id: string,
    private readonly category: DeviceCategory,
    private readonly connection: string,
    private readonly simulated: boolean,
    private readonly driverStatus: () => DriverStatus | null,
    private readonly condition: () => string | null,
    /** The manager stops its devices on station stop: this closes the hub's drivers. */
    readonly stop: () => Promise<void>,
  ) {}

  status(): DeviceStatus {
    const s = this.driverStatus();
    if (s === null) {
      return {
        id: this.id,
        category: this.category,
        connection: this.connection,
        simulated: false,
        state: 'disabled',
        condition: null,
        reason: null,
        updatedAt: new Date(0).toISOString(),
      };
    }
    return {
      id: this.id,
      category: this.category,
      connection: this.connection,
      simulated: this.simulated,
      state: STATE[s.state],
      condition: s.state === 'connected' ? this.condition() : null,
      reason: s.state === 'closed' ? 'closed' : s.reason,
      updatedAt: s.since,
    };
  }
}

/**
 * The scanner, card reader and customer (pole) display in the station: started from the device configuration
 * through the driver factory (`src/drivers/input-devices.ts`), listed by the device manager, and turned into
 * station events:
 *
 * - every read of a device scanner (USB HID POS, serial, the simulator) is ONE `scanner:scan` event, which the
 *   UI's scanner hook hands to the same path as a keyboard-wedge scan (the checkout adds the item);
 * - card reads are `card:read` (member / gift / staff / id). A bank card swiped here arrives from the driver
 *   already reduced to `rejected_bank_card`; the event and the log carry nothing of it but that fact;
 * - the pole display shows the sale as it changes (`sale:changed`): the last line and the total, then paid and
 *   change, then a welcome when the cart empties;
 * - bad data from a device and status changes go to the fault log (the latter through `devices:changed`).
 */
export class InputDeviceHub {
  private devices: InputDevices | null = null;
  private appliedKey: string | null = null;
  private readonly scanListeners = new Set<(scan: ScannerScan) => void>();
  private readonly cardListeners = new Set<(card: CardRead) => void>();
  private readonly unsubscribeSale: () => void;
  private lastSale: SaleView | null = null;

  constructor(private readonly deps: InputDeviceHubDeps) {
    this.unsubscribeSale = deps.events.on((event) => {
      if (event.name === 'sale:changed') this.showSale(event.payload.cart);
    });
  }

  get running(): InputDevices | null {
    return this.devices;
  }

  /** Listeners inside the core (the self-test's interactive steps). */
  onScan(listener: (scan: ScannerScan) => void): () => void {
    this.scanListeners.add(listener);
    return () => this.scanListeners.delete(listener);
  }

  onCard(listener: (card: CardRead) => void): () => void {
    this.cardListeners.add(listener);
    return () => this.cardListeners.delete(listener);
  }

  /**
   * Opens the input devices of `config` (closing the previous ones), unless they are already running with the
   * same settings. Never throws for a device: it shows `unavailable` / `offline` with the reason.
   */
  async apply(config: DeviceConfig): Promise<void> {
    const key = JSON.stringify(SLOTS.map(({ slot }) => config[slot]));
    if (this.devices !== null && key === this.appliedKey) return;
    await this.close();
    const note = (message: string) =>
      this.deps.faults.record({
        device: 'station',
        level: 'runtime',
        result: 'info',
        code: 'other',
        message: `Device setting ignored: ${message}`,
      });
    const devices = await startInputDevices(inputDevicesConfig(config, note), {
      ...this.deps.drivers,
      log: () => undefined, // the hub records card-reader problems itself, without any read data
    });
    this.devices = devices;
    this.appliedKey = key;
    this.wire(devices, config);
  }

  /** Closes the devices (station stop). The hub can be applied again. */
  async close(): Promise<void> {
    const devices = this.devices;
    this.devices = null;
    this.appliedKey = null;
    await devices?.close().catch(() => undefined);
  }

  stop(): Promise<void> {
    this.unsubscribeSale();
    return this.close();
  }

  // --- internals ----------------------------------------------------------------------------------------------

  private wire(devices: InputDevices, config: DeviceConfig): void {
    const { scanner, cardReader, customerDisplay } = devices;
    const notify = () => this.deps.manager.notify();
    const live = () => this.devices === devices;
    scanner.on('status', notify);
    cardReader.on('status', notify);
    customerDisplay.on('status', notify);
    scanner.on('scan', (scan) => {
      if (live()) this.scanned(scan);
    });
    scanner.on('error', (err) => {
      if (live()) this.badData('scanner', 'scanner', err);
    });
    cardReader.on('card', (card) => {
      if (live()) this.carded(card);
    });
    cardReader.on('error', (err) => {
      if (live()) this.badData('card_reader', 'card_reader', err);
    });

    const none = (slot: Slot) => connectionOf(config, slot) === 'none';
    const register = (
      id: string,
      category: DeviceCategory,
      slot: Slot,
      status: () => DriverStatus,
      simulated: boolean,
      condition: () => string | null,
    ) =>
      this.deps.manager.register(
        new HubDevice(
          id,
          category,
          connectionOf(config, slot),
          simulated,
          () => (none(slot) ? null : status()),
          condition,
          () => (this.devices === devices ? this.close() : Promise.resolve()),
        ),
      );
    register(
      'scanner',
      'scanner',
      'scanner',
      () => scanner.status,
      scanner.source === 'simulated',
      () => null,
    );
    register(
      'card_reader',
      'card_reader',
      'cardReader',
      () => cardReader.status,
      cardReader.source === 'simulated',
      () => null,
    );
    register(
      'customer_display',
      'customer_display',
      'customerDisplay',
      () => customerDisplay.status,
      false,
      () => (customerDisplay.kind === 'unavailable' ? null : customerDisplay.kind),
    );
    // Registering replaced the previous run's entries; a device that is `none` stays listed as disabled.
    this.showSale(this.lastSale);
  }

  private scanned(event: ScanEvent): void {
    const scan: ScannerScan = {
      code: scanText(event),
      source: event.source,
      deviceId: event.deviceId,
      symbology: event.symbology,
      at: event.at,
    };
    for (const l of this.scanListeners) l(scan);
    this.deps.events.emit('scanner:scan', scan);
  }

  private carded(card: CardEvent): void {
    let read: CardRead;
    switch (card.kind) {
      case 'member':
      case 'gift':
      case 'staff':
      case 'id':
        read = { kind: card.kind, number: card.number, deviceId: card.deviceId, at: card.at };
        break;
      case 'rejected_bank_card':
        // Not even the masked number leaves here: the reader is not a payment device.
        read = { kind: 'rejected_bank_card', number: null, deviceId: card.deviceId, at: card.at };
        this.deps.faults.record({
          device: 'card_reader',
          category: 'card_reader',
          level: 'runtime',
          result: 'info',
          code: 'bank_card_rejected',
          message: 'A bank card was swiped on the card reader and rejected (nothing of it was kept).',
        });
        break;
      case 'misread':
        read = { kind: 'misread', number: null, deviceId: card.deviceId, at: card.at };
        this.deps.faults.record({
          device: 'card_reader',
          category: 'card_reader',
          level: 'runtime',
          result: 'fault',
          code: 'bad_data',
          message: `Card read failed (${card.reason === 'read_error' ? 'the reader could not read the stripe' : 'malformed data'})`,
        });
        break;
    }
    for (const l of this.cardListeners) l(read);
    this.deps.events.emit('card:read', read);
  }

  private badData(device: string, category: DeviceCategory, err: InputDeviceError): void {
    const raw = device === 'card_reader' ? null : err.details?.['raw'];
    const length = err.details?.['length'];
    this.deps.faults.record({
      device,
      category,
      level: 'runtime',
      result: 'fault',
      code: 'bad_data',
      message: err.message,
      // A card reader's error never carries its bytes (they may be track data): only the length.
      raw:
        typeof raw === 'string'
          ? raw
          : typeof length === 'number'
            ? `${err.reason}, ${length} bytes`
            : err.reason,
    });
  }

  private showSale(cart: SaleView | null): void {
    this.lastSale = cart;
    const display = this.devices?.customerDisplay;
    if (!display || display.kind === 'unavailable') return;
    display.show(saleScreen(cart, this.deps.locale())).catch(() => undefined);
  }
}

/** What the pole display shows for a sale (or the welcome when there is none). */
export function saleScreen(cart: SaleView | null, locale: Locale): VfdScreen {
  if (cart === null) return { line1: 'WELCOME', line2: '' };
  if (cart.status === 'completed')
    return changeScreen(money(cart.totals.paid), money(cart.totals.change), cart.currency);
  const line = cart.lines.filter((l) => !l.voided).at(-1);
  if (!line) return { line1: 'WELCOME', line2: '' };
  const name = locale === 'zh-CN' ? line.nameZh || line.nameEn : line.nameEn || line.nameZh;
  return itemScreen(
    { name, price: money(line.amounts?.total ?? 0) },
    money(cart.totals.total),
    cart.currency,
  );
}
