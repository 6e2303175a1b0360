import type { ErrorData } from '../../shared/domain/errors';
import { useI18n } from '../i18n/context';
import { describeError } from '../i18n/errors';

interface Props {
  readonly error: ErrorData | null;
  /** Offered as a button when the error's next action is "retry". */
  readonly onRetry?: (() => void) | undefined;
}

/** One error in the cashier's words: the sentence, details (attempts left, until when) and what to do next. */
export function ErrorMessage({ error, onRetry }: Props) {
  const { t, locale } = useI18n();
  if (!error) return null;
  const { sentence, notes, hint, action, actionLabel } = describeError(error, t, locale);
  return (
    <div className="error-message" role="alert" data-testid="error-message" data-code={error.code}>
      <p className="error-sentence">{sentence}</p>
      {notes.map((note) => (
        <p key={note} className="error-note">
          {note}
        </p>
      ))}
      {hint !== null ? <p className="error-next">{hint}</p> : null}
      {action === 'retry' && onRetry ? (
        <button type="button" className="button secondary" onClick={onRetry}>
          {actionLabel}
        </button>
      ) : action !== null && action !== 'retry' && actionLabel !== null ? (
        <p className="error-next">{t('error.next', { action: actionLabel })}</p>
      ) : null}
    </div>
  );
}
