import { Dialog } from '../../components/Dialog';
import { useI18n } from '../../i18n/context';

interface Props {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly testId: string;
  readonly danger?: boolean;
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}

/** "Are you sure?" for actions that cannot be undone at the till (void the whole sale, post-void). */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  testId,
  danger = false,
  onConfirm,
  onClose,
}: Props) {
  const { t } = useI18n();
  return (
    <Dialog title={title} testId={testId} onClose={onClose}>
      <p>{message}</p>
      <div className="dialog-actions">
        <button type="button" className="button secondary" onClick={onClose}>
          {t('dialog.cancel')}
        </button>
        <button
          type="button"
          className={danger ? 'button danger-solid' : 'button primary'}
          data-testid={`${testId}-confirm`}
          autoFocus
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
