/**
 * A fake of the electron module parts the shell uses (see src/main/electron/electron-parts.ts), so the shell
 * can be tested in plain Node. It behaves like Electron where the shell depends on it: cancellable events,
 * `registerSchemesAsPrivileged` only before ready, `protocol.handle` only after, one handler per IPC channel,
 * `web-contents-created` for every new window, `screen` display events.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, CustomScheme } from 'electron';
import type {
  AppPart,
  DialogPart,
  DisplayPart,
  IpcInvokeEvent,
  IpcMainPart,
  ProtocolPart,
  RectanglePart,
  ScreenPart,
  SessionPart,
  WebContentsPart,
  WindowPart,
} from '../../../src/main/electron/electron-parts';
import type { IpcRendererPart } from '../../../src/preload/api';

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter implements WebContentsPart {
  readonly id = nextWebContentsId++;
  url = '';
  destroyed = false;
  reloads = 0;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;

  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.url;
  }
  reload(): void {
    this.reloads += 1;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  loadURL(url: string): Promise<void> {
    this.url = url;
    return Promise.resolve();
  }

  // --- what the page or Chromium would do -----------------------------------------------------------

  /** A navigation started by the page; returns the event so a test can see whether it was cancelled. */
  navigate(
    url: string,
    kind: 'will-navigate' | 'will-redirect' | 'will-frame-navigate' = 'will-navigate',
  ): FakeEvent {
    const event = new FakeEvent(url);
    this.emit(kind, event);
    if (!event.defaultPrevented && kind !== 'will-frame-navigate') this.url = url;
    return event;
  }
  /** `window.open(url)`: what the window-open handler decided (Electron allows when there is none). */
  openWindow(url: string): { action: string } {
    return this.windowOpenHandler ? this.windowOpenHandler({ url }) : { action: 'allow' };
  }
  attachWebview(): FakeEvent {
    const event = new FakeEvent();
    this.emit('will-attach-webview', event, {}, {});
    return event;
  }
  crash(reason = 'crashed'): void {
    this.emit('render-process-gone', new FakeEvent(), { reason, exitCode: 139 });
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class FakeBrowserWindow extends EventEmitter implements WindowPart {
  readonly webContents = new FakeWebContents();
  destroyed = false;
  minimized = false;
  visible = false;
  /** Whether showing it took the keyboard focus (`show`) or not (`showInactive`). */
  shownActive = false;
  focusCount = 0;

  constructor(
    readonly options: BrowserWindowConstructorOptions,
    app: FakeApp,
  ) {
    super();
    // Electron emits web-contents-created while constructing the window.
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.visible = true;
    this.shownActive = true;
  }
  showInactive(): void {
    this.visible = true;
  }
  focus(): void {
    this.focusCount += 1;
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  /** The user closing it (Electron: `close`, no page objects; then `closed`). */
  close(): void {
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
  }
}

export class FakeApp extends EventEmitter implements AppPart {
  isPackaged = false;
  ready = false;
  sandboxEnabled = false;
  quitCalls = 0;
  exitCode: number | null = null;

  /** Electron's default: appData plus the package name. */
  userData: string;

  constructor(
    readonly appData: string,
    private readonly appPath: string,
    private readonly lockAvailable: boolean,
  ) {
    super();
    this.userData = `${appData}/countertop`;
  }

  requestSingleInstanceLock(): boolean {
    return this.lockAvailable;
  }
  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() must be called before the app is ready');
    this.sandboxEnabled = true;
  }
  whenReady(): Promise<void> {
    return Promise.resolve().then(() => {
      this.ready = true;
    });
  }
  getPath(name: 'userData' | 'appData'): string {
    return name === 'userData' ? this.userData : this.appData;
  }
  setPath(name: 'userData', value: string): void {
    this.userData = value;
  }
  getAppPath(): string {
    return this.appPath;
  }
  quit(): void {
    this.quitCalls += 1;
    this.emit('before-quit', new FakeEvent());
    this.emit('will-quit', new FakeEvent());
  }
  exit(exitCode = 0): void {
    this.exitCode = exitCode;
  }
}

export class FakeSession extends EventEmitter implements SessionPart {
  requestHandler:
    ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  checkHandler: (() => boolean) | null = null;
  deviceHandler: (() => boolean) | null = null;

  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: () => boolean): void {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: () => boolean): void {
    this.deviceHandler = handler;
  }
  /** A page asking for a permission; Electron grants everything when no handler is set. */
  requestPermission(webContents: FakeWebContents, permission: string): Promise<boolean> {
    const handler = this.requestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler(webContents, permission, resolve));
  }
  /** A download of `url` starting (Electron passes the DownloadItem second). */
  download(url = 'https://example.com/file.zip'): FakeEvent {
    const event = new FakeEvent();
    this.emit('will-download', event, { getURL: () => url }, {});
    return event;
  }
}

const rect = (x: number, y: number, width: number, height: number): RectanglePart => ({
  x,
  y,
  width,
  height,
});

/** A display `width` × `height` at (`x`, 0), with a 40 px taskbar at the bottom. */
export function fakeDisplay(id: number, x: number, width = 1920, height = 1080): DisplayPart {
  return { id, bounds: rect(x, 0, width, height), workArea: rect(x, 0, width, height - 40) };
}

/** Electron's `screen`: the primary is the first display unless told; displays come and go (plug / unplug). */
export class FakeScreen extends EventEmitter implements ScreenPart {
  constructor(
    public displays: DisplayPart[],
    public primaryId: number | null = null,
  ) {
    super();
  }
  getAllDisplays(): DisplayPart[] {
    return [...this.displays];
  }
  getPrimaryDisplay(): DisplayPart {
    const primary = this.displays.find((d) => d.id === this.primaryId) ?? this.displays[0];
    if (!primary) throw new Error('no display');
    return primary;
  }
  plug(display: DisplayPart): void {
    this.displays.push(display);
    this.emit('display-added', new FakeEvent(), display);
  }
  unplug(id: number): void {
    const display = this.displays.find((d) => d.id === id);
    if (!display) throw new Error(`no display ${id}`);
    this.displays = this.displays.filter((d) => d !== display);
    this.emit('display-removed', new FakeEvent(), display);
  }
}

export class FakeProtocol implements ProtocolPart {
  privileged: CustomScheme[] | null = null;
  readonly handlers = new Map<string, (request: Request) => Promise<Response>>();

  constructor(private readonly app: FakeApp) {}

  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    if (this.app.ready) throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
    if (this.privileged) throw new Error('registerSchemesAsPrivileged can be called only once');
    this.privileged = schemes;
  }
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    if (!this.app.ready) throw new Error('protocol.handle must be called after the app is ready');
    if (this.handlers.has(scheme)) throw new Error(`scheme ${scheme} is already handled`);
    this.handlers.set(scheme, handler);
  }
  /** What the page would get for a URL on a handled scheme. */
  fetch(url: string, init?: RequestInit): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`no handler for ${url}`);
    return handler(new Request(url, init));
  }
}

export class FakeDialog implements DialogPart {
  readonly errorBoxes: { title: string; content: string }[] = [];
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  }
}

type InvokeListener = (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>;

export class FakeIpcMain implements IpcMainPart {
  readonly handlers = new Map<string, InvokeListener>();

  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** `ipcRenderer.invoke(channel, ...args)` from `sender`, whose sending frame is at `frameUrl`. */
  invoke(
    sender: FakeWebContents,
    frameUrl: string | null,
    channel: string,
    ...args: unknown[]
  ): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return listener({ sender, senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args);
  }
}

// --- preload side ------------------------------------------------------------------------------------------

export class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
    this.exposed.set(key, api);
  }
}

export class FakeIpcRenderer extends EventEmitter implements IpcRendererPart {
  readonly invocations: unknown[][] = [];
  answer: (...args: unknown[]) => Promise<unknown> = () => Promise.resolve({ ok: true, value: null });

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push([channel, ...args]);
    return this.answer(channel, ...args);
  }
  /** The main process sending `payload` on `channel`. */
  push(channel: string, payload: unknown): void {
    this.emit(channel, { sender: this, ports: [] }, payload);
  }
}

// --- the whole module --------------------------------------------------------------------------------------

export interface FakeElectron {
  app: FakeApp;
  protocol: FakeProtocol;
  session: FakeSession;
  screen: FakeScreen;
  dialog: FakeDialog;
  ipcMain: FakeIpcMain;
  windows: FakeBrowserWindow[];
  createWindow(options: BrowserWindowConstructorOptions): FakeBrowserWindow;
}

export function createFakeElectron(options: {
  appData: string;
  appPath: string;
  lockAvailable?: boolean;
  /** The connected displays, primary first; one 1920 × 1080 display by default. */
  displays?: DisplayPart[];
  primaryDisplayId?: number;
}): FakeElectron {
  const app = new FakeApp(options.appData, options.appPath, options.lockAvailable ?? true);
  const windows: FakeBrowserWindow[] = [];
  return {
    app,
    protocol: new FakeProtocol(app),
    session: new FakeSession(),
    screen: new FakeScreen(options.displays ?? [fakeDisplay(1, 0)], options.primaryDisplayId ?? null),
    dialog: new FakeDialog(),
    ipcMain: new FakeIpcMain(),
    windows,
    createWindow(windowOptions) {
      const window = new FakeBrowserWindow(windowOptions, app);
      windows.push(window);
      return window;
    },
  };
}

/** A module-shaped fake for `vi.mock('electron', …)`, for the files that import electron values directly. */
export function fakeElectronModule(): {
  ipcMain: FakeIpcMain;
  contextBridge: FakeContextBridge;
  ipcRenderer: FakeIpcRenderer;
} {
  return {
    ipcMain: new FakeIpcMain(),
    contextBridge: new FakeContextBridge(),
    ipcRenderer: new FakeIpcRenderer(),
  };
}
