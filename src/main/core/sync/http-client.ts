import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { z } from 'zod';
import { ErrorResponseSchema, type SyncErrorCode } from '../../../shared/sync/protocol';

/**
 * The station's HTTP client for the store server: JSON in, zod-checked JSON out, a timeout on every request,
 * keep-alive, and optional certificate pinning. It never logs and never puts the credential in an error.
 */

/** Why a request did not yield a parsed answer; the sync loop decides from `kind` what to do next. */
export type SyncFailure =
  /** Refused, reset, timed out, TLS failed: the server may or may not have seen the request. */
  | { kind: 'network'; message: string }
  /** The server's certificate is not the pinned one: nothing was sent. */
  | { kind: 'pin_mismatch'; message: string }
  /** A non-2xx answer, with the protocol's error code when the body carried one. */
  | { kind: 'http'; status: number; code: SyncErrorCode | null; message: string; retryAfterMs: number | null }
  /** A 2xx answer whose body is not what the protocol says. */
  | { kind: 'protocol'; message: string };

export class SyncRequestError extends Error {
  constructor(readonly failure: SyncFailure) {
    super(failure.message);
    this.name = 'SyncRequestError';
  }
}

export interface SyncHttpOptions {
  /** `http://` or `https://` base URL, no trailing slash. */
  baseUrl: string;
  /** Pinned SHA-256 fingerprint of the server certificate (lowercase hex, no colons); https only. */
  certSha256?: string | null;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** A pull page of 1,000 products is well under 1 MiB; anything this large is not the store server. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Normalises `AA:BB:…` or `aabb…` to lowercase hex without separators; null when it is not 32 bytes of hex. */
export function normaliseFingerprint(text: string): string | null {
  const hex = text.replace(/[:\s]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * An https agent whose trust is the pinned fingerprint: the TLS handshake runs without CA verification (a
 * store's server usually has a self-signed certificate), and the socket is handed to the request only after
 * the peer certificate's SHA-256 matched — so not one byte of a request reaches another server.
 */
class PinnedAgent extends https.Agent {
  constructor(private readonly pin: string) {
    super({ keepAlive: true, maxSockets: 4 });
  }

  override createConnection(
    options: tls.ConnectionOptions,
    callback?: (err: Error | null, socket: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = tls.connect({ ...options, rejectUnauthorized: false });
    const fail = (err: Error) => {
      socket.destroy();
      callback?.(err, socket);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.off('error', fail);
      const cert = socket.getPeerCertificate();
      const seen = normaliseFingerprint(cert.fingerprint256 ?? '');
      if (seen !== this.pin) {
        const err = new PinMismatchError(seen);
        socket.destroy();
        callback?.(err, socket);
        return;
      }
      callback?.(null, socket);
    });
    return undefined;
  }
}

class PinMismatchError extends Error {
  constructor(readonly seen: string | null) {
    super('The server certificate does not match the pinned fingerprint.');
    this.name = 'PinMismatchError';
  }
}

export class SyncHttpClient {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly timeoutMs: number;

  constructor(options: SyncHttpOptions) {
    this.url = new URL(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (this.url.protocol === 'https:') {
      this.transport = https;
      this.agent = options.certSha256
        ? new PinnedAgent(options.certSha256)
        : new https.Agent({ keepAlive: true, maxSockets: 4 });
    } else if (this.url.protocol === 'http:') {
      if (options.certSha256) throw new Error('A certificate pin needs an https:// server URL');
      this.transport = http;
      this.agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    } else {
      throw new Error('The server URL must start with http:// or https://');
    }
  }

  /** Sends one request and parses a 2xx body with `schema`; anything else throws SyncRequestError. */
  async request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    pathAndQuery: string,
    schema: S,
    options: { token?: string; body?: string } = {},
  ): Promise<z.infer<S>> {
    const { status, headers, text } = await this.send(method, pathAndQuery, options);
    if (status < 200 || status > 299) throw new SyncRequestError(httpFailure(status, headers, text));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SyncRequestError({
        kind: 'protocol',
        message: `The server answered ${status} with no JSON.`,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SyncRequestError({
        kind: 'protocol',
        message: `The server's answer does not match the protocol (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}).`,
      });
    }
    return parsed.data;
  }

  close(): void {
    this.agent.destroy();
  }

  private send(
    method: string,
    pathAndQuery: string,
    options: { token?: string; body?: string },
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
    const base = this.url.pathname.replace(/\/+$/, '');
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = body.length;
    }
    return new Promise((resolve, reject) => {
      const fail = (failure: SyncFailure) => reject(new SyncRequestError(failure));
      const req = this.transport.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname,
          port: this.url.port,
          method,
          path: base + pathAndQuery,
          headers,
          agent: this.agent,
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              req.destroy();
              fail({ kind: 'protocol', message: 'The server answer is too large.' });
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', (err) => fail({ kind: 'network', message: describeNetworkError(err) }));
          res.on('aborted', () => fail({ kind: 'network', message: 'The server connection was cut.' }));
        },
      );
      req.on('timeout', () => req.destroy(new TimeoutError(this.timeoutMs)));
      req.on('error', (err) => {
        if (err instanceof PinMismatchError) {
          fail({
            kind: 'pin_mismatch',
            message: `The server certificate (${err.seen ?? 'none'}) is not the pinned one.`,
          });
        } else {
          fail({ kind: 'network', message: describeNetworkError(err) });
        }
      });
      req.end(body);
    });
  }
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`No answer from the server within ${Math.round(ms / 1000)} s.`);
    this.name = 'TimeoutError';
  }
}

function describeNetworkError(err: Error): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${err.message}`.slice(0, 300) : err.message.slice(0, 300);
}

function httpFailure(status: number, headers: http.IncomingHttpHeaders, text: string): SyncFailure {
  let code: SyncErrorCode | null = null;
  let message = `The server answered ${status}.`;
  try {
    const parsed = ErrorResponseSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      code = parsed.data.error.code;
      message = parsed.data.error.message.slice(0, 300);
    }
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  return {
    kind: 'http',
    status,
    code,
    message,
    retryAfterMs: parseRetryAfter(headers['retry-after']),
  };
}
