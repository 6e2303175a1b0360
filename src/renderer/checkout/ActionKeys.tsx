import { KeyButton } from '../components/KeyButton';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';
import { shortcutLabel, type CheckoutAction } from './shortcuts';

interface ActionKey {
  readonly action: Exclude<CheckoutAction, 'quantity' | 'tender'>;
  readonly label: PlainKey;
  readonly testId: string;
  readonly needsLine?: boolean;
  readonly needsSale?: boolean;
  readonly variant?: 'danger';
}

/** The function keys, in the order cashiers reach for them; each shows its shortcut. */
const KEYS: readonly ActionKey[] = [
  { action: 'search', label: 'fn.search', testId: 'search-button' },
  { action: 'voidLine', label: 'fn.voidLine', testId: 'void-line-button', needsLine: true },
  { action: 'discount', label: 'fn.discount', testId: 'discount-button', needsSale: true },
  { action: 'price', label: 'fn.price', testId: 'price-button', needsLine: true },
  { action: 'park', label: 'fn.park', testId: 'park-button', needsSale: true },
  { action: 'recall', label: 'fn.recall', testId: 'recall-button' },
  { action: 'history', label: 'fn.history', testId: 'history-button' },
  { action: 'returns', label: 'fn.returns', testId: 'return-button' },
  {
    action: 'voidSale',
    label: 'fn.voidSale',
    testId: 'void-sale-button',
    needsSale: true,
    variant: 'danger',
  },
];

interface Props {
  readonly hasLine: boolean;
  readonly hasSale: boolean;
  readonly onAction: (action: CheckoutAction) => void;
}

export function ActionKeys({ hasLine, hasSale, onAction }: Props) {
  const { t } = useI18n();
  return (
    <div className="action-keys">
      {KEYS.map((key) => (
        <KeyButton
          key={key.action}
          label={t(key.label)}
          shortcut={shortcutLabel(key.action)}
          testId={key.testId}
          variant={key.variant ?? 'plain'}
          disabled={(key.needsLine === true && !hasLine) || (key.needsSale === true && !hasSale)}
          onPress={() => onAction(key.action)}
        />
      ))}
    </div>
  );
}
