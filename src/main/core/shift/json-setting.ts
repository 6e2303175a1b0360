import type { z } from 'zod';
import type { Db } from '../../db/open';

/**
 * One JSON value of the `settings` table under its own key, validated by its own zod schema (the shift
 * configuration, the risk rules). The station-wide SettingsRepo ignores keys it does not know, so these live
 * beside it without widening its schema. A stored value that no longer parses falls back to the default
 * instead of stopping the station.
 */
export class JsonSetting<T> {
  private readonly select;
  private readonly upsert;
  private cache: T | null = null;

  constructor(
    db: Db,
    readonly key: string,
    private readonly schema: z.ZodType<T>,
    private readonly fallback: T,
  ) {
    this.select = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.upsert = db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  get(): T {
    if (this.cache !== null) return this.cache;
    const raw = this.select.get(this.key);
    let value = this.fallback;
    if (raw !== undefined) {
      const parsed = this.schema.safeParse(JSON.parse(raw));
      if (parsed.success) value = parsed.data;
    }
    this.cache = value;
    return value;
  }

  /** Writes the value; call inside the action's transaction (with its audit row). */
  set(value: T, at: Date): T {
    const parsed = this.schema.parse(value);
    this.cache = null;
    this.upsert.run(this.key, JSON.stringify(parsed), at.toISOString());
    return parsed;
  }

  /** Forget the cache (after a transaction that wrote the value rolled back). */
  invalidate(): void {
    this.cache = null;
  }
}
