/**
 * The sale fixture (real SQLite, a cashier on `till`, a supervisor on `sup`, an admin) with drawer
 * accountability switched back on, plus a helper that sells through the gate exactly as the tender screen does.
 */
import type { Caller } from '../../helpers/station';
import { unwrap } from '../../helpers/station';
import type { SaleView } from '../../../src/shared/ipc/channels/sale';
import { openSaleStation, type SaleFixture } from '../sale/fixture';

export async function openShiftStation(): Promise<SaleFixture> {
  const fx = await openSaleStation();
  const { station } = fx;
  station.db.transaction(() =>
    station.shifts.config.set({ ...station.shifts.config.get(), requireShiftForCash: true }, new Date()),
  )();
  return fx;
}

export interface Tender {
  tender: string;
  amount: number;
  reference?: string;
}

/** Scans the codes into the open cart (starting one), tenders and completes; returns the completed sale. */
export async function sell(
  call: Caller,
  codes: readonly string[],
  tenders: readonly Tender[],
): Promise<SaleView> {
  for (const code of codes) unwrap(await call('sale:scan', { code }));
  unwrap(await call('sale:start-tender', {}));
  for (const t of tenders) unwrap(await call('sale:add-tender', t));
  return unwrap(await call('sale:complete', {}));
}
