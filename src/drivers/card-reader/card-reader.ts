import { EventEmitter } from 'node:events';
import {
  DEFAULT_CARD_RULES,
  classifySwipe,
  classifyUid,
  looksLikeSwipe,
  type CardReadEvent,
  type CardRules,
} from '../../shared/domain/card';
import type { InputDeviceError } from '../serial/device-status';
import { statusNow, type DeviceStatus } from '../serial/device-status';
import { SerialLinePort, type SerialLinePortOptions } from '../serial/line-port';

export type CardSource = 'keyboard' | 'serial' | 'simulated';

/** A card read as the station sees it. Never carries track data; a bank card only its masked number. */
export type CardEvent = CardReadEvent & { source: CardSource; deviceId: string; at: string };

export interface CardReaderEvents {
  card: [event: CardEvent];
  status: [status: DeviceStatus];
  /** Bad bytes from the device. Carries only their length, never the bytes (they may be track data). */
  error: [error: InputDeviceError];
}

/**
 * What a reader sends per read:
 * - `magstripe`: tracks (`%…?;…?`), classified by `classifySwipe`;
 * - `uid`: an ID/contactless reader typing a UID;
 * - `auto` (default): a line starting with `%` or `;` is a swipe, anything else a UID.
 */
export type CardReaderMode = 'magstripe' | 'uid' | 'auto';

/** Writes one line to the fault log. Card readers only ever pass their own sentences and card kinds to it. */
export type DeviceLog = (message: string, fields?: Record<string, unknown>) => void;

export interface CardReader {
  readonly deviceId: string;
  readonly source: CardSource | 'unavailable';
  readonly status: DeviceStatus;
  open(): Promise<DeviceStatus>;
  close(): Promise<void>;
  on<E extends keyof CardReaderEvents>(event: E, listener: (...args: CardReaderEvents[E]) => void): this;
  off<E extends keyof CardReaderEvents>(event: E, listener: (...args: CardReaderEvents[E]) => void): this;
}

export interface CardReaderCommonOptions {
  rules?: CardRules;
  mode?: CardReaderMode;
  log?: DeviceLog;
}

/**
 * The classification step every card reader shares. The raw text of a read lives only in the call that classifies
 * it: nothing here stores, logs or rethrows it, and only the classified event leaves.
 */
abstract class CardReaderBase extends EventEmitter<CardReaderEvents> {
  abstract readonly deviceId: string;
  abstract readonly source: CardSource;
  protected current: DeviceStatus = statusNow('closed');
  protected readonly rules: CardRules;
  protected readonly mode: CardReaderMode;
  protected readonly log: DeviceLog;

  constructor(options: CardReaderCommonOptions) {
    super();
    this.rules = options.rules ?? DEFAULT_CARD_RULES;
    this.mode = options.mode ?? 'auto';
    this.log = options.log ?? (() => undefined);
    this.on('error', () => undefined);
  }

  get status(): DeviceStatus {
    return this.current;
  }

  protected setStatus(status: DeviceStatus): void {
    if (
      this.current.state === status.state &&
      (status.state !== 'unavailable' || this.current.reason === status.reason)
    ) {
      return;
    }
    this.current = status;
    this.log(`card reader ${this.deviceId} is ${status.state}`, { reason: status.reason });
    this.emit('status', status);
  }

  protected classify(text: string): void {
    const swipe = this.mode === 'magstripe' || (this.mode === 'auto' && looksLikeSwipe(text));
    const read = swipe ? classifySwipe(text, this.rules) : classifyUid(text);
    const event: CardEvent = {
      ...read,
      source: this.source,
      deviceId: this.deviceId,
      at: new Date().toISOString(),
    };
    if (read.kind === 'rejected_bank_card' || read.kind === 'misread') {
      // Only the kind goes to the log: not the masked number, not the reason's input.
      this.log(`card reader ${this.deviceId}: ${read.kind}`);
    }
    this.emit('card', event);
  }
}

/** A magstripe or UID reader on a serial port (one read per CR/LF-terminated line). */
export class SerialCardReader extends CardReaderBase implements CardReader {
  readonly source = 'serial' as const;
  readonly deviceId: string;
  private readonly port: SerialLinePort;

  constructor(options: CardReaderCommonOptions & Omit<SerialLinePortOptions, 'redactRaw'>) {
    super(options);
    this.deviceId = `serial:${options.path}`;
    this.port = new SerialLinePort({ ...options, redactRaw: true });
    this.port.on('line', (line) => this.classify(line));
    this.port.on('error', (e) => {
      this.log(`card reader ${this.deviceId}: ${e.reason}`, { length: e.details?.length });
      this.emit('error', e);
    });
    this.port.on('status', (s) => this.setStatus(s));
  }

  /** Bytes held while waiting for a line end (zero between reads). */
  get pendingLength(): number {
    return this.port.pendingLength;
  }

  async open(): Promise<DeviceStatus> {
    await this.port.open();
    return this.current;
  }

  close(): Promise<void> {
    return this.port.close();
  }
}

/**
 * A reader whose reads arrive inside the station: `KeyboardCardReader` for keyboard-mode readers (the renderer's
 * swipe detector classifies the keystrokes with the same `card.ts` functions and hands over only the classified
 * read, so track data never crosses IPC), and `CardReaderSimulator` for the demo and the self-test.
 */
abstract class InProcessCardReader extends CardReaderBase implements CardReader {
  open(): Promise<DeviceStatus> {
    this.setStatus(statusNow('connected'));
    return Promise.resolve(this.current);
  }

  close(): Promise<void> {
    this.setStatus(statusNow('closed'));
    return Promise.resolve();
  }
}

export class KeyboardCardReader extends InProcessCardReader {
  readonly source = 'keyboard' as const;
  readonly deviceId = 'keyboard';

  /** A read the renderer already classified. Returns false when the reader is closed (the read is dropped). */
  push(read: CardReadEvent): boolean {
    if (this.current.state !== 'connected') return false;
    this.emit('card', {
      ...read,
      source: this.source,
      deviceId: this.deviceId,
      at: new Date().toISOString(),
    });
    return true;
  }
}

/** The member card the self-test asks the technician to swipe (track 2 only, not bank-shaped). */
export const SELF_TEST_CARD_SWIPE = ';9990001234567?';

export class CardReaderSimulator extends InProcessCardReader {
  readonly source = 'simulated' as const;
  readonly deviceId: string;

  constructor(options: CardReaderCommonOptions & { deviceId?: string } = {}) {
    super(options);
    this.deviceId = options.deviceId ?? 'simulated';
  }

  /** Tracks as a keyboard-mode reader types them, e.g. `%B…^…^…?;…=…?` or `%E?;E?` for a failed read. */
  swipe(tracks: string = SELF_TEST_CARD_SWIPE): boolean {
    if (this.current.state !== 'connected') return false;
    this.classify(tracks);
    return true;
  }

  /** An ID reader typing a UID. */
  tap(uid: string): boolean {
    if (this.current.state !== 'connected') return false;
    this.classify(uid);
    return true;
  }
}

/** A card reader that cannot work here (serialport failed to load, bad connection string). */
export class UnavailableCardReader extends EventEmitter<CardReaderEvents> implements CardReader {
  readonly source = 'unavailable' as const;
  readonly status: DeviceStatus;

  constructor(
    readonly deviceId: string,
    reason: string,
  ) {
    super();
    this.status = statusNow('unavailable', reason);
    this.on('error', () => undefined);
  }

  open(): Promise<DeviceStatus> {
    return Promise.resolve(this.status);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
