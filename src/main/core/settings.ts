import { z } from 'zod';
import { CurrencySchema, LocaleSchema, StoreNameSchema, TaxModeSchema } from '../../shared/ipc/contract';
import type { Db } from '../db/open';
import { CHINA_IN_STORE_RULES, InStoreRulesSchema } from './catalog/in-store-rules';
import { DEFAULT_TENDERS, TendersSchema } from '../../shared/ipc/channels/sale';
import { TAX_ROUNDINGS } from '../../shared/domain/totals';

/**
 * Station settings, one typed schema. Values live as JSON in the `settings` table; unknown or unparsable
 * stored values fall back to defaults instead of crashing the station.
 */
export const SettingsSchema = z.object({
  storeName: StoreNameSchema.nullable(),
  currency: CurrencySchema.nullable(),
  taxMode: TaxModeSchema.nullable(),
  locale: LocaleSchema,
  /** Screen locks after this much inactivity (the core enforces it too). */
  idleLockSeconds: z.number().int().min(30).max(86_400),
  /** Wrong PINs in a row before the user is locked out, and for how long. */
  maxPinAttempts: z.number().int().min(3).max(20),
  lockoutSeconds: z.number().int().min(30).max(86_400),
  setupCompletedAt: z.string().nullable(),
  /** Price/weight labels from the store's scales (src/main/core/catalog/in-store-rules.ts). */
  inStoreRules: InStoreRulesSchema,
  /** Checkout (src/main/core/sale): tax rounding, smallest coin for cash rounding (minor units), tenders offered. */
  taxRounding: z.enum(TAX_ROUNDINGS),
  cashIncrement: z.number().int().min(1).max(100_000),
  tenders: TendersSchema,
  /** Receipt lines under the store name and above the thank-you (address, phone, returns policy …). */
  receiptHeader: z.array(z.string().max(48)).max(4),
  receiptFooter: z.array(z.string().max(48)).max(4),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

export const DEFAULT_SETTINGS: Settings = {
  storeName: null,
  currency: null,
  taxMode: null,
  locale: 'zh-CN',
  idleLockSeconds: 300,
  maxPinAttempts: 5,
  lockoutSeconds: 300,
  setupCompletedAt: null,
  inStoreRules: CHINA_IN_STORE_RULES,
  taxRounding: 'per_line',
  cashIncrement: 1,
  tenders: DEFAULT_TENDERS,
  receiptHeader: [],
  receiptFooter: [],
};

export class SettingsRepo {
  private readonly selectAll;
  private readonly upsert;
  /** Settings are read on every call (idle lock); cache them and drop the cache on write or rollback. */
  private cache: Settings | null = null;

  constructor(db: Db) {
    this.selectAll = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
    this.upsert = db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  all(): Settings {
    if (this.cache) return this.cache;
    const stored: Record<string, unknown> = {};
    for (const { key, value } of this.selectAll.all()) {
      if (!Object.prototype.hasOwnProperty.call(DEFAULT_SETTINGS, key)) continue;
      const field = SettingsSchema.shape[key as SettingKey].safeParse(JSON.parse(value));
      if (field.success) stored[key] = field.data;
    }
    this.cache = { ...DEFAULT_SETTINGS, ...stored };
    return this.cache;
  }

  /** Forget the cache (after a transaction that wrote settings rolled back). */
  invalidate(): void {
    this.cache = null;
  }

  get<K extends SettingKey>(key: K): Settings[K] {
    return this.all()[key];
  }

  /** Writes settings; call inside the action's transaction (with its audit row). */
  set(values: Partial<Settings>, at: Date): void {
    this.cache = null;
    for (const [key, value] of Object.entries(values)) {
      const parsed = SettingsSchema.shape[key as SettingKey].parse(value);
      this.upsert.run(key, JSON.stringify(parsed), at.toISOString());
    }
  }
}
