import type { Station } from '../../../src/main/core/station';
import type { DeviceConfigInput } from '../../../src/shared/ipc/channels/devices';
import { unwrap, type Caller } from '../../helpers/station';
import { PRODUCTS } from '../sale/fixture';

/** Waits until `check` returns a value (not undefined/false), polling; fails after `ms` with `what`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | null,
  ms = 5000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A cash sale through the cashier's channels: 2 × cola, 1 × bread, paid with 20.00 cash. */
export async function cashSale(till: Caller) {
  unwrap(await till('sale:add-product', { productId: PRODUCTS.cola.id, qtyMilli: 2000 }));
  unwrap(await till('sale:add-product', { productId: PRODUCTS.bread.id, qtyMilli: 1000 }));
  unwrap(await till('sale:start-tender', {}));
  unwrap(await till('sale:add-tender', { tender: 'cash', amount: 2000 }));
  return unwrap(await till('sale:complete', {}));
}

/** Stores a device configuration and opens the devices with the demo printer (short timeouts for tests). */
export async function startDevices(station: Station, config: DeviceConfigInput = {}): Promise<void> {
  await station.devices.manager.configure(
    {
      ...config,
      printer: { connection: 'simulated', statusTimeoutMs: 200, pollSeconds: 60, ...config.printer },
    },
    'file',
    null,
  );
  await station.devices.manager.start({ maxBackoffMs: 200 });
}

export function jobsOf(station: Station, ref: string) {
  return station.devices.printing.jobs(ref, 20);
}
