import path from 'node:path';
import { build } from 'esbuild';
import { contextBridge, ipcRenderer } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL } from '../../../src/main/electron/app-url';
import { createIpcBinding } from '../../../src/main/electron/ipc-binding';
import { createCountertopApi } from '../../../src/preload/api';
import { IPC_EVENT, IPC_INVOKE } from '../../../src/shared/ipc/api';
import type { StationEvent } from '../../../src/shared/ipc/events';
import { FakeIpcMain, FakeIpcRenderer, FakeWebContents, type FakeContextBridge } from './fake-electron';
import { REPO_ROOT, silentLogger, TestResources } from './helpers';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectronModule());

describe('preload', () => {
  const resources = new TestResources();
  afterEach(() => resources.cleanup());

  it('exposes window.countertop with exactly invoke and onEvent', async () => {
    await import('../../../src/preload/index');
    const bridge = contextBridge as unknown as FakeContextBridge;
    expect([...bridge.exposed.keys()]).toEqual(['countertop']);
    const api = bridge.exposed.get('countertop') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onEvent']);
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.onEvent).toBe('function');
    expect(Object.values(api)).not.toContain(ipcRenderer);
  });

  it('invoke sends the channel and input on the one invoke channel and returns the reply', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = () => Promise.resolve({ ok: true, value: 42 });
    const reply = await createCountertopApi(ipc).invoke('app:status', { a: 1 });
    expect(ipc.invocations).toEqual([[IPC_INVOKE, 'app:status', { a: 1 }]]);
    expect(reply).toEqual({ ok: true, value: 42 });
  });

  it('invoke never rejects', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = () => Promise.reject(new Error("Error invoking remote method 'countertop:invoke': gone"));
    const api = createCountertopApi(ipc);
    expect(await api.invoke('app:status', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    ipc.answer = () => {
      throw new Error('An object could not be cloned.');
    };
    expect(await api.invoke('app:status', { f: () => 1 })).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('could not be cloned') as unknown },
    });
  });

  it('invoke refuses a channel that is not a string without calling the main process', async () => {
    const ipc = new FakeIpcRenderer();
    const api = createCountertopApi(ipc);
    for (const channel of [42, null, { toString: () => 'app:status' }]) {
      expect(await api.invoke(channel as unknown as string, {})).toMatchObject({
        ok: false,
        error: { code: 'unknown_channel' },
      });
    }
    expect(ipc.invocations).toEqual([]);
  });

  it('onEvent delivers only the payload and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const api = createCountertopApi(ipc);
    const received: unknown[][] = [];
    const unsubscribe = api.onEvent((...args) => received.push(args));
    const event: StationEvent = { name: 'settings:changed', payload: { locale: 'en' } };
    ipc.push(IPC_EVENT, event);
    ipc.push('some-other-channel', { name: 'x' });
    expect(received).toEqual([[event]]); // never the IpcRendererEvent, which carries ipcRenderer itself
    unsubscribe();
    ipc.push(IPC_EVENT, event);
    expect(received).toHaveLength(1);
    expect(ipc.listenerCount(IPC_EVENT)).toBe(0);
  });

  it('a throwing listener does not stop the others', () => {
    const ipc = new FakeIpcRenderer();
    const api = createCountertopApi(ipc);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const seen: string[] = [];
    api.onEvent(() => {
      throw new Error('boom');
    });
    api.onEvent((e) => seen.push(e.name));
    ipc.push(IPC_EVENT, { name: 'settings:changed', payload: { locale: 'en' } });
    expect(seen).toEqual(['settings:changed']);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('a renderer call goes preload → ipcMain binding → gate and back', async () => {
    const station = resources.station();
    const ipcMain = new FakeIpcMain();
    const binding = createIpcBinding(ipcMain, station, silentLogger);
    const rendererOf = (contents: FakeWebContents) => {
      const ipc = new FakeIpcRenderer();
      ipc.answer = (channel, ...args) =>
        ipcMain.invoke(contents, contents.getURL(), channel as string, ...args);
      return createCountertopApi(ipc);
    };
    const ours = new FakeWebContents();
    ours.url = APP_ENTRY_URL;
    binding.attach(ours);
    const stranger = new FakeWebContents();
    stranger.url = APP_ENTRY_URL;

    expect(await rendererOf(ours).invoke('app:status', {})).toMatchObject({
      ok: true,
      value: { version: 'test' },
    });
    expect(await rendererOf(stranger).invoke('app:status', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('bundles to a sandbox-safe preload that requires only electron', async () => {
    const result = await build({
      entryPoints: [path.join(REPO_ROOT, 'src/preload/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'chrome130',
      external: ['electron'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.every((file) => file.startsWith('src/preload/') || file.startsWith('src/shared/'))).toBe(
      true,
    );
    const externals = Object.values(result.metafile.outputs).flatMap((o) =>
      o.imports.filter((i) => i.external),
    );
    expect(externals.map((i) => i.path)).toEqual(['electron']);
  });
});
