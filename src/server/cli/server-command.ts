import fs from 'node:fs';
import { startStoreServer, type StoreServer } from '../index';
import { databaseUrlOf, describeDatabaseError, parseArgs, UsageError, type CliIo } from './args';

/**
 * `npm run server -- --database-url URL --port N [--host H] [--tls-cert F --tls-key F] [--admin-token-file F]`
 * Migrates the database, then serves until SIGTERM/SIGINT (which close it gracefully). Refuses with one clear
 * line and exit code 1 when the database is unreachable or its schema is newer than this server.
 */

const USAGE =
  'Usage: npm run server -- --database-url URL --port N [--host H] [--tls-cert F --tls-key F] [--admin-token-file F]';

export async function runServerCommand(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; server?: StoreServer }> {
  let options;
  try {
    const args = parseArgs(argv, ['database-url', 'port', 'host', 'tls-cert', 'tls-key', 'admin-token-file']);
    const databaseUrl = databaseUrlOf(args, env);
    const portText = args.options.get('port') ?? env.PORT ?? '';
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)
      throw new UsageError('Give the port with --port N.');
    const certFile = args.options.get('tls-cert');
    const keyFile = args.options.get('tls-key');
    if ((certFile === undefined) !== (keyFile === undefined))
      throw new UsageError('--tls-cert and --tls-key go together.');
    const tokenFile = args.options.get('admin-token-file');
    const adminToken = (
      tokenFile !== undefined ? fs.readFileSync(tokenFile, 'utf8') : (env.COUNTERTOP_ADMIN_TOKEN ?? '')
    ).trim();
    if (adminToken.length < 16) {
      throw new UsageError(
        'Give an admin token of at least 16 characters with --admin-token-file F or COUNTERTOP_ADMIN_TOKEN.',
      );
    }
    options = {
      databaseUrl,
      port: Number(portText),
      host: args.options.get('host') ?? '0.0.0.0',
      adminToken,
      ...(certFile !== undefined && keyFile !== undefined
        ? { tls: { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) } }
        : {}),
    };
  } catch (err) {
    io.err(
      err instanceof UsageError ? `${err.message}\n${USAGE}` : `Cannot start: ${(err as Error).message}`,
    );
    return { code: 1 };
  }
  try {
    const server = await startStoreServer({ ...options, log: io.err });
    io.out(`Countertop store server listening on ${server.url.replace('127.0.0.1', options.host)}`);
    return { code: 0, server };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      io.err(`Cannot listen on ${options.host}:${options.port}: ${(err as Error).message}`);
    } else io.err(describeDatabaseError(err, options.databaseUrl));
    return { code: 1 };
  }
}
