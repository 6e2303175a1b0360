/**
 * Encrypted backups through the station: written while sales go on, verified, rotated, scheduled (timer fired
 * by hand), and restored — or refused, leaving the station selling on its current data.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/main/core/audit/audit-reader';
import { decryptFile } from '../../../src/main/core/backup/crypto-file';
import type { BackupError } from '../../../src/main/core/backup/errors';
import { deriveKey, HEADER_SIZE } from '../../../src/main/core/backup/format';
import { RETRY_AFTER_FAILURE_MS } from '../../../src/main/core/backup/backup-service';
import { restoreDatabase } from '../../../src/main/core/backup/restore';
import { Station } from '../../../src/main/core/station';
import type { Result } from '../../../src/shared/domain/errors';
import { connect, TEST_SETUP, unwrap } from '../../helpers/station';
import { MIGRATIONS_DIR } from '../../helpers/paths';
import { tempDataDir } from '../../helpers/temp-dir';
import {
  CASHIER_PIN,
  completedSales,
  ManualTimers,
  openBackupStation,
  padDatabase,
  PASSPHRASE,
  type BackupFixture,
} from './fixture';

let fx: BackupFixture | null = null;
const extraCleanups: (() => void)[] = [];
afterEach(() => {
  fx?.cleanup();
  fx = null;
  for (const c of extraCleanups.splice(0)) c();
});

function failure(r: Result<unknown>) {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

async function configure(f: BackupFixture, overrides: { keepLast?: number; enabled?: boolean } = {}) {
  return unwrap(
    await f.admin('backup:configure', {
      enabled: overrides.enabled ?? false,
      folder: f.backupDir,
      intervalMinutes: 60,
      keepLast: overrides.keepLast ?? 5,
      passphrase: PASSPHRASE,
    }),
  );
}

const backupFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.ctbk'))
    .sort();

function auditActions(
  station: Station,
  prefix: string,
): { action: string; details: Record<string, unknown> }[] {
  return station.db
    .prepare<[string], { action: string; details: string }>(
      "SELECT action, details FROM audit_log WHERE action LIKE ? || '%' ORDER BY seq",
    )
    .all(prefix)
    .map((r) => ({ action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/** Decrypts a backup into a fresh folder as its station.db (what a restore on another machine sees). */
async function openBackupCopy(file: string): Promise<{ db: Database.Database; dir: string }> {
  const dir = tempDataDir('ct-backup-open-');
  extraCleanups.push(dir.cleanup);
  const out = path.join(dir.dir, 'station.db');
  await decryptFile(file, out, (h) => deriveKey(PASSPHRASE, h.salt, h.scrypt));
  const db = new Database(out);
  extraCleanups.unshift(() => db.close());
  return { db, dir: dir.dir };
}

describe('an on-demand backup', () => {
  it('is written while sales are committed on the same station, and holds a consistent database', async () => {
    fx = await openBackupStation();
    const f = fx;
    padDatabase(f.station);
    await configure(f);
    await f.sell();
    const before = f.completedSales();

    let backupDone = false;
    let soldDuring = 0;
    const selling = (async () => {
      while (!backupDone) {
        await f.sell();
        soldDuring += 1;
        // Each sale arrives as its own message (as from a window): the event loop turns between them.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const run = f.manager('backup:run', {}).finally(() => {
      backupDone = true;
    });
    const result = unwrap(await run);
    await selling;
    const after = f.completedSales();

    expect(soldDuring).toBeGreaterThan(0);
    expect(after).toBe(before + soldDuring);
    expect(result).toMatchObject({ kind: 'manual', status: 'created', error: null });
    expect(backupFiles(f.backupDir)).toEqual([path.basename(result.file!)]);
    // No plaintext copy is left anywhere: not in the backup folder, not in the data folder.
    expect(fs.readdirSync(f.backupDir)).toEqual([path.basename(result.file!)]);
    expect(fs.readdirSync(f.dataDir).filter((n) => /snapshot|verify|partial/.test(n))).toEqual([]);
    expect(fs.readFileSync(result.file!).includes(Buffer.from('Test Store'))).toBe(false);

    const { db } = await openBackupCopy(result.file!);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const inBackup = db
      .prepare("SELECT count(*) FROM sales WHERE status = 'completed'")
      .pluck()
      .get() as number;
    expect(inBackup).toBeGreaterThanOrEqual(before);
    expect(inBackup).toBeLessThanOrEqual(after);
    // Each sale in the copy is whole: its payment and its audit row came with it (one transaction each).
    expect(
      db
        .prepare(
          `SELECT count(*) FROM sales s WHERE s.status = 'completed' AND (
             NOT EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = s.id)
             OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'sale.completed'
                            AND json_extract(a.details, '$.saleId') = s.id))`,
        )
        .pluck()
        .get(),
    ).toBe(0);
    expect((await verifyAuditLog(db)).intact).toBe(true);

    expect(auditActions(f.station, 'backup.').map((a) => a.action)).toEqual([
      'backup.configured',
      'backup.created',
    ]);
    const configured = JSON.stringify(auditActions(f.station, 'backup.configured'));
    expect(configured).not.toContain(PASSPHRASE);
  });

  it('needs a configured folder and passphrase, and a full folder path', async () => {
    fx = await openBackupStation();
    expect(failure(await fx.manager('backup:run', {}))).toMatchObject({
      code: 'conflict',
      details: { reason: 'not_configured' },
    });
    // Nothing was attempted, so nothing is recorded.
    expect(fx.station.db.prepare('SELECT count(*) FROM backup_runs').pluck().get()).toBe(0);
    expect(auditActions(fx.station, 'backup.')).toEqual([]);
    expect(
      failure(
        await fx.admin('backup:configure', {
          enabled: true,
          folder: 'relative/dir',
          intervalMinutes: 60,
          keepLast: 3,
          passphrase: PASSPHRASE,
        }),
      ),
    ).toMatchObject({ code: 'bad_input', details: { field: 'folder' } });
    expect(
      failure(
        await fx.admin('backup:configure', {
          enabled: true,
          folder: fx.backupDir,
          intervalMinutes: 60,
          keepLast: 3,
        }),
      ),
    ).toMatchObject({ code: 'bad_input', details: { field: 'passphrase' } });
    expect(
      failure(
        await fx.admin('backup:configure', {
          enabled: true,
          folder: fx.backupDir,
          intervalMinutes: 5,
          keepLast: 3,
          passphrase: PASSPHRASE,
        }),
      ),
    ).toMatchObject({ code: 'bad_input' });
    // The stored key is the scrypt output, never the passphrase.
    await configure(fx);
    const stored = fx.station.db.prepare('SELECT * FROM backup_schedule').get() as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain(PASSPHRASE);
    expect((stored.backup_key as Buffer).length).toBe(64);
  });

  it('keeps the newest N of this station and leaves other files alone', async () => {
    fx = await openBackupStation();
    await configure(fx, { keepLast: 2 });
    fs.writeFileSync(path.join(fx.backupDir, 'notes.txt'), 'keep me');
    fs.writeFileSync(
      path.join(fx.backupDir, 'countertop-00000000-2020-01-01T00-00-00-000Z.ctbk'),
      'other station',
    );
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      fx.clock.advance(60_000);
      made.push(path.basename(unwrap(await fx.manager('backup:run', {})).file!));
    }
    expect(fs.readdirSync(fx.backupDir).sort()).toEqual(
      [...made.slice(2), 'notes.txt', 'countertop-00000000-2020-01-01T00-00-00-000Z.ctbk'].sort(),
    );
    const created = auditActions(fx.station, 'backup.created');
    expect(created.at(-1)?.details.rotated).toEqual([made[1]]);
    expect(unwrap(await fx.manager('backup:history', {})).map((r) => r.status)).toEqual([
      'created',
      'created',
      'created',
      'created',
    ]);
  });

  it('fails cleanly (audited, nothing half-written) when the folder cannot be written', async () => {
    fx = await openBackupStation();
    await configure(fx);
    const blocker = path.join(fx.backupDir, 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    fx.station.db.prepare('UPDATE backup_schedule SET folder = ?').run(path.join(blocker, 'sub'));
    expect(failure(await fx.manager('backup:run', {}))).toMatchObject({ code: 'storage_error' });
    expect(auditActions(fx.station, 'backup.failed')).toHaveLength(1);
    expect(unwrap(await fx.manager('backup:status', {})).lastRun).toMatchObject({ status: 'failed' });
    expect(fs.readdirSync(fx.dataDir).filter((n) => /snapshot|verify/.test(n))).toEqual([]);
  });
});

describe('the backup schedule', () => {
  it('fires from the injected timer, then every interval, and retries a failure sooner', async () => {
    const timers = new ManualTimers();
    fx = await openBackupStation({ timers });
    expect(timers.pending.size).toBe(0); // not configured: nothing scheduled
    await configure(fx, { enabled: true });

    // Never backed up: due now.
    let t = timers.only();
    expect(t.ms).toBe(0);
    timers.fire(t.id);
    await fx.station.backups.idle();
    expect(backupFiles(fx.backupDir)).toHaveLength(1);
    expect(auditActions(fx.station, 'backup.created')[0]?.details).toMatchObject({ kind: 'scheduled' });

    // The next one an interval after this one started.
    t = timers.only();
    expect(t.ms).toBe(60 * 60_000);
    expect(unwrap(await fx.manager('backup:status', {})).nextDueAt).toBe('2026-01-15T10:00:00.000Z');
    fx.clock.advance(60 * 60_000);
    timers.fire(t.id);
    await fx.station.backups.idle();
    expect(backupFiles(fx.backupDir)).toHaveLength(2);

    // The stick is pulled out: the run fails, is audited, and is retried in 15 minutes, not an hour.
    fs.rmSync(fx.backupDir, { recursive: true, force: true });
    fs.writeFileSync(fx.backupDir, 'the folder is gone');
    t = timers.only();
    fx.clock.advance(t.ms);
    timers.fire(t.id);
    await fx.station.backups.idle();
    expect(auditActions(fx.station, 'backup.failed')[0]?.details).toMatchObject({ kind: 'scheduled' });
    expect(timers.only().ms).toBe(RETRY_AFTER_FAILURE_MS);
    fs.rmSync(fx.backupDir, { force: true });
    fs.mkdirSync(fx.backupDir);

    // Disabling clears the timer (the screen locked itself during the simulated hours).
    unwrap(await fx.admin('auth:unlock', { pin: TEST_SETUP.adminPin }));
    unwrap(
      await fx.admin('backup:configure', {
        enabled: false,
        folder: fx.backupDir,
        intervalMinutes: 60,
        keepLast: 5,
      }),
    );
    expect(timers.pending.size).toBe(0);
  });
});

describe('restore through the station', () => {
  async function stationWithBackup(): Promise<{ f: BackupFixture; file: string; salesInBackup: number }> {
    fx = await openBackupStation();
    await configure(fx);
    await fx.sell();
    await fx.sell();
    const salesInBackup = fx.completedSales();
    const file = unwrap(await fx.manager('backup:run', {})).file!;
    await fx.sell(); // after the backup
    return { f: fx, file, salesInBackup };
  }

  async function refused(f: BackupFixture, file: string, passphrase = PASSPHRASE) {
    const before = f.completedSales();
    const error = failure(await f.admin('backup:restore', { file, passphrase, confirmUnsentLoss: true }));
    // Still selling on its current data.
    expect(f.completedSales()).toBe(before);
    await f.sell();
    expect(f.completedSales()).toBe(before + 1);
    expect(fs.readdirSync(f.dataDir).filter((n) => /before-restore|restore-staged/.test(n))).toEqual([]);
    return error;
  }

  it('refuses a wrong passphrase, a flipped byte and a truncated file, and the station keeps working', async () => {
    const { f, file } = await stationWithBackup();
    const bytes = fs.readFileSync(file);

    expect(await refused(f, file, 'not the right passphrase')).toMatchObject({
      code: 'bad_input',
      details: { reason: 'wrong_passphrase' },
    });

    const flipped = path.join(f.backupDir, 'flipped.ctbk');
    const copy = Buffer.from(bytes);
    copy[HEADER_SIZE + 200] = copy[HEADER_SIZE + 200]! ^ 0x01;
    fs.writeFileSync(flipped, copy);
    const flippedError = await refused(f, flipped);
    expect(flippedError).toMatchObject({ code: 'bad_input', details: { reason: 'damaged' } });
    expect(flippedError.message).toMatch(/damaged or was altered/);

    const truncated = path.join(f.backupDir, 'truncated.ctbk');
    fs.writeFileSync(truncated, bytes.subarray(0, bytes.length - 1000));
    expect(await refused(f, truncated)).toMatchObject({
      code: 'bad_input',
      details: { reason: 'truncated' },
    });

    const notBackup = path.join(f.backupDir, 'notes.ctbk');
    fs.writeFileSync(notBackup, 'hello');
    expect(await refused(f, notBackup)).toMatchObject({ details: { reason: 'not_a_backup' } });

    // Each refusal is in the audit log; the data is the station's own.
    expect(auditActions(f.station, 'backup.restore_refused').map((a) => a.details.problem)).toEqual([
      'wrong_passphrase',
      'damaged',
      'truncated',
      'not_a_backup',
    ]);
  });

  it('is for administrators only, not during a sale, and not over unsent events without confirmation', async () => {
    const { f, file } = await stationWithBackup();
    expect(
      failure(await f.manager('backup:restore', { file, passphrase: PASSPHRASE, confirmUnsentLoss: true })),
    ).toMatchObject({
      code: 'permission_denied',
    });
    const unsent = unwrap(await f.admin('backup:status', {})).unsentEvents;
    expect(unsent).toBeGreaterThan(0);
    expect(
      failure(await f.admin('backup:restore', { file, passphrase: PASSPHRASE, confirmUnsentLoss: false })),
    ).toMatchObject({
      code: 'conflict',
      details: { reason: 'unsent_events', unsent },
    });
    const products = f.station.db.prepare('SELECT id FROM products LIMIT 1').pluck().get() as string;
    unwrap(await f.till('sale:add-product', { productId: products, qtyMilli: 1000 }));
    expect(unwrap(await f.admin('backup:status', {})).saleOpen).toBe(true);
    expect(
      failure(await f.admin('backup:restore', { file, passphrase: PASSPHRASE, confirmUnsentLoss: true })),
    ).toMatchObject({
      code: 'conflict',
      details: { reason: 'sale_open' },
    });
  });

  it('swaps in the backup, keeps the previous database aside, and asks for a restart', async () => {
    const { f, file, salesInBackup } = await stationWithBackup();
    const files = unwrap(await f.admin('backup:files', {}));
    expect(files.map((x) => x.path)).toEqual([file]);
    expect(files[0]).toMatchObject({
      schemaVersion: expect.any(Number) as number,
      createdAt: '2026-01-15T09:00:00.000Z',
    });

    const issuedOutbox = f.station.db.prepare('SELECT max(seq) FROM outbox').pluck().get() as number;
    const issuedReceipt = f.station.db
      .prepare("SELECT max(receipt_seq) FROM sales WHERE series = 'S'")
      .pluck()
      .get() as number;
    const result = unwrap(
      await f.admin('backup:restore', { file, passphrase: PASSPHRASE, confirmUnsentLoss: true }),
    );
    expect(result.restartRequired).toBe(true);
    expect(result.keptAs).toMatch(/^station\.db\.before-restore-2026-01-15T09-00-00-000Z$/);
    expect(fs.existsSync(path.join(f.dataDir, result.keptAs!))).toBe(true);
    // The old station refuses everything from now on.
    expect(failure(await f.till('sale:current', {}))).toMatchObject({
      details: { reason: 'restart_required' },
    });
    f.station.close();

    // Restarted: the data is the backup's, and the restore is the newest audit row of an intact chain.
    const reopened = Station.open({ dataDir: f.dataDir, migrationsDir: MIGRATIONS_DIR, version: 'test' });
    extraCleanups.push(() => reopened.close());
    expect(completedSales(reopened)).toBe(salesInBackup);
    const last = reopened.db
      .prepare<[], { action: string; details: string }>(
        'SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1',
      )
      .get();
    expect(last?.action).toBe('backup.restored');
    expect(JSON.parse(last!.details)).toMatchObject({ via: 'station', previousKeptAs: result.keptAs });
    expect((await verifyAuditLog(reopened.db)).intact).toBe(true);
    // Numbers the replaced database handed out are never handed out again: the store server knows its events by
    // outbox seq (reusing one would be rejected as a seq conflict and stop sync), and its receipts were printed.
    expect(JSON.parse(last!.details)).toMatchObject({ carried: { outboxTo: issuedOutbox } });
    const outboxBefore = reopened.db.prepare('SELECT max(seq) FROM outbox').pluck().get() as number;
    expect(outboxBefore).toBeGreaterThan(issuedOutbox);
    const cashier = connect(reopened, 'till-after');
    const staff = reopened.auth.users.list().find((u) => u.role === 'cashier')!;
    unwrap(await cashier('auth:sign-in', { userId: staff.id, pin: CASHIER_PIN }));
    const product = reopened.db.prepare('SELECT id FROM products LIMIT 1').pluck().get() as string;
    unwrap(await cashier('sale:add-product', { productId: product, qtyMilli: 1000 }));
    const due = unwrap(await cashier('sale:start-tender', {})).totals.payable;
    unwrap(await cashier('sale:add-tender', { tender: 'wechat', amount: due, reference: 'WX-AFTER' }));
    const sale = unwrap(await cashier('sale:complete', {}));
    const seqOf = (id: string) =>
      reopened.db.prepare('SELECT receipt_seq FROM sales WHERE id = ?').pluck().get(id) as number;
    expect(seqOf(sale.id)).toBe(issuedReceipt + 1);
    const saleEvent = reopened.db
      .prepare("SELECT seq FROM outbox WHERE type = 'sale.completed' ORDER BY seq DESC LIMIT 1")
      .pluck()
      .get() as number;
    expect(saleEvent).toBeGreaterThan(issuedOutbox);
    // The kept database still holds the sale made after the backup.
    const kept = new Database(path.join(f.dataDir, result.keptAs!), { readonly: true });
    expect(kept.prepare("SELECT count(*) FROM sales WHERE status = 'completed'").pluck().get()).toBe(
      salesInBackup + 1,
    );
    kept.close();
  });
});

describe('restore refuses while the database is in use', () => {
  it('leaves a running station untouched', async () => {
    fx = await openBackupStation();
    await configure(fx);
    const file = unwrap(await fx.manager('backup:run', {})).file!;
    await expect(
      restoreDatabase({
        dataDir: fx.dataDir,
        databaseFile: path.join(fx.dataDir, 'station.db'),
        inFile: file,
        passphrase: PASSPHRASE,
        migrationsDir: MIGRATIONS_DIR,
        now: new Date(),
      }),
    ).rejects.toMatchObject({ problem: 'station_running' } satisfies Partial<BackupError>);
    await fx.sell();
    expect(fs.readdirSync(fx.dataDir).filter((n) => /before-restore|restore-staged/.test(n))).toEqual([]);
  });
});
