/**
 * The narrow API the preload exposes as `window.countertop`, and the browser host's WebSocket client
 * implements too. The renderer cannot tell which one it has.
 */
import type { Result } from '../domain/errors';
import type { StationEvent } from './events';

export interface CountertopApi {
  /** Calls one contract channel. Never rejects: failures come back as `{ ok: false, error }`. */
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: StationEvent) => void): () => void;
}

/** The single Electron IPC channel names the preload and the shell agree on. */
export const IPC_INVOKE = 'countertop:invoke';
export const IPC_EVENT = 'countertop:event';
