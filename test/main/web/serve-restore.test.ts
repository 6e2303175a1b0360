import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type ServeOutcome } from '../../../src/main/cli/serve-command';
import { DEMO_SETTINGS } from '../../../src/main/core/demo';
import { MIGRATIONS_DIR } from '../../helpers/paths';
import { unwrap } from '../../helpers/station';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';
import { TestWsClient } from '../../helpers/ws-client';

const temps: TempDir[] = [];
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  for (const t of temps.splice(0)) t.cleanup();
});

function temp(prefix: string): string {
  const t = tempDataDir(prefix);
  temps.push(t);
  return t.dir;
}

/** An app root like the installed one: migrations/ and a (stand-in) built renderer. */
function fakeAppRoot(): string {
  const root = temp('countertop-app-');
  fs.symlinkSync(MIGRATIONS_DIR, path.join(root, 'migrations'), 'dir');
  fs.mkdirSync(path.join(root, 'dist', 'renderer'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'dist', 'renderer', 'index.html'),
    '<!doctype html><title>Countertop</title>',
  );
  return root;
}

async function signIn(client: TestWsClient, name: string, pin: string): Promise<void> {
  const users = unwrap(await client.call('auth:users', {}));
  const user = users.find((u) => u.name === name);
  if (!user) throw new Error(`no demo user ${name}`);
  unwrap(await client.call('auth:sign-in', { userId: user.id, pin }));
}

describe('npm run serve after a restore', () => {
  it('reopens the station on the restored data, same address and token, without a restart by hand', async () => {
    const err: string[] = [];
    const outcome: ServeOutcome = await startServe(
      ['--port', '0', '--data-dir', temp('countertop-data-'), '--demo'],
      { appRoot: fakeAppRoot(), io: { out: () => undefined, err: (l) => err.push(l) }, version: 'test' },
    );
    if (outcome.kind !== 'running') throw new Error('expected a running server');
    stops.push(outcome.stop);
    const before = { port: outcome.host.port, token: outcome.host.token, station: outcome.station };

    const admin = await TestWsClient.connect(outcome.host);
    await signIn(admin, 'Admin', '9999');
    const folder = temp('countertop-backups-');
    unwrap(
      await admin.call('backup:configure', {
        enabled: false,
        folder,
        intervalMinutes: 60,
        keepLast: 3,
        passphrase: 'correct horse battery staple',
      }),
    );
    const run = unwrap(await admin.call('backup:run', {}));
    expect(run.status).toBe('created');
    // A change after the backup, which the restore takes back.
    unwrap(await admin.call('staff:create', { name: 'After Backup', role: 'cashier', pin: '5678' }));

    const closed = new Promise<void>((resolve) => admin.socket.once('close', () => resolve()));
    unwrap(
      await admin.call('backup:restore', {
        file: run.file!,
        passphrase: 'correct horse battery staple',
        confirmUnsentLoss: true,
      }),
    );
    await closed; // the old life closed its connections

    // The same address and token work again, now on the restored database.
    let reconnected: TestWsClient | null = null;
    for (let i = 0; i < 100 && reconnected === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (outcome.station === before.station) continue;
      reconnected = await TestWsClient.connect(outcome.host).catch(() => null);
    }
    if (!reconnected) throw new Error('the station did not reopen');
    expect(outcome.host.port).toBe(before.port);
    expect(outcome.host.token).toBe(before.token);
    expect(before.station.db.open).toBe(false);
    expect(unwrap(await reconnected.call('app:status', {}))).toMatchObject({
      storeName: DEMO_SETTINGS.storeName,
    });
    const names = unwrap(await reconnected.call('auth:users', {})).map((u) => u.name);
    expect(names).toContain('Admin');
    expect(names).not.toContain('After Backup');
    expect(err).toContain('A backup was restored: the station reopened on the restored data.');
    await reconnected.close();
  });
});
