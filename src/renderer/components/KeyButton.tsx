import type { MouseEvent, ReactNode } from 'react';

/**
 * Taps must not move focus onto the tapped button: the next physical Enter (or a scanner's Enter) would then
 * press that button again. Keyboard users still reach every button with Tab.
 */
export const keepFocus = (event: MouseEvent) => event.preventDefault();

interface Props {
  readonly label: ReactNode;
  /** The key that does the same, printed on the button (e.g. "F8"). */
  readonly shortcut?: string | undefined;
  readonly onPress: () => void;
  readonly testId?: string;
  readonly disabled?: boolean;
  readonly variant?: 'primary' | 'danger' | 'plain';
  readonly className?: string;
  readonly title?: string;
  /** Minor units, as `data-amount`, for buttons that stand for an amount (quick cash). */
  readonly amount?: number;
}

/** A touch-sized action button that shows its keyboard shortcut. */
export function KeyButton({
  label,
  shortcut,
  onPress,
  testId,
  disabled = false,
  variant = 'plain',
  className = '',
  title,
  amount,
}: Props) {
  return (
    <button
      type="button"
      className={`key-button ${variant} ${className}`.trim()}
      data-testid={testId}
      data-amount={amount}
      disabled={disabled}
      title={title}
      onMouseDown={keepFocus}
      onClick={onPress}
    >
      <span className="key-label">{label}</span>
      {shortcut ? <kbd className="key-shortcut">{shortcut}</kbd> : null}
    </button>
  );
}
