import { WebSocket } from 'ws';
import type { Result } from '../../src/shared/domain/errors';
import type { Channel, InputOf, OutputOf } from '../../src/shared/ipc/contract';
import type { StationEvent } from '../../src/shared/ipc/events';

/** What a test needs to know about a running browser host. */
export interface HostAddress {
  port: number;
  token: string;
}

export interface WsConnectOptions {
  /** Default: the host's token; null sends none. */
  token?: string | null;
  /** Default: the host's own origin `http://127.0.0.1:<port>`; null sends no Origin header. */
  origin?: string | null;
  path?: string;
}

export interface Frame {
  id?: unknown;
  result?: Result<unknown>;
  event?: StationEvent;
}

function wsUrl(host: HostAddress, options: WsConnectOptions): string {
  const token = options.token === undefined ? host.token : options.token;
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return `ws://127.0.0.1:${host.port}${options.path ?? '/ws'}${query}`;
}

function wsOptions(host: HostAddress, options: WsConnectOptions): { origin?: string } {
  const origin = options.origin === undefined ? `http://127.0.0.1:${host.port}` : options.origin;
  return origin === null ? {} : { origin };
}

/**
 * A WebSocket client speaking the browser host's protocol, as the renderer does: numbered requests, replies
 * matched by id, pushed events collected in order.
 */
export class TestWsClient {
  readonly frames: Frame[] = [];
  private nextId = 1;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString(
        'utf8',
      );
      this.frames.push(JSON.parse(text) as Frame);
      for (const wake of [...this.waiters]) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of [...this.waiters]) wake();
    });
  }

  static connect(host: HostAddress, options: WsConnectOptions = {}): Promise<TestWsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(wsUrl(host, options), wsOptions(host, options));
      socket.once('open', () => resolve(new TestWsClient(socket)));
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Pushed events received so far, in order. */
  get events(): StationEvent[] {
    return this.frames.flatMap((f) => (f.event ? [f.event] : []));
  }

  async call<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
    const reply = await this.request(channel, input);
    return reply.result as Result<OutputOf<C>>;
  }

  /** Sends any channel and input (for refusals) and waits for the reply with its id. */
  async request(channel: unknown, input: unknown): Promise<Frame> {
    const id = this.nextId++;
    this.send(JSON.stringify({ id, channel, input }));
    return this.waitFor((f) => f.id === id);
  }

  send(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** Waits for the first frame (already received or still to come) matching the predicate. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.frames.find(match);
        if (found) {
          done();
          resolve(found);
          return true;
        }
        if (this.closed) {
          done();
          reject(new Error('The socket closed before the expected frame arrived'));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`No matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = () => void check();
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
      check();
    });
  }

  waitForEvent(name: StationEvent['name'], timeoutMs = 5000): Promise<StationEvent> {
    return this.waitFor((f) => f.event?.name === name, timeoutMs).then((f) => f.event!);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

export interface RefusedUpgrade {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Tries a WebSocket upgrade that should be refused and reports the HTTP answer (rejects if it was accepted). */
export function attemptRefusedUpgrade(
  host: HostAddress,
  options: WsConnectOptions = {},
): Promise<RefusedUpgrade> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(host, options), wsOptions(host, options));
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('The upgrade was accepted'));
    });
    socket.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    socket.once('error', reject);
  });
}
