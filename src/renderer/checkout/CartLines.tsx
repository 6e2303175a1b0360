import { useEffect, useRef, type RefObject } from 'react';
import type { SaleLineView } from '../../shared/ipc/channels/sale';
import type { CurrencyCode } from '../../shared/domain/money';
import { divRoundHalfAwayFromZero } from '../../shared/domain/totals';
import { formatAmount, formatPercent, formatQty, formatUnitPrice, productName } from '../format';
import { useI18n } from '../i18n/context';

interface Props {
  readonly lines: readonly SaleLineView[];
  readonly currency: CurrencyCode;
  readonly selectedId: string | null;
  readonly onSelect: (lineId: string) => void;
}

/** A voided line has no amounts from the engine; it shows what it was worth (quantity × price), struck through. */
function grossOf(line: SaleLineView): number {
  return Number(divRoundHalfAwayFromZero(BigInt(line.qtyMilli) * BigInt(line.unitPrice), 1000n));
}

/** The lines of the open sale, newest at the bottom; voided lines stay visible, struck through. */
export function CartLines({ lines, currency, selectedId, onSelect }: Props) {
  const { t } = useI18n();
  const selectedRef = useRef<HTMLLIElement>(null);

  useEffect(() => {
    selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedId, lines.length]);

  return (
    <div className="cart-lines-frame">
      <div className="cart-line cart-line-head" aria-hidden="true">
        <span className="col-no">#</span>
        <span className="col-name">{t('cart.item')}</span>
        <span className="col-qty">{t('cart.qty')}</span>
        <span className="col-price">{t('cart.unitPrice')}</span>
        <span className="col-total">{t('cart.lineTotal')}</span>
      </div>
      {lines.length === 0 ? (
        <div className="cart-empty" data-testid="cart-lines" data-count={0}>
          <p className="cart-empty-title">{t('cart.emptyTitle')}</p>
          <p className="muted">{t('cart.emptyHint')}</p>
        </div>
      ) : (
        <ol
          className="cart-lines"
          role="listbox"
          aria-label={t('cart.lines')}
          data-testid="cart-lines"
          data-count={lines.length}
        >
          {lines.map((line, index) => (
            <CartLineRow
              key={line.id}
              line={line}
              index={index}
              currency={currency}
              selected={line.id === selectedId}
              rowRef={line.id === selectedId ? selectedRef : undefined}
              onSelect={onSelect}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function CartLineRow({
  line,
  index,
  currency,
  selected,
  rowRef,
  onSelect,
}: {
  line: SaleLineView;
  index: number;
  currency: CurrencyCode;
  selected: boolean;
  rowRef: RefObject<HTMLLIElement | null> | undefined;
  onSelect: (lineId: string) => void;
}) {
  const { t, locale } = useI18n();
  const className = ['cart-line', selected ? 'selected' : '', line.voided ? 'voided' : '']
    .filter(Boolean)
    .join(' ');
  const discount = line.amounts?.discount ?? 0;
  return (
    <li
      ref={rowRef}
      className={className}
      role="option"
      aria-selected={selected}
      aria-disabled={line.voided}
      data-testid={`cart-line-${index}`}
      data-voided={line.voided}
      data-qty-milli={line.qtyMilli}
      onClick={() => {
        if (!line.voided) onSelect(line.id);
      }}
    >
      <span className="col-no">{index + 1}</span>
      <span className="col-name">
        <span className="line-name">{productName(line, locale)}</span>
        <span className="line-meta">
          {line.plu ?? line.scannedCode ?? ''}
          {line.voided ? <span className="badge danger">{t('cart.voided')}</span> : null}
          {line.priceOverridden ? <span className="badge warn">{t('cart.priceChanged')}</span> : null}
          {line.qtySource !== 'count' ? <span className="badge">{t('cart.fromLabel')}</span> : null}
        </span>
      </span>
      <span className="col-qty" data-testid={`cart-line-${index}-qty`}>
        {formatQty(line.qtyMilli, line.unit)}
      </span>
      <span className="col-price">
        {line.priceOverridden ? (
          <s className="muted">{formatUnitPrice(line.listPrice, line.unit, currency)}</s>
        ) : null}
        {formatUnitPrice(line.unitPrice, line.unit, currency)}
      </span>
      <span className="col-total">
        <span className="line-total" data-testid={`cart-line-${index}-total`}>
          {formatAmount(line.amounts ? line.amounts.total : grossOf(line), currency)}
        </span>
        {line.discount || discount !== 0 ? (
          <span className="line-discount" data-testid={`cart-line-${index}-discount`}>
            {line.discount ? (
              <span className="badge ok">
                {line.discount.type === 'percent'
                  ? `-${formatPercent(line.discount.bp)}`
                  : `-${formatAmount(line.discount.amount, currency)}`}
              </span>
            ) : null}
            {discount !== 0 ? (
              <span className="discount-amount">-{formatAmount(discount, currency)}</span>
            ) : null}
          </span>
        ) : null}
      </span>
    </li>
  );
}
