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
import { createShiftControls } from './shift/controls';
import type { ShiftService } from './shift/shift-service';
import type { ReportService } from './reports/report-service';
import type { RiskEngine } from './risk/risk-engine';
import { systemClock, type Clock } from './clock';
import { StationEvents } from './events';
import { Journal } from './journal';
import { SettingsRepo } from './settings';
import { SetupService } from './setup-service';
import { SyncService, type SyncServiceOptions } from './sync/sync-service';
import { AuditService } from './audit/audit-service';
import { BackupService, type Timers } from './backup/backup-service';
import { StationDevices } from './devices/station-devices';
import { StationDiagnostics } from './selftest/station-diagnostics';
import { StoreSettingsService } from './store-settings/settings-service';

export interface StationOptions {
  dataDir: string;
  migrationsDir: string;
  version: string;
  clock?: Clock;
  logger?: GateLogger;
  /** Store sync tuning (tests, the soak); the defaults are for production. */
  sync?: SyncServiceOptions;
  /** The backup scheduler's timer (tests fire it by hand). */
  backupTimers?: Timers;
  /** Called once a restore replaced the database: the host restarts the station (or asks the operator to). */
  onRestartRequired?: () => void;
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
  /** Drawer shifts and business days, X/Z reports, fraud and risk rules (src/main/core/shift, reports, risk). */
  readonly shifts: ShiftService;
  readonly reports: ReportService;
  readonly risk: RiskEngine;
  /** Store sync: idle until enrolled; runs in the background, never on the selling path. */
  readonly sync: SyncService;
  /** The audit log for managers: browse, export, verify the chain. */
  readonly audit: AuditService;
  /** Scheduled and on-demand encrypted backups, and restore. */
  readonly backups: BackupService;
  /** Print queue, device manager (printer, drawer, status) and no-sale; hardware opens with `devices.manager.start()`. */
  readonly devices: StationDevices;
  /** Fault log, input devices (scanner, card reader, pole display), payment terminal diagnosis, self-test. */
  readonly diagnostics: StationDiagnostics;
  /** The manager's store settings: sale rules, tenders, in-store barcodes, receipt lines. */
  readonly storeSettings: StoreSettingsService;
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
    const controls = createShiftControls({
      db,
      journal: this.journal,
      settings: this.settings,
      users: this.auth.users,
      clock: this.clock,
      catalog: this.catalog,
      sales: this.sales,
      stationId: this.id,
    });
    this.shifts = controls.shifts;
    this.reports = controls.reports;
    this.risk = controls.risk;
    this.auth.signOutGuard = (userId) => this.shifts.assertMaySignOut(userId);
    this.sync = new SyncService(
      {
        db,
        journal: this.journal,
        clock: this.clock,
        events: this.events,
        settings: this.settings,
        catalog: this.catalog,
        stationId: this.id,
        version: this.version,
        // Read when a sync cycle starts (after open() set `integrity`): nothing is synced into a damaged file.
        databaseSound: () => this.integrity.then(() => this.damage === null),
      },
      options.sync,
    );
    // Gift cards are held on the store server through the sync service's credential.
    this.sales.attachGiftCards(this.sync);
    this.audit = new AuditService(db, this.journal, this.clock);
    this.devices = new StationDevices({
      db,
      clock: this.clock,
      events: this.events,
      journal: this.journal,
      settings: this.settings,
      users: this.auth.users,
      sales: this.sales,
    });
    this.diagnostics = new StationDiagnostics({
      db,
      clock: this.clock,
      events: this.events,
      journal: this.journal,
      devices: this.devices,
      stationId: this.id,
      version: this.version,
      locale: () => this.settings.get('locale'),
    });
    this.backups = new BackupService({
      db,
      journal: this.journal,
      clock: this.clock,
      stationId: this.id,
      dataDir: options.dataDir,
      databaseFile: path.join(options.dataDir, DATABASE_FILE),
      migrationsDir: options.migrationsDir,
      closeStation: () => this.close(),
      ...(options.backupTimers ? { timers: options.backupTimers } : {}),
      ...(options.onRestartRequired ? { onRestartRequired: options.onRestartRequired } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.storeSettings = new StoreSettingsService({
      db,
      journal: this.journal,
      settings: this.settings,
      clock: this.clock,
      events: this.events,
    });
    this.gate = new Gate(createHandlers(this), this.auth, {
      ...(options.logger ? { logger: options.logger } : {}),
      blocked: () =>
        this.backups.blockedError() ??
        (this.damage && {
          code: 'storage_error',
          message:
            'The station database is damaged. Nothing more is written to it: call a technician to restore a backup.',
          details: { problems: this.damage.slice(0, 3) },
          action: 'call_technician',
        }),
    });
  }

  static open(options: StationOptions): Station {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, DATABASE_FILE);
    const db = openDatabase({ file, migrationsDir: options.migrationsDir, integrityCheck: 'deferred' });
    const station = new Station(db, options);
    station.stopCheckpointer = startCheckpointer(db, file);
    station.sync.start();
    station.backups.start();
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
    // Synchronous part first: no cycle writes after this line, and in-flight requests are cut.
    void this.sync.stop();
    void this.devices.stop();
    void this.diagnostics.stop();
    this.backups.stop();
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
