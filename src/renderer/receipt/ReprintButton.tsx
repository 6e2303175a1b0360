import { useId } from 'react';
import { useI18n } from '../i18n/context';

/**
 * Reprint. The contract has no printer channel yet (the devices issue brings the printer and its simulator), so
 * the button is there, disabled, with a note saying why — the cashier learns where it will be.
 */
export function ReprintButton() {
  const { t } = useI18n();
  const noteId = useId();
  return (
    <span className="reprint">
      <button
        type="button"
        className="button secondary"
        data-testid="reprint-button"
        disabled
        aria-describedby={noteId}
      >
        {t('receipt.reprint')}
      </button>
      <span className="reprint-note muted" id={noteId}>
        {t('receipt.noPrinter')}
      </span>
    </span>
  );
}
