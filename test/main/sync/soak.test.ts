/**
 * The short soak (the long one is `npm run sync:soak`): 4 stations selling through the fault proxy to two
 * store-server processes on one PostgreSQL, one server killed mid-batch and restarted, reference data changed
 * during the run; after healing, the five checks of soak-runner.ts must all pass.
 */
import { describe, expect, it } from 'vitest';
import { formatReport, runSoak } from './soak-runner';

const SECONDS = Number(process.env.SYNC_SOAK_SECONDS ?? 20);

describe('store sync under faults', () => {
  it('heals to exactly-once: sales, sequences, stock ledger, pulled changes, empty outboxes', async () => {
    const lines: string[] = [];
    const report = await runSoak({
      stations: 4,
      seconds: SECONDS,
      seed: 20261127,
      log: (l) => lines.push(l),
    });
    const text = formatReport(report);
    expect(report.checks.map((c) => c.name)).toHaveLength(5);
    expect(report.ok, `${lines.join('\n')}\n${text}`).toBe(true);
    // The run did hit the faults it is meant to survive.
    expect(report.stats.serverKills).toBe(2);
    expect(Number(report.stats['proxy.drop_response'])).toBeGreaterThan(0);
    expect(Number(report.stats['proxy.duplicate'])).toBeGreaterThan(0);
    expect(Number(report.stats.sales)).toBeGreaterThan(0);
  }, 300_000);
});
