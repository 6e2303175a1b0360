/**
 * Migration 0011 rebuilds `payments` and `shift_tender_counts` (a CHECK cannot be altered in place) with foreign
 * keys off around the transaction. A database at schema 10 holding completed sales, a refund whose payment
 * references the sale's payment, and a closed shift's counts migrates with every row and reference intact, its
 * triggers still firing; and the runner refuses (and rolls back) a rebuild that would leave a dangling reference.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseOpenError } from '../../../src/main/db/errors';
import {
  FOREIGN_KEYS_OFF_MARKER,
  loadMigrations,
  migrate,
  needsForeignKeysOff,
  type Migration,
} from '../../../src/main/db/migrations';
import { MIGRATIONS_DIR } from '../../helpers/paths';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';

const AT = '2026-01-15T09:00:00.000Z';
const USER = '00000000-0000-4000-8000-000000000001';
const SALE = '00000000-0000-4000-8000-0000000000a1';
const REFUND = '00000000-0000-4000-8000-0000000000a2';
const OPEN_SALE = '00000000-0000-4000-8000-0000000000a3';
const PAY_CASH = '00000000-0000-4000-8000-0000000000b1';
const PAY_CARD = '00000000-0000-4000-8000-0000000000b2';
const PAY_REFUND = '00000000-0000-4000-8000-0000000000b3';
const PAY_OPEN = '00000000-0000-4000-8000-0000000000b4';
const DAY = '00000000-0000-4000-8000-0000000000c1';
const SHIFT = '00000000-0000-4000-8000-0000000000c2';
const STATION = '00000000-0000-4000-8000-0000000000d1';
const KEY = 'a'.repeat(64);

let temp: TempDir | null = null;
afterEach(() => {
  temp?.cleanup();
  temp = null;
});

function freshDb(): Database.Database {
  temp = tempDataDir('countertop-migration-');
  const db = new Database(path.join(temp.dir, 'station.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  return db;
}

/** A database at schema 10 (before gift cards) with documents whose rows reference each other. */
function databaseAtVersion10(all: readonly Migration[]): Database.Database {
  const db = freshDb();
  migrate(db, all.slice(0, 10));
  expect(db.pragma('user_version', { simple: true })).toBe(10);
  const sale = db.prepare(
    `INSERT INTO sales (id, kind, status, station_id, series, receipt_seq, receipt_no, original_sale_id, cashier_id,
       currency, tax_mode, tax_rounding, cash_increment, total, created_at, updated_at, completed_at)
     VALUES (?, ?, 'tendering', ?, ?, NULL, NULL, ?, ?, 'CNY', 'inclusive', 'per_line', 1, ?, ?, ?, NULL)`,
  );
  const complete = db.prepare(
    "UPDATE sales SET status = 'completed', receipt_seq = ?, receipt_no = ?, completed_at = ? WHERE id = ?",
  );
  const payment = db.prepare(
    `INSERT INTO payments (id, sale_id, position, tender_code, tender_type, amount, change_given, reference,
       approval_code, status, original_payment_id, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare(
      "INSERT INTO users (id, name, role, pin_hash, created_at, updated_at) VALUES (?, 'Ann', 'cashier', 'x', ?, ?)",
    ).run(USER, AT, AT);
    sale.run(SALE, 'sale', STATION, 'S', null, USER, 1500, AT, AT);
    payment.run(PAY_CASH, SALE, 1, 'cash', 'cash', 1000, 0, null, null, null, USER, AT, AT);
    payment.run(PAY_CARD, SALE, 2, 'card', 'card', 500, 0, null, 'AUTH01', null, USER, AT, AT);
    complete.run(1, 'S-000001', AT, SALE);
    sale.run(REFUND, 'refund', STATION, 'R', SALE, USER, -500, AT, AT);
    payment.run(PAY_REFUND, REFUND, 1, 'card', 'card', -500, 0, null, 'AUTH02', PAY_CARD, USER, AT, AT);
    complete.run(1, 'R-000001', AT, REFUND);
    sale.run(OPEN_SALE, 'sale', STATION, 'S', null, USER, 300, AT, AT);
    payment.run(PAY_OPEN, OPEN_SALE, 1, 'wechat', 'external', 300, 0, 'WX1', null, null, USER, AT, AT);
    db.prepare(
      'INSERT INTO business_days (id, station_id, opened_at, audit_seq_from) VALUES (?, ?, ?, 0)',
    ).run(DAY, STATION, AT);
    db.prepare(
      `INSERT INTO shifts (id, station_id, business_day_id, user_id, currency, status, opened_at, audit_seq_from,
         opening_float, opening_count) VALUES (?, ?, ?, ?, 'CNY', 'open', ?, 0, 0, '{}')`,
    ).run(SHIFT, STATION, DAY, USER, AT);
    db.prepare(
      `INSERT INTO shift_tender_counts (shift_id, tender_code, tender_type, expected, counted)
       VALUES (?, 'cash', 'cash', 1000, 1000), (?, 'card', 'card', 0, NULL)`,
    ).run(SHIFT, SHIFT);
  })();
  return db;
}

const schemaOf = (db: Database.Database, table: string) =>
  db
    .prepare<[string], { type: string; name: string; sql: string | null }>(
      "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = ? AND type IN ('index', 'trigger') ORDER BY name",
    )
    .all(table);

describe('migration 0011 (gift cards): table rebuilds with foreign keys off', () => {
  it('is marked for the runner, and only it among the shipped migrations', () => {
    const all = loadMigrations(MIGRATIONS_DIR);
    const marked = all.filter(needsForeignKeysOff).map((m) => m.name);
    expect(marked).toContain('gift_cards');
    expect(needsForeignKeysOff({ sql: `${FOREIGN_KEYS_OFF_MARKER}\nSELECT 1;` })).toBe(true);
    expect(needsForeignKeysOff({ sql: `SELECT 1;\n${FOREIGN_KEYS_OFF_MARKER}` })).toBe(false);
  });

  it('migrates a database with sales, refunds and shift counts: rows, references, indexes and triggers intact', () => {
    const all = loadMigrations(MIGRATIONS_DIR);
    const db = databaseAtVersion10(all);
    const before = db.prepare('SELECT * FROM payments ORDER BY id').all();
    const countsBefore = db.prepare('SELECT * FROM shift_tender_counts ORDER BY tender_code').all();
    const paymentObjects = schemaOf(db, 'payments');
    const countObjects = schemaOf(db, 'shift_tender_counts');

    migrate(db, all);

    expect(db.pragma('user_version', { simple: true })).toBe(all.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const after = db
      .prepare<[], Record<string, unknown>>('SELECT * FROM payments ORDER BY id')
      .all()
      .map((row) => {
        expect(row['gift_card_key']).toBeNull();
        expect(row['gift_card_offline']).toBe(0);
        const { gift_card_key: _key, gift_card_offline: _offline, ...rest } = row;
        return rest;
      });
    expect(after).toEqual(before);
    expect(db.prepare('SELECT * FROM shift_tender_counts ORDER BY tender_code').all()).toEqual(countsBefore);
    // The same indexes and triggers, word for word.
    expect(schemaOf(db, 'payments')).toEqual(paymentObjects);
    expect(schemaOf(db, 'shift_tender_counts')).toEqual(countObjects);
    // The refund's payment still points at the sale's card payment, through the rebuilt table's own key.
    const original = db
      .prepare('SELECT p.id FROM payments r JOIN payments p ON p.id = r.original_payment_id WHERE r.id = ?')
      .pluck()
      .get(PAY_REFUND);
    expect(original).toBe(PAY_CARD);
    expect(db.prepare('SELECT gift_card_offline FROM sync_state').pluck().get()).toBe('block');

    // Triggers fire: a completed document's payments cannot change, payments are never deleted.
    expect(() => db.prepare("UPDATE payments SET status = 'removed' WHERE id = ?").run(PAY_CASH)).toThrow(
      /immutable/,
    );
    expect(() => db.prepare('DELETE FROM payments WHERE id = ?').run(PAY_OPEN)).toThrow(/never deleted/);
    expect(() =>
      db.prepare("UPDATE shift_tender_counts SET counted = 1 WHERE tender_code = 'cash'").run(),
    ).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO payments (id, sale_id, position, tender_code, tender_type, amount, status, created_by,
             created_at, updated_at) VALUES ('x', ?, 3, 'cash', 'cash', 1, 'approved', ?, ?, ?)`,
        )
        .run(SALE, USER, AT, AT),
    ).toThrow(/immutable/);
    // Foreign keys are enforced again on the rebuilt table.
    expect(() =>
      db
        .prepare(
          `INSERT INTO payments (id, sale_id, position, tender_code, tender_type, amount, status, created_by,
             created_at, updated_at, original_payment_id)
           VALUES ('y', ?, 2, 'cash', 'cash', 1, 'approved', ?, ?, ?, 'no-such-payment')`,
        )
        .run(OPEN_SALE, USER, AT, AT),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('takes gift-card payments with a key, and refuses one without a key or a malformed key', () => {
    const all = loadMigrations(MIGRATIONS_DIR);
    const db = databaseAtVersion10(all);
    migrate(db, all);
    const insert = db.prepare(
      `INSERT INTO payments (id, sale_id, position, tender_code, tender_type, amount, status, created_by,
         created_at, updated_at, gift_card_key, gift_card_offline)
       VALUES (?, ?, ?, 'gift', ?, 100, 'approved', ?, ?, ?, ?, ?)`,
    );
    insert.run('g1', OPEN_SALE, 2, 'gift_card', USER, AT, AT, KEY, 0);
    insert.run('g2', OPEN_SALE, 3, 'gift_card', USER, AT, AT, KEY, 1);
    expect(() => insert.run('g3', OPEN_SALE, 4, 'gift_card', USER, AT, AT, null, 0)).toThrow(/CHECK/);
    expect(() => insert.run('g4', OPEN_SALE, 5, 'gift_card', USER, AT, AT, 'A'.repeat(64), 0)).toThrow(
      /CHECK/,
    );
    expect(() => insert.run('g5', OPEN_SALE, 6, 'cash', USER, AT, AT, KEY, 0)).toThrow(/CHECK/);
    expect(() => insert.run('g6', OPEN_SALE, 7, 'external', USER, AT, AT, null, 1)).toThrow(/CHECK/);
    db.prepare(
      "INSERT INTO shift_tender_counts (shift_id, tender_code, tender_type, expected) VALUES (?, 'gift', 'gift_card', 200)",
    ).run(SHIFT);
    db.close();
  });

  it('rolls everything back, foreign keys on again, when a rebuild would leave a dangling reference', () => {
    const all = loadMigrations(MIGRATIONS_DIR);
    const db = databaseAtVersion10(all);
    const broken: Migration = {
      version: all.length + 1,
      name: 'broken_rebuild',
      sql: `${FOREIGN_KEYS_OFF_MARKER}
        CREATE TABLE sync_probe (id INTEGER PRIMARY KEY) STRICT;
        -- Loses the user every document references: foreign_key_check must catch it.
        DELETE FROM users;`,
    };
    let error: unknown;
    try {
      migrate(db, [...all, broken]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as DatabaseOpenError).problem).toBe('bad_migrations');
    expect((error as Error).message).toMatch(/broken_rebuild.*broken reference/);
    // Nothing of the batch stayed: not 0011, not the broken one.
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'sync_probe'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a rebuild while a transaction is open (foreign keys cannot be turned off then)', () => {
    const all = loadMigrations(MIGRATIONS_DIR);
    const db = databaseAtVersion10(all);
    db.exec('BEGIN');
    expect(() => migrate(db, all)).toThrow(/could not be turned off/);
    db.exec('ROLLBACK');
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('ships 0011 with its marker on the first line', () => {
    const text = fs.readFileSync(path.join(MIGRATIONS_DIR, '0011_gift_cards.sql'), 'utf8');
    expect(text.split('\n', 1)[0]).toBe(FOREIGN_KEYS_OFF_MARKER);
  });
});
