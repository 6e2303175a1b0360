import { useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import { isConnectionLost } from '../ipc/transport';

/**
 * Whether the core may have written the document although the call failed: the answer was lost (the
 * connection dropped), the core failed half way, or a card refund's outcome is unknown. The next submit of the
 * SAME return then carries the same request id, so the core answers with that document instead of writing a
 * second one.
 */
export function mayHaveBeenWritten(error: ErrorData): boolean {
  return (
    isConnectionLost(error) ||
    error.code === 'internal' ||
    error.code === 'storage_error' ||
    error.code === 'payment_timeout'
  );
}

export interface RequestId {
  /** The id for this submit: the one kept from an attempt whose outcome is unknown, or a new one. */
  forSubmit(): string;
  /** After the answer: a definite one (done, or refused with nothing written) ends the attempt. */
  settle(error: ErrorData | null): void;
  /** The cashier changed the return: whatever comes next is a new request. */
  reset(): void;
}

/** One client-generated request id per submit attempt of a return, reused when that attempt is retried. */
export function useRequestId(): RequestId {
  // One object for the component's life; the id lives in its closure (it never needs a re-render).
  const [api] = useState<RequestId>(() => {
    let current: string | null = null;
    return {
      forSubmit: () => (current ??= crypto.randomUUID()),
      settle: (error) => {
        if (error === null || !mayHaveBeenWritten(error)) current = null;
      },
      reset: () => {
        current = null;
      },
    };
  });
  return api;
}
