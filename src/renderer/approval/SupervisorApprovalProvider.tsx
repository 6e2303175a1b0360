import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ErrorData, Result } from '../../shared/domain/errors';
import type { CurrencyCode } from '../../shared/domain/money';
import { PermissionSchema, type InputOf } from '../../shared/ipc/contract';
import type { Permission } from '../../shared/domain/permissions';
import { useClient } from '../ipc/context';
import {
  SupervisorApprovalContext,
  type ApprovalChannel,
  type Approved,
  type SupervisorApproval,
} from './context';
import { SupervisorApprovalDialog, type ApprovalRequest } from './SupervisorApprovalDialog';

interface Pending extends ApprovalRequest {
  readonly resolve: (result: Result<unknown> | 'cancelled') => void;
}

/** What an overridable `permission_denied` carries, or null for any other failure. */
function overridable(error: ErrorData): { permission: Permission; requestId: string } | null {
  const details = error.details ?? {};
  const permission = PermissionSchema.safeParse(details['permission']);
  const requestId = details['approvalRequestId'];
  if (error.code !== 'permission_denied' || details['overridable'] !== true) return null;
  if (!permission.success || typeof requestId !== 'string') return null;
  return { permission: permission.data, requestId };
}

/** Provides `callWithApproval` to the screens below and shows the supervisor dialog when a call needs it. */
export function SupervisorApprovalProvider({
  currency,
  children,
}: {
  currency: CurrencyCode;
  children: ReactNode;
}) {
  const client = useClient();
  const [pending, setPending] = useState<Pending | null>(null);
  const pendingRef = useRef<Pending | null>(null);

  const callWithApproval = useCallback(
    async <C extends ApprovalChannel>(channel: C, input: InputOf<C>): Promise<Approved<C>> => {
      const first = await client.call(channel, input);
      if (first.ok) return first;
      const need = overridable(first.error);
      if (!need) return first;
      // A second request while one is open would be a bug of the screen: answer it as cancelled.
      if (pendingRef.current) return 'cancelled';
      const answer = await new Promise<Result<unknown> | 'cancelled'>((resolve) => {
        const request: Pending = {
          channel,
          input,
          permission: need.permission,
          requestId: need.requestId,
          approvalFor:
            typeof first.error.details?.['approvalFor'] === 'string'
              ? first.error.details['approvalFor']
              : null,
          amount: typeof first.error.details?.['amount'] === 'number' ? first.error.details['amount'] : null,
          resolve,
        };
        pendingRef.current = request;
        setPending(request);
      });
      pendingRef.current = null;
      setPending(null);
      return answer as Approved<C>;
    },
    [client],
  );

  const value = useMemo<SupervisorApproval>(
    () => ({ callWithApproval, asking: pending !== null }),
    [callWithApproval, pending],
  );

  return (
    <SupervisorApprovalContext value={value}>
      {children}
      {pending ? (
        <SupervisorApprovalDialog
          key={pending.requestId}
          request={pending}
          currency={currency}
          onDone={pending.resolve}
        />
      ) : null}
    </SupervisorApprovalContext>
  );
}
