/** Store settings screen, the supervisor dialog's shift-close label and the sign-out warning (English). */
export const settingsEn = {
  'home.settings': 'Store settings',
  'home.settingsHint': 'Tax and cash rounding, tenders, scale labels, shifts, risk rules, receipt',

  'settings.title': 'Store settings',
  'settings.back': 'Back',
  'settings.save': 'Save',
  'settings.saving': 'Saving…',
  'settings.saved': 'Saved. New sales use it at once; a sale in progress keeps the settings it started with.',
  'settings.tab.sale': 'Sale',
  'settings.tab.tenders': 'Tenders',
  'settings.tab.instore': 'In-store barcodes',
  'settings.tab.shift': 'Shifts',
  'settings.tab.risk': 'Risk rules',
  'settings.tab.receipt': 'Receipt',

  'settings.issue.cashIncrement':
    'There is no such coin in this currency: pick one of the increments listed.',
  'settings.issue.priceDecimals': 'A price cannot have more decimals than the currency.',
  'settings.issue.tenderTypeFixed':
    "An existing tender's kind cannot change (past payments depend on it): add a new tender instead.",
  'settings.issue.tenderCodeTaken': 'Another tender already uses this code.',
  'settings.issue.cashRequired': 'Cash cannot be removed: change and the drawer count need it.',
  'settings.issue.oneCash': 'There can be only one cash tender.',
  'settings.issue.layoutLength':
    'The parts must add up to exactly 13 digits (2 prefix + item + value + 1 check digit).',
  'settings.issue.valueCheckDigit': 'Only a 4- or 5-digit value has a value check digit.',
  'settings.issue.prefixTaken': 'Another layout already uses this prefix.',
  'settings.issue.format': 'Wrong format: a prefix is 20–29, or 02 for UPC.',
  'settings.issue.tooSmall': 'Too small, or missing.',
  'settings.issue.tooBig': 'Too large, or too long.',
  'settings.issue.invalid': 'Not valid',

  'settings.sale.rounding': 'Tax rounding',
  'settings.sale.perLine': 'Per line',
  'settings.sale.perLineHint':
    "Each line's tax is rounded to the cent on its own; every line can be checked.",
  'settings.sale.perDocument': 'Per receipt',
  'settings.sale.perDocumentHint':
    'Tax is added up per rate over the receipt and rounded once: the smallest error.',
  'settings.sale.cashIncrement': 'Cash rounding',
  'settings.sale.cashIncrementHint':
    'Only cash payments are rounded (e.g. to 0.10: 3.71 is paid as 3.70); cards and wallets pay the exact amount.',
  'settings.sale.noRounding': 'No rounding',
  'settings.sale.basics': 'Currency and tax mode',
  'settings.sale.basicsHint': 'Nothing has been sold yet, so these can still change.',
  'settings.sale.lockedDocuments':
    'Sales have been completed, so currency and tax mode can no longer change: the amounts of existing receipts, returns and reports would change meaning. To switch, a technician sets up a new store database.',
  'settings.sale.lockedSaleOpen':
    'There are open or parked sales: complete, void or cancel them before changing currency or tax mode.',
  'settings.sale.lockedShiftOpen':
    'A drawer shift is open and its float was counted in the current currency: close the shift first.',
  'settings.sale.currency': 'Currency',
  'settings.sale.taxMode': 'Tax mode',
  'settings.sale.inclusive': 'Prices include tax',
  'settings.sale.exclusive': 'Tax added at the till',

  'settings.tenders.hint':
    'The tenders offered at the till. Rename any, add wallets (e.g. UnionPay QR); cash must stay.',
  'settings.tenders.code': 'Code',
  'settings.tenders.type': 'Kind',
  'settings.tenders.typeCash': 'Cash',
  'settings.tenders.typeCard': 'Card (terminal)',
  'settings.tenders.typeExternal': 'QR / other (with reference)',
  'settings.tenders.nameZh': 'Chinese name',
  'settings.tenders.nameEn': 'English name',
  'settings.tenders.remove': 'Remove',
  'settings.tenders.new': 'new',
  'settings.tenders.cashStays': 'Cash cannot be removed',
  'settings.tenders.inUse':
    'A sale being paid uses it: it can be removed once that sale completes or is cancelled.',
  'settings.tenders.addTitle': 'Add a tender',
  'settings.tenders.addHint':
    "A new tender is a QR / other tender: the customer's payment code or reference is recorded. It applies once saved.",
  'settings.tenders.add': 'Add to the list',

  'settings.instore.hint':
    'How the scales print price or weight labels (13-digit EAN-13, prefixes 20–29; US UPC-A uses 02). This must match the scales in the store.',
  'settings.instore.layout': 'Layout {n}',
  'settings.instore.prefixes': 'Prefixes',
  'settings.instore.prefixesHint': 'Separated by commas, e.g. 20, 21, 22',
  'settings.instore.valueType': 'Value in the code',
  'settings.instore.price': 'Price',
  'settings.instore.weight': 'Weight',
  'settings.instore.itemDigits': 'Item digits',
  'settings.instore.valueDigits': 'Value digits',
  'settings.instore.priceDecimals': 'Price decimals',
  'settings.instore.weightDecimals': 'Weight decimals (kg; 3 = grams)',
  'settings.instore.valueCheckDigit': 'A price check digit precedes the value',
  'settings.instore.remove': 'Remove this layout',
  'settings.instore.add': 'Add a layout',
  'settings.instore.length': '{n} of {of} digits',

  'settings.example.title': 'Try a label',
  'settings.example.hint':
    'Type or scan a scale label to see how the layouts above read it (unsaved edits included).',
  'settings.example.price': 'Layout {n}: item {item}, price {amount}',
  'settings.example.weight': 'Layout {n}: item {item}, weight {kg} kg',
  'settings.example.noLayout':
    'In-store number {code} with no matching layout: looked up as a plain barcode.',
  'settings.example.gtin': 'An ordinary product barcode {code} (not a scale label).',
  'settings.example.gs1': 'A GS1 data barcode (batch, expiry …).',
  'settings.example.plain': 'Not a product barcode: looked up as a PLU or in-store code {code}.',
  'settings.example.checkDigit':
    'Wrong check digit: such a code is refused as a misread. The last digit should be {digit}.',
  'settings.example.misread': 'Not a valid barcode (length or check digit).',
  'settings.example.fixLayouts': 'Fix the layouts above first.',

  'settings.shift.required': 'Cash needs an open shift (a counted float)',
  'settings.shift.requiredHint':
    'When off, cash can be taken without a shift, but no close will account for it.',
  'settings.shift.threshold': 'Close difference needing a supervisor',
  'settings.shift.thresholdHint':
    "When any tender is short or over by more than this at a close, a supervisor's PIN is needed.",
  'settings.shift.denominations': 'Counted denominations',
  'settings.shift.noDenominations': 'No denominations for this currency: the close takes a total.',

  'settings.risk.hint':
    'A rule that fires is written to the audit log and shown to supervisors; an "approval" rule also holds the action until another supervisor enters their PIN.',
  'settings.risk.enabled': 'On',
  'settings.risk.mode': 'When it fires',
  'settings.risk.alert': 'Alert only',
  'settings.risk.approve': 'Needs approval',
  'settings.risk.max': 'Most per shift',
  'settings.risk.maxCount': 'Most per shift',
  'settings.risk.maxAmount': 'Highest amount',
  'settings.risk.maxBp': 'Highest discount',
  'settings.risk.minutes': 'Minutes after payment',
  'settings.risk.lineVoids': 'Too many line voids',
  'settings.risk.lineVoidsHint':
    'Lines voided, quantities reduced or sales voided in one shift, above the limit.',
  'settings.risk.postVoids': 'Too many post-voids',
  'settings.risk.postVoidsHint': 'Completed sales reversed in one shift, above the limit.',
  'settings.risk.refundsWithoutReceipt': 'Refunds without receipt',
  'settings.risk.refundsWithoutReceiptHint':
    'One above the amount, or more of them in a shift than the limit.',
  'settings.risk.discounts': 'Large discounts',
  'settings.risk.discountsHint': 'A line or order discount above the percentage.',
  'settings.risk.noSales': 'No-sale drawer opens',
  'settings.risk.noSalesHint':
    'The drawer opened without a sale more often in a shift than the limit (alert only).',
  'settings.risk.quickPostVoid': 'Post-void right after payment',
  'settings.risk.quickPostVoidHint': 'A sale reversed within these minutes of being paid.',
  'settings.risk.refundToOtherTender': 'Refund to another tender',
  'settings.risk.refundToOtherTenderHint':
    'Money of a return given back on another tender than paid with (alert only).',
  'settings.risk.priceBelowCost': 'Price below cost',
  'settings.risk.priceBelowCostHint': "A price override below the product's cost.",

  'settings.receipt.storeName': 'Store name (receipt heading)',
  'settings.receipt.header': 'Lines under the store name',
  'settings.receipt.footer': 'Lines at the end of the receipt',
  'settings.receipt.linesHint':
    'One per line, at most 4 lines of 48 characters (address, phone, returns policy …).',

  'approval.for.closeDifference': 'Shift close difference',
  'approval.for.refundWithoutReceipt': 'Refund without receipt',
  'approval.short': 'short',
  'approval.over': 'over',

  'signout.title': 'Not everything has been sent yet',
  'signout.pending': '{count} sales/events have not reached the store server yet.',
  'signout.safe':
    "They are safe on this station and will be sent when the network is back. Do not wipe or reinstall this station's data.",
  'signout.confirm': 'Understood, sign out',
  'signout.cancel': 'Go back',

  'error.tenderInUse': 'A sale being paid uses this tender: it cannot be removed right now.',
  'hint.tenderInUse': 'Complete or cancel that payment, then remove it.',
  'error.settingsLocked': 'Currency and tax mode cannot change now.',
  'hint.settingsLocked':
    'The amounts of existing documents must keep their meaning: see the note on the settings page.',
} as const;
