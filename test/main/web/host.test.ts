import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost, type WebHostLogger } from '../../../src/main/web';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/web/headers';
import { connect, openTestStation, TEST_SETUP, unwrap, type TestStation } from '../../helpers/station';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';
import { attemptRefusedUpgrade, TestWsClient } from '../../helpers/ws-client';

const INDEX_HTML =
  '<!doctype html><title>Countertop test</title><script type="module" src="./assets/main-AbCd1234.js"></script>';
const SECRET = 'station secret outside the renderer';

/** The refused upgrades are logged as warnings; keep them for assertions instead of printing them. */
const warnings: string[] = [];
const logger: WebHostLogger = {
  error: (message, err) => {
    throw new Error(`unexpected host error: ${message} ${String(err)}`);
  },
  warn: (message) => warnings.push(message),
};

let ts: TestStation;
let files: TempDir;
let rendererDir: string;
let host: WebHost;
const clients: TestWsClient[] = [];

beforeAll(async () => {
  ts = openTestStation();
  files = tempDataDir('countertop-renderer-');
  rendererDir = path.join(files.dir, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(rendererDir, 'assets', 'main-AbCd1234.js'), 'console.log("hi");');
  fs.writeFileSync(path.join(rendererDir, 'styles.css'), 'body { margin: 0 }');
  fs.writeFileSync(path.join(rendererDir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(rendererDir, '.env'), 'HIDDEN=1');
  fs.writeFileSync(path.join(files.dir, 'secret.txt'), SECRET);
  fs.symlinkSync(path.join(files.dir, 'secret.txt'), path.join(rendererDir, 'escape.txt'));
  host = await startWebHost({ station: ts.station, port: 0, rendererDir, logger });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await host.close();
  ts.cleanup();
  files.cleanup();
});

async function open(options: Parameters<typeof TestWsClient.connect>[1] = {}): Promise<TestWsClient> {
  const client = await TestWsClient.connect(host, options);
  clients.push(client);
  return client;
}

/** A raw HTTP request (fetch would normalise `..` and the Host header away). */
function rawGet(
  rawPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: rawPath, method, headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function expectSecurityHeaders(headers: Headers | http.IncomingHttpHeaders): void {
  const get = (name: string) =>
    headers instanceof Headers ? headers.get(name) : headers[name.toLowerCase()];
  expect(get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(get('X-Content-Type-Options')).toBe('nosniff');
  expect(get('Referrer-Policy')).toBe('no-referrer');
  expect(get('X-Frame-Options')).toBe('DENY');
}

/** Waits until the host no longer lists a connection (its socket 'close' has been processed). */
async function waitUntilGone(id: string): Promise<void> {
  for (let i = 0; i < 200 && host.connectionIds().includes(id); i++)
    await new Promise((r) => setTimeout(r, 10));
  expect(host.connectionIds()).not.toContain(id);
}

describe('startWebHost', () => {
  it('listens on 127.0.0.1 and hands out a token in the URL fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
  });

  it('refuses to listen on a non-loopback address without allowRemote', async () => {
    await expect(
      startWebHost({ station: ts.station, port: 0, host: '0.0.0.0', rendererDir, logger }),
    ).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it('refuses to start without a renderer directory', async () => {
    await expect(
      startWebHost({ station: ts.station, port: 0, rendererDir: path.join(files.dir, 'missing'), logger }),
    ).rejects.toThrow();
  });

  it('gives each launch a different token', async () => {
    const other = await startWebHost({ station: ts.station, port: 0, rendererDir, logger });
    try {
      expect(other.token).not.toBe(host.token);
      expect(other.port).not.toBe(host.port);
    } finally {
      await other.close();
    }
  });

  it('reports a port already in use', async () => {
    await expect(
      startWebHost({ station: ts.station, port: host.port, rendererDir, logger }),
    ).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});

describe('static files', () => {
  it('serves index.html for / with the CSP, security headers and no long cache', async () => {
    const res = await fetch(`${host.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expectSecurityHeaders(res.headers);
    expect(await res.text()).toBe(INDEX_HTML);
  });

  it('serves assets with their MIME type; hashed assets are immutable', async () => {
    const js = await fetch(`${host.origin}/assets/main-AbCd1234.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(js.headers);

    const css = await fetch(`${host.origin}/styles.css?v=1`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('no-cache');
    const svg = await fetch(`${host.origin}/logo.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers a revalidation with 304', async () => {
    const first = await fetch(`${host.origin}/styles.css`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await rawGet('/styles.css', { 'If-None-Match': etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers HEAD without a body', async () => {
    const res = await rawGet('/', {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(INDEX_HTML.length));
    expect(res.body).toBe('');
  });

  it('returns 404 with security headers for a missing file', async () => {
    const res = await fetch(`${host.origin}/nope.js`);
    expect(res.status).toBe(404);
    expectSecurityHeaders(res.headers);
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..\\secret.txt',
    '/..%5csecret.txt',
    '/escape.txt',
    '/%00index.html',
    '/%E0%A4%A',
  ])('refuses traversal: %s', async (rawPath) => {
    const res = await rawGet(rawPath);
    expect([400, 403, 404]).toContain(res.status);
    expect(res.body).not.toContain(SECRET);
    expectSecurityHeaders(res.headers);
  });

  it('answers a missing favicon with 204, not a 404 in the console', async () => {
    const res = await fetch(`${host.origin}/favicon.ico`);
    expect(res.status).toBe(204);
    expectSecurityHeaders(res.headers);
  });

  it('does not serve dotfiles', async () => {
    const res = await rawGet('/.env');
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('HIDDEN');
  });

  it('allows only GET and HEAD', async () => {
    const res = await rawGet('/', {}, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expectSecurityHeaders(res.headers);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await rawGet('/', { Host: `evil.example:${host.port}` });
    expect(res.status).toBe(421);
    expect(res.body).not.toContain('Countertop test');
    expect((await rawGet('/', { Host: `localhost:${host.port}` })).status).toBe(200);
  });
});

describe('WebSocket access', () => {
  it('refuses a connection without a token', async () => {
    const refused = await attemptRefusedUpgrade(host, { token: null });
    expect(refused.status).toBe(401);
    expectSecurityHeaders(refused.headers);
    expect(host.connectionIds()).toEqual([]);
  });

  it('refuses a wrong token, including one of a different length', async () => {
    expect((await attemptRefusedUpgrade(host, { token: 'x'.repeat(43) })).status).toBe(401);
    expect((await attemptRefusedUpgrade(host, { token: `${host.token}x` })).status).toBe(401);
    expect((await attemptRefusedUpgrade(host, { token: '' })).status).toBe(401);
    expect(host.connectionIds()).toEqual([]);
  });

  it('refuses a foreign or missing Origin even with the right token', async () => {
    expect((await attemptRefusedUpgrade(host, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await attemptRefusedUpgrade(host, { origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(
      403,
    );
    expect((await attemptRefusedUpgrade(host, { origin: `https://127.0.0.1:${host.port}` })).status).toBe(
      403,
    );
    expect((await attemptRefusedUpgrade(host, { origin: 'null' })).status).toBe(403);
    expect((await attemptRefusedUpgrade(host, { origin: null })).status).toBe(403);
    expect(host.connectionIds()).toEqual([]);
    expect(warnings.some((w) => w.includes('Origin'))).toBe(true);
  });

  it('refuses other paths', async () => {
    expect((await attemptRefusedUpgrade(host, { path: '/socket' })).status).toBe(404);
  });

  it('accepts the localhost origin as well', async () => {
    const client = await open({ origin: `http://localhost:${host.port}` });
    expect(unwrap(await client.call('app:status', {})).version).toBe('test');
    await client.close();
  });
});

describe('WebSocket protocol', () => {
  it('answers app:status on a good connection', async () => {
    const client = await open();
    const status = unwrap(await client.call('app:status', {}));
    expect(status).toMatchObject({ version: 'test', stationId: ts.station.id, session: null });
  });

  it('answers unreadable frames with bad_input and id null, and keeps the connection', async () => {
    const client = await open();
    const garbage = [
      'not json',
      '[1,2,3]',
      '"text"',
      'null',
      '{"channel":"app:status"}',
      '{"id":"7","channel":"app:status"}',
    ];
    for (const frame of garbage) client.send(frame);
    client.send(Buffer.from([1, 2, 3]));
    await client.waitFor(() => client.frames.filter((f) => f.id === null).length === garbage.length + 1);
    for (const f of client.frames) {
      expect(f).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad_input' } } });
    }
    expect(unwrap(await client.call('app:status', {})).session).toBeNull();
  });

  it('passes unknown channels and bad input to the gate', async () => {
    const client = await open();
    const unknown = await client.request('cart:steal-everything', {});
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const bad = await client.request('app:status', { extra: true });
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const missing = await client.request('auth:sign-in', undefined);
    expect(missing.result).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('matches concurrent replies by id', async () => {
    const client = await open();
    const results = await Promise.all(Array.from({ length: 20 }, () => client.call('app:status', {})));
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('closes a connection that sends a frame over 1 MiB, and only that one', async () => {
    const big = await open();
    const other = await open();
    big.send(JSON.stringify({ id: 1, channel: 'app:status', input: { pad: 'x'.repeat(1024 * 1024 + 10) } }));
    const code = await new Promise<number>((resolve) => big.socket.once('close', (c: number) => resolve(c)));
    expect(code).toBe(1009);
    expect(unwrap(await other.call('app:status', {})).version).toBe('test');
  });
});

describe('events and connection lifetime', () => {
  beforeAll(async () => {
    const setup = connect(ts.station, 'test:setup');
    unwrap(await setup('setup:complete', TEST_SETUP));
  });

  it('sends session:changed only to the connection that signed in; broadcasts go to all', async () => {
    const before = new Set(host.connectionIds());
    const a = await open();
    const b = await open();
    expect(host.connectionIds().filter((id) => !before.has(id))).toHaveLength(2);
    const users = unwrap(await a.call('auth:users', {}));
    const admin = users.find((u) => u.name === TEST_SETUP.adminName)!;

    const session = unwrap(await a.call('auth:sign-in', { userId: admin.id, pin: TEST_SETUP.adminPin }));
    expect(session.user.name).toBe('Admin');
    const changed = await a.waitForEvent('session:changed');
    expect(changed).toMatchObject({
      name: 'session:changed',
      payload: { session: { user: { id: admin.id } } },
    });

    // A broadcast sent after the sign-in reaches b after anything sent to b before it (one ordered socket).
    unwrap(await a.call('ui:set-locale', { locale: 'en' }));
    await a.waitForEvent('settings:changed');
    await b.waitForEvent('settings:changed');
    expect(b.events.map((e) => e.name)).toEqual(['settings:changed']);
    expect(unwrap(await b.call('app:status', {})).session).toBeNull();
  });

  it('unregisters a closed connection: its id is no longer trusted and its session is gone', async () => {
    const before = new Set(host.connectionIds());
    const client = await open();
    const id = host.connectionIds().find((c) => !before.has(c))!;
    expect(id).toMatch(/^ws:\d+$/);
    expect(ts.station.gate.isTrusted(id)).toBe(true);
    const admin = unwrap(await client.call('auth:users', {})).find((u) => u.role === 'admin')!;
    unwrap(await client.call('auth:sign-in', { userId: admin.id, pin: TEST_SETUP.adminPin }));
    expect(ts.station.auth.sessionInfo(id)).not.toBeNull();

    await client.close();
    await waitUntilGone(id);
    expect(ts.station.gate.isTrusted(id)).toBe(false);
    expect(ts.station.auth.sessionInfo(id)).toBeNull();
    expect(await ts.station.gate.handle(id, 'app:status', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('heartbeat and shutdown', () => {
  it('drops a socket that stops answering pings', async () => {
    const quick = await startWebHost({
      station: ts.station,
      port: 0,
      rendererDir,
      logger,
      heartbeatIntervalMs: 50,
    });
    try {
      // A hand-made handshake on a bare TCP socket: it completes the upgrade and then never answers a ping.
      const socket = net.connect(quick.port, '127.0.0.1');
      const received: Buffer[] = [];
      socket.on('data', (d: Buffer) => received.push(d));
      const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write(
        [
          `GET /ws?token=${quick.token} HTTP/1.1`,
          `Host: 127.0.0.1:${quick.port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version: 13',
          `Origin: ${quick.origin}`,
          '',
          '',
        ].join('\r\n'),
      );
      await ended;
      expect(Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
      for (let i = 0; i < 200 && quick.connectionIds().length > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(quick.connectionIds()).toEqual([]);
    } finally {
      await quick.close();
    }
  });

  it('numbers connections uniquely across hosts sharing one station', async () => {
    const first = await startWebHost({ station: ts.station, port: 0, rendererDir, logger });
    const second = await startWebHost({ station: ts.station, port: 0, rendererDir, logger });
    try {
      const a = await TestWsClient.connect(first);
      const b = await TestWsClient.connect(second);
      const [idA] = first.connectionIds();
      const [idB] = second.connectionIds();
      expect(idA).not.toBe(idB);
      await b.close();
      for (let i = 0; i < 200 && second.connectionIds().length > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      // b going away must not untrust a.
      expect(ts.station.gate.isTrusted(idA!)).toBe(true);
      expect(unwrap(await a.call('app:status', {})).version).toBe('test');
      await a.close();
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('close() closes the sockets (1001), unregisters them and stops listening', async () => {
    const temp = await startWebHost({ station: ts.station, port: 0, rendererDir, logger });
    const client = await TestWsClient.connect(temp);
    const id = temp.connectionIds()[0]!;
    const closeCode = new Promise<number>((resolve) =>
      client.socket.once('close', (c: number) => resolve(c)),
    );
    await temp.close();
    expect(await closeCode).toBe(1001);
    expect(ts.station.gate.isTrusted(id)).toBe(false);
    await expect(fetch(`${temp.origin}/`)).rejects.toThrow();
    await temp.close();
  });
});
