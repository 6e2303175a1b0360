import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  createAppRequestHandler,
  registerAppScheme,
  resolveAppFile,
  serveAppProtocol,
} from '../../../src/main/electron/protocol';
import { createFakeElectron, type FakeElectron } from './fake-electron';
import { TestResources } from './helpers';

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

describe('countertop:// protocol', () => {
  const resources = new TestResources();
  let rendererDir: string;
  let electron: FakeElectron;

  beforeEach(async () => {
    // <tmp>/renderer is served; <tmp>/secret.txt sits right next to it and must stay unreachable.
    const root = resources.tempDir();
    rendererDir = path.join(root, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Countertop</title>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.css'), 'body{}');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'logo.svg'), '<svg/>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'font.woff2'), 'x');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'top secret');
    electron = createFakeElectron({ appData: root, appPath: root });
    registerAppScheme(electron.protocol);
    await electron.app.whenReady();
    serveAppProtocol(electron.protocol, rendererDir);
  });
  afterEach(() => resources.cleanup());

  const get = (url: string, init?: RequestInit) => electron.protocol.fetch(url, init);

  it('registers countertop as a standard, secure, fetchable scheme and nothing more', () => {
    expect(electron.protocol.privileged).toEqual([
      { scheme: 'countertop', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves the renderer files with their MIME types and the strict CSP', async () => {
    const index = await get('countertop://app/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>Countertop</title>');

    const types = {
      'countertop://app/assets/app.js': 'text/javascript; charset=utf-8',
      'countertop://app/assets/app.css': 'text/css; charset=utf-8',
      'countertop://app/assets/logo.svg': 'image/svg+xml',
      'countertop://app/assets/font.woff2': 'font/woff2',
    };
    for (const [url, type] of Object.entries(types)) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toBe(type);
      expect(response.headers.get('content-security-policy'), url).toBe(EXPECTED_CSP);
    }
    expect(CONTENT_SECURITY_POLICY).toBe(EXPECTED_CSP);
  });

  it('serves index.html for the root and ignores query and fragment', async () => {
    expect(await (await get('countertop://app/')).text()).toContain('Countertop');
    expect((await get('countertop://app/index.html?x=1#top')).status).toBe(200);
  });

  it('answers HEAD without a body', async () => {
    const response = await get('countertop://app/index.html', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it.each([
    'countertop://app/../../etc/passwd',
    'countertop://app/%2e%2e/%2e%2e/etc/passwd',
    'countertop://app/%2E%2E/secret.txt',
    'countertop://app/..%2fsecret.txt',
    'countertop://app/assets/..%2f..%2fsecret.txt',
    'countertop://app/%2e%2e%2fsecret.txt',
    'countertop://app/..%5csecret.txt',
    'countertop://app/%2fetc%2fpasswd',
    'countertop://app/index.html%00.js',
    'countertop://app/%E0%A4%A',
    'countertop://app/missing.js',
    'countertop://app/assets/',
    'countertop://other/index.html',
    'countertop://app:8080/index.html',
  ])('refuses %s with a 404 that still carries the CSP', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(await response.text()).not.toContain('top secret');
  });

  it('keeps every resolved path inside the renderer directory', () => {
    expect(resolveAppFile(rendererDir, 'countertop://app/assets/app.js')).toBe(
      path.join(rendererDir, 'assets', 'app.js'),
    );
    expect(resolveAppFile(rendererDir, 'countertop://app/..%2fsecret.txt')).toBeNull();
    // The URL parser already folds plain and %2e dot segments; what is left must still stay inside.
    expect(resolveAppFile(rendererDir, 'countertop://app/%2e%2e')).toBe(path.join(rendererDir, 'index.html'));
    expect(resolveAppFile(rendererDir, 'countertop://app/a/..%2f..%2f..%2fsecret.txt')).toBeNull();
    expect(resolveAppFile(rendererDir, 'https://app/index.html')).toBeNull();
    expect(resolveAppFile(rendererDir, 'not a url')).toBeNull();
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await createAppRequestHandler(rendererDir)(
      new Request('countertop://app/index.html', { method: 'POST', body: 'x' }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
  });
});
