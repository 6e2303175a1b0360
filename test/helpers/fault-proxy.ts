/**
 * A fault-injecting HTTP proxy for the store-sync tests and the soak (loopback only). Between stations and one
 * or more store-server processes it, at random and per request: drops the request (never answers), forwards it
 * and then drops the answer after the server committed, delays it, resets the connection, answers 5xx or 429
 * itself, or sends it to the server twice. Upstreams are used round-robin; one that refuses the connection
 * (killed, restarting) is skipped, and with none left the proxy answers 502.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAULT_KINDS = [
  'drop_request',
  'drop_response',
  'delay',
  'reset',
  'error_5xx',
  'too_many',
  'duplicate',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultRates = Record<FaultKind, number>;

export const DEFAULT_FAULT_RATES: FaultRates = {
  drop_request: 0.03,
  drop_response: 0.08,
  delay: 0.1,
  reset: 0.05,
  error_5xx: 0.06,
  too_many: 0.04,
  duplicate: 0.08,
};

export interface Upstream {
  host: string;
  port: number;
}

export interface FaultProxyOptions {
  upstreams: Upstream[];
  rates?: Partial<FaultRates>;
  /** Seed of the fault choices (a run can be repeated). */
  seed?: number;
  maxDelayMs?: number;
  /** A dropped request is held this long before its socket is closed (the client usually gives up first). */
  dropHoldMs?: number;
  /** Called when a request is handed to an upstream (before its answer): the soak kills servers mid-batch here. */
  onForward?: (upstream: number, method: string, path: string) => void;
}

/** mulberry32: a small seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface UpstreamAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'proxy-connection',
]);

export class FaultProxy {
  /** Faults are injected only while this is true (healing sets it false). */
  faultsEnabled = true;
  readonly counts: Record<FaultKind | 'pass' | 'no_upstream', number> = {
    drop_request: 0,
    drop_response: 0,
    delay: 0,
    reset: 0,
    error_5xx: 0,
    too_many: 0,
    duplicate: 0,
    pass: 0,
    no_upstream: 0,
  };
  url = '';
  private server: http.Server | null = null;
  private next = 0;
  private readonly random: () => number;
  private readonly rates: FaultRates;
  private readonly held = new Set<NodeJS.Timeout>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

  constructor(private readonly options: FaultProxyOptions) {
    this.random = seededRandom(options.seed ?? 1);
    this.rates = { ...DEFAULT_FAULT_RATES, ...options.rates };
  }

  async start(port = 0): Promise<this> {
    const server = http.createServer((req, res) => {
      void this.handle(req, res).catch(() => req.socket.destroy());
    });
    server.keepAliveTimeout = 30_000;
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const timer of this.held) clearTimeout(timer);
    this.held.clear();
    this.agent.destroy();
    const server = this.server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Replaces the upstream list (a restarted server on a new port). */
  setUpstreams(upstreams: Upstream[]): void {
    this.options.upstreams = upstreams;
  }

  private pick(): FaultKind | 'pass' {
    if (!this.faultsEnabled) return 'pass';
    let r = this.random();
    for (const kind of FAULT_KINDS) {
      r -= this.rates[kind];
      if (r < 0) return kind;
    }
    return 'pass';
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readAll(req);
    const fault = this.pick();
    this.counts[fault] += 1;
    switch (fault) {
      case 'drop_request': {
        const timer = setTimeout(() => {
          this.held.delete(timer);
          req.socket.destroy();
        }, this.options.dropHoldMs ?? 10_000);
        this.held.add(timer);
        return;
      }
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'error_5xx': {
        const status = [500, 502, 503][Math.floor(this.random() * 3)]!;
        return answerError(res, status, status === 503 ? 'unavailable' : 'internal');
      }
      case 'too_many':
        res.setHeader('retry-after', String(Math.ceil(this.random() * 2)));
        return answerError(res, 429, 'rate_limited');
      case 'delay':
        await sleep(this.random() * (this.options.maxDelayMs ?? 1500));
        break;
      case 'drop_response':
      case 'duplicate':
      case 'pass':
        break;
    }
    let answer: UpstreamAnswer | null;
    if (fault === 'duplicate') {
      // Both copies reach a server (possibly two different ones) at nearly the same time.
      const [first, second] = await Promise.all([this.forward(req, body), this.forward(req, body)]);
      answer = this.random() < 0.5 ? (first ?? second) : (second ?? first);
    } else {
      answer = await this.forward(req, body);
    }
    if (answer === null) {
      this.counts.no_upstream += 1;
      return answerError(res, 502, 'unavailable');
    }
    if (fault === 'drop_response') {
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(answer.headers))
      if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    headers['content-length'] = answer.body.length;
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  /** Sends the request to the next upstream that accepts the connection; null when none does. */
  private async forward(req: http.IncomingMessage, body: Buffer): Promise<UpstreamAnswer | null> {
    const upstreams = this.options.upstreams;
    for (let tried = 0; tried < upstreams.length; tried++) {
      const index = this.next++ % upstreams.length;
      const upstream = upstreams[index]!;
      try {
        return await this.send(upstream, index, req, body);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        // Refused: the server is down; try the other. Anything after the request was sent is an answer lost.
        if (code !== 'ECONNREFUSED') return null;
      }
    }
    return null;
  }

  private send(
    upstream: Upstream,
    index: number,
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<UpstreamAnswer> {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers))
      if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    headers['content-length'] = body.length;
    return new Promise((resolve, reject) => {
      const out = http.request(
        {
          host: upstream.host,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers,
          agent: this.agent,
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
          res.on('aborted', () => reject(new Error('upstream aborted')));
        },
      );
      out.on('timeout', () => out.destroy(new Error('upstream timeout')));
      out.on('error', reject);
      out.on('socket', () => this.options.onForward?.(index, req.method ?? '', req.url ?? ''));
      out.end(body);
    });
  }
}

function answerError(res: http.ServerResponse, status: number, code: string): void {
  if (res.destroyed) return;
  const body = JSON.stringify({ error: { code, message: `fault proxy: ${status}` } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readAll(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
