import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Locale } from '../../shared/domain/locale';
import { startCheckpointer } from '../db/checkpointer';
import { checkIntegrityInBackground } from '../db/integrity';
import { openDatabase, type Db } from '../db/open';
import { Gate, type GateLogger } from '../ipc/gate';
import { createHandlers } from '../ipc/handlers';
import { AuthService } from './auth/auth-service';
import { CatalogService } from './catalog/catalog-service';
import { SaleService } from './sale/sale-service';
import { systemClock, type Clock } from './clock';
import { StationEvents } from './events';
import { Journal } from './journal';
import { SettingsRepo } from './settings';
import { SetupService } from './setup-service';

export interface StationOptions {
  dataDir: string;
  migrationsDir: string;
  version: string;
  clock?: Clock;
  logger?: GateLogger;
}

export const DATABASE_FILE = 'station.db';

/**
 * The station core: the database, the services and the gate, wired once. Plain Node — the Electron shell
 * and the browser host both create one of these and bind its gate to their transport.
 */
export class Station {
  readonly db: Db;
  readonly id: string;
  readonly version: string;
  readonly clock: Clock;
  readonly events = new StationEvents();
  readonly journal: Journal;
  readonly settings: SettingsRepo;
  readonly auth: AuthService;
  readonly setup: SetupService;
  readonly catalog: CatalogService;
  readonly sales: SaleService;
  readonly gate: Gate;
  /** The background quick_check of the database file: resolves to the problems found (empty when sound). */
  integrity: Promise<string[]> = Promise.resolve([]);
  /** Set when that check failed: the gate then refuses every call but the status, and nothing is written. */
  private damage: string[] | null = null;
  private stopCheckpointer: () => void = () => undefined;

  private constructor(db: Db, options: StationOptions) {
    this.db = db;
    this.version = options.version;
    this.clock = options.clock ?? systemClock;
    this.journal = new Journal(db);
    this.settings = new SettingsRepo(db);
    this.id = ensureStationId(db, this.clock);
    this.auth = new AuthService(db, this.settings, this.journal, this.clock, this.events);
    this.setup = new SetupService(db, this.settings, this.auth, this.journal, this.clock);
    this.catalog = new CatalogService(this);
    this.sales = new SaleService({
      db,
      journal: this.journal,
      settings: this.settings,
      users: this.auth.users,
      clock: this.clock,
      events: this.events,
      catalog: this.catalog,
      stationId: this.id,
    });
    this.gate = new Gate(createHandlers(this), this.auth, {
      ...(options.logger ? { logger: options.logger } : {}),
      blocked: () =>
        this.damage && {
          code: 'storage_error',
          message:
            'The station database is damaged. Nothing more is written to it: call a technician to restore a backup.',
          details: { problems: this.damage.slice(0, 3) },
          action: 'call_technician',
        },
    });
  }

  static open(options: StationOptions): Station {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, DATABASE_FILE);
    const db = openDatabase({ file, migrationsDir: options.migrationsDir, integrityCheck: 'deferred' });
    const station = new Station(db, options);
    station.stopCheckpointer = startCheckpointer(db, file);
    station.integrity = checkIntegrityInBackground(file).then((problems) => {
      if (problems.length > 0 && db.open) {
        station.damage = problems;
        (options.logger ?? console).error(
          `The station database at ${file} failed its integrity check`,
          problems,
        );
      }
      return problems;
    });
    return station;
  }

  setLocale(locale: Locale, userId: string | null): { locale: Locale } {
    const now = this.clock.now();
    if (this.settings.get('locale') !== locale) {
      try {
        this.db.transaction(() => {
          this.settings.set({ locale }, now);
          this.journal.audit({ at: now, userId, action: 'settings.locale_changed', details: { locale } });
        })();
      } catch (err) {
        this.settings.invalidate();
        throw err;
      }
      this.events.emit('settings:changed', { locale });
    }
    return { locale };
  }

  close(): void {
    this.stopCheckpointer();
    if (this.db.open) this.db.close();
  }
}

function ensureStationId(db: Db, clock: Clock): string {
  const row = db.prepare<[], { id: string }>('SELECT id FROM station WHERE singleton = 1').get();
  if (row) return row.id;
  const id = randomUUID();
  db.prepare('INSERT INTO station (singleton, id, created_at) VALUES (1, ?, ?)').run(
    id,
    clock.now().toISOString(),
  );
  return id;
}
