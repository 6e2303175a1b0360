import type { saleChannels } from '../../../shared/ipc/channels/sale';
import type { Station } from '../../core/station';
import { callerOf, type HandlersFor } from '../gate';

/**
 * Handlers of the sale channels. The gate checked the channel's access (`sale.operate` …); the finer,
 * overridable permissions (discount, price override, void, post-void, refund without receipt) are checked by
 * the sale service, which also handles the supervisor approval carried in the input.
 */
export function saleHandlers(station: Station): HandlersFor<typeof saleChannels> {
  const { cart, checkout, returns, history } = station.sales;
  return {
    'sale:config': () => station.sales.config(),
    'display:snapshot': () => ({ cart: cart.current() }),
    'sale:current': () => cart.current(),
    'sale:scan': (input, ctx) => cart.scan(callerOf(ctx), input.code, input.qtyMilli),
    'sale:add-product': (input, ctx) => cart.addProduct(callerOf(ctx), input.productId, input.qtyMilli),
    'sale:set-quantity': (input, ctx) =>
      cart.setQuantity(callerOf(ctx), input.lineId, input.qtyMilli, input.approval),
    'sale:void-line': (input, ctx) => cart.voidLine(callerOf(ctx), input.lineId, input.approval),
    'sale:discount-line': (input, ctx) =>
      cart.discountLine(callerOf(ctx), input.lineId, input.discount, input.approval),
    'sale:discount-order': (input, ctx) => cart.discountOrder(callerOf(ctx), input.discount, input.approval),
    'sale:override-price': (input, ctx) =>
      cart.overridePrice(callerOf(ctx), input.lineId, input.unitPrice, input.approval),
    'sale:void': (input, ctx) => cart.voidSale(callerOf(ctx), input.reason, input.approval),
    'sale:start-tender': (_input, ctx) => checkout.startTender(callerOf(ctx)),
    'sale:add-tender': (input, ctx) => checkout.addTender(callerOf(ctx), input),
    'sale:gift-card-balance': (input) => checkout.giftCardBalance(input.number),
    'sale:remove-tender': (input, ctx) => checkout.removeTender(callerOf(ctx), input.paymentId),
    'sale:check-payment': (input, ctx) => checkout.checkPayment(callerOf(ctx).user.id, input.paymentId),
    'sale:cancel-tender': (_input, ctx) => checkout.cancelTender(callerOf(ctx)),
    'sale:complete': (_input, ctx) => checkout.complete(callerOf(ctx)),
    'sale:park': (input, ctx) => cart.park(callerOf(ctx), input.note),
    'sale:recall': (input, ctx) => cart.recall(callerOf(ctx), input.saleId),
    'sale:parked': () => cart.parked(),
    'sale:history': (input) => history.search(input),
    'sale:get': (input) => history.get(input.ref),
    'sale:post-void': (input, ctx) =>
      returns.postVoid(callerOf(ctx), input.saleId, input.reason, input.approval, input.requestId),
    'refund:create': (input, ctx) =>
      returns.create(callerOf(ctx), input.saleId, input.lines, input.reason, input.requestId),
    'refund:create-without-receipt': (input, ctx) =>
      returns.createWithoutReceipt(callerOf(ctx), input, input.approval),
    'refund:unresolved': () => returns.unresolved(),
    'refund:check-payment': (input, ctx) => returns.checkPayment(callerOf(ctx).user.id, input.paymentId),
  };
}
