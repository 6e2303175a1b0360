/**
 * A set-up station for the backup tests: real SQLite in a temp dir, an admin, a manager and a cashier signed in
 * on their own connections, one product, a backup folder, and a way to sell (paid by WeChat with a reference,
 * so no drawer shift is involved).
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../../src/main/core/clock';
import { Station } from '../../../src/main/core/station';
import type { Timers } from '../../../src/main/core/backup/backup-service';
import { connect, TEST_SETUP, unwrap, type Caller } from '../../helpers/station';
import { MIGRATIONS_DIR } from '../../helpers/paths';
import { tempDataDir } from '../../helpers/temp-dir';

export const PASSPHRASE = 'correct horse battery staple';
export const MANAGER_PIN = '3579';
export const CASHIER_PIN = '1111';
export const PRODUCT_PLU = '101';

export interface BackupFixture {
  station: Station;
  dataDir: string;
  backupDir: string;
  clock: ManualClock;
  admin: Caller;
  manager: Caller;
  till: Caller;
  /** One completed sale (one item, paid by WeChat). */
  sell(): Promise<void>;
  completedSales(): number;
  /** Closes the station and removes every folder. */
  cleanup(): void;
}

/** Fires by hand: the scheduler's timer in tests (no sleeping). */
export class ManualTimers implements Timers {
  private next = 1;
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  setTimeout(fn: () => void, ms: number): number {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** The one pending timer's delay (throws unless exactly one is pending). */
  only(): { id: number; ms: number } {
    const entries = [...this.pending.entries()];
    if (entries.length !== 1) throw new Error(`expected one pending timer, found ${entries.length}`);
    const [id, t] = entries[0]!;
    return { id, ms: t.ms };
  }
  fire(id: number): void {
    const t = this.pending.get(id);
    if (!t) throw new Error(`no timer ${id}`);
    this.pending.delete(id);
    t.fn();
  }
}

export async function openBackupStation(
  options: { timers?: Timers; dataDir?: string } = {},
): Promise<BackupFixture> {
  const data = options.dataDir ? null : tempDataDir('ct-backup-data-');
  const dataDir = options.dataDir ?? data!.dir;
  const folder = tempDataDir('ct-backup-folder-');
  const clock = new ManualClock('2026-01-15T09:00:00.000Z');
  const station = Station.open({
    dataDir,
    migrationsDir: MIGRATIONS_DIR,
    version: 'test',
    clock,
    ...(options.timers ? { backupTimers: options.timers } : {}),
  });
  const admin = connect(station, 'admin');
  unwrap(await admin('setup:complete', TEST_SETUP));
  const mgr = unwrap(await admin('staff:create', { name: '张经理', role: 'manager', pin: MANAGER_PIN }));
  const cashier = unwrap(await admin('staff:create', { name: '王芳', role: 'cashier', pin: CASHIER_PIN }));
  const productId = insertProduct(station);
  const manager = connect(station, 'manager');
  unwrap(await manager('auth:sign-in', { userId: mgr.id, pin: MANAGER_PIN }));
  const till = connect(station, 'till');
  unwrap(await till('auth:sign-in', { userId: cashier.id, pin: CASHIER_PIN }));

  let receipt = 0;
  const sell = async () => {
    receipt += 1;
    unwrap(await till('sale:add-product', { productId, qtyMilli: 1000 }));
    unwrap(await till('sale:start-tender', {}));
    unwrap(
      await till('sale:add-tender', {
        tender: 'wechat',
        amount: 350,
        reference: `WX${String(receipt).padStart(12, '0')}`,
      }),
    );
    unwrap(await till('sale:complete', {}));
  };
  return {
    station,
    dataDir,
    backupDir: folder.dir,
    clock,
    admin,
    manager,
    till,
    sell,
    completedSales: () => completedSales(station),
    cleanup: () => {
      station.close();
      data?.cleanup();
      folder.cleanup();
    },
  };
}

export function completedSales(station: Station): number {
  return station.db.prepare("SELECT count(*) FROM sales WHERE status = 'completed'").pluck().get() as number;
}

function insertProduct(station: Station): string {
  const at = '2026-01-01T00:00:00.000Z';
  const tax = randomUUID();
  const id = randomUUID();
  station.db.transaction(() => {
    station.db
      .prepare(
        'INSERT INTO tax_rates (id, code, name_zh, name_en, rate_ppm, active, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?)',
      )
      .run(tax, 'VAT13', '增值税13%', 'VAT 13%', 130_000, at);
    station.db
      .prepare(
        `INSERT INTO products (id, plu, name_zh, name_en, unit, price, cost, tax_rate_id, active, updated_at)
         VALUES (?, ?, '可乐', 'Cola', 'piece', 350, NULL, ?, 1, ?)`,
      )
      .run(id, PRODUCT_PLU, tax, at);
  })();
  return id;
}

/** Makes the database a few MB, so the online backup takes many steps and sales interleave with it. */
export function padDatabase(station: Station, rows = 3000): void {
  const tax = station.db.prepare('SELECT id FROM tax_rates LIMIT 1').pluck().get() as string;
  const insert = station.db.prepare(
    `INSERT INTO products (id, plu, name_zh, name_en, unit, price, cost, tax_rate_id, active, updated_at)
     VALUES (?, ?, ?, ?, 'piece', 100, NULL, ?, 1, '2026-01-01T00:00:00.000Z')`,
  );
  station.db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      insert.run(
        randomUUID(),
        String(50_000 + i),
        `填充商品${i}`.padEnd(200, '·'),
        `Padding ${i}`.padEnd(200, '.'),
        tax,
      );
    }
  })();
}

/** SHA-256 of the database file and its WAL, to prove a refused restore changed nothing. */
export function databaseHash(dataDir: string): string {
  const hash = createHash('sha256');
  for (const suffix of ['', '-wal']) {
    const file = path.join(dataDir, `station.db${suffix}`);
    hash.update(suffix);
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}
