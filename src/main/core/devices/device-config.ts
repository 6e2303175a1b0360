import fs from 'node:fs';
import { resolve as pathResolve } from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../../shared/domain/errors';
import { DeviceConfigSchema, type DeviceConfig } from '../../../shared/ipc/channels/devices';
import type { Db } from '../../db/open';

export type ConfigSource = 'default' | 'channel' | 'file';

export interface StoredDeviceConfig {
  config: DeviceConfig;
  source: ConfigSource;
  updatedAt: string | null;
}

/** A device configuration that does not parse; the message names every bad field. */
export class DeviceConfigError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('bad_input', message, details);
    this.name = 'DeviceConfigError';
  }
}

/** `printer.connection: use tcp://HOST:PORT, …` — one line per zod issue, with the field path. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(file)'}: ${issue.message}`)
    .join('; ');
}

export function parseDeviceConfig(input: unknown, where = 'device configuration'): DeviceConfig {
  const parsed = DeviceConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new DeviceConfigError(`Bad ${where}: ${describeIssues(parsed.error)}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

/** Reads and validates a `--devices FILE`. Throws `DeviceConfigError` naming the file and the bad field. */
export function loadDeviceConfigFile(file: string): DeviceConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DeviceConfigError(`Cannot read the device file ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new DeviceConfigError(`The device file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseDeviceConfig(json, `device file ${file}`);
}

/** The one stored configuration row (table `device_config`). */
export class DeviceConfigRepo {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare<[], { config: string; source: 'channel' | 'file'; updated_at: string }>(
      'SELECT config, source, updated_at FROM device_config WHERE singleton = 1',
    );
    this.upsert = db.prepare(
      `INSERT INTO device_config (singleton, config, source, updated_by, updated_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (singleton) DO UPDATE SET config = excluded.config, source = excluded.source,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    );
  }

  /** The stored configuration; a stored value that no longer parses falls back to the defaults. */
  get(): StoredDeviceConfig {
    const row = this.select.get();
    if (row) {
      const parsed = DeviceConfigSchema.safeParse(JSON.parse(row.config));
      if (parsed.success) return { config: parsed.data, source: row.source, updatedAt: row.updated_at };
    }
    return { config: DeviceConfigSchema.parse({}), source: 'default', updatedAt: null };
  }

  /** Call inside the transaction that writes the audit row. */
  set(config: DeviceConfig, source: 'channel' | 'file', userId: string | null, at: Date): void {
    this.upsert.run(JSON.stringify(config), source, userId, at.toISOString());
  }
}

/**
 * `--devices FILE` or `--devices=FILE` from a process's arguments (the Electron shell's, which also carry
 * Chromium's switches), resolved against `cwd`; null when absent. A flag without a value is an error.
 */
export function devicesFileFromArgv(argv: readonly string[], cwd: string): string | null {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg !== '--devices' && !arg?.startsWith('--devices=')) continue;
    const value = arg === '--devices' ? argv[i + 1] : arg.slice('--devices='.length);
    if (value === undefined || value === '' || value.startsWith('--')) {
      throw new DeviceConfigError('--devices needs a file, e.g. --devices /etc/countertop/devices.json');
    }
    return pathResolve(cwd, value);
  }
  return null;
}
