/**
 * The audit chain check: tampering done directly in SQLite (the append-only triggers dropped, as an attacker
 * with the file would) is found at the right row, by the core verifier, by `audit:verify` and by the channel.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/main/core/audit/audit-reader';
import { verifyAuditRows } from '../../../src/main/core/audit/chain-verifier';
import { auditHash, type AuditRow } from '../../../src/main/core/journal';
import { DATABASE_FILE } from '../../../src/main/core/station';
import { runAuditVerify } from '../../../src/main/cli/audit-verify-command';
import { STATION_DATABASE_FILE } from '../../../src/main/cli/station-files';
import { DIST_DIR } from '../../helpers/paths';
import { connect, openTestStation, TEST_SETUP, unwrap, type TestStation } from '../../helpers/station';
import { tempDataDir } from '../../helpers/temp-dir';

let test: TestStation | null = null;
afterEach(() => {
  test?.cleanup();
  test = null;
});

/** A set-up station with `extra` more audit rows (locale changes), closed so the file can be tampered with. */
async function stationWithLog(extra = 12): Promise<{ dataDir: string; file: string; rows: AuditRow[] }> {
  test = openTestStation();
  const { station } = test;
  const admin = connect(station, 'admin');
  unwrap(await admin('setup:complete', TEST_SETUP));
  for (let i = 0; i < extra; i++) {
    unwrap(await admin('ui:set-locale', { locale: i % 2 === 0 ? 'en' : 'zh-CN' }));
  }
  const rows = station.db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').all();
  station.close();
  return { dataDir: test.dataDir, file: path.join(test.dataDir, DATABASE_FILE), rows };
}

/** Opens the file as an attacker: the append-only triggers dropped. */
function tamper(file: string, fn: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    fn(db);
  } finally {
    db.close();
  }
}

async function verifyFile(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return await verifyAuditLog(db, { batch: 4 }); // small batches: the keyset paging is exercised too
  } finally {
    db.close();
  }
}

function rehash(db: Database.Database, seq: number): void {
  const row = db.prepare<[number], AuditRow>('SELECT * FROM audit_log WHERE seq = ?').get(seq)!;
  db.prepare('UPDATE audit_log SET hash = ? WHERE seq = ?').run(auditHash(row), seq);
}

function cliIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('the audit chain verifier', () => {
  it('passes an untouched log and counts every row', async () => {
    const { file, rows } = await stationWithLog();
    expect(rows.length).toBeGreaterThan(12);
    expect(await verifyFile(file)).toEqual({ intact: true, rows: rows.length, lastSeq: rows.length });
  });

  it('finds an edited row (content changed, hash left alone)', async () => {
    const { file, rows } = await stationWithLog();
    tamper(file, (db) => db.prepare(`UPDATE audit_log SET details = '{"locale":"fr"}' WHERE seq = 7`).run());
    expect(await verifyFile(file)).toMatchObject({
      intact: false,
      seq: 7,
      id: rows[6]!.id,
      reason: 'edited',
    });
  });

  it('finds an edited row whose own hash was recomputed (the next row no longer links to it)', async () => {
    const { file, rows } = await stationWithLog();
    tamper(file, (db) => {
      db.prepare('UPDATE audit_log SET user_id = NULL WHERE seq = 5').run();
      rehash(db, 5);
    });
    expect(await verifyFile(file)).toMatchObject({
      intact: false,
      seq: 5,
      id: rows[4]!.id,
      reason: 'edited',
    });
  });

  it('finds a deleted row in the middle, and deleted rows renumbered to close the gap', async () => {
    const { file, rows } = await stationWithLog();
    tamper(file, (db) => db.prepare('DELETE FROM audit_log WHERE seq = 6').run());
    expect(await verifyFile(file)).toMatchObject({
      intact: false,
      seq: 7,
      id: rows[6]!.id,
      reason: 'deleted',
    });

    tamper(file, (db) => {
      // Close the gap: 7 → 6, 8 → 7, … (ascending, so the primary key never collides).
      const seqs = db
        .prepare<[], number>('SELECT seq FROM audit_log WHERE seq > 6 ORDER BY seq')
        .pluck()
        .all();
      for (const seq of seqs) db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(seq - 1, seq);
    });
    expect(await verifyFile(file)).toMatchObject({
      intact: false,
      seq: 6,
      id: rows[6]!.id,
      reason: 'deleted',
    });
  });

  it('finds rows removed from the end through the sync queue anchor', async () => {
    const { file, rows } = await stationWithLog();
    const last = rows.length;
    tamper(file, (db) => db.prepare('DELETE FROM audit_log WHERE seq > ?').run(last - 2));
    expect(await verifyFile(file)).toMatchObject({
      intact: false,
      seq: last - 1,
      id: null,
      reason: 'deleted',
    });
  });

  it('finds two rows that swapped places', async () => {
    const { file, rows } = await stationWithLog();
    tamper(file, (db) => {
      db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = 8').run();
      db.prepare('UPDATE audit_log SET seq = 8 WHERE seq = 9').run();
      db.prepare('UPDATE audit_log SET seq = 9 WHERE seq = -1').run();
    });
    expect(await verifyFile(file)).toMatchObject({
      intact: false,
      seq: 8,
      id: rows[8]!.id,
      reason: 'reordered',
    });
  });

  it('finds a row slipped in (with or without a forged hash)', () => {
    const rows = chain(10);
    const forged = (seq: number, prev: AuditRow): AuditRow => {
      const base = { ...rows[0]!, seq, id: 'forged', action: 'sale.completed', prev_hash: prev.hash };
      return { ...base, hash: auditHash(base) };
    };
    // A junk row whose neighbours still link past it.
    const junk = [...rows.slice(0, 4), { ...rows[4]!, id: 'junk', hash: 'f'.repeat(64) }, ...rows.slice(5)];
    junk[4] = { ...junk[4]!, details: '{"x":1}' };
    const skipped = rows.slice(0, 4).concat([{ ...forged(5, rows[3]!), hash: 'e'.repeat(64) }]);
    // Rows renumbered +1 after a forged, self-consistent row at 5.
    const shifted = [
      ...rows.slice(0, 4),
      forged(5, rows[3]!),
      ...rows.slice(4).map((r) => ({ ...r, seq: r.seq + 1 })),
    ];
    expect(verifyAuditRows(shifted)).toMatchObject({
      intact: false,
      seq: 5,
      id: 'forged',
      reason: 'inserted',
    });
    // A forged row at 5 with a junk hash, the original row 5 following at 6 but still linking to 4.
    const withJunk = [...skipped, ...rows.slice(4).map((r) => ({ ...r, seq: r.seq + 1 }))];
    expect(verifyAuditRows(withJunk)).toMatchObject({ intact: false, seq: 5, reason: 'inserted' });
    expect(verifyAuditRows(junk)).toMatchObject({ intact: false, seq: 5, reason: 'edited' });
  });

  it('holds only a few rows in memory: a long generated log is streamed through', () => {
    function* long(n: number): Generator<AuditRow> {
      let prev = '0'.repeat(64);
      for (let seq = 1; seq <= n; seq++) {
        const base = {
          seq,
          id: `id-${seq}`,
          at: '2026-01-15T09:00:00.000Z',
          user_id: null,
          action: 'x',
          details: '{}',
          prev_hash: prev,
        };
        const row = { ...base, hash: auditHash(base) };
        prev = row.hash;
        yield row;
      }
    }
    expect(verifyAuditRows(long(50_000))).toEqual({ intact: true, rows: 50_000, lastSeq: 50_000 });
  });
});

/** A valid chain of n rows built with the journal's hash. */
function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const base = {
      seq,
      id: `row-${seq}`,
      at: new Date(Date.UTC(2026, 0, 15, 9, 0, seq)).toISOString(),
      user_id: 'u1',
      action: 'auth.sign_in',
      details: JSON.stringify({ n: seq }),
      prev_hash: rows.at(-1)?.hash ?? '0'.repeat(64),
    };
    rows.push({ ...base, hash: auditHash(base) });
  }
  return rows;
}

describe('npm run audit:verify', () => {
  it('exits 0 on an intact log, 1 with the first broken row, 2 on usage errors and unreadable files', async () => {
    const { dataDir, file } = await stationWithLog(4);
    let r = cliIo();
    expect(await runAuditVerify(['--data-dir', dataDir], r.io)).toBe(0);
    expect(r.out.join('\n')).toMatch(/^Audit log intact: \d+ rows/);

    tamper(file, (db) => db.prepare(`UPDATE audit_log SET action = 'auth.nothing' WHERE seq = 3`).run());
    r = cliIo();
    expect(await runAuditVerify(['--data-dir', dataDir], r.io)).toBe(1);
    expect(r.out.join('\n')).toMatch(/BROKEN at row 3 .*edited/);

    r = cliIo();
    expect(await runAuditVerify([], r.io)).toBe(2);
    expect(r.err.join('\n')).toMatch(/--data-dir is required/);
    expect(await runAuditVerify(['--data-dir', dataDir, '--fix'], cliIo().io)).toBe(2);

    const empty = tempDataDir();
    try {
      r = cliIo();
      expect(await runAuditVerify(['--data-dir', empty.dir], r.io)).toBe(2);
      expect(r.err.join('\n')).toMatch(/no station database/);
    } finally {
      empty.cleanup();
    }
  });

  it('opens the database read-only: verifying changes nothing in the file', async () => {
    const { dataDir, file } = await stationWithLog(2);
    const before = new Database(file, { readonly: true });
    const count = before.prepare('SELECT count(*) FROM audit_log').pluck().get();
    before.close();
    expect(await runAuditVerify(['--data-dir', dataDir], cliIo().io)).toBe(0);
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(count);
    after.close();
  });
});

const BUNDLE = path.join(DIST_DIR, 'main', 'audit-verify.mjs');

describe.skipIf(!fs.existsSync(BUNDLE))('the audit-verify bundle (dist/main/audit-verify.mjs)', () => {
  it('exits 0 when intact, 1 when broken, 2 on a bad command line', async () => {
    const { dataDir, file } = await stationWithLog(3);
    const run = (args: string[]) => spawnSync(process.execPath, [BUNDLE, ...args], { encoding: 'utf8' });
    expect(run(['--data-dir', dataDir]).status).toBe(0);
    tamper(file, (db) => db.prepare('DELETE FROM audit_log WHERE seq = 2').run());
    const broken = run(['--data-dir', dataDir]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at row 3 .*deleted/);
    expect(run(['--nope']).status).toBe(2);
  });
});

describe('the maintenance commands', () => {
  it('name the same database file the station opens', () => {
    expect(STATION_DATABASE_FILE).toBe(DATABASE_FILE);
  });
});
