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
  server_unreachable: { sentence: 'error.server_unreachable', action: 'retry' },
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

/**
 * Sentences for particular cases of a code, told apart by `details` (the core's `reason`, the device, the
 * scanned code). They say what happened at the till in the cashier's words; `hint` is the next step when no
 * NextAction fits it.
 */
interface SpecificPresentation {
  readonly sentence: string;
  readonly hint?: string;
  readonly action?: NextAction | null;
}

const REASON_SENTENCES: Readonly<Record<string, { sentence: PlainKey; hint?: PlainKey }>> = {
  weight_required: { sentence: 'error.weightRequired', hint: 'hint.enterWeight' },
  zero_weight: { sentence: 'error.zeroWeight', hint: 'hint.weighAgain' },
  label_quantity: { sentence: 'error.labelQuantity', hint: 'hint.scanEachItem' },
  whole_pieces: { sentence: 'error.wholePieces', hint: 'hint.wholeNumber' },
  reference_required: { sentence: 'error.referenceRequired', hint: 'hint.enterReference' },
  tender_short: { sentence: 'error.tenderShort', hint: 'hint.addTender' },
  cash_increment: { sentence: 'error.cashIncrement', hint: 'hint.checkCashAmount' },
  more_than_sold: { sentence: 'error.moreThanSold', hint: 'hint.lowerReturnQty' },
  inactive: { sentence: 'error.productInactive', hint: 'hint.askManager' },
  shift_required: { sentence: 'error.shiftRequired', hint: 'hint.openShift' },
  shift_open: { sentence: 'error.shiftOpen', hint: 'hint.closeShift' },
  shift_already_open: { sentence: 'error.shiftAlreadyOpen' },
  no_shift: { sentence: 'error.noShift', hint: 'hint.openShift' },
  sale_in_progress: { sentence: 'error.saleInProgress' },
  day_closed: { sentence: 'error.dayClosed' },
  unknown_denomination: { sentence: 'error.unknownDenomination' },
  tender_in_use: { sentence: 'error.tenderInUse', hint: 'hint.tenderInUse' },
  settings_locked: { sentence: 'error.settingsLocked', hint: 'hint.settingsLocked' },
  gift_card_number: { sentence: 'error.giftCardNumber', hint: 'hint.giftCardNumber' },
  gift_card_unknown_card: { sentence: 'error.giftCardUnknown', hint: 'hint.giftCardNumber' },
  gift_card_inactive: { sentence: 'error.giftCardInactive', hint: 'hint.giftCardOtherTender' },
  gift_card_insufficient: { sentence: 'error.giftCardInsufficient', hint: 'hint.giftCardInsufficient' },
  gift_card_offline_blocked: { sentence: 'error.giftCardOfflineBlocked', hint: 'hint.giftCardOtherTender' },
  gift_card_no_server: { sentence: 'error.giftCardNoServer', hint: 'hint.giftCardOtherTender' },
  gift_card_failed: { sentence: 'error.giftCardFailed', hint: 'hint.giftCardOtherTender' },
  gift_card_balance_unreachable: { sentence: 'error.giftCardBalanceUnreachable' },
  gift_card_outcome_unknown: {
    sentence: 'error.giftCardOutcomeUnknown',
    hint: 'hint.giftCardOutcomeUnknown',
  },
};

function specificPresentation(error: ErrorData, t: Translate): SpecificPresentation | null {
  const details = error.details ?? {};
  const reason = typeof details['reason'] === 'string' ? details['reason'] : null;
  const code = typeof details['code'] === 'string' ? details['code'] : null;
  // A misread is not "not found": the code itself is wrong, and scanning again usually fixes it.
  if (error.code === 'bad_input' && error.action === 'scan_again') {
    return { sentence: t('error.misread'), hint: t('hint.misread'), action: 'scan_again' };
  }
  if (reason !== null && reason in REASON_SENTENCES) {
    const known = REASON_SENTENCES[reason];
    if (known)
      return { sentence: t(known.sentence), ...(known.hint ? { hint: t(known.hint) } : {}), action: null };
  }
  if (error.code === 'not_found' && code !== null) {
    return { sentence: t('error.unknownCode', { code }), hint: t('hint.unknownCode'), action: null };
  }
  if (error.code === 'not_found' && typeof details['ref'] === 'string') {
    return {
      sentence: t('error.unknownReceipt', { ref: details['ref'] }),
      hint: t('hint.unknownReceipt'),
      action: null,
    };
  }
  if (error.code === 'device_offline' && details['device'] === 'payment_terminal') {
    return {
      sentence: t('error.noPaymentTerminal'),
      hint: t('hint.noPaymentTerminal'),
      action: 'call_technician',
    };
  }
  if (error.code === 'wrong_pin' && typeof details['approvalRequestId'] === 'string') {
    return { sentence: t('error.wrongSupervisorPin'), action: 'retry' };
  }
  return null;
}

export interface DescribedError {
  readonly sentence: string;
  /** Extra lines drawn from `details` (attempts left, locked-until time). */
  readonly notes: readonly string[];
  /** The next step in words, when no NextAction fits (e.g. "search the product by name"). */
  readonly hint: string | null;
  readonly action: NextAction | null;
  readonly actionLabel: string | null;
}

export function describeError(error: ErrorData, t: Translate, locale: Locale): DescribedError {
  const presentation = ERROR_PRESENTATION[error.code];
  const lost = isConnectionLost(error);
  const specific = lost ? null : specificPresentation(error, t);
  const sentence = specific?.sentence ?? t(lost ? 'error.connectionLost' : presentation.sentence);
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
  const action = specific?.action !== undefined ? specific.action : (error.action ?? presentation.action);
  return {
    sentence,
    notes,
    hint: specific?.hint ?? null,
    action,
    actionLabel: action === null ? null : t(ACTION_LABELS[action]),
  };
}
