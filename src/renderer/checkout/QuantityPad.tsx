import type { ReactNode } from 'react';
import { KeyButton } from '../components/KeyButton';
import { useI18n } from '../i18n/context';

interface Props {
  /** What has been keyed so far (a quantity, a weight, or a PLU/barcode typed by hand). */
  readonly entry: string;
  readonly onKey: (key: string) => void;
  readonly onBackspace: () => void;
  readonly onClear: () => void;
  /** `×`: the entry becomes the quantity of the selected (or last) line. */
  readonly onTimes: () => void;
  /** Enter: the entry is a code (PLU or barcode typed by hand) to add. */
  readonly onEnter: () => void;
  readonly timesShortcut: string;
  readonly disabled: boolean;
}

const ROWS = [
  ['7', '8', '9'],
  ['4', '5', '6'],
  ['1', '2', '3'],
] as const;

/** The touch numpad: digits for a quantity or a code, `×` to set the quantity, Enter to add a typed code. */
export function QuantityPad({
  entry,
  onKey,
  onBackspace,
  onClear,
  onTimes,
  onEnter,
  timesShortcut,
  disabled,
}: Props) {
  const { t } = useI18n();
  return (
    <section className="quantity-pad" aria-label={t('pad.label')}>
      <output className="pad-display" data-testid="numpad-display" aria-live="polite">
        {entry === '' ? <span className="pad-placeholder">{t('pad.placeholder')}</span> : entry}
      </output>
      <div className="pad-keys">
        {ROWS.map((row, r) => (
          <PadRow key={r} digits={row} onKey={onKey} disabled={disabled}>
            {r === 0 ? (
              <KeyButton
                label="⌫"
                testId="numpad-back"
                className="pad-key fn"
                title={t('pad.backspace')}
                onPress={onBackspace}
                disabled={disabled || entry === ''}
              />
            ) : r === 1 ? (
              <KeyButton
                label={t('pad.clear')}
                testId="numpad-clear"
                className="pad-key fn"
                onPress={onClear}
                disabled={disabled || entry === ''}
              />
            ) : (
              <KeyButton
                label={
                  <>
                    <span className="times-sign">×</span> {t('pad.qty')}
                  </>
                }
                shortcut={timesShortcut}
                testId="qty-button"
                className="pad-key times"
                onPress={onTimes}
                disabled={disabled}
              />
            )}
          </PadRow>
        ))}
        <KeyButton
          label="0"
          testId="numpad-0"
          className="pad-key"
          onPress={() => onKey('0')}
          disabled={disabled}
        />
        <KeyButton
          label="00"
          testId="numpad-00"
          className="pad-key"
          onPress={() => onKey('00')}
          disabled={disabled}
        />
        <KeyButton
          label="."
          testId="numpad-dot"
          className="pad-key"
          onPress={() => onKey('.')}
          disabled={disabled}
        />
        <KeyButton
          label="↵"
          shortcut={t('pad.enterKey')}
          testId="numpad-enter"
          className="pad-key enter"
          title={t('pad.enterHint')}
          onPress={onEnter}
          disabled={disabled || entry === ''}
        />
      </div>
    </section>
  );
}

function PadRow({
  digits,
  onKey,
  disabled,
  children,
}: {
  digits: readonly string[];
  onKey: (key: string) => void;
  disabled: boolean;
  children: ReactNode;
}) {
  return (
    <>
      {digits.map((digit) => (
        <KeyButton
          key={digit}
          label={digit}
          testId={`numpad-${digit}`}
          className="pad-key"
          onPress={() => onKey(digit)}
          disabled={disabled}
        />
      ))}
      {children}
    </>
  );
}
