import type { Locale } from '../../shared/domain/locale';
import type { SaleView } from '../../shared/ipc/channels/sale';
import { itemCount } from '../checkout/CartTotals';
import { formatAmount, formatQty, formatUnitPrice, productName } from '../format';
import { useI18n } from '../i18n/context';
import { translatorFor, type PlainKey } from '../i18n/index';

interface Props {
  readonly storeName: string | null;
  readonly cart: SaleView | null;
  readonly finished: SaleView | null;
  readonly connected: boolean;
}

/** A label in the UI language with the other language under it: customers read either. */
function Bilingual({ k }: { k: PlainKey }) {
  const { t, locale } = useI18n();
  const other: Locale = locale === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <span className="bilingual">
      <span>{t(k)}</span>
      <span className="bilingual-other" lang={other}>
        {translatorFor(other)(k)}
      </span>
    </span>
  );
}

export function CustomerDisplay({ storeName, cart, finished, connected }: Props) {
  const state = finished ? 'thanks' : cart && cart.lines.some((l) => !l.voided) ? 'cart' : 'idle';
  return (
    <div className="customer-display" data-testid="customer-display" data-state={state}>
      <header className="cd-header">
        <span className="cd-store">{storeName ?? ''}</span>
        {!connected ? <span className="cd-offline" aria-hidden="true" /> : null}
      </header>
      {state === 'thanks' && finished ? <ThankYou sale={finished} /> : null}
      {state === 'cart' && cart ? <CustomerCart sale={cart} /> : null}
      {state === 'idle' ? (
        <main className="cd-welcome">
          <Bilingual k="display.welcome" />
        </main>
      ) : null}
    </div>
  );
}

function CustomerCart({ sale }: { sale: SaleView }) {
  const { locale } = useI18n();
  const money = (amount: number) => formatAmount(amount, sale.currency);
  const lines = sale.lines.filter((l) => !l.voided);
  const { totals } = sale;
  return (
    <main className="cd-cart">
      <ol className="cd-lines" data-testid="customer-lines" data-count={lines.length}>
        {lines.map((line) => (
          <li key={line.id} className="cd-line">
            <span className="cd-line-name">{productName(line, locale)}</span>
            <span className="cd-line-qty">
              {formatQty(line.qtyMilli, line.unit)} ×{' '}
              {formatUnitPrice(line.unitPrice, line.unit, sale.currency)}
            </span>
            <span className="cd-line-total">{line.amounts ? money(line.amounts.total) : ''}</span>
          </li>
        ))}
      </ol>
      <aside className="cd-summary">
        <p className="cd-figure">
          <Bilingual k="display.items" />
          <span data-testid="customer-items">{itemCount(sale)}</span>
        </p>
        {totals.discountTotal !== 0 ? (
          <p className="cd-figure">
            <Bilingual k="display.saved" />
            <span>{money(totals.discountTotal)}</span>
          </p>
        ) : null}
        {totals.paid > 0 ? (
          <p className="cd-figure">
            <Bilingual k="display.paid" />
            <span>{money(totals.paid)}</span>
          </p>
        ) : null}
        <p className="cd-total-label">
          <Bilingual k={totals.paid > 0 ? 'display.remaining' : 'display.total'} />
        </p>
        <p className="cd-total" data-testid="customer-total">
          {money(totals.paid > 0 ? totals.remaining : totals.total)}
        </p>
      </aside>
    </main>
  );
}

function ThankYou({ sale }: { sale: SaleView }) {
  const money = (amount: number) => formatAmount(amount, sale.currency);
  return (
    <main className="cd-thanks" data-testid="customer-thanks">
      <p className="cd-thanks-title">
        <Bilingual k="display.thanks" />
      </p>
      <div className="cd-thanks-figures">
        <p className="cd-figure">
          <Bilingual k="display.total" />
          <span>{money(sale.totals.payable)}</span>
        </p>
        <p className="cd-figure">
          <Bilingual k="display.paid" />
          <span>{money(sale.totals.paid)}</span>
        </p>
        <p className="cd-change-label">
          <Bilingual k="display.change" />
        </p>
        <p className="cd-change" data-testid="customer-change">
          {money(sale.totals.change)}
        </p>
      </div>
    </main>
  );
}
