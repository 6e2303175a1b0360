import type { FieldAria } from './Field';
import { digitsOnly, PIN_MAX_LENGTH } from '../forms';

interface Props {
  readonly aria: FieldAria;
  readonly testId: string;
  readonly value: string;
  readonly onChange: (pin: string) => void;
}

/** A masked field for choosing a new PIN (setup, staff): digits only, at most the PIN length, numeric keypad. */
export function NewPinInput({ aria, testId, value, onChange }: Props) {
  return (
    <input
      {...aria}
      className="input pin-input"
      data-testid={testId}
      type="password"
      inputMode="numeric"
      autoComplete="new-password"
      maxLength={PIN_MAX_LENGTH}
      value={value}
      onChange={(e) => onChange(digitsOnly(e.target.value))}
    />
  );
}
