import { afterEach, describe, expect, it, vi } from 'vitest';
import { ipcMain } from 'electron';
import { APP_ENTRY_URL } from '../../../src/main/electron/app-url';
import { bindElectronIpc, connectionIdOf, createIpcBinding } from '../../../src/main/electron/ipc-binding';
import { IPC_EVENT, IPC_INVOKE } from '../../../src/shared/ipc/api';
import { FakeIpcMain, FakeWebContents } from './fake-electron';
import { SETUP_INPUT, silentLogger, TestResources } from './helpers';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectronModule());

describe('IPC binding', () => {
  const resources = new TestResources();
  afterEach(() => resources.cleanup());

  function bound() {
    const station = resources.station();
    const ipc = new FakeIpcMain();
    const binding = createIpcBinding(ipc, station, silentLogger);
    const window = new FakeWebContents();
    window.url = APP_ENTRY_URL;
    binding.attach(window);
    const call = (sender: FakeWebContents, frameUrl: string | null, channel: unknown, input: unknown) =>
      ipc.invoke(sender, frameUrl, IPC_INVOKE, channel, input);
    return { station, ipc, binding, window, call };
  }

  it('lets a window we created reach the gate', async () => {
    const { station, window, call } = bound();
    expect(station.gate.isTrusted(`wc:${window.id}`)).toBe(true);
    const reply = await call(window, APP_ENTRY_URL, 'app:status', {});
    expect(reply).toMatchObject({ ok: true, value: { version: 'test', setupRequired: true, session: null } });
  });

  it('passes the gate’s own refusals through', async () => {
    const { window, call } = bound();
    expect(await call(window, APP_ENTRY_URL, 'fs:read', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
    expect(await call(window, APP_ENTRY_URL, 'app:status', { extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    expect(await call(window, APP_ENTRY_URL, 'staff:list', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });

  it('refuses a webContents we did not create without reaching the gate', async () => {
    const { station, call } = bound();
    const handle = vi.spyOn(station.gate, 'handle');
    const stranger = new FakeWebContents();
    stranger.url = APP_ENTRY_URL;
    expect(await call(stranger, APP_ENTRY_URL, 'app:status', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // Even when something else registered the same connection id with the gate.
    station.gate.registerConnection(connectionIdOf(stranger));
    expect(await call(stranger, APP_ENTRY_URL, 'app:status', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(handle).not.toHaveBeenCalled();
  });

  it.each([
    ['a foreign site', 'https://evil.example/index.html'],
    ['a file URL', 'file:///opt/countertop/dist/renderer/index.html'],
    ['another host on our scheme', 'countertop://app.evil/index.html'],
    ['the browser host', 'http://127.0.0.1:4310/index.html'],
    ['about:blank', 'about:blank'],
    ['a frame that is gone', null],
  ])('refuses our window when the sending frame is %s', async (_what, frameUrl) => {
    const { station, window, call } = bound();
    const handle = vi.spyOn(station.gate, 'handle');
    expect(await call(window, frameUrl, 'app:status', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(handle).not.toHaveBeenCalled();
  });

  it('forgets a window and its session when its webContents is destroyed', async () => {
    const { station, window, call } = bound();
    expect(await call(window, APP_ENTRY_URL, 'setup:complete', SETUP_INPUT)).toMatchObject({ ok: true });
    const connectionId = connectionIdOf(window);
    expect(station.auth.caller(connectionId)).not.toBeNull();
    window.destroy();
    expect(station.gate.isTrusted(connectionId)).toBe(false);
    expect(station.auth.caller(connectionId)).toBeNull();
    expect(await call(window, APP_ENTRY_URL, 'app:status', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('routes targeted events to their window and broadcasts to every window', async () => {
    const { station, binding, window, call } = bound();
    const second = new FakeWebContents();
    second.url = APP_ENTRY_URL;
    binding.attach(second);

    expect(await call(window, APP_ENTRY_URL, 'setup:complete', SETUP_INPUT)).toMatchObject({ ok: true });
    // The session change concerns the first window only.
    expect(window.sent.map((m) => m.channel)).toEqual([IPC_EVENT]);
    expect(window.sent[0]?.args[0]).toMatchObject({
      name: 'session:changed',
      payload: { session: { user: { name: 'Ada' } } },
    });
    expect(second.sent).toEqual([]);

    // A settings change goes to both.
    expect(await call(window, APP_ENTRY_URL, 'ui:set-locale', { locale: 'zh-CN' })).toMatchObject({
      ok: true,
    });
    const settings = { name: 'settings:changed', payload: { locale: 'zh-CN' } };
    expect(window.sent.at(-1)).toEqual({ channel: IPC_EVENT, args: [settings] });
    expect(second.sent).toEqual([{ channel: IPC_EVENT, args: [settings] }]);

    station.events.emit('session:changed', { session: null }, connectionIdOf(second));
    expect(second.sent.at(-1)?.args[0]).toEqual({ name: 'session:changed', payload: { session: null } });
    expect(window.sent).toHaveLength(2);
  });

  it('sends nothing to strangers, destroyed windows or a window that left our origin', () => {
    const { station, binding, window } = bound();
    const stranger = new FakeWebContents();
    stranger.url = APP_ENTRY_URL;
    const gone = new FakeWebContents();
    gone.url = APP_ENTRY_URL;
    binding.attach(gone);
    gone.destroyed = true; // destroyed, 'destroyed' not yet emitted
    window.url = 'https://evil.example/';
    station.events.emit('settings:changed', { locale: 'en' });
    station.events.emit('session:changed', { session: null }, connectionIdOf(window));
    station.events.emit('session:changed', { session: null }, 'ws:browser-tab');
    expect([window.sent, stranger.sent, gone.sent]).toEqual([[], [], []]);
  });

  it('dispose removes the handler and stops events', async () => {
    const { station, ipc, binding, window } = bound();
    binding.dispose();
    expect(ipc.handlers.has(IPC_INVOKE)).toBe(false);
    station.events.emit('settings:changed', { locale: 'en' });
    expect(window.sent).toEqual([]);
    await expect(ipc.invoke(window, APP_ENTRY_URL, IPC_INVOKE, 'app:status', {})).rejects.toThrow(
      /No handler/,
    );
  });

  it('bindElectronIpc binds to electron’s ipcMain', () => {
    const station = resources.station();
    const binding = bindElectronIpc(station);
    expect((ipcMain as unknown as FakeIpcMain).handlers.has(IPC_INVOKE)).toBe(true);
    binding.dispose();
    expect((ipcMain as unknown as FakeIpcMain).handlers.has(IPC_INVOKE)).toBe(false);
  });
});
