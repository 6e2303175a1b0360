/**
 * The parts of the `electron` module the shell uses, as narrow structural types. main.ts passes the real
 * module (the compiler checks that it fits these shapes); tests pass the fake in test/main/electron.
 * Types only: importing this file never loads Electron.
 */
import type { BrowserWindowConstructorOptions, CustomScheme } from 'electron';

/** An event the shell may cancel (navigation, webview attach, download). */
export interface PreventableEvent {
  preventDefault(): void;
}

/** `will-navigate`, `will-redirect`, `will-frame-navigate`: Electron passes the target URL on the event. */
export interface NavigationEvent extends PreventableEvent {
  readonly url: string;
}

export interface RenderProcessGoneDetails {
  readonly reason: string;
  readonly exitCode: number;
}

export interface WebContentsPart {
  readonly id: number;
  isDestroyed(): boolean;
  getURL(): string;
  reload(): void;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(
    event: 'render-process-gone',
    listener: (event: unknown, details: RenderProcessGoneDetails) => void,
  ): unknown;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface WindowPart {
  readonly webContents: WebContentsPart;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  /** Shows the window without taking the keyboard focus (the customer display must not steal the scanner). */
  showInactive(): void;
  focus(): void;
  /** Closes at once, without `beforeunload` (emits `closed`). */
  destroy(): void;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  once(event: 'closed', listener: () => void): unknown;
}

export type CreateWindow = (options: BrowserWindowConstructorOptions) => WindowPart;

export interface AppPart {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  enableSandbox(): void;
  whenReady(): Promise<unknown>;
  getPath(name: 'userData' | 'appData'): string;
  setPath(name: 'userData', path: string): void;
  getAppPath(): string;
  quit(): void;
  exit(exitCode?: number): void;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsPart) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: () => void): unknown;
  on(event: 'will-quit', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
}

export interface SessionPart {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  on(
    event: 'will-download',
    listener: (event: PreventableEvent, item: { getURL(): string }) => void,
  ): unknown;
}

export interface RectanglePart {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DisplayPart {
  readonly id: number;
  readonly bounds: RectanglePart;
  /** The bounds without the taskbar / dock / menu bar. */
  readonly workArea: RectanglePart;
}

/** Electron's `screen`, usable only after ready. */
export interface ScreenPart {
  getAllDisplays(): DisplayPart[];
  getPrimaryDisplay(): DisplayPart;
  on(event: 'display-added', listener: (event: unknown, display: DisplayPart) => void): unknown;
  on(event: 'display-removed', listener: (event: unknown, display: DisplayPart) => void): unknown;
}

export interface ProtocolPart {
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

export interface DialogPart {
  showErrorBox(title: string, content: string): void;
}

/** What the shell's IPC handler reads from an `ipcMain.handle` event. */
export interface IpcInvokeEvent {
  readonly sender: WebContentsPart;
  /** Null when the frame navigated away or was destroyed before the message was handled. */
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainPart {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface ShellLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}
