/** 礼品卡相关文案（简体中文，主目录）；键与占位符与 giftcards.en.ts 一致。 */
export const giftcardsZhCN = {
  'tender.giftCard.title': '礼品卡',
  'tender.giftCard.number': '卡号（输入或刷卡）',
  'tender.giftCard.swipeHint': '请刷卡或扫码，或输入卡号。',
  'tender.giftCard.submit': '使用礼品卡',
  'tender.giftCard.available': '卡内可用余额：{amount}',
  'tender.giftCard.pending': '正在向门店服务器核对',
  'tender.giftCard.offline': '离线受理',
  'tender.giftCard.noServer': '礼品卡需要门店服务器：请先在门店同步页面登记本机。',

  'error.giftCardNumber': '这不是有效的礼品卡号。',
  'error.giftCardUnknown': '门店没有这张礼品卡。',
  'error.giftCardInactive': '这张礼品卡已被门店停用。',
  'error.giftCardInsufficient': '礼品卡余额不足以支付该金额。',
  'error.giftCardOfflineBlocked': '礼品卡需要门店服务器，目前无法连接。离线时不受理礼品卡。',
  'error.giftCardNoServer': '礼品卡需要门店服务器：本机尚未连接门店服务器。',
  'error.giftCardFailed': '门店服务器无法处理这张礼品卡。',
  'error.giftCardOutcomeUnknown': '有一笔礼品卡付款结果未知（门店服务器处理时本机中断）。',
  'hint.giftCardNumber': '请核对卡号后重新输入，或直接刷卡。',
  'hint.giftCardOtherTender': '请改用其他付款方式（现金、银行卡或扫码支付）。',
  'hint.giftCardInsufficient': '可先用卡内余额支付，其余部分用其他方式支付。',
  'hint.giftCardOutcomeUnknown': '请移除该笔付款，然后重新使用礼品卡。',

  'sync.giftCardTitle': '离线时的礼品卡',
  'sync.giftCardOffline': '无法连接门店服务器时',
  'sync.giftCardOffline.block': '拒绝礼品卡（安全：不会透支）',
  'sync.giftCardOffline.allow': '未验证即受理（恢复连接后入账）',
  'sync.giftCardOfflineHint': '离线受理的礼品卡可能被透支；门店服务器会将此类记录列出供后台核查。',

  'settings.tenders.typeGiftCard': '礼品卡（门店服务器）',
  'settings.tenders.addType': '类型',
  'settings.tenders.giftCardHint': '礼品卡需通过门店服务器核销：本机须在门店同步页面完成登记。',
} as const;
