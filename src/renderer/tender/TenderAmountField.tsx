import { useI18n } from '../i18n/context';

interface Props {
  /** The input's id and test id (each form has its own). */
  readonly id: string;
  readonly value: string;
  readonly invalid: boolean;
  /** The typed text; the form parses it on submit and clears `invalid` here. */
  readonly onChange: (text: string) => void;
}

/** The amount of a non-cash tender (wallet, gift card): typed as the cashier reads it, parsed by the form. */
export function TenderAmountField({ id, value, invalid, onChange }: Props) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {t('tender.amount')}
      </label>
      <input
        id={id}
        className="input"
        type="text"
        inputMode="decimal"
        autoComplete="off"
        data-testid={id}
        aria-invalid={invalid}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
