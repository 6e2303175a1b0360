import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: Debian's initdb/pg_ctl (the `postgresql` package),
 * a temp folder, a free loopback port, its unix socket inside the temp folder. PostgreSQL refuses to run as
 * root, so under root (CI) the cluster is created and run as the `postgres` user through `runuser`.
 */

export interface DevPostgres {
  /** The cluster's maintenance database (`postgres`), as superuser. */
  url: string;
  /** A fresh, empty database on the cluster; its URL. */
  newDatabase(): Promise<string>;
  /** Stops the cluster and removes its folder (or drops the databases made on an external server). */
  stop(): Promise<void>;
}

export interface DevPostgresOptions {
  /**
   * Keep PostgreSQL's durability settings (fsync, synchronous commit): for benchmarks, whose figures must be
   * what a real server does. Tests turn them off for speed; a crash of a throwaway cluster loses nothing.
   */
  durable?: boolean;
}

export class PostgresMissingError extends Error {
  constructor() {
    super(
      'PostgreSQL is not installed: the store server tests need the Debian package `postgresql` (apt-get install postgresql; `npm run setup` does it).',
    );
    this.name = 'PostgresMissingError';
  }
}

/** The bin folder of the newest PostgreSQL under /usr/lib/postgresql, or null. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : path.join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL program, as `postgres` when we are root. Throws with its output on failure. */
function run(bin: string, program: string, args: string[], cwd: string): void {
  const file = path.join(bin, program);
  const [command, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  const result = spawnSync(command, argv, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(
      `${program} failed (${result.status ?? result.signal ?? result.error?.message}): ${`${result.stderr}\n${result.stdout}`.trim().slice(-2000)}`,
    );
  }
}

function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates databases on a server and drops them again on stop. */
function databaseFactory(adminUrl: string) {
  const created: string[] = [];
  return {
    created,
    async newDatabase(): Promise<string> {
      const name = `countertop_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        // A database name cannot be a bound parameter; this one is generated above from [a-z0-9_] only.
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      created.push(name);
      return databaseUrl(adminUrl, name);
    },
    async dropAll(): Promise<void> {
      if (created.length === 0) return;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        for (const name of created.splice(0))
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Uses the server at `url` (e.g. DATABASE_URL): fresh databases on it, dropped again by stop(). */
export function useExistingPostgres(url: string): DevPostgres {
  const factory = databaseFactory(url);
  return { url, newDatabase: () => factory.newDatabase(), stop: () => factory.dropAll() };
}

/** Starts a throwaway cluster. Call stop() when done; it is also stopped when the process exits. */
export async function startDevPostgres(options: DevPostgresOptions = {}): Promise<DevPostgres> {
  const bin = findPostgresBin();
  if (bin === null) throw new PostgresMissingError();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countertop-pg-'));
  const data = path.join(dir, 'data');
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    if (isRoot()) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      fs.chownSync(dir, uid, gid);
    }
    run(
      bin,
      'initdb',
      ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      dir,
    );
  } catch (err) {
    remove();
    throw err;
  }
  const settings = [
    `-c listen_addresses=127.0.0.1`,
    `-c unix_socket_directories=${dir}`,
    '-c max_connections=100',
    '-c shared_buffers=128MB',
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ];
  let port = 0;
  let lastError: unknown = null;
  // Another process may take the free port between the probe and the start: try a few.
  for (let attempt = 0; attempt < 3 && port === 0; attempt++) {
    const candidate = await freePort();
    try {
      run(
        bin,
        'pg_ctl',
        [
          '-D',
          data,
          '-l',
          path.join(dir, 'server.log'),
          '-w',
          '-t',
          '60',
          '-o',
          [`-p ${candidate}`, ...settings].join(' '),
          'start',
        ],
        dir,
      );
      port = candidate;
    } catch (err) {
      lastError = err;
    }
  }
  if (port === 0) {
    remove();
    throw lastError instanceof Error ? lastError : new Error('PostgreSQL did not start');
  }
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], dir);
    } catch {
      // Already gone: nothing to stop.
    }
    remove();
  };
  process.once('exit', stopSync);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const factory = databaseFactory(url);
  return {
    url,
    newDatabase: () => factory.newDatabase(),
    stop: () => {
      process.off('exit', stopSync);
      stopSync();
      return Promise.resolve();
    },
  };
}
