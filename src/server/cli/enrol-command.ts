import { getStore, issueEnrolmentCode } from '../admin';
import { createPool, migrate } from '../db';
import { databaseUrlOf, describeDatabaseError, parseArgs, UsageError, type CliIo } from './args';

/** `npm run server:enrol -- --database-url URL --store S [--ttl-minutes N]`: prints a one-time enrolment code. */

const USAGE = 'Usage: npm run server:enrol -- --database-url URL --store S [--ttl-minutes N]';

export async function runEnrolCommand(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  let databaseUrl: string;
  let storeId: string;
  let ttl: number | undefined;
  try {
    const args = parseArgs(argv, ['database-url', 'store', 'ttl-minutes']);
    databaseUrl = databaseUrlOf(args, env);
    storeId = args.options.get('store') ?? '';
    if (storeId === '') throw new UsageError('Give the store with --store S.');
    const ttlText = args.options.get('ttl-minutes');
    if (ttlText !== undefined && !/^\d{1,6}$/.test(ttlText))
      throw new UsageError('--ttl-minutes is a number of minutes.');
    ttl = ttlText === undefined ? undefined : Number(ttlText);
    if (args.positional.length > 0) throw new UsageError(`Unexpected argument ${args.positional[0]}.`);
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  const pool = createPool(databaseUrl, 1);
  try {
    await migrate(pool);
    const store = await getStore(pool, storeId);
    if (store === null) {
      io.err(
        `There is no store "${storeId}". Create it through the admin API first (POST /v1/admin/stores).`,
      );
      return 1;
    }
    const { code, expiresAt } = await issueEnrolmentCode(pool, storeId, ttl);
    io.out(code);
    io.err(`One-time enrolment code for ${store.name} (${store.id}); valid until ${expiresAt}.`);
    return 0;
  } catch (err) {
    io.err(describeDatabaseError(err, databaseUrl));
    return 1;
  } finally {
    await pool.end();
  }
}
