import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/context';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '../forms';
import { isActivatableTarget, isEditableTarget, useKeyDown } from '../hooks/keyboard';

interface Props {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly onSubmit: () => void;
  /** Escape; omitted where there is nothing to go back to (the lock screen). */
  readonly onCancel?: (() => void) | undefined;
  readonly busy: boolean;
  /** Whether physical keys go to this pad (false while another screen covers it). */
  readonly active?: boolean;
  readonly label: string;
  /** Shown right under the digits, where the eyes are (e.g. "Wrong PIN"). */
  readonly message?: ReactNode;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * Taps on the pad must not move focus onto the tapped button: the next physical Enter would then "press" that
 * digit again instead of submitting. Keyboard users can still Tab to every key.
 */
const keepFocus = (event: MouseEvent) => event.preventDefault();

/** An on-screen numeric keypad that also takes digits, Backspace, Enter and Escape from a physical keyboard. */
export function PinPad({ value, onChange, onSubmit, onCancel, busy, active = true, label, message }: Props) {
  const { t } = useI18n();
  const padRef = useRef<HTMLDivElement>(null);
  const canSubmit = !busy && value.length >= PIN_MIN_LENGTH;

  useEffect(() => {
    if (active) padRef.current?.focus();
  }, [active]);

  const append = (digit: string) => {
    if (!busy && value.length < PIN_MAX_LENGTH) onChange(value + digit);
  };
  const submit = () => {
    if (canSubmit) onSubmit();
  };

  useKeyDown((event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isEditableTarget(event.target)) return;
    if (/^[0-9]$/.test(event.key)) {
      event.preventDefault();
      append(event.key);
    } else if (event.key === 'Backspace') {
      event.preventDefault();
      if (!busy) onChange(value.slice(0, -1));
    } else if (event.key === 'Delete') {
      event.preventDefault();
      if (!busy) onChange('');
    } else if (event.key === 'Enter' && !isActivatableTarget(event.target)) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape' && onCancel) {
      event.preventDefault();
      onCancel();
    }
  }, active);

  const slots = Math.max(PIN_MIN_LENGTH, value.length);
  return (
    <div className="pin-pad" data-testid="pin-pad" ref={padRef} tabIndex={-1} role="group" aria-label={label}>
      <p className="pin-label">{label}</p>
      <div className="pin-display" data-testid="pin-display" data-length={value.length}>
        <span className="pin-dots" aria-hidden="true">
          {Array.from({ length: slots }, (_, i) => (
            <span key={i} className={i < value.length ? 'pin-dot filled' : 'pin-dot'} />
          ))}
        </span>
        <span className="visually-hidden" role="status">
          {t('pin.entered', { count: value.length })}
        </span>
      </div>
      {message}
      <div className="pin-keys">
        {KEYS.map((digit) => (
          <PinKey key={digit} digit={digit} onPress={append} disabled={busy} />
        ))}
        <button
          type="button"
          className="pin-key pin-clear"
          data-testid="pin-clear"
          onMouseDown={keepFocus}
          onClick={() => onChange('')}
          disabled={busy || value === ''}
        >
          {t('pin.clear')}
        </button>
        <PinKey digit="0" onPress={append} disabled={busy} />
        <button
          type="button"
          className="pin-key pin-backspace"
          data-testid="pin-backspace"
          aria-label={t('pin.backspace')}
          onMouseDown={keepFocus}
          onClick={() => onChange(value.slice(0, -1))}
          disabled={busy || value === ''}
        >
          ⌫
        </button>
      </div>
      <button
        type="button"
        className="button primary pin-submit"
        data-testid="pin-submit"
        onMouseDown={keepFocus}
        onClick={submit}
        disabled={!canSubmit}
      >
        {t('pin.submit')}
      </button>
      <p className="pin-hint">{t('pin.keyboardHint')}</p>
    </div>
  );
}

function PinKey({
  digit,
  onPress,
  disabled,
}: {
  digit: string;
  onPress: (d: string) => void;
  disabled: boolean;
}) {
  return (
    <button
      type="button"
      className="pin-key"
      data-testid={`pin-digit-${digit}`}
      onMouseDown={keepFocus}
      onClick={() => onPress(digit)}
      disabled={disabled}
    >
      {digit}
    </button>
  );
}
