import { useEffect, useState } from 'react';
import type { ErrorData, Result } from '../../shared/domain/errors';
import type { CurrencyCode } from '../../shared/domain/money';
import { ROLE_PERMISSIONS, type Permission } from '../../shared/domain/permissions';
import type { UserSummary } from '../../shared/ipc/contract';
import { Dialog } from '../components/Dialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { PinPad } from '../components/PinPad';
import { useScreenActive } from '../components/screen-active';
import { formatAmount } from '../format';
import { useI18n } from '../i18n/context';
import { ROLE_LABELS, type PlainKey } from '../i18n/index';
import { useClient } from '../ipc/context';
import type { ApprovalChannel } from './context';

export interface ApprovalRequest {
  readonly channel: ApprovalChannel;
  readonly input: object;
  readonly permission: Permission;
  readonly requestId: string;
  /** The core's name of the action (`line.discount` …) and the money it moves, to show what is approved. */
  readonly approvalFor: string | null;
  readonly amount: number | null;
}

const ACTION_LABELS: Readonly<Record<string, PlainKey>> = {
  'line.discount': 'approval.for.lineDiscount',
  'order.discount': 'approval.for.orderDiscount',
  'line.void': 'approval.for.lineVoid',
  'line.reduce_quantity': 'approval.for.reduceQuantity',
  'line.price_override': 'approval.for.priceOverride',
  'sale.void': 'approval.for.saleVoid',
  'sale.post_void': 'approval.for.postVoid',
  'refund.without_receipt': 'approval.for.refundWithoutReceipt',
  'shift.close_difference': 'approval.for.closeDifference',
};

/**
 * Actions whose amount is a signed difference (counted − expected): shown as a positive amount with "short" or
 * "over", since a supervisor approving a shortage must see it — a minus sign is easy to miss, and hiding it worse.
 */
const SIGNED_ACTIONS: ReadonlySet<string> = new Set(['shift.close_difference']);

interface Props {
  readonly request: ApprovalRequest;
  readonly currency: CurrencyCode;
  readonly onDone: (result: Result<unknown> | 'cancelled') => void;
}

/** Pick a supervisor who holds the permission, take their PIN, and repeat the call with the approval. */
export function SupervisorApprovalDialog({ request, currency, onDone }: Props) {
  const client = useClient();
  const { t } = useI18n();
  const active = useScreenActive();
  const [supervisors, setSupervisors] = useState<readonly UserSummary[] | null>(null);
  const [chosen, setChosen] = useState<UserSummary | null>(null);
  const [pin, setPin] = useState('');
  const [requestId, setRequestId] = useState(request.requestId);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    void client.call('auth:users', {}).then((result) => {
      if (!current) return;
      if (result.ok)
        setSupervisors(result.value.filter((u) => ROLE_PERMISSIONS[u.role].has(request.permission)));
      else setFailure(result.error);
    });
    return () => {
      current = false;
    };
  }, [client, request.permission]);

  const approve = async () => {
    if (!chosen || busy) return;
    setBusy(true);
    setFailure(null);
    const approval = { requestId, supervisorId: chosen.id, pin };
    // The same call as before, now carrying the approval (the core binds it to exactly this action).
    const result: Result<unknown> = await client.call(request.channel, { ...request.input, approval });
    setBusy(false);
    setPin('');
    if (result.ok) return onDone(result);
    const error = result.error;
    const nextRequest = error.details?.['approvalRequestId'];
    if (typeof nextRequest === 'string') setRequestId(nextRequest);
    // Wrong PIN, a locked-out or unsuitable supervisor, an expired request: say so and stay here.
    if (['wrong_pin', 'user_locked_out', 'permission_denied', 'not_found'].includes(error.code)) {
      setFailure(error);
      return;
    }
    onDone(result);
  };

  const actionKey = request.approvalFor === null ? undefined : ACTION_LABELS[request.approvalFor];
  const what = actionKey ? t(actionKey) : t('approval.for.other');
  return (
    <Dialog
      title={t('approval.title')}
      testId="override-modal"
      onClose={() => (chosen ? setChosen(null) : onDone('cancelled'))}
    >
      <p className="approval-what" data-testid="override-what">
        {what}
        {request.amount !== null &&
        request.amount !== 0 &&
        request.approvalFor !== null &&
        SIGNED_ACTIONS.has(request.approvalFor) ? (
          <strong
            className={request.amount < 0 ? 'approval-amount short' : 'approval-amount'}
            data-testid="override-amount"
            data-amount={request.amount}
          >
            {request.amount < 0 ? t('approval.short') : t('approval.over')}{' '}
            {formatAmount(Math.abs(request.amount), currency)}
          </strong>
        ) : request.amount !== null && request.amount > 0 ? (
          <strong className="approval-amount">{formatAmount(request.amount, currency)}</strong>
        ) : null}
      </p>
      {chosen ? (
        <PinPad
          label={t('approval.enterPin', { name: chosen.name })}
          value={pin}
          onChange={(next) => {
            setPin(next);
            if (next !== '') setFailure(null);
          }}
          onSubmit={() => void approve()}
          busy={busy}
          active={active}
          message={<ErrorMessage error={failure} />}
        />
      ) : (
        <>
          <p className="muted">{t('approval.pickSupervisor')}</p>
          <ErrorMessage error={failure} />
          {supervisors !== null && supervisors.length === 0 ? (
            <p className="warning">{t('approval.noSupervisor')}</p>
          ) : null}
          <ul className="user-grid compact">
            {(supervisors ?? []).map((user) => (
              <li key={user.id}>
                <button
                  type="button"
                  className="user-button"
                  data-testid={`override-user-${user.name}`}
                  onClick={() => {
                    setChosen(user);
                    setFailure(null);
                  }}
                >
                  <span className="user-name">{user.name}</span>
                  <span className="user-role">{t(ROLE_LABELS[user.role])}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="button secondary"
          data-testid="override-cancel"
          onClick={() => onDone('cancelled')}
        >
          {t('approval.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
