import { useState } from 'react';
import { Dialog } from '../components/Dialog';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { useSyncStatus } from '../sync/useSyncStatus';
import { mayNeedSignOutWarning, signOutWarningCount } from './sign-out-rule';

/**
 * Signing out with sales or events the store server has not received yet (the rule is in sign-out-rule.ts): the
 * user is told loudly that the records are safe on this station and will be sent later. The sync status comes
 * from the sync screen's own hook; the shift is read once, only when something is waiting.
 *
 * `requestSignOut()` either signs out at once or opens the warning; `warning` is the dialog to render.
 */
export function useSignOutWarning(canReadShift: boolean, signOut: () => void) {
  const client = useClient();
  const { status } = useSyncStatus();
  const [pending, setPending] = useState<number | null>(null);

  const requestSignOut = async () => {
    if (!mayNeedSignOutWarning(status)) return signOut();
    const shift = canReadShift ? await client.call('shift:current', {}) : null;
    const count = signOutWarningCount(
      status,
      shift === null || !shift.ok ? 'unknown' : shift.value.shift?.status === 'open' ? 'open' : 'none',
    );
    if (count === null) signOut();
    else setPending(count);
  };

  const warning =
    pending === null ? null : (
      <SignOutWarningDialog
        pending={pending}
        onCancel={() => setPending(null)}
        onConfirm={() => {
          setPending(null);
          signOut();
        }}
      />
    );
  return { requestSignOut, warning };
}

function SignOutWarningDialog({
  pending,
  onCancel,
  onConfirm,
}: {
  readonly pending: number;
  readonly onCancel: () => void;
  readonly onConfirm: () => void;
}) {
  const { t } = useI18n();
  return (
    <Dialog title={t('signout.title')} testId="signout-warning" onClose={onCancel}>
      <div className="signout-warning" role="alert">
        <p className="signout-warning-count" data-testid="signout-warning-count" data-count={pending}>
          {t('signout.pending', { count: pending })}
        </p>
        <p>{t('signout.safe')}</p>
      </div>
      <div className="dialog-actions">
        <button
          type="button"
          className="button secondary"
          data-testid="signout-warning-cancel"
          onClick={onCancel}
        >
          {t('signout.cancel')}
        </button>
        <button
          type="button"
          className="button danger"
          data-testid="signout-warning-confirm"
          onClick={onConfirm}
        >
          {t('signout.confirm')}
        </button>
      </div>
    </Dialog>
  );
}
