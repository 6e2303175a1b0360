import { useId, type ReactNode } from 'react';
import { useKeyDown } from '../hooks/keyboard';
import { useI18n } from '../i18n/context';
import { useScreenActive } from './screen-active';

interface Props {
  readonly title: string;
  readonly testId: string;
  /** Escape and the close button; omitted when the dialog must be answered. */
  readonly onClose?: (() => void) | undefined;
  readonly wide?: boolean;
  readonly children: ReactNode;
}

/**
 * A modal dialog over the screen. The screen behind is made inert by its owner (so Tab and taps stay here);
 * Escape closes it. Dialogs do not nest: a screen shows at most one.
 */
export function Dialog({ title, testId, onClose, wide = false, children }: Props) {
  const { t } = useI18n();
  const titleId = useId();
  const active = useScreenActive();
  useKeyDown((event) => {
    if (event.key !== 'Escape' || !onClose) return;
    event.preventDefault();
    onClose();
  }, active);
  return (
    <div className="dialog-backdrop">
      <div
        className={wide ? 'dialog wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
      >
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          {onClose ? (
            <button
              type="button"
              className="button secondary dialog-close"
              data-testid={`${testId}-close`}
              onClick={onClose}
            >
              {t('dialog.close')} <kbd>Esc</kbd>
            </button>
          ) : null}
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}
