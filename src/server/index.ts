import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { sha256 } from './credentials';
import { createPool, migrate, type Pool } from './db';
import { HttpError, sendError } from './http';
import { route, type RouteContext } from './routes';

export { migrateServerDatabase } from './migrate';
export { SchemaTooNewError } from './db';

/**
 * The store server: a stateless Node HTTP(S) service on PostgreSQL. Any number of these processes can serve
 * one database behind a load balancer — every request's state lives in PostgreSQL, and every write that must
 * be atomic is one PostgreSQL transaction.
 */

export interface StoreServerOptions {
  databaseUrl: string;
  port: number;
  /** Default 127.0.0.1; use 0.0.0.0 to serve the store's network. */
  host?: string;
  /** PEM certificate chain and key (contents, not paths); without them the server speaks plain HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Bearer token of the admin API; at least 16 characters. */
  adminToken: string;
  /** Connections to PostgreSQL (default 10). */
  poolSize?: number;
  /** Where unexpected errors are written (default stderr). */
  log?: (line: string) => void;
}

export interface StoreServer {
  url: string;
  port: number;
  /** Stops accepting, lets requests in flight finish (up to 10 s), then closes the database pool. */
  close(): Promise<void>;
}

/** PostgreSQL SQLSTATE classes and Node errors that mean "try again later", not "this request is wrong". */
function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('08') || // connection exceptions
    code.startsWith('53') || // insufficient resources (too many connections …)
    code.startsWith('57') || // operator intervention (shutdown …)
    code === '40001' || // serialization failure
    code === '40P01' || // deadlock detected
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT'
  );
}

function toHttpError(err: unknown, log: (line: string) => void): HttpError {
  if (err instanceof HttpError) return err;
  if (isUnavailable(err))
    return new HttpError(503, 'unavailable', 'The store server cannot reach its database; try again.');
  if (err instanceof Error && err.message.includes('timeout exceeded when trying to connect')) {
    return new HttpError(503, 'unavailable', 'The store server is busy; try again.');
  }
  log(`store server: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return new HttpError(500, 'internal', 'The store server failed to handle the request.');
}

export async function startStoreServer(options: StoreServerOptions): Promise<StoreServer> {
  if (options.adminToken.length < 16) throw new Error('The admin token must be at least 16 characters long.');
  const log = options.log ?? ((line: string) => console.error(line));
  const pool: Pool = createPool(options.databaseUrl, options.poolSize ?? 10);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  const ctx: RouteContext = { pool, adminTokenHash: sha256(options.adminToken) };
  let inFlight = 0;
  let drained: (() => void) | null = null;

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight += 1;
    res.on('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://store-server');
        const { handler, params } = route(req.method ?? 'GET', url.pathname);
        await handler(req, res, ctx, params, url);
      } catch (err) {
        sendError(res, toHttpError(err, log));
      }
    })();
  };

  const server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handle)
    : http.createServer(handle);
  // Stations keep their connection between batches; keep it open a little longer than they wait.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.requestTimeout = 120_000;
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  server.on('error', (err) => log(`store server: ${err.message}`));
  const port = (server.address() as AddressInfo).port;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight > 0) {
          await Promise.race([
            new Promise<void>((resolve) => (drained = resolve)),
            new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
          ]);
        }
        server.closeAllConnections();
        await stopped;
        await pool.end();
      })();
      return closing;
    },
  };
}
