import { describe, expect, it } from 'vitest';
import { hardenAllWebContents, hardenSession, hardenWebContents } from '../../../src/main/electron/hardening';
import { createFakeElectron, FakeEvent, FakeSession, FakeWebContents } from './fake-electron';

describe('hardenWebContents', () => {
  const hardened = () => {
    const contents = new FakeWebContents();
    contents.url = 'countertop://app/index.html';
    hardenWebContents(contents);
    return contents;
  };

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:4310/',
    'file:///etc/passwd',
    'countertop://evil/index.html',
    'countertop://app.evil/index.html',
    'countertop://user@app/index.html',
    'javascript:alert(1)',
    'about:blank',
  ])('denies navigation and redirects to %s', (url) => {
    const contents = hardened();
    expect(contents.navigate(url).defaultPrevented).toBe(true);
    expect(contents.navigate(url, 'will-redirect').defaultPrevented).toBe(true);
    expect(contents.navigate(url, 'will-frame-navigate').defaultPrevented).toBe(true);
    expect(contents.getURL()).toBe('countertop://app/index.html');
  });

  it('lets the page move within countertop://app', () => {
    const contents = hardened();
    expect(contents.navigate('countertop://app/index.html#/sale').defaultPrevented).toBe(false);
    expect(contents.navigate('countertop://app/other.html', 'will-redirect').defaultPrevented).toBe(false);
  });

  it('denies window.open', () => {
    const contents = hardened();
    expect(contents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
    expect(contents.openWindow('countertop://app/index.html')).toEqual({ action: 'deny' });
  });

  it('blocks webview attachment', () => {
    expect(hardened().attachWebview().defaultPrevented).toBe(true);
  });

  it('is idempotent', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents);
    hardenWebContents(contents);
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });
});

describe('hardenAllWebContents', () => {
  it('applies the same rules to every webContents the app creates', () => {
    const electron = createFakeElectron({ appData: '/tmp/none', appPath: '/tmp/none' });
    hardenAllWebContents(electron.app);
    const window = electron.createWindow({});
    const stray = new FakeWebContents(); // e.g. a devtools or child webContents
    electron.app.emit('web-contents-created', new FakeEvent(), stray);
    for (const contents of [window.webContents, stray]) {
      expect(contents.navigate('https://evil.example/').defaultPrevented).toBe(true);
      expect(contents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
      expect(contents.attachWebview().defaultPrevented).toBe(true);
    }
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check, device access and downloads from elsewhere', async () => {
    const session = new FakeSession();
    // Without handlers Electron grants: make sure the fake models that, so the test below means something.
    expect(await session.requestPermission(new FakeWebContents(), 'media')).toBe(true);
    hardenSession(session);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'hid',
      'serial',
      'usb',
      'clipboard-read',
      'openExternal',
    ]) {
      expect(await session.requestPermission(new FakeWebContents(), permission), permission).toBe(false);
    }
    expect(session.checkHandler?.()).toBe(false);
    expect(session.deviceHandler?.()).toBe(false);
    expect(session.download().defaultPrevented).toBe(true);
    expect(session.download('blob:https://evil.example/0f0e').defaultPrevented).toBe(true);
    expect(session.download('countertop://app/index.html').defaultPrevented).toBe(true);
    // The page's own exports (audit CSV, diagnostics bundle) go through the Save dialog.
    expect(session.download('blob:countertop://app/2b7c9a3e-1d2f').defaultPrevented).toBe(false);
  });
});
