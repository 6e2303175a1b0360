/**
 * `npm run sync:soak -- [--stations 4] [--seconds 60] [--seed N] [--database-url URL]` (via scripts/sync-soak.mjs):
 * runs the store-sync soak, prints the checks and exits 1 if any failed (2 on a bad command line).
 */
import { formatReport, runSoak, type SoakOptions } from './soak-runner';

function parse(argv: string[]): SoakOptions {
  const options: SoakOptions = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const value = argv[i + 1];
    const number = Number(value);
    switch (flag) {
      case '--stations':
        if (!Number.isInteger(number) || number < 1 || number > 16) throw new Error('--stations takes 1..16');
        options.stations = number;
        break;
      case '--seconds':
        if (!Number.isInteger(number) || number < 5 || number > 3600)
          throw new Error('--seconds takes 5..3600');
        options.seconds = number;
        break;
      case '--seed':
        if (!Number.isInteger(number)) throw new Error('--seed takes an integer');
        options.seed = number;
        break;
      case '--database-url':
        if (value === undefined) throw new Error('--database-url takes a URL');
        options.databaseUrl = value;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

let options: SoakOptions;
try {
  options = parse(process.argv.slice(2));
} catch (err) {
  console.error(
    `${(err as Error).message}\nUsage: npm run sync:soak -- [--stations 4] [--seconds 60] [--seed N] [--database-url URL]`,
  );
  process.exit(2);
}
const started = Date.now();
runSoak(options).then(
  (report) => {
    console.log(formatReport(report));
    console.log(`soak: ${Math.round((Date.now() - started) / 1000)} s`);
    process.exit(report.ok ? 0 : 1);
  },
  (err: unknown) => {
    console.error(`soak failed to run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
