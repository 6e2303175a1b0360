import type { ReactElement } from 'react';
import { Field, type FieldAria } from '../components/Field';
import { useI18n } from '../i18n/context';

interface Props {
  readonly id: string;
  readonly label: string;
  /** The core's (or the schema's) words for what is wrong with this field. */
  readonly issue: string | undefined;
  readonly hint?: string | undefined;
  readonly children: (aria: FieldAria) => ReactElement;
}

/**
 * A labelled setting with the problem found in it: the shared Field, with the problem text from the configuration
 * schema (English, technical: a path or a port range) following a sentence in the technician's language.
 */
export function ConfigField({ id, label, issue, hint, children }: Props) {
  const { t } = useI18n();
  return (
    <Field id={id} label={label} hint={hint} error={issue ? `${t('devcfg.invalid')} ${issue}` : null}>
      {children}
    </Field>
  );
}
