/**
 * The preload (bundled to dist/preload/preload.cjs). It runs sandboxed, so at run time it may require only
 * 'electron'; everything else is bundled from src/shared.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createCountertopApi } from './api';

contextBridge.exposeInMainWorld('countertop', createCountertopApi(ipcRenderer));
