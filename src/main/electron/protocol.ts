/**
 * The `countertop://app/` scheme: serves the built renderer (dist/renderer) to the station window. A real
 * origin (rather than file://) gives the page a proper same-origin policy and lets the IPC binding check who
 * is calling. Every response carries the strict Content-Security-Policy, 404s included.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-url';
import type { ProtocolPart } from './electron-parts';
import { contentSecurityPolicy, mimeTypeOf } from '../renderer-assets/renderer-assets';

export { mimeTypeOf };

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/**
 * Must run before the app is ready. `standard` gives the scheme an origin and relative URLs, `secure` makes
 * it a secure context, `supportFetchAPI` lets the page fetch its own assets. Deliberately not `corsEnabled`
 * (it would let other origins read our responses) nor `bypassCSP`.
 */
export function registerAppScheme(protocol: Pick<ProtocolPart, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** After ready: serve the renderer directory on `countertop://app/`. */
export function serveAppProtocol(protocol: Pick<ProtocolPart, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir));
}

/**
 * Maps a request URL to a file inside `rendererDir`, or null when the URL is not ours or would leave the
 * directory. The path is percent-decoded first, so `..%2f` cannot slip past the URL parser's own `..` handling.
 */
export function resolveAppFile(rendererDir: string, rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  if (relative.includes('\0')) return null;
  if (relative === '' || relative === '/') relative = '/index.html';
  const root = path.resolve(rendererDir);
  const target = path.resolve(root, `.${relative}`);
  if (!target.startsWith(root + path.sep)) return null;
  return target;
}

export function createAppRequestHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return respond(405, 'Method not allowed', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
    }
    const file = resolveAppFile(rendererDir, request.url);
    if (file === null) return notFound();
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = new Uint8Array(await fs.readFile(file));
    } catch {
      return notFound(); // missing, a directory, or unreadable: the page gets the same answer
    }
    return respond(200, request.method === 'HEAD' ? null : body, mimeTypeOf(file));
  };
}

function notFound(): Response {
  return respond(404, 'Not found', 'text/plain; charset=utf-8');
}

function respond(
  status: number,
  body: Uint8Array<ArrayBuffer> | string | null,
  contentType: string,
  extra: Record<string, string> = {},
): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
      ...extra,
    },
  });
}
