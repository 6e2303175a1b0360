import { AppError } from '../../../shared/domain/errors';
import type { CurrencyCode } from '../../../shared/domain/money';
import type { TaxMode } from '../../../shared/domain/locale';
import type { Totals } from '../../../shared/domain/totals';
import type { SaleView, TenderConfig } from '../../../shared/ipc/channels/sale';
import type { Db } from '../../db/open';
import type { UsersRepo } from '../auth/users';
import type { CatalogReader } from '../catalog/types';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import type { SettingsRepo } from '../settings';
import { Approvals } from './approvals';
import type { GiftCardAuthority } from './gift-cards';
import { noTerminal, type PaymentTerminal } from './payment-terminal';
import type { SaleDocument, SaleRow, Series } from './rows';
import { SaleRepo } from './sale-repo';
import { saleView } from './sale-view';

export interface SaleDeps {
  db: Db;
  journal: Journal;
  settings: SettingsRepo;
  users: UsersRepo;
  clock: Clock;
  events: StationEvents;
  catalog: CatalogReader;
  stationId: string;
}

/**
 * What checkout needs from the cash drawer's shift (src/main/core/shift), attached by the station: whether cash
 * may move now, and the shift and business day a document is completed in.
 */
export interface DrawerControl {
  /** Throws a typed error when cash may not be taken or given back now (no open drawer shift). */
  assertCashAllowed(): void;
  /** Inside the completing transaction, while the document is not completed yet: never throws for policy. */
  attribute(saleId: string, at: Date): void;
}

/** A sale may have at most this many lines (voided ones included): a runaway scanner must not grow it forever. */
export const MAX_LINES_PER_SALE = 1000;

/** `S-000123`: series letter and a zero-padded gapless sequence (it simply grows past 999999). */
export function formatReceiptNo(series: Series, seq: number): string {
  return `${series}-${String(seq).padStart(6, '0')}`;
}

/**
 * What the cart, checkout, returns and history share: the database and its queries, the approvals, the clock,
 * the payment terminal, the view of a document, and the `sale:changed` event.
 */
export class SaleContext {
  readonly db: Db;
  readonly repo: SaleRepo;
  readonly approvals: Approvals;
  readonly journal: Journal;
  readonly settings: SettingsRepo;
  readonly users: UsersRepo;
  readonly catalog: CatalogReader;
  readonly stationId: string;
  terminal: PaymentTerminal | null = null;
  drawer: DrawerControl | null = null;
  /** The store server's gift cards (the sync service); null: gift cards cannot be taken. */
  giftCards: GiftCardAuthority | null = null;
  private readonly clock: Clock;
  private readonly events: StationEvents;

  constructor(deps: SaleDeps) {
    this.db = deps.db;
    this.repo = new SaleRepo(deps.db);
    this.approvals = new Approvals(deps.db, deps.users, deps.settings, deps.journal, deps.clock);
    this.journal = deps.journal;
    this.settings = deps.settings;
    this.users = deps.users;
    this.catalog = deps.catalog;
    this.stationId = deps.stationId;
    this.clock = deps.clock;
    this.events = deps.events;
  }

  now(): Date {
    return this.clock.now();
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** The store's currency and tax mode; both are set at first-run setup. */
  storeBasics(): { currency: CurrencyCode; taxMode: TaxMode } {
    const { currency, taxMode } = this.settings.all();
    if (currency === null || taxMode === null) {
      throw new AppError('setup_required', 'This station has not been set up yet.');
    }
    return { currency, taxMode };
  }

  tender(code: string): TenderConfig {
    const tender = this.settings.get('tenders').find((t) => t.code === code);
    if (!tender) throw new AppError('bad_input', `Unknown tender: ${code}`, { tender: code });
    return tender;
  }

  requireTerminal(): PaymentTerminal {
    if (!this.terminal) throw noTerminal();
    return this.terminal;
  }

  requireSale(id: string): SaleRow {
    const sale = this.repo.sale(id);
    if (!sale) throw new AppError('not_found', 'This sale does not exist.', { saleId: id });
    return sale;
  }

  /** The view of a document with its cashier's name, and for a completed sale its refunds so far. */
  view(doc: SaleDocument, totals: Totals | null = null): SaleView {
    const { sale } = doc;
    const cashierName = this.users.get(sale.cashier_id)?.name ?? '';
    if (sale.status !== 'completed') return saleView(doc, totals, { cashierName });
    if (sale.kind === 'sale') {
      return saleView(doc, null, {
        cashierName,
        refunded: this.repo.refundedQty(sale.id),
        related: this.repo.related(sale.id),
      });
    }
    const original = sale.original_sale_id === null ? undefined : this.repo.sale(sale.original_sale_id);
    const related = original
      ? [
          {
            id: original.id,
            kind: original.kind,
            receipt_no: original.receipt_no,
            payable: original.total + original.rounding,
            completed_at: original.completed_at,
          },
        ]
      : [];
    return saleView(doc, null, { cashierName, related });
  }

  viewOf(saleId: string): SaleView {
    return this.view(this.repo.document(this.requireSale(saleId)));
  }

  /**
   * Runs one change of a sale as a transaction and returns the new view. The view runs the totals engine over
   * the new state, so a state the engine refuses (a discount above the line, a card above the total) throws
   * and rolls the change back. Every change bumps the sale's revision and is on disk when this returns.
   */
  change(fn: (at: Date) => string): SaleView {
    const view = this.tx(() => {
      const at = this.now();
      const saleId = fn(at);
      this.repo.touch(saleId, at.toISOString());
      return this.viewOf(saleId);
    });
    this.emit(view.status === 'open' || view.status === 'tendering' ? view : null);
    return view;
  }

  /** Tells every screen (cashier, customer display) what the cart looks like now; null when it is empty. */
  emit(cart: SaleView | null): void {
    this.events.emit('sale:changed', { cart });
  }
}
