import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter';

// Two projects: `unit` (pure domain, core on real SQLite in temp dirs, drivers against simulators, shell with a
// fake electron) and `e2e` (the built browser host driven in Debian's Chromium). `npm test` builds first and
// runs the two projects one after the other: a keyboard-wedge scan is told from typing by the gaps between keys,
// and with unit files (PostgreSQL clusters, soaks) on the same 2 cores the test driver stalled long enough
// between a scan's keys to split it.
export default defineConfig({
  test: {
    reporters: ['default', new SummaryReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
