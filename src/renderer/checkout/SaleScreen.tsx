import { useRef, useState } from 'react';
import type { ErrorData, Result } from '../../shared/domain/errors';
import type { ProductSummary } from '../../shared/ipc/channels/catalog';
import type { SaleConfig, SaleLineView, SaleView } from '../../shared/ipc/channels/sale';
import { useSupervisorApproval } from '../approval/context';
import { ErrorMessage } from '../components/ErrorMessage';
import { KeyButton } from '../components/KeyButton';
import { announceTotal } from '../feedback/announce';
import { beepScanError, beepScanOk } from '../feedback/beeps';
import { useVoicePrompts } from '../feedback/voice';
import { parseQtyMilli } from '../format';
import { isActivatableTarget, isEditableTarget, useKeyDown } from '../hooks/keyboard';
import { useScanner } from '../hooks/useScanner';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';
import { useClient } from '../ipc/context';
import { ActionKeys } from './ActionKeys';
import { CartLines } from './CartLines';
import { CartTotals } from './CartTotals';
import type { DiscountRequest, DiscountScope } from './dialogs/DiscountDialog';
import type { WeighedProduct } from './dialogs/WeightDialog';
import { SaleDialog, type OpenDialog, type WeighAgain } from './SaleDialog';
import { ProductSearch } from './ProductSearch';
import { QuantityPad } from './QuantityPad';
import { SaleDonePanel } from './SaleDonePanel';
import { shortcutFor, shortcutLabel, type CheckoutAction } from './shortcuts';
import { CheckoutToolbar } from './CheckoutToolbar';

/** Longest thing the numpad holds: a 14-digit GTIN typed by hand, or a quantity. */
const PAD_MAX_LENGTH = 20;

interface Props {
  readonly cart: SaleView | null;
  readonly config: SaleConfig;
  /** The document just completed (shown until the next sale starts). */
  readonly done: SaleView | null;
  readonly storeName: string | null;
  /** False while the lock screen covers the checkout: no keys, no scans. */
  readonly active: boolean;
  readonly onSale: (view: SaleView | null) => void;
  readonly onDone: (document: SaleView | null) => void;
  readonly onNavigate: (view: 'history' | 'returns') => void;
  readonly onExit: () => void;
}

function lastActiveLine(lines: readonly SaleLineView[]): SaleLineView | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line && !line.voided) return line;
  }
  return null;
}

/**
 * The cashier's main screen: scans and typed codes, the line list, quantity, discounts, price override, void,
 * park/recall, and the way to the tender screen, history and returns. After a completed sale it shows the
 * change and receipt in place of the lines until the next scan or "New sale".
 */
export function SaleScreen({
  cart,
  config,
  done,
  storeName,
  active,
  onSale,
  onDone,
  onNavigate,
  onExit,
}: Props) {
  const client = useClient();
  const approval = useSupervisorApproval();
  const { t, locale } = useI18n();
  const [voiceOn] = useVoicePrompts();
  const [entry, setEntry] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [notice, setNotice] = useState<PlainKey | null>(null);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const currency = config.currency;
  const lines = cart?.lines ?? [];
  const selected = lines.find((l) => l.id === selectedId && !l.voided) ?? lastActiveLine(lines);
  const hasSale = lines.some((l) => !l.voided);
  const blocked = dialog !== null || approval.asking;

  const say = (key: PlainKey | null) => {
    setNotice(key);
    setFailure(null);
  };
  const fail = (error: ErrorData) => {
    setFailure(error);
    setNotice(null);
  };
  /** Takes a cart change's answer: the new sale, or the error to show. */
  const settle = (result: Result<SaleView> | 'cancelled'): boolean => {
    if (result === 'cancelled') return false;
    if (!result.ok) {
      fail(result.error);
      return false;
    }
    onSale(result.value);
    return true;
  };
  const startAction = () => {
    setFailure(null);
    setNotice(null);
    if (done) onDone(null);
  };

  // --- adding items ------------------------------------------------------------------------------------

  const weighFirst = (again: WeighAgain, productId: string, product: WeighedProduct | null) => {
    setDialog({ kind: 'weight', again, productId, product });
    if (product) return;
    void client.call('catalog:get-product', { id: productId }).then((result) => {
      if (!result.ok) return;
      setDialog((open) =>
        open?.kind === 'weight' && open.productId === productId ? { ...open, product: result.value } : open,
      );
    });
  };

  const added = (result: Result<SaleView>, again: WeighAgain) => {
    if (result.ok) {
      onSale(result.value);
      setSelectedId(null);
      beepScanOk();
      return;
    }
    const details = result.error.details ?? {};
    if (details['reason'] === 'weight_required' && typeof details['productId'] === 'string') {
      weighFirst(again, details['productId'], null);
      return;
    }
    fail(result.error);
    beepScanError();
  };

  const scanCode = async (code: string, qtyMilli: number | null) => {
    startAction();
    const result = await client.call('sale:scan', qtyMilli === null ? { code } : { code, qtyMilli });
    added(result, { code });
  };

  const addProduct = async (product: ProductSummary) => {
    startAction();
    if (product.unit !== 'piece') {
      weighFirst({ productId: product.id }, product.id, product);
      return;
    }
    const result = await client.call('sale:add-product', { productId: product.id, qtyMilli: 1000 });
    added(result, { productId: product.id });
  };

  const addWeighed = async (again: WeighAgain, qtyMilli: number) => {
    setDialog(null);
    const result =
      'code' in again
        ? await client.call('sale:scan', { code: again.code, qtyMilli })
        : await client.call('sale:add-product', { productId: again.productId, qtyMilli });
    added(result, again);
  };

  /** A scanner read: added to the sale, with the numpad entry as its quantity ("3 ×" then scan). */
  const onScan = (code: string) => {
    if (!active) return;
    if (blocked) {
      say('checkout.finishDialogFirst');
      beepScanError();
      return;
    }
    const qty = entry === '' ? null : parseQtyMilli(entry);
    if (qty !== null) setEntry('');
    void scanCode(code, qty);
  };
  useScanner(onScan);

  // --- line actions ------------------------------------------------------------------------------------

  const setQuantity = async () => {
    if (!selected) return say('checkout.noLine');
    if (entry === '') return say('checkout.qtyFirst');
    const qtyMilli = parseQtyMilli(entry);
    if (qtyMilli === null) return say('checkout.qtyInvalid');
    setEntry('');
    startAction();
    settle(await approval.callWithApproval('sale:set-quantity', { lineId: selected.id, qtyMilli }));
  };

  const voidLine = async () => {
    if (!selected) return say('checkout.noLine');
    startAction();
    settle(await approval.callWithApproval('sale:void-line', { lineId: selected.id }));
  };

  const applyDiscount = async (scope: DiscountScope, discount: DiscountRequest) => {
    setDialog(null);
    startAction();
    const result =
      scope === 'line' && selected
        ? await approval.callWithApproval('sale:discount-line', { lineId: selected.id, discount })
        : await approval.callWithApproval('sale:discount-order', { discount });
    settle(result);
  };

  const overridePrice = async (lineId: string, unitPrice: number) => {
    setDialog(null);
    startAction();
    settle(await approval.callWithApproval('sale:override-price', { lineId, unitPrice }));
  };

  // --- the whole sale ----------------------------------------------------------------------------------

  const park = async () => {
    if (!hasSale) return say('checkout.emptyCart');
    startAction();
    const result = await client.call('sale:park', {});
    if (!result.ok) return fail(result.error);
    onSale(null);
    say('checkout.parked');
  };

  const recall = async (saleId: string) => {
    setDialog(null);
    startAction();
    if (settle(await client.call('sale:recall', { saleId }))) {
      setSelectedId(null);
      say('checkout.recalled');
    }
  };

  const voidSale = async () => {
    setDialog(null);
    startAction();
    if (settle(await approval.callWithApproval('sale:void', {}))) {
      onSale(null);
      say('checkout.saleVoided');
    }
  };

  const postVoid = async (saleId: string) => {
    setDialog(null);
    setFailure(null);
    const result = await approval.callWithApproval('sale:post-void', { saleId });
    if (result === 'cancelled') return;
    if (result.ok) onDone(result.value);
    else fail(result.error);
  };

  const tender = async () => {
    if (!hasSale) return say('checkout.emptyCart');
    startAction();
    const result = await client.call('sale:start-tender', {});
    if (settle(result) && result.ok && voiceOn) announceTotal(result.value.totals.total, currency, t, locale);
  };

  const run = (action: CheckoutAction) => {
    switch (action) {
      case 'search':
        searchRef.current?.focus();
        return;
      case 'quantity':
        return void setQuantity();
      case 'voidLine':
        return void voidLine();
      case 'discount':
        return hasSale ? setDialog({ kind: 'discount' }) : say('checkout.emptyCart');
      case 'price':
        return selected ? setDialog({ kind: 'price', lineId: selected.id }) : say('checkout.noLine');
      case 'park':
        return void park();
      case 'recall':
        return setDialog({ kind: 'parked' });
      case 'voidSale':
        return hasSale ? setDialog({ kind: 'voidSale' }) : say('checkout.emptyCart');
      case 'history':
        return onNavigate('history');
      case 'returns':
        return onNavigate('returns');
      case 'tender':
        return void tender();
    }
  };

  // --- keyboard ----------------------------------------------------------------------------------------

  const typeOnPad = (key: string) => {
    setEntry((current) => (current.length + key.length > PAD_MAX_LENGTH ? current : current + key));
    setNotice(null);
  };

  const enterOnPad = () => {
    if (entry === '') return;
    const code = entry;
    setEntry('');
    void scanCode(code, null);
  };

  const moveSelection = (step: 1 | -1) => {
    const active = lines.filter((l) => !l.voided);
    if (active.length === 0) return;
    const at = selected ? active.findIndex((l) => l.id === selected.id) : active.length - 1;
    const next = active[Math.min(active.length - 1, Math.max(0, at + step))];
    if (next) setSelectedId(next.id);
  };

  const escape = () => {
    if (entry !== '') setEntry('');
    else if (failure || notice) {
      setFailure(null);
      setNotice(null);
    } else if (done) onDone(null);
    else onExit();
  };

  useKeyDown((event) => {
    const action = shortcutFor(event);
    if (action) {
      event.preventDefault();
      run(action);
      return;
    }
    if (isEditableTarget(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^[0-9.]$/.test(event.key)) {
      event.preventDefault();
      typeOnPad(event.key);
    } else if (event.key === 'Backspace') {
      event.preventDefault();
      setEntry((current) => current.slice(0, -1));
    } else if (event.key === 'Delete') {
      setEntry('');
    } else if (event.key === 'Enter' && !isActivatableTarget(event.target)) {
      event.preventDefault();
      if (entry !== '') enterOnPad();
      else if (done) onDone(null);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      escape();
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      moveSelection(event.key === 'ArrowUp' ? -1 : 1);
    }
  }, active && !blocked);

  // --- layout --------------------------------------------------------------------------------------------

  const showDone = done !== null && !hasSale;

  return (
    <div className="checkout-screen" data-testid="checkout-screen">
      <div className="checkout-main" inert={blocked}>
        <div className="checkout-left">
          <CheckoutToolbar onBack={onExit}>
            <ProductSearch
              currency={currency}
              inputRef={searchRef}
              shortcut={shortcutLabel('search')}
              onAdd={(product) => void addProduct(product)}
            />
          </CheckoutToolbar>
          <div className="checkout-messages">
            <ErrorMessage error={failure} />
            {notice ? (
              <p className="notice" role="status" data-testid="checkout-notice">
                {t(notice)}
              </p>
            ) : null}
          </div>
          {showDone ? (
            <SaleDonePanel
              document={done}
              storeName={storeName}
              tenders={config.tenders}
              onNewSale={() => onDone(null)}
              onPostVoid={
                done.kind === 'sale' && done.related.length === 0
                  ? () => setDialog({ kind: 'postVoid', saleId: done.id })
                  : null
              }
            />
          ) : (
            <>
              <CartLines
                lines={lines}
                currency={currency}
                selectedId={selected?.id ?? null}
                onSelect={setSelectedId}
              />
              <CartTotals sale={cart} currency={currency} />
            </>
          )}
        </div>
        <aside className="checkout-right">
          <QuantityPad
            entry={entry}
            onKey={typeOnPad}
            onBackspace={() => setEntry((current) => current.slice(0, -1))}
            onClear={() => setEntry('')}
            onTimes={() => void setQuantity()}
            onEnter={enterOnPad}
            timesShortcut={shortcutLabel('quantity')}
            disabled={false}
          />
          <ActionKeys hasLine={selected !== null} hasSale={hasSale} onAction={run} />
          <KeyButton
            label={t('fn.tender')}
            shortcut={shortcutLabel('tender')}
            variant="primary"
            className="tender-key"
            testId="tender-button"
            disabled={!hasSale}
            onPress={() => void tender()}
          />
        </aside>
      </div>
      {dialog ? (
        <SaleDialog
          dialog={dialog}
          cart={cart}
          selected={selected}
          currency={currency}
          onClose={() => setDialog(null)}
          onDiscount={(scope, discount) => void applyDiscount(scope, discount)}
          onPrice={(lineId, price) => void overridePrice(lineId, price)}
          onWeighed={(again, qtyMilli) => void addWeighed(again, qtyMilli)}
          onRecall={(saleId) => void recall(saleId)}
          onVoidSale={() => void voidSale()}
          onPostVoid={(saleId) => void postVoid(saleId)}
        />
      ) : null}
    </div>
  );
}
