import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseServeArgs } from '../../../src/main/cli/args';
import { defaultDataDir } from '../../../src/main/cli/paths';
import { startServe, type ServeOutcome } from '../../../src/main/cli/serve-command';
import { DEMO_PRODUCT_COUNT, DEMO_SETTINGS } from '../../../src/main/core/demo';
import { DATABASE_FILE } from '../../../src/main/core/station';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/web/headers';
import { DIST_DIR, MIGRATIONS_DIR } from '../../helpers/paths';
import { openTestStation, unwrap } from '../../helpers/station';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';
import { TestWsClient } from '../../helpers/ws-client';

const temps: TempDir[] = [];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const t of temps.splice(0)) t.cleanup();
});

function temp(prefix: string): string {
  const t = tempDataDir(prefix);
  temps.push(t);
  return t.dir;
}

/** An app root like the installed one: migrations/ and a built dist/renderer/. */
function fakeAppRoot({ renderer = true } = {}): string {
  const root = temp('countertop-app-');
  fs.symlinkSync(MIGRATIONS_DIR, path.join(root, 'migrations'), 'dir');
  if (renderer) {
    fs.mkdirSync(path.join(root, 'dist', 'renderer'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'dist', 'renderer', 'index.html'),
      '<!doctype html><title>Countertop</title>',
    );
  }
  return root;
}

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

async function serve(argv: string[], appRoot = fakeAppRoot()) {
  const cap = captureIo();
  const outcome: ServeOutcome = await startServe(argv, { appRoot, io: cap.io, version: 'test' });
  if (outcome.kind === 'running') stops.push(outcome.stop);
  return { ...cap, outcome };
}

/** A port that is taken for the duration of the test. */
async function occupiedPort(): Promise<number> {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => blocker.close(() => resolve())));
  return (blocker.address() as net.AddressInfo).port;
}

describe('parseServeArgs', () => {
  it('has defaults', () => {
    expect(parseServeArgs([])).toEqual({
      kind: 'run',
      options: { port: DEFAULT_PORT, dataDir: null, demo: false, devicesFile: null },
    });
  });

  it('reads every option', () => {
    expect(
      parseServeArgs(['--port', '0', '--data-dir', '/tmp/x', '--demo', '--devices', 'devices.json']),
    ).toEqual({
      kind: 'run',
      options: { port: 0, dataDir: '/tmp/x', demo: true, devicesFile: 'devices.json' },
    });
    expect(parseServeArgs(['--port=8080'])).toMatchObject({ kind: 'run', options: { port: 8080 } });
  });

  it.each([['--help'], ['-h'], ['--demo', '--help']])('%s asks for help', (...argv) => {
    expect(parseServeArgs(argv)).toEqual({ kind: 'help' });
  });

  it.each([
    [['--verbose'], /verbose/],
    [['extra'], /extra/],
    [['--port', 'abc'], /--port/],
    [['--port', '70000'], /--port/],
    [['--port', '1.5'], /--port/],
    [['--data-dir', ''], /--data-dir/],
    [['--demo=yes'], /demo/],
  ])('refuses %j', (argv, message) => {
    const parsed = parseServeArgs(argv);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });
});

describe('defaultDataDir', () => {
  it('matches where Electron keeps userData for productName Countertop', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, home: '/home/li' })).toBe(
      '/home/li/.config/Countertop/data',
    );
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/home/li' })).toBe(
      '/cfg/Countertop/data',
    );
    expect(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/li' })).toBe(
      '/Users/li/Library/Application Support/Countertop/data',
    );
    expect(
      defaultDataDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\li\\AppData\\Roaming' },
        home: 'C:\\Users\\li',
      }),
    ).toBe('C:\\Users\\li\\AppData\\Roaming\\Countertop\\data');
    expect(defaultDataDir({ platform: 'win32', env: {}, home: 'C:\\Users\\li' })).toBe(
      'C:\\Users\\li\\AppData\\Roaming\\Countertop\\data',
    );
  });
});

describe('startServe (in process)', () => {
  it('prints the usage for --help', async () => {
    const { outcome, out } = await serve(['--help']);
    expect(outcome).toEqual({ kind: 'exit', code: 0 });
    expect(out.join('\n')).toMatch(/--data-dir/);
  });

  it('exits 2 with a clear message on an unknown flag', async () => {
    const { outcome, err, out } = await serve(['--prot', '1234']);
    expect(outcome).toEqual({ kind: 'exit', code: 2 });
    expect(err[0]).toMatch(/--prot/);
    expect(out).toEqual([]);
  });

  it('exits 1 when the renderer is not built', async () => {
    const { outcome, err } = await serve(
      ['--port', '0', '--data-dir', temp('countertop-data-')],
      fakeAppRoot({ renderer: false }),
    );
    expect(outcome).toEqual({ kind: 'exit', code: 1 });
    expect(err.join('\n')).toMatch(/npm run build/);
  });

  it('exits 1 with the database message for a database from a newer version', async () => {
    const dataDir = temp('countertop-data-');
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    db.pragma('user_version = 999');
    db.close();
    const { outcome, err, out } = await serve(['--port', '0', '--data-dir', dataDir]);
    expect(outcome).toEqual({ kind: 'exit', code: 1 });
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/newer version of Countertop/);
    expect(out).toEqual([]);
  });

  it('exits 1 with one line when the port is taken', async () => {
    const port = await occupiedPort();
    const { outcome, err } = await serve(['--port', String(port), '--data-dir', temp('countertop-data-')]);
    expect(outcome).toEqual({ kind: 'exit', code: 1 });
    expect(err).toEqual([expect.stringMatching(new RegExp(`Port ${port} .*already in use`))]);
  });

  it('runs the demo store and stops cleanly', async () => {
    const dataDir = temp('countertop-data-');
    const devicesFile = path.join(temp('countertop-devices-'), 'devices.json');
    fs.writeFileSync(devicesFile, JSON.stringify({ printer: { connection: 'simulated' } }));
    const { outcome, out, err } = await serve([
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--demo',
      '--devices',
      devicesFile,
    ]);
    if (outcome.kind !== 'running') throw new Error('expected a running server');
    expect(out).toEqual([`Station ready: ${outcome.url}`]);
    expect(err).toEqual([]);

    const page = await fetch(outcome.url);
    expect(page.status).toBe(200);
    const client = await TestWsClient.connect(outcome.host);
    expect(unwrap(await client.call('app:status', {}))).toMatchObject({ storeName: DEMO_SETTINGS.storeName });

    const closed = new Promise<number>((resolve) =>
      client.socket.once('close', (code: number) => resolve(code)),
    );
    await outcome.stop();
    expect(await closed).toBe(1001);
    expect(outcome.station.db.open).toBe(false);
  });
});

const SERVE_BUNDLE = path.join(DIST_DIR, 'main', 'serve.mjs');
const built = fs.existsSync(SERVE_BUNDLE) && fs.existsSync(path.join(DIST_DIR, 'renderer', 'index.html'));

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnServe(args: string[]): Spawned {
  // Started from another folder: the bundle must find its migrations and renderer on its own.
  const child = spawn(process.execPath, [SERVE_BUNDLE, ...args], {
    cwd: temp('countertop-cwd-'),
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  stops.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exit;
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function waitForReady(s: Spawned, timeoutMs = 15_000): Promise<string> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const m = /^Station ready: (\S+)\n/m.exec(s.stdout());
    if (m) return m[1]!;
    if (s.child.exitCode !== null) throw new Error(`serve exited ${s.child.exitCode}: ${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`serve did not become ready: ${s.stderr()}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)),
  ]);
}

describe.skipIf(!built)('serve bundle (dist/main/serve.mjs)', () => {
  it('starts the demo store, serves the page, and exits 0 on SIGTERM', async () => {
    const dataDir = temp('countertop-data-');
    const s = spawnServe(['--port', '0', '--data-dir', dataDir, '--demo']);
    const url = await waitForReady(s);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toMatch(/<div id="root">/);

    const { port, hash } = new URL(url);
    const client = await TestWsClient.connect({ port: Number(port), token: hash.replace('#token=', '') });
    expect(unwrap(await client.call('app:status', {}))).toMatchObject({ storeName: DEMO_SETTINGS.storeName });

    s.child.kill('SIGTERM');
    expect(await withTimeout(s.exit, 5000, 'shutdown')).toEqual({ code: 0, signal: null });
    expect(s.stdout()).toBe(`Station ready: ${url}\n`);
    expect(s.stderr()).toBe('');
    await client.close();

    // Second run on the same folder: still one demo store.
    const again = spawnServe(['--port', '0', '--data-dir', dataDir, '--demo']);
    await waitForReady(again);
    again.child.kill('SIGINT');
    expect((await withTimeout(again.exit, 5000, 'shutdown')).code).toBe(0);
    const reopened = openTestStation({ dataDir });
    try {
      const n = reopened.station.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM products').get()!.n;
      expect(n).toBe(DEMO_PRODUCT_COUNT);
      expect(reopened.station.auth.users.list()).toHaveLength(5);
    } finally {
      reopened.station.close();
    }
  });

  it('exits 0 on a signal sent the moment it is ready', async () => {
    const s = spawnServe(['--port', '0', '--data-dir', temp('countertop-data-')]);
    await new Promise<void>((resolve) =>
      s.child.stdout!.on('data', () => {
        if (s.stdout().includes('Station ready: ')) resolve();
      }),
    );
    s.child.kill('SIGINT');
    expect(await withTimeout(s.exit, 5000, 'shutdown')).toEqual({ code: 0, signal: null });
  });

  it('exits 1 with one line when the port is in use', async () => {
    const port = await occupiedPort();
    const s = spawnServe(['--port', String(port), '--data-dir', temp('countertop-data-')]);
    expect((await withTimeout(s.exit, 10_000, 'exit')).code).toBe(1);
    expect(s.stdout()).toBe('');
    expect(s.stderr().trim().split('\n')).toEqual([expect.stringMatching(/already in use/)]);
  });

  it('exits 2 on an unknown flag', async () => {
    const s = spawnServe(['--nope']);
    expect((await withTimeout(s.exit, 10_000, 'exit')).code).toBe(2);
    expect(s.stderr()).toMatch(/--nope/);
  });
});
