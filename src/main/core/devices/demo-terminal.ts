/**
 * The demo card terminal: until devices are configured, the station takes cards through the nexo simulator on
 * loopback, through the real driver and adapter. Payments whose amount in minor units ends in 13 (¥10.13) are
 * declined, like the magic amounts of real test terminals. `COUNTERTOP_NO_DEMO_TERMINAL=1` turns it off.
 */
import { NexoTerminal } from '../../../drivers/payment/nexo-terminal';
import { NexoTerminalSimulator } from '../../../drivers/payment/simulator';
import type { SaleService } from '../sale/sale-service';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import { NexoPaymentTerminal } from './payment-terminal-adapter';
import { TerminalRequestLog } from './terminal-request-log';

export const NO_DEMO_TERMINAL_ENV = 'COUNTERTOP_NO_DEMO_TERMINAL';

export interface DemoTerminalStation {
  readonly id: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly sales: Pick<SaleService, 'attachTerminal' | 'config' | 'checkout'>;
}

export interface DemoTerminalOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** One line saying where the demo terminal runs (no card data is ever logged). */
  log?: (line: string) => void;
}

/** Whether the demo terminal is wanted (no device configuration exists yet, so: unless turned off). */
export function demoTerminalWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[NO_DEMO_TERMINAL_ENV] !== '1';
}

/**
 * Starts the simulator (127.0.0.1, port 0, magic-amount declines on), attaches it to the station through
 * `NexoTerminal` and the adapter, and returns the stop function (detaches, closes the driver and the
 * simulator; safe to call twice). When turned off, attaches nothing and returns a no-op.
 */
export async function startDemoPaymentTerminal(
  station: DemoTerminalStation,
  options: DemoTerminalOptions = {},
): Promise<() => Promise<void>> {
  if (!demoTerminalWanted(options.env ?? process.env)) return () => Promise.resolve();
  const simulator = await NexoTerminalSimulator.start({ declineAmountsEndingIn13: true });
  // Every request is on disk before it is sent, as with a real terminal. (The simulator forgets its
  // transactions on restart, so there a payment left unknown by a crash stays unknown for the cashier.)
  const log = new TerminalRequestLog(station.db, station.clock);
  const driver = new NexoTerminal({
    baseUrl: simulator.url,
    saleId: `CT${station.id.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`,
    poiId: simulator.poiId,
    persist: log.persist,
    settle: log.settle,
  });
  station.sales.attachTerminal(
    new NexoPaymentTerminal({ driver, log, currency: () => station.sales.config().currency }),
  );
  // A card payment the last run left without an outcome is settled by asking the terminal, in the background.
  void station.sales.checkout.resolveUnknownCardPayments().catch(() => undefined);
  options.log?.(
    `Demo card terminal (simulator) on ${simulator.url}: amounts ending in 13 (e.g. 10.13) are declined.`,
  );
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= (async () => {
      station.sales.attachTerminal(null);
      driver.close();
      await simulator.close();
    })();
    return stopping;
  };
}
