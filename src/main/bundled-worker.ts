import fs from 'node:fs';
import path from 'node:path';

/**
 * A worker bundle (`dist/main/<name>`) next to the running bundle, or null. `__dirname` exists in the CommonJS
 * Electron bundle; the ESM bundles (serve, bench) are started as `node dist/main/x.mjs`, so argv[1] names the
 * folder. Under vitest neither folder holds the worker, and callers fall back to in-process work.
 */
export function bundledWorkerFile(name: string): string | null {
  const dirs = [
    typeof __dirname === 'string' ? __dirname : null,
    process.argv[1] ? path.dirname(process.argv[1]) : null,
  ];
  for (const dir of dirs) {
    if (dir === null) continue;
    const file = path.join(dir, name);
    // In a packaged app the workers are unpacked from the asar (electron-builder.yml): a worker thread loads
    // its file from disk, not from inside the archive.
    const unpacked = file.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
    if (unpacked !== file && fs.existsSync(unpacked)) return unpacked;
    if (fs.existsSync(file)) return file;
  }
  return null;
}
