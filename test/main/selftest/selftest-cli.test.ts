import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EscPosSimulator } from '../../../src/drivers/printer/simulator';
import { runSelftest, type SelftestRuntime } from '../../../src/main/cli/selftest-command';
import { FAST_LIMITS } from './fixture';
import { REPO_ROOT } from '../../helpers/paths';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';

const temps: TempDir[] = [];
const sims: EscPosSimulator[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
  for (const t of temps.splice(0)) t.cleanup();
});

function runtime(): SelftestRuntime & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    appRoot: REPO_ROOT,
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    env: { COUNTERTOP_NO_DEMO_TERMINAL: '1' },
    configure: (station) => Object.assign(station.diagnostics.selftest.limits, FAST_LIMITS),
  };
}

async function printerFile(
  state: 'normal' | 'paperOut',
): Promise<{ dir: string; file: string; sim: EscPosSimulator }> {
  const t = tempDataDir('ct-selftest-cli-');
  temps.push(t);
  const sim = await EscPosSimulator.start({ state });
  sims.push(sim);
  const file = path.join(t.dir, 'devices.json');
  // The minimal file the issue names: everything else defaulted.
  fs.writeFileSync(file, JSON.stringify({ printer: { connection: `tcp://127.0.0.1:${sim.port}` } }));
  return { dir: path.join(t.dir, 'data'), file, sim };
}

describe('npm run selftest', () => {
  it('exits 0 and prints one PASS line per device when every device passes', async () => {
    const { dir, file } = await printerFile('normal');
    const rt = runtime();
    expect(await runSelftest(['--devices', file, '--data-dir', dir], rt)).toBe(0);
    expect(rt.out.find((l) => l.startsWith('PASS printer'))).toMatch(
      /tcp:\/\/127\.0\.0\.1:\d+\s+status: ready/,
    );
    expect(rt.out.filter((l) => l.startsWith('PASS')).length).toBe(rt.out.length);
    expect(rt.out.map((l) => l.split(/\s+/)[1]).sort()).toEqual(
      ['card_reader', 'customer_display', 'drawer', 'printer', 'scanner'].sort(),
    );
  });

  it('exits 1 when the printer reports paper out, naming the reason', async () => {
    const { dir, file } = await printerFile('paperOut');
    const rt = runtime();
    expect(await runSelftest(['--devices', file, '--data-dir', dir], rt)).toBe(1);
    expect(rt.out).toContainEqual(
      expect.stringMatching(/^FAIL printer\s+tcp:\/\/\S+\s+status: out of paper$/),
    );
  });

  it('prints the run as JSON with --json, and the external level prints a test page', async () => {
    const { dir, file, sim } = await printerFile('normal');
    const rt = runtime();
    const code = await runSelftest(
      ['--devices', file, '--data-dir', dir, '--level', 'external', '--json'],
      rt,
    );
    const run = JSON.parse(rt.out.join('\n')) as { level: string; status: string; testCode: string };
    expect(run.level).toBe('external');
    // No drawer hangs on this simulator: the kick's sensor check fails, so the run fails.
    expect(code).toBe(1);
    expect(run.status).toBe('failed');
    expect(Buffer.from(sim.jobBytes()).toString('latin1')).toContain(run.testCode);
  });

  it('exits 2 on a bad command line or a bad device file', async () => {
    const rt = runtime();
    expect(await runSelftest(['--level', 'interactive'], rt)).toBe(2);
    expect(rt.err[0]).toMatch(/--level must be internal or external/);
    expect(await runSelftest(['--bogus'], rt)).toBe(2);
    const t = tempDataDir('ct-selftest-cli-');
    temps.push(t);
    const bad = path.join(t.dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ printer: { connection: 'lpt1' } }));
    expect(await runSelftest(['--devices', bad, '--data-dir', t.dir], rt)).toBe(2);
    expect(rt.err.at(-1)).toMatch(/printer\.connection/);
  });
});
