/**
 * The child process of the crash test (crash.test.ts bundles it with esbuild and runs it with plain `node`).
 * It opens a prepared station and sells in a loop through the REAL sale service — scan, tender, complete —
 * until it is killed. After each step returns it writes one line to stdout, synchronously, so the parent knows
 * what the station had confirmed when the SIGKILL landed:
 *
 *   READY <saleId|-> <activeLines> <status|->   the cart found at start (the one the previous kill left)
 *   LINE <saleId> <activeLines>                 a scan returned
 *   COMMIT <saleId> <receiptNo>                 sale:complete returned
 *
 * Usage: node child.cjs <dataDir> <migrationsDir>
 */
import fs from 'node:fs';
import type { Caller } from '../../../src/main/core/auth/auth-service';
import { Station } from '../../../src/main/core/station';
import { permissionsOf } from '../../../src/shared/domain/permissions';
import type { SaleView } from '../../../src/shared/ipc/channels/sale';

const [dataDir, migrationsDir] = process.argv.slice(2);
if (!dataDir || !migrationsDir) throw new Error('usage: child <dataDir> <migrationsDir>');

function say(line: string): void {
  fs.writeSync(1, `${line}\n`);
}

const active = (cart: SaleView) => cart.lines.filter((l) => !l.voided).length;

async function main(): Promise<void> {
  const station = Station.open({ dataDir: dataDir!, migrationsDir: migrationsDir!, version: 'crash-child' });
  const user = station.auth.users.list().find((u) => u.role === 'cashier');
  if (!user) throw new Error('the prepared station has no cashier');
  const caller: Caller = {
    connectionId: 'crash-child',
    user: { id: user.id, name: user.name, role: user.role },
    permissions: new Set(permissionsOf(user.role)),
    locked: false,
  };
  const codes = station.db.prepare('SELECT code FROM barcodes').pluck().all() as string[];
  const { cart, checkout } = station.sales;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

  let current = cart.current();
  say(`READY ${current?.id ?? '-'} ${current ? active(current) : 0} ${current?.status ?? '-'}`);
  for (;;) {
    current = cart.current();
    const target = 1 + Math.floor(Math.random() * 5);
    while (current === null || (current.status === 'open' && active(current) < target)) {
      current = cart.scan(caller, pick(codes), Math.random() < 0.3 ? 2000 : undefined);
      say(`LINE ${current.id} ${active(current)}`);
    }
    if (current.status === 'open') current = checkout.startTender(caller);
    if (
      current.totals.remaining > 0 &&
      Math.random() < 0.3 &&
      current.totals.total - current.totals.paid > 1
    ) {
      current = await checkout.addTender(caller, {
        tender: 'wechat',
        amount: 1,
        reference: `WX${Date.now()}`,
      });
    }
    while (current.totals.remaining > 0) {
      // Ask for the cash due rounded to the coin (dueCash), as the tender screen does, plus a random extra.
      const ask = Math.max(current.totals.remaining, current.totals.dueCash - current.totals.paidCash);
      // Cash is coins and notes: whole multiples of the smallest coin.
      const coin = current.cashIncrement;
      current = await checkout.addTender(caller, {
        tender: 'cash',
        amount: Math.ceil(ask / coin) * coin + Math.floor(Math.random() * 50) * coin,
      });
    }
    const done = checkout.complete(caller);
    say(`COMMIT ${done.id} ${done.receiptNo}`);
  }
}

main().catch((err: unknown) => {
  say(`ERROR ${(err as Error).stack ?? String(err)}`.replace(/\n/g, ' | '));
  process.exit(1);
});
