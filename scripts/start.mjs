// The one start command (`npm start`, after `npm run build`). Runs the station in Electron when this machine
// can, and otherwise serves the same UI for a browser (dist/main/serve.mjs). Arguments (--data-dir, --kiosk,
// --devices, …) are passed through unchanged; SIGINT/SIGTERM/SIGHUP go to the child and its exit code is ours.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const electronEntry = path.join(root, 'dist', 'main', 'electron.cjs');
const serveEntry = path.join(root, 'dist', 'main', 'serve.mjs');

/** Where electron's install script puts the binary, relative to its dist dir, when path.txt is absent. */
const DEFAULT_BINARY = { win32: 'electron.exe', darwin: 'Electron.app/Contents/MacOS/Electron' };

/**
 * Finds a runnable Electron binary. Not `require('electron')`: when the binary is missing that call starts a
 * download, which on an offline till hangs or fails noisily.
 * @returns {{ binary: string } | { reason: string }}
 */
function locateElectron() {
  let packageDir;
  try {
    packageDir = path.dirname(
      createRequire(path.join(root, 'package.json')).resolve('electron/package.json'),
    );
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  let binary;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    binary = path.join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      relative || (DEFAULT_BINARY[process.platform] ?? 'electron'),
    );
  } else if (relative) {
    binary = path.join(packageDir, 'dist', relative);
  } else {
    return { reason: 'its binary was never downloaded' };
  }
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    return { reason: `${binary} is missing or not executable` };
  }
  // Runs it as plain Node: proves the binary and its shared libraries load, without needing a display.
  const probe = spawnSync(binary, ['--version'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: 'ignore',
    timeout: 5000,
  });
  if (probe.error) return { reason: `${binary} does not run (${probe.error.code ?? probe.error.message})` };
  if (probe.status !== 0) return { reason: `${binary} --version failed (${probe.status ?? probe.signal})` };
  return { binary };
}

function displayProblem() {
  if (process.platform === 'win32' || process.platform === 'darwin') return null;
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return null;
  return 'no display: DISPLAY and WAYLAND_DISPLAY are not set';
}

function requireBuilt(file) {
  if (fs.existsSync(file)) return;
  console.error(`${path.relative(root, file)} is missing: run "npm run build" first.`);
  process.exit(1);
}

function run(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', env });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('error', (err) => {
    console.error(`Could not start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (os.constants.signals[signal] ?? 0);
  });
}

/**
 * electron@45 installs without its binary and fetches it on first launch. With a display to show it on, fetch it
 * now (bounded in time); without network the fetch fails fast and we fall back to the browser host.
 * @returns {{ binary: string } | { reason: string }}
 */
function fetchElectron(firstReason) {
  let installer;
  try {
    installer = createRequire(path.join(root, 'package.json')).resolve('electron/install.js');
  } catch {
    return { reason: firstReason };
  }
  console.log('Fetching the Electron binary (first launch)…');
  const result = spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 180_000 });
  if (result.status !== 0) return { reason: `its binary was never downloaded and could not be fetched now` };
  return locateElectron();
}

const display = displayProblem();
let found = locateElectron();
if ('reason' in found && display === null && found.reason === 'its binary was never downloaded') {
  found = fetchElectron(found.reason);
}
const problem = display ?? ('reason' in found ? found.reason : null);
if (problem === null && 'binary' in found) {
  requireBuilt(electronEntry);
  // An inherited ELECTRON_RUN_AS_NODE would make Electron start as plain Node instead of the app.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  run(found.binary, [root, ...args], env);
} else {
  console.log(
    `Electron is not available on this machine (${problem}); serving the station UI for a browser instead.`,
  );
  requireBuilt(serveEntry);
  run(process.execPath, [serveEntry, ...args], process.env);
}
