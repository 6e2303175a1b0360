/**
 * The demo card terminal is the `simulated` payment terminal of the device configuration (the default): see
 * `payment-terminal-host.ts`, which attaches whatever terminal is configured. `startDemoPaymentTerminal` is the
 * name the hosts first used; it starts the CONFIGURED terminal (the demo one unless configured otherwise, or
 * turned off with `COUNTERTOP_NO_DEMO_TERMINAL=1`).
 */
export {
  NO_DEMO_TERMINAL_ENV,
  demoTerminalWanted,
  startPaymentTerminal as startDemoPaymentTerminal,
  type PaymentTerminalHostOptions as DemoTerminalOptions,
  type TerminalHostStation as DemoTerminalStation,
} from './payment-terminal-host';
