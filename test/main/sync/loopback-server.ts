/**
 * A small store server for the station-side sync tests, speaking the wire protocol of
 * src/shared/sync/protocol.ts on a loopback port (no PostgreSQL: the real server has its own tests, and the
 * integration tests run the station against it). It keeps what it was sent, answers per event
 * created/duplicate/rejected like the real one, serves a change feed from an array, and lets a test script the
 * next answers (5xx, 429, a dropped connection, a held response …) to exercise the station's retry paths.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  EnrolRequestSchema,
  MAX_PULL_PAGE,
  PushRequestSchema,
  type Change,
  type PushResult,
  type RejectCode,
  type SyncErrorCode,
} from '../../../src/shared/sync/protocol';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The seqs of a push, in the order sent. */
  seqs: number[];
  /** `after` of a pull. */
  after: number | null;
  /** The status answered; null when the connection was cut. */
  status: number | null;
}

/** What to do with one request instead of the normal answer. */
export type Scripted =
  /** The normal answer (to script the request after it). */
  | { kind: 'pass' }
  | { kind: 'status'; status: number; code: SyncErrorCode; retryAfter?: string }
  /** Cut the connection before doing anything. */
  | { kind: 'reset' }
  /** Do the work (commit), then cut the connection instead of answering. */
  | { kind: 'commit_then_reset' }
  /** Do the work, then answer only the first `n` results. */
  | { kind: 'partial'; n: number }
  /** Do the work, but hold the answer until `release()` is called. */
  | { kind: 'hold'; onHeld: (release: () => void) => void };

interface StoredEvent {
  seq: number;
  hash: string;
  type: string;
  payload: unknown;
}

export class LoopbackStoreServer {
  readonly requests: RecordedRequest[] = [];
  /** Accepted events by id. */
  readonly events = new Map<string, StoredEvent>();
  /** The change feed; `seq` values must increase. */
  readonly changes: Change[] = [];
  readonly codes = new Set<string>(['ENROL-123456']);
  /** Event types answered `rejected` (code `unknown_type`). */
  readonly rejectTypes = new Set<string>();
  readonly credentials = new Map<string, string>();
  revoked = false;
  /** Push bodies larger than this are refused with 413. */
  maxBodyBytes = 8 * 1024 * 1024;
  /** Each push answer waits this long (so a test can see how many batches a station keeps in flight). */
  pushAnswerDelayMs = 0;
  /** The most pushes that were being handled at once. */
  maxPushesInFlight = 0;
  private pushesInFlight = 0;
  private readonly script: { path: string; action: Scripted }[] = [];
  private server!: http.Server;
  url = '';

  /** Listens on 127.0.0.1 (`port` 0: any free port); with `tls`, speaks https. */
  async start(port = 0, tls?: { key: string; cert: string }): Promise<this> {
    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
      void this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.error(res, 500, 'internal', String(err));
      });
    };
    this.server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    const scheme = tls ? 'https' : 'http';
    this.url = `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next request to `path` (`/v1/events`, `/v1/changes`, `/v1/enrol`) gets `action`. */
  next(path: string, action: Scripted): this {
    this.script.push({ path, action });
    return this;
  }

  pushRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/v1/events');
  }

  pullRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/v1/changes');
  }

  addChange(change: Omit<Change, 'seq'>): void {
    const seq = (this.changes.at(-1)?.seq ?? 0) + 1;
    this.changes.push({ ...change, seq } as Change);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readAll(req);
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      seqs: [],
      after: null,
      status: null,
    };
    this.requests.push(record);
    if (url.pathname === '/v1/events') {
      const events = PushRequestSchema.safeParse(safeJson(body));
      if (events.success) record.seqs = events.data.events.map((e) => e.seq);
      this.pushesInFlight += 1;
      this.maxPushesInFlight = Math.max(this.maxPushesInFlight, this.pushesInFlight);
      res.on('close', () => (this.pushesInFlight -= 1));
    }
    res.on('finish', () => (record.status = res.statusCode));
    const scriptedIndex = this.script.findIndex((s) => s.path === url.pathname);
    const action = scriptedIndex >= 0 ? this.script.splice(scriptedIndex, 1)[0]!.action : null;
    if (action?.kind === 'status') {
      if (action.retryAfter !== undefined) res.setHeader('retry-after', action.retryAfter);
      this.error(res, action.status, action.code, 'scripted');
      return;
    }
    if (action?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (url.pathname === '/v1/enrol' && req.method === 'POST') {
      const parsed = EnrolRequestSchema.safeParse(safeJson(body));
      if (!parsed.success) return this.error(res, 400, 'bad_request', 'bad enrol body');
      if (!this.codes.delete(parsed.data.code)) {
        return this.error(res, 400, 'enrolment_code_invalid', 'code unknown or used');
      }
      const credential = `${parsed.data.stationId}.${randomBytes(24).toString('base64url')}`;
      this.credentials.set(parsed.data.stationId, credential);
      this.revoked = false;
      return this.json(res, 200, {
        stationId: parsed.data.stationId,
        storeId: 'store-1',
        storeName: 'Loopback Store',
        credential,
      });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (![...this.credentials.values()].includes(token)) {
      return this.error(res, 401, 'unauthenticated', 'unknown credential');
    }
    if (this.revoked) return this.error(res, 403, 'revoked', 'this station was revoked');

    if (url.pathname === '/v1/events' && req.method === 'POST') {
      const parsed = PushRequestSchema.safeParse(safeJson(body));
      if (!parsed.success) return this.error(res, 400, 'bad_request', parsed.error.message.slice(0, 500));
      if (Buffer.byteLength(body) > this.maxBodyBytes) {
        return this.error(res, 413, 'payload_too_large', 'too large');
      }
      const results: PushResult[] = parsed.data.events.map((e) => {
        const hash = createHash('sha256').update(JSON.stringify(e.payload)).digest('hex');
        const known = this.events.get(e.eventId);
        const reject = (code: RejectCode, message: string): PushResult => ({
          eventId: e.eventId,
          seq: e.seq,
          status: 'rejected',
          code,
          message,
        });
        if (known !== undefined) {
          return known.hash === hash
            ? { eventId: e.eventId, seq: e.seq, status: 'duplicate' }
            : reject('conflicting_body', 'same id, different body');
        }
        if (this.rejectTypes.has(e.type)) return reject('unknown_type', `type ${e.type} is not known`);
        this.events.set(e.eventId, { seq: e.seq, hash, type: e.type, payload: e.payload });
        return { eventId: e.eventId, seq: e.seq, status: 'created' };
      });
      if (action?.kind === 'commit_then_reset') {
        req.socket.destroy();
        return;
      }
      const answered = action?.kind === 'partial' ? results.slice(0, action.n) : results;
      if (this.pushAnswerDelayMs > 0)
        await new Promise((resolve) => setTimeout(resolve, this.pushAnswerDelayMs));
      if (action?.kind === 'hold') {
        action.onHeld(() => this.json(res, 200, { results: answered }));
        return;
      }
      return this.json(res, 200, { results: answered });
    }

    if (url.pathname === '/v1/changes' && req.method === 'GET') {
      const after = Number(url.searchParams.get('after') ?? '0');
      const limit = Math.min(MAX_PULL_PAGE, Number(url.searchParams.get('limit') ?? MAX_PULL_PAGE));
      record.after = after;
      const rest = this.changes.filter((c) => c.seq > after);
      const page = rest.slice(0, limit);
      const answer = {
        changes: page,
        cursor: page.at(-1)?.seq ?? after,
        hasMore: rest.length > page.length,
        remaining: rest.length - page.length,
      };
      if (action?.kind === 'commit_then_reset') {
        req.socket.destroy();
        return;
      }
      if (action?.kind === 'hold') {
        action.onHeld(() => this.json(res, 200, answer));
        return;
      }
      return this.json(res, 200, answer);
    }
    this.error(res, 400, 'bad_request', 'no such route');
  }

  private json(res: http.ServerResponse, status: number, value: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  }

  private error(res: http.ServerResponse, status: number, code: SyncErrorCode, message: string): void {
    this.json(res, status, { error: { code, message } });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function readAll(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
