import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { SyncErrorCode } from '../shared/sync/protocol';

/** An answer the server gives on purpose: a status, a protocol error code and a sentence for the log/UI. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);

/** Past this many bytes of a refused body we stop reading it and drop the connection. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * Reads the whole body as text, refusing (413) a body over `limit` bytes — from the Content-Length header
 * before reading anything when there is one, else as soon as the stream passes the limit. A refused body is
 * drained (up to a cap) so the client gets the 413 instead of a reset connection.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const refuse = () => {
    let drained = 0;
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > MAX_DRAIN_BYTES) req.destroy();
    });
    return new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes.`);
  };
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw refuse();
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(refuse());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Parses a JSON body with a zod schema; anything else is a 400 `bad_request` naming the first problems. */
export function parseJson<S extends z.ZodType>(text: string, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON.');
  }
  return parseValue(value, schema);
}

export function parseValue<S extends z.ZodType>(value: unknown, schema: S): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
      .join('; ');
    throw badRequest(`The request does not match the protocol: ${issues}`.slice(0, 1000));
  }
  return parsed.data;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendRawJson(res, status, JSON.stringify(body));
}

/** For bodies already serialised (the pull page is assembled from jsonb text). */
export function sendRawJson(res: ServerResponse, status: number, json: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
  });
  res.end(json);
}

export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { error: { code: err.code, message: err.message.slice(0, 1000) } });
}

/** The bearer token of the Authorization header, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
