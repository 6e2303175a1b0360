/**
 * The manager's audit screen through the gate: filtered keyset pages, the CSV export (audited, formula-safe),
 * and the chain check (audited) — intact, then broken by a direct edit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { csvCell } from '../../../src/main/core/audit/csv';
import {
  connect,
  openTestStation,
  TEST_SETUP,
  unwrap,
  type Caller,
  type TestStation,
} from '../../helpers/station';
import type { ManualClock } from '../../../src/main/core/clock';

let test: TestStation | null = null;
afterEach(() => {
  test?.cleanup();
  test = null;
});

async function setUp(): Promise<{ admin: Caller; manager: Caller; managerId: string; t: TestStation }> {
  const t = openTestStation();
  test = t;
  const admin = connect(t.station, 'admin');
  unwrap(await admin('setup:complete', TEST_SETUP));
  const clock = t.clock as ManualClock;
  // A few hours of activity: locale changes by the admin, staff created.
  for (let i = 0; i < 30; i++) {
    clock.advance(4 * 60_000); // under the 5-minute idle lock
    unwrap(await admin('ui:set-locale', { locale: i % 2 === 0 ? 'en' : 'zh-CN' }));
  }
  // Locale changes are public calls and do not count as activity: the admin's screen locked meanwhile.
  unwrap(await admin('auth:unlock', { pin: TEST_SETUP.adminPin }));
  const mgr = unwrap(await admin('staff:create', { name: '=HYPERLINK("x")', role: 'manager', pin: '3333' }));
  const manager = connect(t.station, 'manager');
  unwrap(await manager('auth:sign-in', { userId: mgr.id, pin: '3333' }));
  return { admin, manager, managerId: mgr.id, t };
}

describe('audit:list', () => {
  it('pages newest first by seq and filters by user, action and time range', async () => {
    const { manager, managerId } = await setUp();
    const first = unwrap(await manager('audit:list', { limit: 10 }));
    expect(first.entries).toHaveLength(10);
    expect(first.entries[0]!.action).toBe('auth.sign_in');
    expect(first.entries[0]!.userName).toBe('=HYPERLINK("x")');
    const seqs = first.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const second = unwrap(await manager('audit:list', { limit: 10, beforeSeq: first.nextBeforeSeq! }));
    expect(second.entries[0]!.seq).toBe(seqs.at(-1)! - 1);

    // Walk every page: each row once, and the last page says so.
    const all: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = unwrap(
        await manager('audit:list', before ? { limit: 7, beforeSeq: before } : { limit: 7 }),
      );
      all.push(...page.entries.map((e) => e.seq));
      if (page.nextBeforeSeq === null) break;
      before = page.nextBeforeSeq;
    }
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => all.length - i));

    const locale = unwrap(await manager('audit:list', { action: 'settings.locale_changed', limit: 200 }));
    expect(locale.entries).toHaveLength(30);
    expect(locale.entries.every((e) => e.action === 'settings.locale_changed')).toBe(true);

    const byManager = unwrap(await manager('audit:list', { userId: managerId }));
    expect(byManager.entries.map((e) => e.action)).toEqual(['auth.sign_in']);

    // 09:04 … 11:00 in four-minute steps; [10:00, 10:20) holds five of them.
    const hour = unwrap(
      await manager('audit:list', {
        action: 'settings.locale_changed',
        from: '2026-01-15T18:00:00+08:00',
        to: '2026-01-15T10:20:00Z',
      }),
    );
    expect(hour.entries.map((e) => e.at)).toEqual([
      '2026-01-15T10:16:00.000Z',
      '2026-01-15T10:12:00.000Z',
      '2026-01-15T10:08:00.000Z',
      '2026-01-15T10:04:00.000Z',
      '2026-01-15T10:00:00.000Z',
    ]);

    const facets = unwrap(await manager('audit:facets', {}));
    expect(facets.actions).toContain('settings.locale_changed');
    expect(facets.users.map((u) => u.name).sort()).toEqual(['=HYPERLINK("x")', 'Admin'].sort());

    expect(await manager('audit:list', { action: "x' OR 1=1 --" })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
  });
});

describe('audit:export', () => {
  it('returns the filtered rows as CSV, neutralises formulas, and records the export', async () => {
    const { manager, managerId } = await setUp();
    const out = unwrap(await manager('audit:export', { action: 'staff.created' }));
    expect(out.rows).toBe(1);
    expect(out.fileName).toMatch(/^audit-log-\d{8}T\d{6}Z\.csv$/);
    const lines = out.csv.split('\r\n');
    expect(lines[0]).toBe('seq,id,at,user_id,user_name,action,details,prev_hash,hash');
    expect(lines).toHaveLength(3); // header, one row, trailing empty after the last CRLF
    expect(lines[1]).toContain('staff.created');
    expect(lines[1]).toContain(`"{""staffId"":""${managerId}"",""name"":""=HYPERLINK(\\""x\\"")""`);

    // The manager's name starts with "=": in the user_name column it is neutralised.
    const signIns = unwrap(await manager('audit:export', { userId: managerId, action: 'auth.sign_in' }));
    expect(signIns.csv.split('\r\n')[1]).toContain(`,"'=HYPERLINK(""x"")",auth.sign_in,`);

    const exported = unwrap(await manager('audit:list', { action: 'audit.exported', limit: 1 }));
    expect(exported.entries[0]).toMatchObject({
      userId: managerId,
      details: { filter: { userId: managerId, action: 'auth.sign_in' }, rows: 1 },
    });
  });

  it('quotes cells a spreadsheet would otherwise run', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvCell(null)).toBe('');
  });
});

describe('audit:verify', () => {
  it('reports an intact chain, then the first broken row after a direct edit; each check is audited', async () => {
    const { manager, t } = await setUp();
    const ok = unwrap(await manager('audit:verify', {}));
    expect(ok).toMatchObject({ intact: true });
    const verified = unwrap(await manager('audit:list', { action: 'audit.verified' }));
    expect(verified.entries[0]!.details).toMatchObject({ intact: true });

    t.station.db.exec('DROP TRIGGER audit_log_no_update');
    t.station.db.prepare(`UPDATE audit_log SET details = '{"locale":"fr"}' WHERE seq = 4`).run();
    const broken = unwrap(await manager('audit:verify', {}));
    expect(broken).toMatchObject({ intact: false, seq: 4, reason: 'edited' });
    const last = unwrap(await manager('audit:list', { action: 'audit.verified', limit: 1 }));
    expect(last.entries[0]!.details).toMatchObject({ intact: false, seq: 4, reason: 'edited' });
  });

  it('is refused to roles without audit.view', async () => {
    const { admin } = await setUp();
    const cashier = unwrap(await admin('staff:create', { name: 'Cashier', role: 'cashier', pin: '1111' }));
    const till = connect(test!.station, 'till');
    unwrap(await till('auth:sign-in', { userId: cashier.id, pin: '1111' }));
    expect(await till('audit:verify', {})).toMatchObject({ ok: false, error: { code: 'permission_denied' } });
    expect(await till('audit:export', {})).toMatchObject({ ok: false, error: { code: 'permission_denied' } });
  });
});
