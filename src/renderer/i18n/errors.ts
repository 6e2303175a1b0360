import type { ErrorCode, ErrorData, NextAction } from '../../shared/domain/errors';
import type { Locale } from '../../shared/domain/locale';
import { isConnectionLost } from '../ipc/transport';
import { formatDateTime, type PlainKey, type Translate } from './index';

interface ErrorPresentation {
  readonly sentence: PlainKey;
  /** What to offer when the core did not name an action itself. */
  readonly action: NextAction | null;
}

/** Every error code, in the cashier's words, with the usual next step. Exhaustive by type. */
export const ERROR_PRESENTATION: Readonly<Record<ErrorCode, ErrorPresentation>> = {
  bad_input: { sentence: 'error.bad_input', action: null },
  unknown_channel: { sentence: 'error.unknown_channel', action: 'call_technician' },
  forbidden: { sentence: 'error.forbidden', action: 'call_technician' },
  unauthenticated: { sentence: 'error.unauthenticated', action: 'sign_in' },
  session_locked: { sentence: 'error.session_locked', action: null },
  permission_denied: { sentence: 'error.permission_denied', action: 'ask_supervisor' },
  wrong_pin: { sentence: 'error.wrong_pin', action: 'retry' },
  // The locked-until note already says what to do (wait, or have a manager unlock it).
  user_locked_out: { sentence: 'error.user_locked_out', action: null },
  setup_required: { sentence: 'error.setup_required', action: null },
  already_set_up: { sentence: 'error.already_set_up', action: 'sign_in' },
  not_found: { sentence: 'error.not_found', action: 'retry' },
  conflict: { sentence: 'error.conflict', action: 'retry' },
  device_offline: { sentence: 'error.device_offline', action: 'retry' },
  paper_out: { sentence: 'error.paper_out', action: 'retry' },
  cover_open: { sentence: 'error.cover_open', action: 'retry' },
  payment_declined: { sentence: 'error.payment_declined', action: 'try_another_card' },
  payment_timeout: { sentence: 'error.payment_timeout', action: 'retry' },
  storage_error: { sentence: 'error.storage_error', action: 'call_technician' },
  internal: { sentence: 'error.internal', action: 'retry' },
};

export const ACTION_LABELS: Readonly<Record<NextAction, PlainKey>> = {
  retry: 'action.retry',
  ask_supervisor: 'action.ask_supervisor',
  sign_in: 'action.sign_in',
  scan_again: 'action.scan_again',
  try_another_card: 'action.try_another_card',
  call_technician: 'action.call_technician',
};

export interface DescribedError {
  readonly sentence: string;
  /** Extra lines drawn from `details` (attempts left, locked-until time). */
  readonly notes: readonly string[];
  readonly action: NextAction | null;
  readonly actionLabel: string | null;
}

export function describeError(error: ErrorData, t: Translate, locale: Locale): DescribedError {
  const presentation = ERROR_PRESENTATION[error.code];
  const lost = isConnectionLost(error);
  const sentence = t(lost ? 'error.connectionLost' : presentation.sentence);
  const notes: string[] = [];
  const details = error.details ?? {};
  const attemptsLeft = details['attemptsLeft'];
  if (typeof attemptsLeft === 'number' && Number.isFinite(attemptsLeft)) {
    notes.push(t('error.attemptsLeft', { count: attemptsLeft }));
  }
  const lockedUntil = details['lockedUntil'];
  if (typeof lockedUntil === 'string' && lockedUntil !== '') {
    notes.push(t('error.lockedUntil', { time: formatDateTime(lockedUntil, locale) }));
  }
  const action = error.action ?? presentation.action;
  return { sentence, notes, action, actionLabel: action === null ? null : t(ACTION_LABELS[action]) };
}
