import { AppError } from '../../../shared/domain/errors';
import { CURRENCIES } from '../../../shared/domain/money';
import type {
  BasicsLockReason,
  SaleSettingsInput,
  StoreSettings,
} from '../../../shared/ipc/channels/settings';
import type { Db } from '../../db/open';
import type { Caller } from '../auth/auth-service';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import type { SettingKey, Settings, SettingsRepo } from '../settings';
import { cashIncrementChoices, isCashIncrementAllowed } from './cash-increment';

export interface StoreSettingsDeps {
  db: Db;
  journal: Journal;
  settings: SettingsRepo;
  clock: Clock;
  events: StationEvents;
}

/** One field-level problem, in the gate's `bad_input` issue shape plus the reason the screen translates. */
export interface SettingsIssue {
  path: string;
  code: 'custom';
  message: string;
  reason: string;
}

/** The keys `settings:set-sale` writes, in the order the audit row lists them. */
const SALE_KEYS = [
  'storeName',
  'currency',
  'taxMode',
  'taxRounding',
  'cashIncrement',
  'tenders',
  'inStoreRules',
  'receiptHeader',
  'receiptFooter',
] as const satisfies readonly SettingKey[];
type SaleKey = (typeof SALE_KEYS)[number];

const LOCK_MESSAGES: Readonly<Record<BasicsLockReason, string>> = {
  documents_exist:
    'Currency and tax mode cannot change once a sale has been completed: the amounts of existing receipts, returns and reports would change meaning.',
  sale_open:
    'Finish, void or cancel the open and parked sales before changing currency or tax mode: they were started with the current ones.',
  shift_open:
    'Close the drawer shift before changing the currency: its float was counted in the current one.',
};

/**
 * The manager's store settings (`settings:get`, `settings:set-sale`). Each save is ONE transaction: the changed
 * keys, one `settings.changed` audit row with their values before and after (queued for the store server by the
 * journal), then a `settings:changed` event so open screens reload.
 *
 * New sales read the settings when they start; a sale already open keeps the currency, tax mode, tax rounding
 * and cash increment it was started with (they are columns of the sale), so a change never reprices a cart. A
 * tender an unfinished sale is being paid with cannot be removed, since that sale still has to complete with it.
 */
export class StoreSettingsService {
  private readonly q;

  constructor(private readonly deps: StoreSettingsDeps) {
    const { db } = deps;
    this.q = {
      completedDocument: db
        .prepare<[], number>("SELECT EXISTS (SELECT 1 FROM sales WHERE status = 'completed')")
        .pluck(),
      unfinishedSale: db
        .prepare<[], number>(
          "SELECT EXISTS (SELECT 1 FROM sales WHERE status IN ('open', 'tendering', 'parked'))",
        )
        .pluck(),
      openShift: db.prepare<[], number>("SELECT EXISTS (SELECT 1 FROM shifts WHERE status = 'open')").pluck(),
      tendersInUse: db
        .prepare<[], string>(
          `SELECT DISTINCT p.tender_code FROM payments p JOIN sales s ON s.id = p.sale_id
           WHERE s.status IN ('open', 'tendering', 'parked') AND p.status IN ('pending', 'approved', 'timeout')
           ORDER BY p.tender_code`,
        )
        .pluck(),
    };
  }

  view(): StoreSettings {
    const s = this.deps.settings.all();
    return {
      storeName: s.storeName,
      currency: s.currency,
      taxMode: s.taxMode,
      taxRounding: s.taxRounding,
      cashIncrement: s.cashIncrement,
      cashIncrementChoices: [...cashIncrementChoices(s.currency)],
      tenders: s.tenders,
      inStoreRules: s.inStoreRules,
      receiptHeader: s.receiptHeader,
      receiptFooter: s.receiptFooter,
      basicsLock: this.basicsLock(),
      tendersInUse: this.q.tendersInUse.all(),
    };
  }

  /**
   * Why currency and tax mode cannot change now, or null. An open shift only matters for the currency, but one
   * answer for both keeps the screen simple; the shift is closed at the end of a day anyway.
   */
  basicsLock(): BasicsLockReason | null {
    if (this.q.completedDocument.get() === 1) return 'documents_exist';
    if (this.q.unfinishedSale.get() === 1) return 'sale_open';
    if (this.q.openShift.get() === 1) return 'shift_open';
    return null;
  }

  setSale(caller: Caller, input: SaleSettingsInput): StoreSettings {
    const { db, settings, journal, clock, events } = this.deps;
    let changed: SaleKey[] = [];
    try {
      db.transaction(() => {
        const current = settings.all();
        const next = { ...pick(current), ...definedOnly(input) };
        changed = SALE_KEYS.filter((key) => !sameValue(current[key], next[key]));
        if (changed.length === 0) return;
        this.check(current, next, changed);
        const at = clock.now();
        const values: Partial<Settings> = {};
        for (const key of changed) Object.assign(values, { [key]: next[key] });
        settings.set(values, at);
        journal.audit({
          at,
          userId: caller.user.id,
          action: 'settings.changed',
          details: {
            keys: changed,
            before: Object.fromEntries(changed.map((key) => [key, current[key]])),
            after: Object.fromEntries(changed.map((key) => [key, next[key]])),
          },
        });
      })();
    } catch (err) {
      settings.invalidate();
      throw err;
    }
    if (changed.length > 0) {
      events.emit('settings:changed', { locale: settings.get('locale'), keys: changed });
    }
    return this.view();
  }

  /** The checks that need the station's state (the input schema already checked each value on its own). */
  private check(current: Settings, next: Pick<Settings, SaleKey>, changed: readonly SaleKey[]): void {
    const has = (key: SaleKey) => changed.includes(key);
    if (has('currency') || has('taxMode')) {
      const lock = this.basicsLock();
      if (lock !== null) {
        throw new AppError('conflict', LOCK_MESSAGES[lock], { reason: 'settings_locked', lock });
      }
    }

    const issues: SettingsIssue[] = [];
    const currency = next.currency;
    if ((has('cashIncrement') || has('currency')) && !isCashIncrementAllowed(next.cashIncrement, currency)) {
      issues.push({
        path: 'cashIncrement',
        code: 'custom',
        reason: 'cash_increment_currency',
        message: `${next.cashIncrement} is not a cash increment of ${currency ?? 'this currency'} (one of ${cashIncrementChoices(currency).join(', ')})`,
      });
    }
    if ((has('inStoreRules') || has('currency')) && currency !== null) {
      const decimals = CURRENCIES[currency].decimals;
      next.inStoreRules.forEach((rule, index) => {
        if (rule.valueType === 'price' && rule.decimals > decimals) {
          issues.push({
            path: `inStoreRules.${index}.decimals`,
            code: 'custom',
            reason: 'price_decimals',
            message: `A price in ${currency} has at most ${decimals} decimals`,
          });
        }
      });
    }
    if (has('tenders')) {
      next.tenders.forEach((tender, index) => {
        const before = current.tenders.find((t) => t.code === tender.code);
        // Past payments keep the code and its kind; a code that changed kind would split them in the reports.
        if (before && before.type !== tender.type) {
          issues.push({
            path: `tenders.${index}.type`,
            code: 'custom',
            reason: 'tender_type_fixed',
            message: `Tender ${tender.code} is a ${before.type} tender: add a new tender instead of changing its kind`,
          });
        }
      });
    }
    if (issues.length > 0) {
      throw new AppError('bad_input', 'Some settings cannot be saved.', { issues });
    }

    if (has('tenders')) {
      const kept = new Set(next.tenders.map((t) => t.code));
      const inUse = this.q.tendersInUse.all().filter((code) => !kept.has(code));
      if (inUse.length > 0) {
        throw new AppError(
          'conflict',
          `A sale is being paid with ${inUse.join(', ')}: complete or cancel it before removing the tender.`,
          { reason: 'tender_in_use', tenders: inUse },
        );
      }
    }
  }
}

function pick(s: Settings): Pick<Settings, SaleKey> {
  return Object.fromEntries(SALE_KEYS.map((key) => [key, s[key]])) as Pick<Settings, SaleKey>;
}

/** The input as settings keys (the receipt's lines are two keys), without the ones not given. */
function definedOnly(input: SaleSettingsInput): Partial<Pick<Settings, SaleKey>> {
  const { receipt, ...rest } = input;
  const values: Partial<Pick<Settings, SaleKey>> = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== undefined),
  );
  if (receipt) {
    values.receiptHeader = receipt.header;
    values.receiptFooter = receipt.footer;
  }
  return values;
}

/** Settings are JSON values: equal when their JSON is (key order is the schema's, so it is stable). */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
