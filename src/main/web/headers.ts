import type { ServerResponse } from 'node:http';
import { contentSecurityPolicy } from '../renderer-assets/renderer-assets';

/**
 * The renderer loads only its own scripts and styles and talks to the station only over the loopback WebSocket.
 * `ws://localhost:*` is allowed as well as 127.0.0.1 so the page works whichever of the two names was typed.
 */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy(['ws://127.0.0.1:*', 'ws://localhost:*']);

/** Sent on every response of the browser host, errors and refused upgrades included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // Other sites open in the same browser may neither keep a handle on our window nor embed our files.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function applySecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/** A short plain-text answer (errors, refusals); never HTML, never an echo of the request. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {},
): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  applySecurityHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
