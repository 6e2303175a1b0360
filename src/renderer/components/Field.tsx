import type { ReactElement } from 'react';
import { useI18n } from '../i18n/context';
import type { FieldError } from '../forms';

/** The attributes a Field hands its control. */
export interface FieldAria {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

interface Props {
  readonly id: string;
  readonly label: string;
  /** What is wrong: a form check's result, or a message already in words (e.g. from a core schema). */
  readonly error: FieldError | string | null;
  readonly hint?: string | undefined;
  /** The control; it must use `id`, and gets its aria wiring from here. */
  readonly children: (aria: FieldAria) => ReactElement;
}

/** A labelled form control with its validation message, wired for screen readers. */
export function Field({ id, label, error, hint, children }: Props) {
  const { t } = useI18n();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': error !== null, 'aria-describedby': describedBy })}
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId} data-testid={errorId}>
          {typeof error === 'string'
            ? error
            : error.kind === 'tooLong'
              ? t('validation.tooLong', { max: error.max })
              : t(FIELD_ERROR_KEYS[error.kind])}
        </p>
      ) : null}
    </div>
  );
}

const FIELD_ERROR_KEYS = {
  required: 'validation.required',
  pinFormat: 'validation.pinFormat',
  pinMismatch: 'validation.pinMismatch',
} as const;
