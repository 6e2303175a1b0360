/**
 * The station's card terminal, from the device configuration (`paymentTerminal`):
 *
 * - `simulated` — the demo terminal: the nexo simulator on loopback with magic-amount declines (payments whose
 *   amount in minor units ends in 13, e.g. ¥10.13, are declined). `COUNTERTOP_NO_DEMO_TERMINAL=1` turns it off;
 * - `none` — no terminal: card tenders are refused, the device is listed as disabled;
 * - a terminal URL with its POIID — the real `NexoTerminal` (HTTPS, the CA / certificate name from the
 *   configuration), every request on disk in `terminal_requests` before it is sent.
 *
 * Either terminal goes to the sale core through `NexoPaymentTerminal`, is listed by the device manager with the
 * status of its nexo diagnosis (asked at attach and then every `diagnosisIntervalMs`, never while a card
 * transaction is in flight), and after attaching — and whenever the terminal answers again after being away —
 * the payments and refunds a previous run left without an outcome are settled by asking the terminal
 * (TransactionStatus, never a resend). A terminal that cannot be reached does not stop the station: it shows
 * offline with the reason, and card payments fail as `device_offline` until it answers.
 */
import fs from 'node:fs';
import { NexoTerminal, type NexoTerminalOptions } from '../../../drivers/payment/nexo-terminal';
import { NexoTerminalSimulator } from '../../../drivers/payment/simulator';
import type { DeviceStatus, PaymentTerminalConfig } from '../../../shared/ipc/channels/devices';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import type { SaleService } from '../sale/sale-service';
import type { StationDiagnostics } from '../selftest/station-diagnostics';
import type { DeviceManager, ManagedDevice } from './device-manager';
import { NexoPaymentTerminal } from './payment-terminal-adapter';
import { TerminalRequestLog } from './terminal-request-log';

export const NO_DEMO_TERMINAL_ENV = 'COUNTERTOP_NO_DEMO_TERMINAL';

/** Whether the demo terminal may run for a `simulated` configuration (unless turned off in the environment). */
export function demoTerminalWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[NO_DEMO_TERMINAL_ENV] !== '1';
}

export interface TerminalHostStation {
  readonly id: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly sales: Pick<SaleService, 'attachTerminal' | 'config' | 'checkout' | 'returns'>;
  /** Lists the terminal and answers the self-test's diagnosis step. */
  readonly diagnostics: Pick<StationDiagnostics, 'attachTerminal'>;
  readonly devices: {
    readonly manager: Pick<DeviceManager, 'config' | 'onApplied' | 'register' | 'unregister' | 'device'>;
  };
}

export interface PaymentTerminalHostOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** One line saying where the demo terminal runs (no card data is ever logged). */
  log?: (line: string) => void;
  /** How often the attached terminal is asked for a diagnosis. Default 60 s, at least 1 s. */
  diagnosisIntervalMs?: number;
  /** Driver limits (tests shorten them); the defaults are the driver's (connect 5 s, payment 130 s). */
  driver?: Partial<
    Pick<NexoTerminalOptions, 'connectTimeoutMs' | 'requestTimeoutMs' | 'paymentTimeoutMs' | 'poll'>
  >;
}

export const DEFAULT_DIAGNOSIS_INTERVAL_MS = 60_000;
/** The bound on one diagnosis (the self-test uses the same). */
const DIAGNOSIS_TIMEOUT_MS = 15_000;

/** Our SaleID towards the terminal when the configuration names none: `CT` + the station id's first 8. */
export function defaultSaleId(stationId: string): string {
  return `CT${stationId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`;
}

/** The terminal as listed when it is not attached: `none` (disabled) or a configuration it cannot use. */
class TerminalPlaceholder implements ManagedDevice {
  readonly id = 'payment_terminal';
  constructor(private readonly shown: DeviceStatus) {}
  status(): DeviceStatus {
    return this.shown;
  }
}

interface Attached {
  key: string;
  stop(): Promise<void>;
}

/**
 * Attaches the configured card terminal now and again after every change of the device configuration. Returns
 * the stop function (detaches, closes the driver and the demo simulator; safe to call twice).
 */
export async function startPaymentTerminal(
  station: TerminalHostStation,
  options: PaymentTerminalHostOptions = {},
): Promise<() => Promise<void>> {
  const host = new PaymentTerminalHost(station, options);
  await host.apply(station.devices.manager.config().config.paymentTerminal);
  const off = station.devices.manager.onApplied((config) => host.apply(config.paymentTerminal));
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= (async () => {
      off();
      await host.close();
    })();
    return stopping;
  };
}

class PaymentTerminalHost {
  private current: Attached | null = null;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly station: TerminalHostStation,
    private readonly options: PaymentTerminalHostOptions,
  ) {}

  /** Re-attaches when the terminal's configuration (or the demo switch) changed; one change at a time. */
  apply(config: PaymentTerminalConfig): Promise<void> {
    const run = this.queue.then(() => this.applyNow(config));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.detach();
  }

  private get env(): Readonly<Record<string, string | undefined>> {
    return this.options.env ?? process.env;
  }

  private async applyNow(config: PaymentTerminalConfig): Promise<void> {
    if (this.closed) return;
    const key = JSON.stringify([config, demoTerminalWanted(this.env)]);
    if (this.current?.key === key) return;
    await this.detach();
    const manager = this.station.devices.manager;
    if (config.connection === 'none') {
      manager.register(this.placeholder('disabled', 'none', null));
      this.current = { key, stop: () => Promise.resolve() };
      return;
    }
    if (config.connection === 'simulated') {
      if (!demoTerminalWanted(this.env)) {
        manager.unregister('payment_terminal');
        this.current = { key, stop: () => Promise.resolve() };
        return;
      }
      this.current = { key, stop: await this.attachDemo() };
      return;
    }
    this.current = { key, stop: this.attachNexo(config) };
  }

  private async detach(): Promise<void> {
    const current = this.current;
    this.current = null;
    await current?.stop().catch(() => undefined);
  }

  private placeholder(state: DeviceStatus['state'], connection: string, reason: string | null) {
    return new TerminalPlaceholder({
      id: 'payment_terminal',
      category: 'payment_terminal',
      connection,
      simulated: false,
      state,
      condition: null,
      reason,
      updatedAt: this.station.clock.now().toISOString(),
    });
  }

  /** The demo terminal: the simulator on 127.0.0.1 (a free port), magic-amount declines on. */
  private async attachDemo(): Promise<() => Promise<void>> {
    const simulator = await NexoTerminalSimulator.start({ declineAmountsEndingIn13: true });
    // The simulator forgets its transactions on restart: a payment left unknown by a crash stays unknown.
    const stop = this.attachDriver({
      baseUrl: simulator.url,
      poiId: simulator.poiId,
      saleId: defaultSaleId(this.station.id),
      connection: simulator.url,
      simulated: true,
    });
    this.options.log?.(
      `Demo card terminal (simulator) on ${simulator.url}: amounts ending in 13 (e.g. 10.13) are declined.`,
    );
    return async () => {
      await stop();
      await simulator.close();
    };
  }

  /** A real terminal. A CA file that cannot be read makes it unavailable (with the reason), nothing else. */
  private attachNexo(config: PaymentTerminalConfig): () => Promise<void> {
    const manager = this.station.devices.manager;
    const poiId = config.poiId ?? '';
    let ca: Buffer | undefined;
    if (config.tls?.caFile !== undefined) {
      try {
        ca = fs.readFileSync(config.tls.caFile);
      } catch (err) {
        manager.register(
          this.placeholder(
            'unavailable',
            config.connection,
            `The terminal's CA file ${config.tls.caFile} cannot be read: ${(err as Error).message}`,
          ),
        );
        return () => Promise.resolve();
      }
    }
    const servername = config.tls?.servername;
    return this.attachDriver({
      baseUrl: config.connection,
      poiId,
      saleId: config.saleId ?? defaultSaleId(this.station.id),
      connection: config.connection,
      simulated: false,
      tls: {
        rejectUnauthorized: true,
        ...(ca !== undefined ? { ca } : {}),
        ...(servername !== undefined ? { servername } : {}),
      },
    });
  }

  private attachDriver(target: {
    baseUrl: string;
    poiId: string;
    saleId: string;
    connection: string;
    simulated: boolean;
    tls?: NexoTerminalOptions['tls'];
  }): () => Promise<void> {
    const { station } = this;
    // Every request is on disk before it is sent; what a crash leaves open is found again here.
    const log = new TerminalRequestLog(station.db, station.clock);
    const driver = new NexoTerminal({
      baseUrl: target.baseUrl,
      saleId: target.saleId,
      poiId: target.poiId,
      ...(target.tls ? { tls: target.tls } : {}),
      persist: log.persist,
      settle: log.settle,
      ...this.options.driver,
    });
    station.sales.attachTerminal(
      new NexoPaymentTerminal({ driver, log, currency: () => station.sales.config().currency }),
    );
    const detachDiagnosis = station.diagnostics.attachTerminal({
      driver,
      connection: target.connection,
      simulated: target.simulated,
    });
    const monitor = station.devices.manager.device('payment_terminal');
    const watch = new DiagnosisWatch(
      monitor,
      () => driver.busyWith === null,
      () => this.recover(),
      Math.max(1000, this.options.diagnosisIntervalMs ?? DEFAULT_DIAGNOSIS_INTERVAL_MS),
    );
    this.recover();
    watch.start();
    return () => {
      watch.stop();
      station.sales.attachTerminal(null);
      detachDiagnosis();
      driver.close();
      return Promise.resolve();
    };
  }

  /** Settles the card payments, then the refunds, that a previous run left without an outcome (background). */
  private recover(): void {
    const { sales } = this.station;
    void sales.checkout
      .resolveUnknownCardPayments()
      .then(() => sales.returns.resolveUnknownCardRefunds())
      .catch(() => undefined);
  }
}

/**
 * Asks the listed terminal for a diagnosis every `intervalMs` (the first at attach is the diagnostics'), one at
 * a time, skipped while a card transaction is in flight. When the terminal answers again after being away, the
 * open outcomes are recovered.
 */
class DiagnosisWatch {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Recovery ran at attach: only a later return (offline → online) runs it again. */
  private wasOnline = true;

  constructor(
    private readonly device: ManagedDevice | null,
    private readonly idle: () => boolean,
    private readonly onBack: () => void,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (!this.device?.check) return;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
    // The watch never keeps the process alive by itself.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const device = this.device;
    if (!this.stopped && device?.check && this.idle()) {
      await device.check(DIAGNOSIS_TIMEOUT_MS).catch(() => undefined);
      const online = device.status().state === 'online';
      if (online && !this.wasOnline && !this.stopped) this.onBack();
      this.wasOnline = online;
    }
    this.schedule();
  }
}
