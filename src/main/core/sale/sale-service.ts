import type { SaleConfig } from '../../../shared/ipc/channels/sale';
import { Cart } from './cart';
import { Checkout } from './checkout';
import type { Approvals } from './approvals';
import { SaleContext, type DrawerControl, type SaleDeps } from './context';
import type { GiftCardAuthority } from './gift-cards';
import { SaleHistory } from './history';
import type { PaymentTerminal } from './payment-terminal';
import { Returns } from './returns';

export type { DrawerControl, SaleDeps } from './context';
export type { PaymentTerminal, TerminalOutcome } from './payment-terminal';
export type { GiftCardAuthority, GiftCardHoldOutcome } from './gift-cards';

/**
 * Checkout for one station: the open sale (`cart`), paying and completing it (`checkout`), returns and
 * post-voids (`returns`) and the completed documents (`history`). All state is in SQLite; the service keeps
 * only what must not outlive the process (approval requests, sales waiting for the payment terminal).
 */
export class SaleService {
  readonly cart: Cart;
  readonly checkout: Checkout;
  readonly returns: Returns;
  readonly history: SaleHistory;
  private readonly ctx: SaleContext;

  constructor(deps: SaleDeps) {
    this.ctx = new SaleContext(deps);
    this.cart = new Cart(this.ctx);
    this.checkout = new Checkout(this.ctx);
    this.returns = new Returns(this.ctx);
    this.history = new SaleHistory(deps.db, this.ctx);
  }

  /**
   * Connects the card terminal (the devices issue provides drivers and a simulator). Without one, a card
   * tender fails with `device_offline`; approvals are never simulated here.
   */
  attachTerminal(terminal: PaymentTerminal | null): void {
    this.ctx.terminal = terminal;
  }

  /** Connects the store server's gift cards (the station attaches its sync service). */
  attachGiftCards(authority: GiftCardAuthority | null): void {
    this.ctx.giftCards = authority;
  }

  /** Connects the drawer shift (src/main/core/shift): cash needs an open shift, documents carry their shift. */
  attachDrawer(drawer: DrawerControl | null): void {
    this.ctx.drawer = drawer;
  }

  /** The supervisor approvals of checkout (the risk rules may hold an action for a second person). */
  get approvals(): Approvals {
    return this.ctx.approvals;
  }

  config(): SaleConfig {
    const { currency, taxMode } = this.ctx.storeBasics();
    const s = this.ctx.settings.all();
    return {
      currency,
      taxMode,
      taxRounding: s.taxRounding,
      cashIncrement: s.cashIncrement,
      tenders: s.tenders,
      cardTerminal: this.ctx.terminal !== null,
    };
  }
}
