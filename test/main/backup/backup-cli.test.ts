/**
 * `npm run backup` and `npm run restore`, run in-process with injected argv, output and terminal: exit codes,
 * one-line messages, passphrase from a file or typed without echo, and a failed restore that leaves the station
 * database byte-for-byte as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runBackup, runRestore, type MaintenanceRuntime } from '../../../src/main/cli/backup-command';
import { HEADER_SIZE } from '../../../src/main/core/backup/format';
import { Station } from '../../../src/main/core/station';
import { MIGRATIONS_DIR, REPO_ROOT } from '../../helpers/paths';
import { tempDataDir } from '../../helpers/temp-dir';
import { completedSales, databaseHash, openBackupStation, PASSPHRASE, type BackupFixture } from './fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

interface Run {
  code: number;
  out: string[];
  err: string[];
}

/** A fake terminal: `typed` arrives as keystrokes once the prompt asks; isTTY as given. */
function terminal(options: { tty: boolean; typed?: string[] }) {
  const input = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  const output = new PassThrough();
  const echoed: string[] = [];
  output.on('data', (d: Buffer) => echoed.push(d.toString()));
  if (options.tty) {
    input.isTTY = true;
    input.setRawMode = () => input;
    const lines = [...(options.typed ?? [])];
    output.on('data', (d: Buffer) => {
      if (/passphrase: $/i.test(d.toString()) && lines.length > 0) {
        const line = lines.shift()!;
        setImmediate(() => input.write(line));
      }
    });
  }
  return { terminal: { input, output }, echoed };
}

function runtime(term = terminal({ tty: false }).terminal): {
  rt: MaintenanceRuntime;
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    rt: {
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
      terminal: term,
      appRoot: REPO_ROOT,
      now: () => new Date('2026-01-15T12:00:00.000Z'),
    },
    out,
    err,
  };
}

async function backup(args: string[], term?: ReturnType<typeof terminal>['terminal']): Promise<Run> {
  const { rt, out, err } = runtime(term);
  return { code: await runBackup(args, rt), out, err };
}
async function restore(args: string[], term?: ReturnType<typeof terminal>['terminal']): Promise<Run> {
  const { rt, out, err } = runtime(term);
  return { code: await runRestore(args, rt), out, err };
}

/** A station with two sales, closed (a technician stops it before a restore), plus a passphrase file. */
async function stoppedStation(): Promise<{ f: BackupFixture; work: string; passFile: string }> {
  const f = await openBackupStation();
  cleanups.push(f.cleanup);
  await f.sell();
  await f.sell();
  f.station.close();
  const work = tempDataDir('ct-cli-');
  cleanups.push(work.cleanup);
  const passFile = path.join(work.dir, 'pass.txt');
  fs.writeFileSync(passFile, `${PASSPHRASE}\n`);
  return { f, work: work.dir, passFile };
}

function salesIn(dataDir: string): number {
  const station = Station.open({ dataDir, migrationsDir: MIGRATIONS_DIR, version: 'test' });
  try {
    return completedSales(station);
  } finally {
    station.close();
  }
}

describe('npm run backup / restore', () => {
  it('backs up and restores with a passphrase file; the previous database is kept aside', async () => {
    const { f, work, passFile } = await stoppedStation();
    const out = path.join(work, 'shop.ctbk');
    const made = await backup(['--data-dir', f.dataDir, '--out', out, '--passphrase-file', passFile]);
    expect(made).toMatchObject({ code: 0, err: [] });
    expect(made.out[0]).toMatch(/^Backup written and verified: .*shop\.ctbk/);
    expect(fs.readdirSync(work).sort()).toEqual(['pass.txt', 'shop.ctbk']);

    // More sales after the backup, then the restore takes the station back to two.
    const again = Station.open({ dataDir: f.dataDir, migrationsDir: MIGRATIONS_DIR, version: 'test' });
    again.db.prepare("UPDATE settings SET value = '\"Changed\"' WHERE key = 'storeName'").run();
    again.close();

    const done = await restore(['--data-dir', f.dataDir, '--in', out, '--passphrase-file', passFile]);
    expect(done).toMatchObject({ code: 0, err: [] });
    expect(done.out[0]).toMatch(
      /^Restored .*The previous database is kept as .*station\.db\.before-restore-2026-01-15T12-00-00-000Z\.$/,
    );
    expect(salesIn(f.dataDir)).toBe(2);
    const station = Station.open({ dataDir: f.dataDir, migrationsDir: MIGRATIONS_DIR, version: 'test' });
    expect(station.settings.get('storeName')).toBe('Test Store');
    station.close();
  });

  it('refuses a wrong passphrase, a flipped byte and a truncated file, leaving station.db byte-for-byte', async () => {
    const { f, work, passFile } = await stoppedStation();
    const out = path.join(work, 'shop.ctbk');
    expect((await backup(['--data-dir', f.dataDir, '--out', out, '--passphrase-file', passFile])).code).toBe(
      0,
    );
    const bytes = fs.readFileSync(out);
    const hash = databaseHash(f.dataDir);
    const listing = fs.readdirSync(f.dataDir).sort();

    const wrongPass = path.join(work, 'wrong.txt');
    fs.writeFileSync(wrongPass, 'definitely not it');
    const flipped = path.join(work, 'flipped.ctbk');
    const copy = Buffer.from(bytes);
    copy[HEADER_SIZE + 5000] = copy[HEADER_SIZE + 5000]! ^ 0x80;
    fs.writeFileSync(flipped, copy);
    const truncated = path.join(work, 'truncated.ctbk');
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const headerOnly = path.join(work, 'header.ctbk');
    fs.writeFileSync(headerOnly, bytes.subarray(0, HEADER_SIZE));

    const cases: [string, string, RegExp][] = [
      [out, wrongPass, /passphrase does not open this backup/],
      [flipped, passFile, /damaged or was altered/],
      [truncated, passFile, /incomplete/],
      [headerOnly, passFile, /incomplete/],
      [path.join(work, 'missing.ctbk'), passFile, /Cannot read the backup file/],
    ];
    for (const [file, pass, message] of cases) {
      const r = await restore(['--data-dir', f.dataDir, '--in', file, '--passphrase-file', pass]);
      expect(r.code).toBe(1);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^restore failed: /);
      expect(r.err[0]).toMatch(message);
      expect(databaseHash(f.dataDir)).toBe(hash);
      expect(fs.readdirSync(f.dataDir).sort()).toEqual(listing);
    }
    expect(salesIn(f.dataDir)).toBe(2);
  });

  it('asks for the passphrase without echo on a terminal, and fails without one otherwise', async () => {
    const { f, work } = await stoppedStation();
    const out = path.join(work, 'typed.ctbk');
    const typed = terminal({ tty: true, typed: [`${PASSPHRASE}\r`, `${PASSPHRASE}\r`] });
    expect((await backup(['--data-dir', f.dataDir, '--out', out], typed.terminal)).code).toBe(0);
    expect(typed.echoed.join('')).not.toContain(PASSPHRASE);
    expect(typed.echoed.join('')).toMatch(/Backup passphrase: \n.*Repeat the passphrase: \n/s);

    const mismatch = terminal({ tty: true, typed: [`${PASSPHRASE}\r`, 'something else\r'] });
    const r = await backup(['--data-dir', f.dataDir, '--out', path.join(work, 'x.ctbk')], mismatch.terminal);
    expect(r).toMatchObject({ code: 1, err: ['backup failed: The two passphrases differ.'] });

    const none = await restore(['--data-dir', f.dataDir, '--in', out]);
    expect(none.code).toBe(1);
    expect(none.err[0]).toMatch(/give --passphrase-file FILE/);

    const typedRestore = terminal({ tty: true, typed: [`${PASSPHRASE}\r`] });
    expect((await restore(['--data-dir', f.dataDir, '--in', out], typedRestore.terminal)).code).toBe(0);
  });

  it('exits 2 on a bad command line and 1 on other failures, with one line', async () => {
    const { f, work, passFile } = await stoppedStation();
    expect((await backup([])).code).toBe(2);
    expect((await backup(['--data-dir', f.dataDir])).err).toEqual(['backup: --out is required']);
    expect((await restore(['--data-dir', f.dataDir, '--in', 'x', '--force'])).code).toBe(2);
    expect((await backup(['--help'])).code).toBe(0);

    const empty = tempDataDir();
    cleanups.push(empty.cleanup);
    const noDb = await backup([
      '--data-dir',
      empty.dir,
      '--out',
      path.join(work, 'a.ctbk'),
      '--passphrase-file',
      passFile,
    ]);
    expect(noDb).toMatchObject({ code: 1 });
    expect(noDb.err[0]).toMatch(/no station database/);

    const short = path.join(work, 'short.txt');
    fs.writeFileSync(short, 'short');
    const weak = await backup([
      '--data-dir',
      f.dataDir,
      '--out',
      path.join(work, 'b.ctbk'),
      '--passphrase-file',
      short,
    ]);
    expect(weak.err[0]).toMatch(/at least 10 characters/);

    const existing = path.join(work, 'exists.ctbk');
    fs.writeFileSync(existing, 'keep');
    const clash = await backup(['--data-dir', f.dataDir, '--out', existing, '--passphrase-file', passFile]);
    expect(clash.err[0]).toMatch(/already exists/);
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep');
  });

  it('refuses to restore over a station that is running', async () => {
    const f = await openBackupStation();
    cleanups.push(f.cleanup);
    const work = tempDataDir('ct-cli-');
    cleanups.push(work.cleanup);
    const passFile = path.join(work.dir, 'pass.txt');
    fs.writeFileSync(passFile, PASSPHRASE);
    const out = path.join(work.dir, 'live.ctbk');
    // A backup of a running station is fine (online backup from a second connection).
    expect((await backup(['--data-dir', f.dataDir, '--out', out, '--passphrase-file', passFile])).code).toBe(
      0,
    );
    const r = await restore(['--data-dir', f.dataDir, '--in', out, '--passphrase-file', passFile]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/stop the Countertop station/);
    await f.sell();
  });
});
