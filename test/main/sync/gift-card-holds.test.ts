/**
 * How the station reads the store server's answers to a gift-card hold (`requestGiftCardHold`), against a
 * loopback HTTP server that answers what each test scripts: a hold for another card or amount is never taken
 * as held; 401/403 mean no usable enrolment; 5xx, 429, resets and timeouts mean unreachable (the hold may
 * exist); other 4xx and malformed answers fail without approving. The request carries the credential and the
 * number in the body only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { giftCardKey } from '../../../src/main/core/sale/gift-cards';
import { requestGiftCardHold } from '../../../src/main/core/sync/gift-card-holds';
import { SyncHttpClient } from '../../../src/main/core/sync/http-client';

type Reply = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

let server: http.Server | null = null;
let client: SyncHttpClient | null = null;

afterEach(async () => {
  client?.close();
  client = null;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function serve(reply: Reply, timeoutMs = 2_000): Promise<SyncHttpClient> {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => reply(req, body, res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new SyncHttpClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs });
  return client;
}

const json = (res: http.ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

const NUMBER = '6200000000001234';
const request = () => ({ holdId: randomUUID(), number: NUMBER, amount: 1500, saleId: randomUUID() });
const held = (r: ReturnType<typeof request>, patch: Record<string, unknown> = {}) => ({
  status: 'held',
  holdId: r.holdId,
  cardKey: giftCardKey(NUMBER),
  last4: '1234',
  amount: r.amount,
  available: 8500,
  currency: 'CNY',
  expiresAt: '2026-01-16T09:00:00.000Z',
  ...patch,
});

describe('gift-card hold answers', () => {
  it('sends the request with the station credential and takes a matching hold', async () => {
    const r = request();
    let seen: { auth: string | undefined; path: string | undefined; body: unknown } | null = null;
    const c = await serve((req, body, res) => {
      seen = { auth: req.headers.authorization, path: req.url, body: JSON.parse(body) };
      json(res, 200, held(r));
    });
    const outcome = await requestGiftCardHold(c, 'station-1.secret-credential', r);
    expect(outcome).toEqual({ status: 'held', available: 8500, expiresAt: '2026-01-16T09:00:00.000Z' });
    expect(seen).toEqual({
      auth: 'Bearer station-1.secret-credential',
      path: '/v1/gift-cards/holds',
      body: r,
    });
  });

  it('never takes a hold of another card, amount or hold id as held', async () => {
    for (const patch of [
      { cardKey: giftCardKey('6200000000009999') },
      { amount: 1499 },
      { holdId: randomUUID() },
    ]) {
      const r = request();
      const c = await serve((_req, _body, res) => json(res, 200, held(r, patch)));
      expect((await requestGiftCardHold(c, 'cred', r)).status).toBe('failed');
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = null;
      c.close();
    }
  });

  it('passes a decline on with its reason and what is available', async () => {
    const r = request();
    const c = await serve((_req, _body, res) =>
      json(res, 200, {
        status: 'declined',
        holdId: r.holdId,
        reason: 'insufficient',
        available: 700,
        message: 'not enough',
      }),
    );
    expect(await requestGiftCardHold(c, 'cred', r)).toEqual({
      status: 'declined',
      reason: 'insufficient',
      available: 700,
    });
  });

  it('reads 401/403 as no usable enrolment, 5xx/429 and timeouts as unreachable, other 4xx as failed', async () => {
    const cases: [number, string][] = [
      [401, 'not_enrolled'],
      [403, 'not_enrolled'],
      [503, 'unreachable'],
      [429, 'unreachable'],
      [404, 'failed'],
      [400, 'failed'],
    ];
    for (const [status, expected] of cases) {
      const c = await serve((_req, _body, res) =>
        json(res, status, {
          error: { code: status === 401 ? 'unauthenticated' : 'bad_request', message: 'x' },
        }),
      );
      expect((await requestGiftCardHold(c, 'cred', request())).status, String(status)).toBe(expected);
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = null;
      c.close();
    }
    // An answer that never comes within the timeout: unreachable, the hold may exist.
    const slow = await serve(() => undefined, 200);
    expect((await requestGiftCardHold(slow, 'cred', request())).status).toBe('unreachable');
  });

  it('fails (does not approve) on an answer that is not the protocol', async () => {
    const c = await serve((_req, _body, res) => json(res, 200, { status: 'ok' }));
    const outcome = await requestGiftCardHold(c, 'cred', request());
    expect(outcome.status).toBe('failed');
    expect(JSON.stringify(outcome)).not.toContain(NUMBER);
  });
});
