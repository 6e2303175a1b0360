import type { CountertopApi } from '../shared/ipc/api';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a plain browser. */
    countertop?: CountertopApi;
  }
}

export {};
