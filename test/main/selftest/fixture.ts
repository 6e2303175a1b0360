/**
 * A set-up station for the self-test and fault log tests: real SQLite in a temp dir, the devices started on
 * their simulators (the demo printer, the simulated scanner and card reader, the window display), a technician
 * and a cashier signed in on their own connections.
 */
import { systemClock } from '../../../src/main/core/clock';
import type { Station } from '../../../src/main/core/station';
import type { EscPosSimulator } from '../../../src/drivers/printer/simulator';
import type { DeviceConfigInput } from '../../../src/shared/ipc/channels/devices';
import type { EventName, EventPayload } from '../../../src/shared/ipc/events';
import { connect, openTestStation, TEST_SETUP, unwrap, type Caller } from '../../helpers/station';

export const TECH_PIN = '4444';
export const CASHIER_PIN = '1111';

export interface DeviceStation {
  station: Station;
  tech: Caller;
  cashier: Caller;
  /**
   * The demo printer (scriptable: paper out, silent, the drawer — which opens on a kick and closes again after
   * 3 s); null when a real printer is configured.
   */
  sim: EscPosSimulator | null;
  cleanup(): Promise<void>;
}

/** Short limits so a failing step fails fast (the behaviour, not the duration, is what is tested). */
export const FAST_LIMITS = {
  statusMs: 3000,
  printMs: 5000,
  drawerMs: 1500,
  interactiveMs: 4000,
  terminalMs: 3000,
  pollMs: 50,
};

export async function deviceStation(config: DeviceConfigInput = {}): Promise<DeviceStation> {
  const t = openTestStation({ clock: systemClock });
  const { station } = t;
  Object.assign(station.diagnostics.selftest.limits, FAST_LIMITS);
  const admin = connect(station, 'admin');
  unwrap(await admin('setup:complete', TEST_SETUP));
  const techUser = unwrap(await admin('staff:create', { name: '陈静', role: 'technician', pin: TECH_PIN }));
  const cashierUser = unwrap(
    await admin('staff:create', { name: '王芳', role: 'cashier', pin: CASHIER_PIN }),
  );
  const tech = connect(station, 'tech');
  unwrap(await tech('auth:sign-in', { userId: techUser.id, pin: TECH_PIN }));
  const cashier = connect(station, 'till');
  unwrap(await cashier('auth:sign-in', { userId: cashierUser.id, pin: CASHIER_PIN }));
  await station.devices.manager.configure(
    { ...config, printer: { statusTimeoutMs: 400, pollSeconds: 60, ...config.printer } },
    'file',
    null,
  );
  await station.devices.manager.start({ maxBackoffMs: 200 });
  const sim = station.devices.manager.demoPrinter;
  await station.devices.manager.printer?.pollNow().catch(() => undefined);
  return {
    station,
    tech,
    cashier,
    sim,
    cleanup: async () => {
      await station.diagnostics.selftest.settled();
      await station.devices.stop();
      await station.diagnostics.stop();
      t.cleanup();
    },
  };
}

/** Resolves with the first event `name` whose payload passes `test`. */
export function nextEvent<E extends EventName>(
  station: Station,
  name: E,
  test: (payload: EventPayload<E>) => boolean = () => true,
): Promise<EventPayload<E>> {
  return new Promise((resolve) => {
    const off = station.events.on((event) => {
      if (event.name === name && test(event.payload as EventPayload<E>)) {
        off();
        resolve(event.payload as EventPayload<E>);
      }
    });
  });
}
