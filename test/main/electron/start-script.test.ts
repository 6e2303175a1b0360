import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, TestResources } from './helpers';

/**
 * scripts/start.mjs run for real, in a throwaway copy of the app root whose node_modules/electron and
 * dist/main/serve.mjs are stand-ins that record how they were started.
 */
const FAKE_SERVE = `
import fs from 'node:fs';
const args = process.argv.slice(2);
fs.writeFileSync(process.env.CT_OUT, JSON.stringify({ serve: args }));
if (args.includes('--wait')) {
  process.on('SIGTERM', () => { fs.writeFileSync(process.env.CT_OUT, 'TERM'); process.exit(143); });
  console.log('ready');
  setInterval(() => {}, 1000);
} else {
  process.exit(5);
}
`;

const FAKE_ELECTRON = `#!/bin/sh
if [ "$ELECTRON_RUN_AS_NODE" = "1" ] && [ "$1" = "--version" ]; then echo v22.20.0; exit 0; fi
printf '%s\\n' "$@" > "$CT_OUT"
echo "RUN_AS_NODE=\${ELECTRON_RUN_AS_NODE:-}" >> "$CT_OUT"
exit 7
`;

type ElectronState = 'not-downloaded' | 'runs' | 'not-executable' | 'broken';

describe.skipIf(process.platform === 'win32')('scripts/start.mjs', () => {
  const resources = new TestResources();
  afterEach(() => resources.cleanup());

  function appRoot(electron: ElectronState): { root: string; out: string } {
    const root = resources.tempDir();
    const write = (file: string, text: string, mode = 0o644) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text, { mode });
    };
    write('package.json', '{ "name": "countertop-test", "type": "module" }');
    write('scripts/start.mjs', fs.readFileSync(path.join(REPO_ROOT, 'scripts/start.mjs'), 'utf8'));
    write('dist/main/electron.cjs', '');
    write('dist/main/serve.mjs', FAKE_SERVE);
    write(
      'node_modules/electron/package.json',
      '{ "name": "electron", "version": "45.5.0", "main": "index.js" }',
    );
    // Requiring electron without its binary starts a download: start.mjs must never do it.
    write('node_modules/electron/index.js', "throw new Error('start.mjs must not require electron');");
    if (electron !== 'not-downloaded') {
      write('node_modules/electron/path.txt', 'electron');
      const script = electron === 'broken' ? '#!/bin/sh\nexit 1\n' : FAKE_ELECTRON;
      write('node_modules/electron/dist/electron', script, electron === 'not-executable' ? 0o644 : 0o755);
    }
    return { root, out: path.join(root, 'out.txt') };
  }

  function start(root: string, out: string, args: string[], env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, [path.join(root, 'scripts/start.mjs'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', CT_OUT: out, ELECTRON_RUN_AS_NODE: '1', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  const FALLBACK =
    /^Electron is not available on this machine \((.+)\); serving the station UI for a browser instead\.$/;

  it('runs Electron on the app root with the arguments when it can, and exits with its code', () => {
    const { root, out } = appRoot('runs');
    const result = start(root, out, ['--data-dir', '/srv/ct', '--kiosk', '--devices', 'd.json'], {
      DISPLAY: ':0',
    });
    expect(result.code).toBe(7);
    expect(result.stdout).toBe('');
    // ELECTRON_RUN_AS_NODE from the caller's environment is dropped, or Electron would start as plain Node.
    expect(fs.readFileSync(out, 'utf8').split('\n')).toEqual([
      root,
      '--data-dir',
      '/srv/ct',
      '--kiosk',
      '--devices',
      'd.json',
      'RUN_AS_NODE=',
      '',
    ]);
  });

  it.each<[ElectronState, Record<string, string>, RegExp]>([
    ['not-downloaded', { DISPLAY: ':0' }, /never downloaded/],
    ['not-executable', { DISPLAY: ':0' }, /missing or not executable/],
    ['broken', { DISPLAY: ':0' }, /--version failed/],
    ['runs', {}, /no display/],
  ])(
    'falls back to the browser host when Electron is %s (env %j), with one line saying why',
    (state, env, reason) => {
      const { root, out } = appRoot(state);
      const result = start(root, out, ['--data-dir', '/srv/ct', '--demo'], env);
      const lines = result.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(FALLBACK);
      expect(FALLBACK.exec(lines[0]!)?.[1]).toMatch(reason);
      expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual({
        serve: ['--data-dir', '/srv/ct', '--demo'],
      });
      expect(result.code).toBe(5);
    },
  );

  it('uses Wayland as a display too', () => {
    const { root, out } = appRoot('runs');
    expect(start(root, out, [], { WAYLAND_DISPLAY: 'wayland-0' }).code).toBe(7);
  });

  it('says to build first when the bundle is missing', () => {
    const { root, out } = appRoot('not-downloaded');
    fs.rmSync(path.join(root, 'dist/main/serve.mjs'));
    const result = start(root, out, []);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/dist\/main\/serve\.mjs is missing: run "npm run build" first/);
  });

  it('forwards SIGTERM to the child and exits with its code', async () => {
    const { root, out } = appRoot('not-downloaded');
    const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), '--wait'], {
      env: { PATH: process.env.PATH ?? '', CT_OUT: out },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('ready')) resolve();
      }),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(fs.readFileSync(out, 'utf8')).toBe('TERM');
  });
});
