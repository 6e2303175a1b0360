import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Station } from '../core/station';
import { SECURITY_HEADERS, sendText } from './headers';
import { StaticFiles } from './static-files';
import { WsBridge, type WebHostLogger } from './ws-bridge';

export type { WebHostLogger } from './ws-bridge';

export interface WebHostOptions {
  station: Pick<Station, 'gate' | 'events'>;
  /** 0 picks a free port (tests). */
  port: number;
  /** Loopback only; anything else is refused unless `allowRemote` is set. */
  host?: string;
  /** The built renderer (`dist/renderer`); it must exist. */
  rendererDir: string;
  logger?: WebHostLogger;
  /** Not exposed by any command yet: serving other machines needs TLS and a pairing story first. */
  allowRemote?: boolean;
  heartbeatIntervalMs?: number;
  maxPayloadBytes?: number;
  maxConnections?: number;
  /**
   * Reuse a token (the station reopened after a restore, on the same port): the open page reconnects with the
   * token it has. Default: a new random one per launch.
   */
  token?: string;
}

export interface WebHost {
  /** What to open in a browser: `http://127.0.0.1:<port>/#token=<token>` (the token never reaches a server log). */
  url: string;
  /** The page's own origin, the only Origin accepted on the WebSocket. */
  origin: string;
  port: number;
  token: string;
  /** Ids of the open WebSocket connections (`ws:<n>`), as the gate knows them. */
  connectionIds(): string[];
  /** Closes every WebSocket, then the HTTP server. Safe to call twice. */
  close(): Promise<void>;
}

export const WS_PATH = '/ws';
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost']);
const DEFAULTS = {
  heartbeatIntervalMs: 30_000,
  maxPayloadBytes: 1024 * 1024,
  maxConnections: 32,
  maxBufferedBytes: 8 * 1024 * 1024,
} as const;

const defaultLogger: WebHostLogger = {
  error: (message, err) => console.error(message, err),
  warn: (message) => console.warn(message),
};

/**
 * The browser host: the built renderer as static files plus the IPC gate over a WebSocket, on 127.0.0.1.
 *
 * Who may talk to the gate: a page that knows this launch's random token (handed over in the URL fragment,
 * so it is never sent in a request line or a Referer) AND runs on this very origin (so another web site open
 * in the same browser cannot connect even if it guessed the port). The Host header is checked on every request
 * as well, which defeats DNS rebinding.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const requestedHost = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(requestedHost) && options.allowRemote !== true) {
    throw new Error(
      `The browser host listens on 127.0.0.1 only; refusing to listen on "${requestedHost}" without allowRemote.`,
    );
  }
  // 'localhost' may resolve to ::1 first; bind the IPv4 loopback the CSP and the origin check expect.
  const bindHost = requestedHost === 'localhost' ? '127.0.0.1' : requestedHost;
  const logger = options.logger ?? defaultLogger;
  const files = await StaticFiles.create(options.rendererDir);
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenDigest = digest(token);
  const maxConnections = options.maxConnections ?? DEFAULTS.maxConnections;

  const bridge = new WsBridge({
    gate: options.station.gate,
    events: options.station.events,
    logger,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
    maxPayloadBytes: options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes,
    maxBufferedBytes: DEFAULTS.maxBufferedBytes,
  });

  let allowedHosts: ReadonlySet<string> = new Set();
  let allowedOrigins: ReadonlySet<string> = new Set();

  const server = http.createServer((req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      sendText(res, 421, 'Misdirected request');
      return;
    }
    if (pathOf(req) === WS_PATH) {
      sendText(res, 426, 'Upgrade required', { Upgrade: 'websocket' });
      return;
    }
    files.serve(req, res).catch((err: unknown) => {
      logger.error('Serving a static file failed', err);
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const refusal = checkUpgrade(req);
      if (refusal) {
        logger.warn?.(`Refused a WebSocket connection: ${refusal.reason}`);
        refuseUpgrade(socket, refusal.status, refusal.text);
        return;
      }
      bridge.accept(req, socket, head);
    } catch (err) {
      // An exception here would be uncaught and take the station down with it: drop this one socket instead.
      logger.error('Handling a WebSocket upgrade failed', err);
      socket.destroy();
    }
  });

  // A slow or silent client must not hold a socket open forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  function checkUpgrade(req: IncomingMessage): { status: number; text: string; reason: string } | null {
    if (pathOf(req) !== WS_PATH) return { status: 404, text: 'Not found', reason: 'wrong path' };
    if (!allowedHosts.has(req.headers.host ?? '')) {
      return { status: 421, text: 'Misdirected request', reason: 'unexpected Host header' };
    }
    const origin = req.headers.origin;
    if (origin === undefined || !allowedOrigins.has(origin)) {
      return { status: 403, text: 'Forbidden', reason: 'missing or foreign Origin' };
    }
    const offered = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('token');
    if (offered === null || !timingSafeEqual(digest(offered), tokenDigest)) {
      return { status: 401, text: 'Unauthorized', reason: 'missing or wrong token' };
    }
    if (bridge.size >= maxConnections) {
      return { status: 503, text: 'Too many connections', reason: 'connection limit reached' };
    }
    return null;
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, bindHost);
  }).catch(async (err: unknown) => {
    await bridge.close();
    throw err;
  });
  server.on('error', (err) => logger.error('Browser host server error', err));

  const port = (server.address() as AddressInfo).port;
  const hostNames = ['127.0.0.1', 'localhost', ...(bindHost === '127.0.0.1' ? [] : [bindHost])];
  allowedHosts = new Set(hostNames.map((h) => `${h}:${port}`));
  allowedOrigins = new Set(hostNames.map((h) => `http://${h}:${port}`));
  const origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      await bridge.close();
      server.closeAllConnections();
      await serverClosed;
    })();
    return closing;
  };

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    connectionIds: () => bridge.connectionIds(),
    close,
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  421: 'Misdirected Request',
  503: 'Service Unavailable',
};

/** Answers a refused upgrade on the raw socket (no WebSocket was created, nothing was registered). */
function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${text}\n`;
  const headers = {
    Connection: 'close',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS,
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n${head}\r\n\r\n${body}`);
}
