/**
 * The ONLY place that touches ipcMain (lint-enforced). One invoke channel and one event channel:
 *
 * - `IPC_INVOKE`: the sender must be a webContents this shell created and attached, and the frame that sent
 *   the message must be on `countertop://app`; otherwise the reply is `forbidden` and the gate's handler is
 *   never reached. Trusted calls go to `gate.handle('wc:<id>', channel, input)`, which never throws.
 * - `IPC_EVENT`: core events go to the window they target, or to every attached window.
 *
 * A window stays attached (and keeps its session) until its webContents is destroyed; a renderer crash does
 * not detach it, because the reloaded page is the same webContents.
 */
import { ipcMain } from 'electron';
import type { Result } from '../../shared/domain/errors';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc/api';
import type { StationEvent } from '../../shared/ipc/events';
import type { Station } from '../core/station';
import { isAppUrl } from './app-url';
import type { IpcInvokeEvent, IpcMainPart, ShellLogger, WebContentsPart } from './electron-parts';

export type BindableStation = Pick<Station, 'gate' | 'events'>;

export interface IpcBinding {
  /** Trusts a webContents the shell created: registers `wc:<id>` with the gate until it is destroyed. */
  attach(contents: WebContentsPart): string;
  /** Removes the invoke handler and stops forwarding events (on quit). */
  dispose(): void;
}

export const connectionIdOf = (contents: Pick<WebContentsPart, 'id'>): string => `wc:${contents.id}`;

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This window is not a station window; the request was refused.' },
};

export function createIpcBinding(
  ipc: IpcMainPart,
  station: BindableStation,
  logger?: ShellLogger,
): IpcBinding {
  const attached = new Map<string, WebContentsPart>();

  const senderConnection = (event: IpcInvokeEvent): string | null => {
    const connectionId = connectionIdOf(event.sender);
    // webContents ids are unique for the life of the process and never reused.
    if (!attached.has(connectionId) || !station.gate.isTrusted(connectionId)) return null;
    const frameUrl = event.senderFrame?.url;
    if (frameUrl === undefined || !isAppUrl(frameUrl)) return null;
    return connectionId;
  };

  ipc.handle(IPC_INVOKE, async (event, channel, input) => {
    const connectionId = senderConnection(event);
    if (connectionId === null) {
      logger?.warn(
        `Refused an IPC call from webContents ${event.sender.id} (${event.senderFrame?.url ?? 'no frame'})`,
      );
      return FORBIDDEN;
    }
    return station.gate.handle(connectionId, channel, input);
  });

  const deliver = (contents: WebContentsPart, event: StationEvent): void => {
    // A page that somehow left our origin must not receive session data.
    if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(IPC_EVENT, event);
  };
  const unsubscribe = station.events.on((event, connectionId) => {
    if (connectionId === null) {
      for (const contents of attached.values()) deliver(contents, event);
    } else {
      const contents = attached.get(connectionId);
      if (contents) deliver(contents, event);
    }
  });

  return {
    attach(contents) {
      const connectionId = connectionIdOf(contents);
      if (attached.has(connectionId)) return connectionId;
      attached.set(connectionId, contents);
      station.gate.registerConnection(connectionId);
      contents.once('destroyed', () => {
        attached.delete(connectionId);
        station.gate.unregisterConnection(connectionId);
      });
      return connectionId;
    },
    dispose() {
      ipc.removeHandler(IPC_INVOKE);
      unsubscribe();
    },
  };
}

/** The binding on Electron's real ipcMain (main.ts). */
export function bindElectronIpc(station: BindableStation, logger?: ShellLogger): IpcBinding {
  return createIpcBinding(ipcMain, station, logger);
}
