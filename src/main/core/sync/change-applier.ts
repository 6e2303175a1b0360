import type { Change, PullResponse } from '../../../shared/sync/protocol';
import type { Db } from '../../db/open';
import { tryBarcodeKey } from '../catalog/barcode-key';
import type { CatalogService } from '../catalog/catalog-service';
import type { ProductInput } from '../catalog/product-input';
import type { Prepared } from '../catalog/product-preparer';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import { SettingsSchema, type SettingKey, type Settings, type SettingsRepo } from '../settings';
import type { SyncStore } from './sync-store';

/**
 * Applies one page of the store's change feed and moves the cursor in ONE SQLite transaction: a crash before
 * the commit leaves neither the changes nor the cursor, a crash after it leaves both, so no page is ever
 * applied twice or skipped. Pulled data goes through the same writers as local edits, minus the outbox: it is
 * the server's fact, not the station's.
 *
 * A change the station cannot take (a barcode owned by a local product with another PLU, a staff name already
 * used by a local user, a setting value this version does not accept) is skipped and recorded in the page's
 * audit row; refusing the page would stop the feed for every later change.
 */

export interface Skipped {
  seq: number;
  entity: Change['entity'];
  key: string;
  reason: string;
}

export interface PageReport {
  from: number;
  to: number;
  products: number;
  taxRates: number;
  staff: number;
  settings: number;
  skipped: Skipped[];
  /** The seqs applied, in order (for progress and for the soak's exactly-once check). */
  seqs: number[];
}

export interface ApplierDeps {
  db: Db;
  journal: Journal;
  clock: Clock;
  events: StationEvents;
  settings: SettingsRepo;
  catalog: CatalogService;
  store: SyncStore;
  log: (message: string) => void;
}

/** Settings the server may set: the station's own schema minus what only the station decides. */
const STATION_ONLY_SETTINGS: ReadonlySet<string> = new Set(['setupCompletedAt']);
/** The sync's own policy, stored with the cursor. */
export const OFFLINE_WARN_SETTING = 'syncOfflineWarnMinutes';
/** The store's gift-card offline policy (`block` / `allow`), stored with the cursor too. */
export const GIFT_CARD_OFFLINE_SETTING = 'syncGiftCardOffline';
const MAX_SKIPPED_IN_AUDIT = 50;

export class PageOutOfOrder extends Error {}

/** Products of a page already prepared (ProductPreparer), by change seq. */
export type PreparedChanges = ReadonlyMap<number, Prepared>;

/** A pulled product as the catalog's writers take it. */
export function productInputOf(data: ChangeOf<'product'>['data']): ProductInput {
  return {
    plu: data.plu,
    barcodes: data.barcodes,
    nameZh: data.nameZh,
    nameEn: data.nameEn,
    category: data.category,
    unit: data.unit,
    price: data.price,
    cost: data.cost,
    taxCode: data.taxCode,
    active: data.active,
  };
}

export class ChangeApplier {
  private readonly upsertStaff;

  constructor(private readonly deps: ApplierDeps) {
    // Keeps the station's own sign-in state (failed attempts, lockout) of a user the server updates.
    this.upsertStaff = deps.db.prepare(
      `INSERT INTO users (id, name, role, pin_hash, active, failed_attempts, locked_until, created_at, updated_at)
       VALUES (@id, @name, @role, @pin_hash, @active, 0, NULL, @at, @at)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,
         active = excluded.active, updated_at = excluded.updated_at`,
    );
  }

  /**
   * Checks that the page continues from `from` (seqs increasing, after the cursor, up to the page's cursor) and
   * applies it. Throws PageOutOfOrder without writing anything when it does not.
   */
  applyPage(page: PullResponse, from: number, prepared?: PreparedChanges): PageReport {
    checkOrder(page, from);
    const { db, clock, journal, store, settings } = this.deps;
    const at = clock.now();
    const report: PageReport = {
      from,
      to: page.cursor,
      products: 0,
      taxRates: 0,
      staff: 0,
      settings: 0,
      skipped: [],
      seqs: page.changes.map((c) => c.seq),
    };
    let localeChanged: Settings['locale'] | null = null;
    try {
      db.transaction(() => {
        for (const run of runs(page.changes)) {
          switch (run.entity) {
            case 'product':
              this.applyProducts(only(run, 'product'), report, prepared);
              break;
            case 'tax_rate':
              this.applyTaxRates(only(run, 'tax_rate'), report);
              break;
            case 'staff':
              for (const change of only(run, 'staff')) this.applyStaff(change, report, at);
              break;
            case 'setting':
              for (const change of only(run, 'setting')) {
                const locale = this.applySetting(change, report, at);
                if (locale !== null) localeChanged = locale;
              }
              break;
          }
        }
        if (!store.advanceCursor(from, page.cursor, at)) {
          throw new PageOutOfOrder(`The pull cursor moved under this page (expected ${from}).`);
        }
        if (page.changes.length > 0) {
          journal.audit({
            at,
            userId: null,
            action: 'sync.pulled',
            details: {
              from,
              to: page.cursor,
              products: report.products,
              taxRates: report.taxRates,
              staff: report.staff,
              settings: report.settings,
              skipped: report.skipped.slice(0, MAX_SKIPPED_IN_AUDIT),
              skippedCount: report.skipped.length,
            },
          });
        }
      })();
    } catch (err) {
      settings.invalidate();
      throw err;
    }
    for (const s of report.skipped)
      this.deps.log(`sync: skipped ${s.entity} ${s.key} (seq ${s.seq}): ${s.reason}`);
    if (localeChanged !== null) this.deps.events.emit('settings:changed', { locale: localeChanged });
    return report;
  }

  private applyProducts(
    changes: ChangeOf<'product'>[],
    report: PageReport,
    prepared: PreparedChanges | undefined,
  ): void {
    const inputs = changes.map(({ data }) => productInputOf(data));
    // Prepared off the main thread while the page before was written (sync-service.ts); `line` is the index
    // in this call. Any change without its preparation makes the call prepare them all itself.
    let given: Prepared[] | undefined = [];
    for (const [index, change] of changes.entries()) {
      const p = prepared?.get(change.seq);
      if (p === undefined) {
        given = undefined;
        break;
      }
      given.push({ ...p, line: index });
    }
    const result = this.deps.catalog.upsertProducts(inputs, null, { fromServer: true, prepared: given });
    for (const rejection of result.rejected) {
      const change = changes[rejection.line];
      if (change === undefined) continue;
      report.skipped.push({
        seq: change.seq,
        entity: 'product',
        key: change.data.plu,
        reason: rejection.reason,
      });
    }
    report.products += changes.length - result.rejected.length;
  }

  private applyTaxRates(changes: ChangeOf<'tax_rate'>[], report: PageReport): void {
    // The later change of a code wins; upsertTaxRates takes each code once.
    const byCode = new Map(changes.map(({ data }) => [data.code, data]));
    this.deps.catalog.upsertTaxRates([...byCode.values()], null);
    report.taxRates += changes.length;
  }

  private applyStaff(change: ChangeOf<'staff'>, report: PageReport, at: Date): void {
    const { data } = change;
    try {
      // A savepoint: a refused row leaves the rest of the page intact.
      this.deps.db.transaction(() =>
        this.upsertStaff.run({
          id: data.id,
          name: data.name,
          role: data.role,
          pin_hash: data.pinHash,
          active: data.active ? 1 : 0,
          at: at.toISOString(),
        }),
      )();
      report.staff += 1;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) throw err;
      report.skipped.push({
        seq: change.seq,
        entity: 'staff',
        key: data.id,
        reason: `an active user of this station already has the name ${data.name}`,
      });
    }
  }

  /** Returns the new locale when this change set it. */
  private applySetting(change: ChangeOf<'setting'>, report: PageReport, at: Date): Settings['locale'] | null {
    const { key, value } = change.data;
    const skip = (reason: string) => {
      report.skipped.push({ seq: change.seq, entity: 'setting', key, reason });
      return null;
    };
    if (key === OFFLINE_WARN_SETTING) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100_000) {
        return skip('not a whole number of minutes (0–100000)');
      }
      this.deps.store.setOfflineWarnMinutes(value);
      report.settings += 1;
      return null;
    }
    if (key === GIFT_CARD_OFFLINE_SETTING) {
      if (value !== 'block' && value !== 'allow')
        return skip('not a gift-card offline policy (block, allow)');
      this.deps.store.setGiftCardOfflinePolicy(value);
      report.settings += 1;
      return null;
    }
    if (!Object.prototype.hasOwnProperty.call(SettingsSchema.shape, key) || STATION_ONLY_SETTINGS.has(key)) {
      return skip('not a setting this station knows');
    }
    const parsed = SettingsSchema.shape[key as SettingKey].safeParse(value);
    if (!parsed.success) return skip(`value refused: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const before = this.deps.settings.get(key as SettingKey);
    this.deps.settings.set({ [key]: parsed.data }, at);
    report.settings += 1;
    return key === 'locale' && before !== parsed.data ? (parsed.data as Settings['locale']) : null;
  }
}

/**
 * A page split into parts of at most `max` changes, in order; each part's cursor is its last change's seq
 * (the last part keeps the page's cursor). A page that does not continue from `from` throws PageOutOfOrder
 * before anything is split (and so before anything of it is written). Applying the parts one transaction each moves the cursor exactly as
 * far as what was written, so a crash between parts neither skips nor repeats a change.
 */
export function pageParts(page: PullResponse, max: number, from: number): PullResponse[] {
  if (page.changes.length <= max) return [page];
  checkOrder(page, from);
  const parts: PullResponse[] = [];
  for (let i = 0; i < page.changes.length; i += max) {
    const changes = page.changes.slice(i, i + max);
    const last = i + max >= page.changes.length;
    parts.push({
      changes,
      cursor: last ? page.cursor : changes[changes.length - 1]!.seq,
      hasMore: last ? page.hasMore : true,
      remaining: page.remaining + page.changes.length - (i + changes.length),
    });
  }
  return parts;
}

/** Throws PageOutOfOrder unless the page continues from `from` (seqs increasing, up to its cursor). */
export function checkOrder(page: PullResponse, from: number): void {
  if (page.cursor < from) throw new PageOutOfOrder(`The server's cursor ${page.cursor} is behind ${from}.`);
  let last = from;
  for (const change of page.changes) {
    if (change.seq <= last) throw new PageOutOfOrder(`Change ${change.seq} does not follow ${last}.`);
    last = change.seq;
  }
  if (last > page.cursor)
    throw new PageOutOfOrder(`Change ${last} is after the page's cursor ${page.cursor}.`);
}

interface Run {
  entity: Change['entity'];
  changes: Change[];
}

type ChangeOf<E extends Change['entity']> = Extract<Change, { entity: E }>;

/** The run's changes of one entity (all of them: a run holds one entity), typed as such. */
function only<E extends Change['entity']>(run: Run, entity: E): ChangeOf<E>[] {
  return run.changes.filter((c): c is ChangeOf<E> => c.entity === entity);
}

/**
 * Splits a page into runs of one entity, in feed order. A product run also ends before a product whose PLU or
 * barcode an earlier product of the run used: one batch of the catalog writer must not name a key twice, and
 * the later change must be written after the earlier one.
 */
function* runs(changes: readonly Change[]): Generator<Run> {
  let current: Run | null = null;
  let keys = new Set<string>();
  for (const change of changes) {
    const own = change.entity === 'product' ? productKeys(change.data) : [];
    const clash = own.some((k) => keys.has(k));
    if (current === null || current.entity !== change.entity || clash) {
      if (current !== null) yield current;
      current = { entity: change.entity, changes: [] };
      keys = new Set();
    }
    current.changes.push(change);
    for (const k of own) keys.add(k);
  }
  if (current !== null) yield current;
}

function productKeys(data: { plu: string; barcodes: readonly string[] }): string[] {
  const keys = [`plu:${data.plu}`];
  for (const code of data.barcodes) {
    const key = tryBarcodeKey(code);
    keys.push(`code:${key.ok ? key.key : code}`);
  }
  return keys;
}
