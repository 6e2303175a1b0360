/**
 * Rings sales through the REAL sale service of a station (scan → tender cash → complete), as a cashier the
 * station knows — for the sync integration tests and the soak.
 */
import type { Caller } from '../../../src/main/core/auth/auth-service';
import type { Station } from '../../../src/main/core/station';
import { permissionsOf } from '../../../src/shared/domain/permissions';
import type { SaleView } from '../../../src/shared/ipc/channels/sale';

export function cashierCaller(station: Station, userId: string): Caller {
  const user = station.auth.users.get(userId);
  if (user === undefined) throw new Error(`the station has no user ${userId}`);
  return {
    connectionId: `ring-${userId}`,
    user: { id: user.id, name: user.name, role: user.role },
    permissions: new Set(permissionsOf(user.role)),
    locked: false,
  };
}

/** One completed cash sale of `lines` random products (by PLU); returns the completed document. */
export async function ringSale(
  station: Station,
  caller: Caller,
  plus: readonly string[],
  lines: number,
  random: () => number = Math.random,
): Promise<SaleView> {
  const { cart, checkout } = station.sales;
  // Cash needs an open drawer shift (src/main/core/shift): the first sale opens one with an empty float.
  if (station.shifts.openShift() === undefined) station.shifts.open(caller, { total: 0 });
  let current = cart.current();
  // A cart left by an earlier failure is finished, not abandoned (the sale service keeps one cart per station).
  for (let i = 0; current === null || (current.status === 'open' && i < lines); i++) {
    const plu = plus[Math.floor(random() * plus.length)]!;
    current = cart.scan(caller, plu, random() < 0.3 ? 2000 : undefined);
  }
  if (current.status === 'open') current = checkout.startTender(caller);
  while (current.totals.remaining > 0) {
    const ask = Math.max(current.totals.remaining, current.totals.dueCash - current.totals.paidCash);
    const coin = current.cashIncrement;
    current = await checkout.addTender(caller, { tender: 'cash', amount: Math.ceil(ask / coin) * coin });
  }
  return checkout.complete(caller);
}
