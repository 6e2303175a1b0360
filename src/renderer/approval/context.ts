import { createContext, useContext } from 'react';
import type { Result } from '../../shared/domain/errors';
import type { Channel, InputOf, OutputOf } from '../../shared/ipc/contract';

/** Channels that take a supervisor's `approval` (see src/shared/ipc/channels/sale.ts). */
export type ApprovalChannel = {
  [C in Channel]: 'approval' extends keyof InputOf<C> ? C : never;
}[Channel];

/** The call's result, or 'cancelled' when the cashier closed the supervisor dialog. */
export type Approved<C extends Channel> = Result<OutputOf<C>> | 'cancelled';

export interface SupervisorApproval {
  /**
   * Makes the call; when the core answers `permission_denied` with `details.overridable`, asks a supervisor
   * for their PIN and repeats the SAME call with the approval, until it goes through or the cashier cancels.
   */
  callWithApproval<C extends ApprovalChannel>(channel: C, input: InputOf<C>): Promise<Approved<C>>;
  /** True while the supervisor dialog is open (the screen behind must not take keys). */
  readonly asking: boolean;
}

export const SupervisorApprovalContext = createContext<SupervisorApproval | null>(null);

export function useSupervisorApproval(): SupervisorApproval {
  const approval = useContext(SupervisorApprovalContext);
  if (!approval) throw new Error('useSupervisorApproval() outside <SupervisorApprovalProvider>');
  return approval;
}
