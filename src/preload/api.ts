/**
 * The object the preload exposes as `window.countertop`. Built over a narrow ipcRenderer so tests can pass a
 * fake; checked with `satisfies CountertopApi` so the declared API and this implementation cannot drift.
 * Two members and nothing else: no ipcRenderer, no generic send, no Node.
 */
import type { ErrorData, Result } from '../shared/domain/errors';
import { IPC_EVENT, IPC_INVOKE, type CountertopApi } from '../shared/ipc/api';
import type { StationEvent } from '../shared/ipc/events';

/** The parts of Electron's ipcRenderer this file uses. */
export interface IpcRendererPart {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const failure = (error: ErrorData): Result<never> => ({ ok: false, error });

export function createCountertopApi(ipc: IpcRendererPart) {
  return {
    async invoke(channel: string, input: unknown): Promise<Result<unknown>> {
      if (typeof channel !== 'string') {
        return failure({ code: 'unknown_channel', message: 'The channel name must be a string.' });
      }
      try {
        return (await ipc.invoke(IPC_INVOKE, channel, input)) as Result<unknown>;
      } catch (err) {
        // Uncloneable input, or the main process went away (quitting): never reject into the UI.
        const reason = err instanceof Error ? err.message : String(err);
        return failure({ code: 'internal', message: `The station did not answer: ${reason.slice(0, 200)}` });
      }
    },

    onEvent(listener: (event: StationEvent) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('countertop.onEvent needs a function.');
      // Only the payload crosses: the IpcRendererEvent (which holds ipcRenderer itself) stays in the preload.
      const forward = (_event: unknown, payload: unknown): void => {
        try {
          listener(payload as StationEvent);
        } catch (err) {
          console.error('A countertop event listener failed', err);
        }
      };
      ipc.on(IPC_EVENT, forward);
      return () => {
        ipc.removeListener(IPC_EVENT, forward);
      };
    },
  } satisfies CountertopApi;
}
