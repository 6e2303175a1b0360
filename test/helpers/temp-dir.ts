import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempDir {
  dir: string;
  /** Removes the folder and everything in it; safe to call twice. */
  cleanup(): void;
}

/** A fresh folder under the OS temp dir (real files: tests use real SQLite, real sockets, real folders). */
export function tempDataDir(prefix = 'countertop-test-'): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
