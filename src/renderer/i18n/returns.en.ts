import type { returnsZhCN } from './returns.zh-CN';

/** Returns without a receipt and unresolved card refunds (the return screen's second mode). */
export const returnsEn = {
  'returns.modeReceipt': 'With receipt',
  'returns.modeNoReceipt': 'No receipt',
  'returns.noReceiptTitle': 'Return without receipt',
  'returns.noReceiptHint':
    "Scan the items, or search by name, pinyin initials or PLU. Refunded at today's prices; a supervisor approves.",
  'returns.noItems': 'Scan or search the items being returned first.',
  'returns.weightLabel': 'Weight of {name} (kg)',
  'returns.weightRequired': 'Enter the weight of the weighed item "{name}", e.g. 0.750.',
  'returns.remove': 'Remove',
  'returns.refundBy': 'Refund by',
  'returns.reference': '{tender} refund reference',
  'returns.referenceRequired': 'Enter the reference of the {tender} refund.',
  'returns.reason': 'Reason (optional)',
  'returns.estimate': 'About {amount} back (the approved refund document decides)',
  'returns.submitApproval': 'Submit for approval',
  'returns.notApproved': 'Not approved: nothing was refunded.',
  'returns.giveBackBig': 'Give back to the customer',
  'returns.unresolvedTitle': 'Card refunds with no known outcome',
  'returns.unresolvedHint':
    'The terminal did not answer: the money may be back on the card. Check the terminal before any other refund.',
  'returns.unresolvedLine': '{kind} · receipt {number} · {amount} · {time}',
  'returns.kindRefund': 'Return',
  'returns.kindPostVoid': 'Post-void',
  'returns.checkTerminal': 'Check terminal',
  'returns.cardDeclinedNext':
    'The card refund did not go through: nothing was given back. Refund in cash as a return without receipt (a supervisor approves), or cancel.',
} as const satisfies Record<keyof typeof returnsZhCN, string>;
