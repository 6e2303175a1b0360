import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/main/db/open';
import { loadMigrations, migrate } from '../../../src/main/db/migrations';
import { DatabaseOpenError } from '../../../src/main/db/errors';

const migrationsDir = path.resolve('migrations');
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function expectOpenError(fn: () => unknown, problem: DatabaseOpenError['problem']): DatabaseOpenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DatabaseOpenError);
    expect((err as DatabaseOpenError).problem).toBe(problem);
    return err as DatabaseOpenError;
  }
  throw new Error('expected openDatabase to fail');
}

describe('openDatabase', () => {
  it('applies and asserts the durability pragmas', () => {
    const db = openDatabase({ file: path.join(tempDir(), 's.db'), migrationsDir });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations(migrationsDir).length);
    db.close();
  });

  it('is idempotent across restarts and keeps data', () => {
    const file = path.join(tempDir(), 's.db');
    let db: Db = openDatabase({ file, migrationsDir });
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('locale', '\"en\"', 'now')").run();
    db.close();
    db = openDatabase({ file, migrationsDir });
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get('locale')).toBe('"en"');
    db.close();
  });

  it('refuses a database written by a newer version, and leaves it untouched', () => {
    const file = path.join(tempDir(), 's.db');
    openDatabase({ file, migrationsDir }).close();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    const before = fs.readFileSync(file);
    const err = expectOpenError(() => openDatabase({ file, migrationsDir }), 'too_new');
    expect(err.message).toMatch(/newer version/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a file that is not a database without overwriting it', () => {
    const file = path.join(tempDir(), 's.db');
    const junk = Buffer.from('this is not an SQLite database at all, just text '.repeat(200));
    fs.writeFileSync(file, junk);
    expectOpenError(() => openDatabase({ file, migrationsDir }), 'corrupt');
    expect(fs.readFileSync(file).equals(junk)).toBe(true);
  });

  it('detects a damaged page with quick_check', () => {
    const file = path.join(tempDir(), 's.db');
    const db = openDatabase({ file, migrationsDir });
    const insert = db.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, '\"x\"', 'now')");
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`key-${i}-${'x'.repeat(50)}`);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Scribble over the middle of the file (an index/table page), keeping the header intact.
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    for (let i = pageSize * 3; i < pageSize * 6; i++) bytes[i] = 0xa5;
    fs.writeFileSync(file, bytes);
    expectOpenError(() => openDatabase({ file, migrationsDir }), 'corrupt');
  });

  it('rolls back every pending migration when one fails', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'CREATE TABLE a (x INTEGER) STRICT;');
    fs.writeFileSync(path.join(dir, '0002_b.sql'), 'CREATE TABLE b (x INTEGER) STRICT; THIS IS NOT SQL;');
    const db = new Database(':memory:');
    expect(() => migrate(db, loadMigrations(dir))).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0);
  });

  it('refuses migration files with gaps or bad names', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'SELECT 1;');
    fs.writeFileSync(path.join(dir, '0003_c.sql'), 'SELECT 1;');
    expectOpenError(() => loadMigrations(dir), 'bad_migrations');
    fs.writeFileSync(path.join(dir, '2_bad.sql'), 'SELECT 1;');
    expectOpenError(() => loadMigrations(dir), 'bad_migrations');
  });

  it('keeps hot queries on indexes (EXPLAIN QUERY PLAN)', () => {
    const db = openDatabase({ file: path.join(tempDir(), 's.db'), migrationsDir });
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    expect(plan("SELECT product_id FROM barcodes WHERE code = '04006381333931'")).toMatch(
      /PRIMARY KEY|USING INDEX/,
    );
    expect(plan("SELECT * FROM users WHERE id = 'x'")).toMatch(/USING INDEX|PRIMARY KEY/);
    expect(plan('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')).not.toMatch(/TEMP B-TREE/);
    expect(plan('SELECT * FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT 100')).toMatch(
      /outbox_pending/,
    );
    db.close();
  });
});

describe('background integrity check (the station)', () => {
  it('opens a damaged station, then refuses every call but the status once the check finds the damage', async () => {
    const { Station } = await import('../../../src/main/core/station');
    const dir = tempDir();
    const first = Station.open({ dataDir: dir, migrationsDir, version: 'test' });
    expect(await first.integrity).toEqual([]);
    const insert = first.db.prepare(
      "INSERT INTO settings (key, value, updated_at) VALUES (?, '\"x\"', 'now')",
    );
    first.db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`key-${i}-${'x'.repeat(50)}`);
    })();
    first.db.pragma('wal_checkpoint(TRUNCATE)');
    first.close();
    const file = path.join(dir, 'station.db');
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Damage a page deep in the settings table: the schema still reads, so the station starts…
    const last = Math.floor(bytes.length / pageSize) - 2;
    for (let i = pageSize * last + 100; i < pageSize * (last + 1); i++) bytes[i] = 0xa5;
    fs.writeFileSync(file, bytes);
    const errors: unknown[] = [];
    const station = Station.open({
      dataDir: dir,
      migrationsDir,
      version: 'test',
      logger: { error: (...a) => errors.push(a) },
    });
    try {
      // …and the check beside it finds the damage.
      expect((await station.integrity).length).toBeGreaterThan(0);
      expect(errors).toHaveLength(1);
      station.gate.registerConnection('c');
      expect((await station.gate.handle('c', 'app:status', {})).ok).toBe(true);
      expect(await station.gate.handle('c', 'auth:users', {})).toMatchObject({
        ok: false,
        error: { code: 'storage_error', action: 'call_technician' },
      });
    } finally {
      station.close();
    }
  });
});

describe('checkIntegrityInBackground', () => {
  it('checks in-process when the worker cannot start, instead of calling a sound file damaged', async () => {
    const { checkIntegrityInBackground } = await import('../../../src/main/db/integrity');
    const file = path.join(tempDir(), 's.db');
    openDatabase({ file, migrationsDir }).close();
    const broken = path.join(tempDir(), 'integrity-worker.mjs');
    fs.writeFileSync(broken, 'throw new Error("this worker cannot start");');
    expect(await checkIntegrityInBackground(file, broken)).toEqual([]);
    expect(await checkIntegrityInBackground(file, path.join(tempDir(), 'missing.mjs'))).toEqual([]);
  });
});
