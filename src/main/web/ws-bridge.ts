import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Result } from '../../shared/domain/errors';
import type { StationEvent } from '../../shared/ipc/events';
import type { StationEvents } from '../core/events';
import type { Gate } from '../ipc/gate';
import { parseFrame, type WsEventFrame, type WsReply } from './protocol';

export interface WebHostLogger {
  error(message: string, err?: unknown): void;
  warn?(message: string): void;
}

export interface WsBridgeOptions {
  gate: Pick<Gate, 'registerConnection' | 'unregisterConnection' | 'handle'>;
  events: Pick<StationEvents, 'on'>;
  logger: WebHostLogger;
  /** How often dead sockets are looked for; a socket that missed one ping is dropped at the next. */
  heartbeatIntervalMs: number;
  /** Largest accepted frame; a larger one closes the connection (1009). */
  maxPayloadBytes: number;
  /** A client that lets this much pile up unread is dropped rather than grow the station's memory. */
  maxBufferedBytes: number;
}

interface Connection {
  id: string;
  ws: WebSocket;
  alive: boolean;
  closed: boolean;
}

/**
 * Connection ids are unique in the process, not per host: two hosts on one station (a test, or later a second
 * listener) must never register the same id with the gate, or one socket's close would untrust the other.
 */
let lastConnectionNumber = 0;

/** How long close() waits for clients to answer the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 1000;

/**
 * Binds the IPC gate to WebSocket connections that the host already authenticated: each connection gets an id
 * `ws:<n>` the gate trusts while it is open, requests are answered with the gate's `Result`, and station events
 * go to the connection they concern (or to all when they concern everybody). Nothing a client sends can throw
 * out of here.
 */
export class WsBridge {
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<string, Connection>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: WsBridgeOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: options.maxPayloadBytes,
      perMessageDeflate: false,
    });
    this.unsubscribe = options.events.on((event, connectionId) => this.dispatch(event, connectionId));
    this.heartbeat = setInterval(() => this.sweep(), options.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.connections.size;
  }

  connectionIds(): string[] {
    return [...this.connections.keys()];
  }

  /** Completes the WebSocket handshake of an upgrade request the host has already accepted. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws));
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private attach(ws: WebSocket): void {
    if (this.closing) {
      ws.terminate();
      return;
    }
    const conn: Connection = { id: `ws:${++lastConnectionNumber}`, ws, alive: true, closed: false };
    this.connections.set(conn.id, conn);
    this.options.gate.registerConnection(conn.id);
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('message', (data, isBinary) => this.receive(conn, data, isBinary));
    // Protocol errors (oversized frame, bad UTF-8) end in 'close'; the listener keeps them from being thrown.
    ws.on('error', (err) => this.options.logger.warn?.(`WebSocket ${conn.id} error: ${err.message}`));
    ws.on('close', () => this.forget(conn));
  }

  private receive(conn: Connection, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    if (isBinary) {
      this.send(conn, badFrame('Binary messages are not accepted; send JSON text.'));
      return;
    }
    const parsed = parseFrame(rawToString(data));
    if (!parsed.ok) {
      this.send(conn, parsed.reply);
      return;
    }
    const { id, channel, input } = parsed.request;
    this.options.gate
      .handle(conn.id, channel, input)
      .catch((err: unknown): Result<unknown> => {
        // The gate never rejects; this is a last line so a bug there cannot become an unhandled rejection.
        this.options.logger.error('The gate rejected instead of answering', err);
        return { ok: false, error: { code: 'internal', message: 'Something went wrong in the station.' } };
      })
      .then((result) => this.send(conn, { id, result }))
      .catch((err: unknown) => this.options.logger.error('Could not send a reply', err));
  }

  private dispatch(event: StationEvent, connectionId: string | null): void {
    const frame: WsEventFrame = { event };
    if (connectionId === null) {
      for (const conn of this.connections.values()) this.send(conn, frame);
      return;
    }
    const target = this.connections.get(connectionId);
    if (target) this.send(target, frame);
  }

  private send(conn: Connection, frame: WsReply | WsEventFrame): void {
    const { ws } = conn;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.options.logger.warn?.(`WebSocket ${conn.id} is not reading its messages; dropping it.`);
      ws.terminate();
      return;
    }
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (err) {
      this.options.logger.error('A reply could not be serialised', err);
      if (!('id' in frame)) return;
      text = JSON.stringify({
        id: frame.id,
        result: {
          ok: false,
          error: { code: 'internal', message: 'The station could not encode its answer.' },
        },
      } satisfies WsReply);
    }
    ws.send(text, (err) => {
      if (err) ws.terminate();
    });
  }

  private sweep(): void {
    for (const conn of this.connections.values()) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        conn.ws.terminate();
      }
    }
  }

  private forget(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.connections.delete(conn.id);
    this.options.gate.unregisterConnection(conn.id);
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    const open = [...this.connections.values()];
    await Promise.all(
      open.map(
        (conn) =>
          new Promise<void>((resolve) => {
            if (conn.ws.readyState === WebSocket.CLOSED) {
              resolve();
              return;
            }
            const timer = setTimeout(() => conn.ws.terminate(), CLOSE_GRACE_MS);
            conn.ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            conn.ws.close(1001, 'Station shutting down');
          }),
      ),
    );
    for (const conn of open) this.forget(conn);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function badFrame(message: string): WsReply {
  return { id: null, result: { ok: false, error: { code: 'bad_input', message } } };
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
