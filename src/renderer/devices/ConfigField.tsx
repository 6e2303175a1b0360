import type { ReactElement } from 'react';
import { useI18n } from '../i18n/context';

/** The attributes a ConfigField hands its control. */
export interface ConfigAria {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

interface Props {
  readonly id: string;
  readonly label: string;
  /** The core's (or the schema's) words for what is wrong with this field. */
  readonly issue: string | undefined;
  readonly hint?: string | undefined;
  readonly children: (aria: ConfigAria) => ReactElement;
}

/**
 * A labelled setting with the problem found in it, wired for screen readers. The problem text comes from the
 * configuration schema (English, technical: a path or a port range), so it follows a sentence in the
 * technician's language.
 */
export function ConfigField({ id, label, issue, hint, children }: Props) {
  const { t } = useI18n();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, issue ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': issue !== undefined, 'aria-describedby': describedBy })}
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {issue ? (
        <p className="field-error" id={errorId} data-testid={`${id}-error`}>
          {t('devcfg.invalid')} {issue}
        </p>
      ) : null}
    </div>
  );
}
