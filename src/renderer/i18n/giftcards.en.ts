/** Gift-card messages (English); same keys and placeholders as giftcards.zh-CN.ts. */
export const giftcardsEn = {
  'tender.giftCard.title': 'Gift card',
  'tender.giftCard.number': 'Card number (type it or swipe the card)',
  'tender.giftCard.swipeHint': 'Swipe or scan the gift card now, or type its number.',
  'tender.giftCard.submit': 'Redeem gift card',
  'tender.giftCard.available': 'Available on the card: {amount}',
  'tender.giftCard.pending': 'Checking with the store server',
  'tender.giftCard.checkBalance': 'Check balance',
  'tender.giftCard.balance': 'Card •••• {last4}: balance {balance}, available {available}',
  'tender.giftCard.balanceInactive': 'Card •••• {last4} was deactivated by the store.',
  'tender.giftCard.balanceUnknown': 'The store does not know this gift card.',
  'error.giftCardBalanceUnreachable':
    'The store server cannot be reached now, so the gift card balance is unknown.',
  'tender.giftCard.offline': 'Accepted offline',
  'tender.giftCard.noServer': 'Gift cards need the store server: enrol this till on the sync screen first.',

  'error.giftCardNumber': 'This is not a gift card number.',
  'error.giftCardUnknown': 'The store does not know this gift card.',
  'error.giftCardInactive': 'This gift card was deactivated by the store.',
  'error.giftCardInsufficient': 'There is not enough on this gift card for this amount.',
  'error.giftCardOfflineBlocked':
    'Gift cards need the store server, and it cannot be reached now. Gift cards are blocked while offline.',
  'error.giftCardNoServer': 'Gift cards need the store server: this till is not connected to one.',
  'error.giftCardFailed': 'The store server could not take this gift card.',
  'error.giftCardOutcomeUnknown':
    'A gift card payment has no known outcome (the till stopped while the store server had it).',
  'hint.giftCardNumber': 'Check the number and enter it again, or swipe the card.',
  'hint.giftCardOtherTender': 'Take another payment (cash, bank card or a wallet).',
  'hint.giftCardInsufficient': 'Redeem what is on the card and take the rest with another payment.',
  'hint.giftCardOutcomeUnknown': 'Remove that payment, then take the gift card again.',

  'sync.giftCardTitle': 'Gift cards while offline',
  'sync.giftCardOffline': 'When the store server cannot be reached',
  'sync.giftCardOffline.block': 'Refuse gift cards (safe: no card can be overdrawn)',
  'sync.giftCardOffline.allow': 'Accept gift cards unverified (applied when the server is back)',
  'sync.giftCardOfflineHint':
    'Accepted offline, a card may be overdrawn; the store server lists such redemptions for the back office.',

  'settings.tenders.typeGiftCard': 'Gift card (store server)',
  'settings.tenders.addType': 'Kind',
  'settings.tenders.giftCardHint':
    'Gift cards are redeemed against the store server: this till must be enrolled on the sync screen.',
} as const;
