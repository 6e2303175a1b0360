/**
 * How the renderer reaches the core. In Electron the preload exposes `window.countertop`; in a browser (the
 * loopback browser host, end-to-end tests, a customer display) the same API is spoken over a WebSocket. Both
 * implement CountertopApi, so the client above cannot tell them apart; only the connection state differs.
 *
 * WebSocket protocol (JSON text frames):
 *   request  { "id": number, "channel": string, "input": unknown }
 *   reply    { "id": number, "result": Result }
 *   event    { "event": { "name": string, "payload": unknown } }
 */
import { z } from 'zod';
import type { CountertopApi } from '../../shared/ipc/api';
import type { StationEvent } from '../../shared/ipc/events';
import type { ErrorData, Result } from '../../shared/domain/errors';
import { joinHash, splitHash } from '../routes';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Transport extends CountertopApi {
  readonly kind: 'electron' | 'websocket';
  /** False only for a browser that was opened without an access token (it will be refused). */
  readonly hasToken: boolean;
  connectionState(): ConnectionState;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

// --- connection-lost errors ----------------------------------------------------------------------------------

/**
 * Losing the socket is not one of the core's domain errors, so it travels as `internal` (the core may or may
 * not have done the work: the UI must not claim either) with a marker the error presenter recognises.
 */
const CONNECTION_LOST = 'lost';

export function connectionLostError(): ErrorData {
  return {
    code: 'internal',
    message: 'Connection to the station was lost',
    details: { connection: CONNECTION_LOST },
    action: 'retry',
  };
}

export function isConnectionLost(error: ErrorData): boolean {
  return error.code === 'internal' && error.details?.['connection'] === CONNECTION_LOST;
}

// --- access token --------------------------------------------------------------------------------------------

const TOKEN_KEY = 'countertop.token';

/**
 * The browser host opens the renderer at `…/#token=XYZ` (a page other than the cashier's at
 * `…/#/customer-display?token=XYZ`). The token is kept in sessionStorage (so a reload still works) and removed
 * from the visible URL (so it is not shoulder-surfed, bookmarked or pasted); the page path stays.
 */
export function takeToken(win: Window): string | null {
  const { path, params } = splitHash(win.location.hash);
  const fromHash = params.get('token');
  if (fromHash) {
    try {
      win.sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      // Storage can be disabled; the token still works for this page load.
    }
    params.delete('token');
    const { pathname, search } = win.location;
    win.history.replaceState(win.history.state, '', `${pathname}${search}${joinHash(path, params)}`);
    return fromHash;
  }
  try {
    return win.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

// --- Electron --------------------------------------------------------------------------------------------------

function electronTransport(api: CountertopApi): Transport {
  return {
    kind: 'electron',
    hasToken: true,
    invoke: (channel, input) => api.invoke(channel, input),
    onEvent: (listener) => api.onEvent(listener),
    connectionState: () => 'open',
    onConnectionChange: () => () => undefined,
  };
}

// --- WebSocket -----------------------------------------------------------------------------------------------

const ReplyFrame = z.object({ id: z.number().int(), result: z.unknown() });
const EventFrame = z.object({ event: z.object({ name: z.string(), payload: z.unknown() }) });

/** A call made while the socket is down waits this long for it to come back before failing. */
const QUEUE_TIMEOUT_MS = 10_000;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 10_000;

interface Queued {
  readonly id: number;
  readonly frame: string;
  readonly resolve: (result: Result<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class WebSocketTransport implements Transport {
  readonly kind = 'websocket';
  readonly hasToken: boolean;
  private socket: WebSocket | null = null;
  private state: ConnectionState = 'connecting';
  private failures = 0;
  private nextId = 1;
  /** Sent and waiting for a reply. These cannot be re-sent after a drop: the core may already have run them. */
  private readonly inFlight = new Map<number, (result: Result<unknown>) => void>();
  /** Not sent yet (the socket was down); safe to send once it is back. */
  private queued: Queued[] = [];
  private readonly eventListeners = new Set<(event: StationEvent) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();

  constructor(
    private readonly url: string,
    hasToken: boolean,
  ) {
    this.hasToken = hasToken;
    this.connect();
  }

  invoke(channel: string, input: unknown): Promise<Result<unknown>> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      let frame: string;
      try {
        frame = JSON.stringify({ id, channel, input });
      } catch {
        resolve({ ok: false, error: { code: 'bad_input', message: 'The request could not be serialised' } });
        return;
      }
      const socket = this.socket;
      if (this.state === 'open' && socket) {
        this.inFlight.set(id, resolve);
        socket.send(frame);
        return;
      }
      const timer = setTimeout(() => {
        this.queued = this.queued.filter((q) => q.id !== id);
        resolve({ ok: false, error: connectionLostError() });
      }, QUEUE_TIMEOUT_MS);
      this.queued.push({ id, frame, resolve, timer });
    });
  }

  onEvent(listener: (event: StationEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  connectionState(): ConnectionState {
    return this.state;
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private connect(): void {
    this.setState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.failures = 0;
      this.setState('open');
      const queued = this.queued;
      this.queued = [];
      for (const q of queued) {
        clearTimeout(q.timer);
        this.inFlight.set(q.id, q.resolve);
        socket.send(q.frame);
      }
    });
    socket.addEventListener('message', (message) => this.receive(message.data));
    // 'error' is always followed by 'close'; everything is handled there.
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      const lost = [...this.inFlight.values()];
      this.inFlight.clear();
      for (const resolve of lost) resolve({ ok: false, error: connectionLostError() });
      this.setState('closed');
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures);
    this.failures += 1;
    // Jitter keeps several windows (cashier + customer display) from reconnecting in lock-step.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    setTimeout(() => this.connect(), delay);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn('[countertop] ignored a frame that is not JSON');
      return;
    }
    const reply = ReplyFrame.safeParse(frame);
    if (reply.success) {
      const resolve = this.inFlight.get(reply.data.id);
      this.inFlight.delete(reply.data.id);
      // The client validates the Result's shape and the value against the contract.
      resolve?.(reply.data.result as Result<unknown>);
      return;
    }
    const event = EventFrame.safeParse(frame);
    if (event.success) {
      // Payloads are validated against eventSchemas by the client, whichever transport delivered them.
      const pushed = event.data.event as StationEvent;
      for (const listener of this.eventListeners) listener(pushed);
      return;
    }
    console.warn('[countertop] ignored an unrecognised frame');
  }
}

export function webSocketUrl(location: Location, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return `${scheme}//${location.host}/ws${query}`;
}

/** Electron preload if present, otherwise the loopback WebSocket of the browser host. */
export function selectTransport(win: Window = window): Transport {
  if (win.countertop) return electronTransport(win.countertop);
  const token = takeToken(win);
  // A new link pasted into an open tab only changes the hash (no reload): start over with its token.
  win.addEventListener('hashchange', () => {
    if (splitHash(win.location.hash).params.has('token')) {
      takeToken(win);
      win.location.reload();
    }
  });
  return new WebSocketTransport(webSocketUrl(win.location, token), token !== null);
}
