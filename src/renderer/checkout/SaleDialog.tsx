import type { CurrencyCode } from '../../shared/domain/money';
import type { SaleLineView, SaleView } from '../../shared/ipc/channels/sale';
import { useI18n } from '../i18n/context';
import { ConfirmDialog } from './dialogs/ConfirmDialog';
import { DiscountDialog, type DiscountRequest, type DiscountScope } from './dialogs/DiscountDialog';
import { ParkedSalesDialog } from './dialogs/ParkedSalesDialog';
import { PriceDialog } from './dialogs/PriceDialog';
import { WeightDialog, type WeighedProduct } from './dialogs/WeightDialog';

/** A weighed item waiting for its weight: the same scan or product, repeated with the quantity. */
export type WeighAgain = { readonly code: string } | { readonly productId: string };

/** The sale screen's dialogs; at most one is open. */
export type OpenDialog =
  | { readonly kind: 'discount' }
  | { readonly kind: 'price'; readonly lineId: string }
  | {
      readonly kind: 'weight';
      readonly again: WeighAgain;
      readonly productId: string;
      readonly product: WeighedProduct | null;
    }
  | { readonly kind: 'parked' }
  | { readonly kind: 'voidSale' }
  | { readonly kind: 'postVoid'; readonly saleId: string };

interface Props {
  readonly dialog: OpenDialog;
  readonly cart: SaleView | null;
  readonly selected: SaleLineView | null;
  readonly currency: CurrencyCode;
  readonly onClose: () => void;
  readonly onDiscount: (scope: DiscountScope, discount: DiscountRequest) => void;
  readonly onPrice: (lineId: string, unitPrice: number) => void;
  readonly onWeighed: (again: WeighAgain, qtyMilli: number) => void;
  readonly onRecall: (saleId: string) => void;
  readonly onVoidSale: () => void;
  readonly onPostVoid: (saleId: string) => void;
}

/** Shows the open dialog of the sale screen, wired to the screen's actions. */
export function SaleDialog({
  dialog,
  cart,
  selected,
  currency,
  onClose,
  onDiscount,
  onPrice,
  onWeighed,
  onRecall,
  onVoidSale,
  onPostVoid,
}: Props) {
  const { t } = useI18n();
  switch (dialog.kind) {
    case 'discount':
      return cart ? (
        <DiscountDialog
          sale={cart}
          line={selected}
          currency={currency}
          onApply={onDiscount}
          onClose={onClose}
        />
      ) : null;
    case 'price': {
      const line = cart?.lines.find((l) => l.id === dialog.lineId && !l.voided);
      return line ? (
        <PriceDialog
          line={line}
          currency={currency}
          onApply={(price) => onPrice(line.id, price)}
          onClose={onClose}
        />
      ) : null;
    }
    case 'weight':
      return (
        <WeightDialog
          product={dialog.product}
          unit={dialog.product?.unit ?? 'kg'}
          currency={currency}
          onWeighed={(qtyMilli) => onWeighed(dialog.again, qtyMilli)}
          onClose={onClose}
        />
      );
    case 'parked':
      return <ParkedSalesDialog currency={currency} onRecall={onRecall} onClose={onClose} />;
    case 'voidSale':
      return (
        <ConfirmDialog
          title={t('voidSale.title')}
          message={t('voidSale.message')}
          confirmLabel={t('voidSale.confirm')}
          testId="void-sale-dialog"
          danger
          onConfirm={onVoidSale}
          onClose={onClose}
        />
      );
    case 'postVoid':
      return (
        <ConfirmDialog
          title={t('postVoid.title')}
          message={t('postVoid.message')}
          confirmLabel={t('postVoid.confirm')}
          testId="post-void-dialog"
          danger
          onConfirm={() => onPostVoid(dialog.saleId)}
          onClose={onClose}
        />
      );
  }
}
