/**
 * The store settings channels through the real gate on a real SQLite station: who may use them, what is refused
 * (field by field), the audit row with before/after, currency locked once something was sold, a tender in use,
 * and that a change reaches the next sale (not the open one) and the next scan.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../../src/shared/ipc/events';
import type { InStoreRuleInput } from '../../../src/shared/ipc/channels/settings';
import { DEFAULT_TENDERS } from '../../../src/shared/ipc/channels/sale';
import { CHINA_IN_STORE_RULES } from '../../../src/main/core/catalog/in-store-rules';
import { receiptDocument } from '../../../src/shared/print/receipt';
import { connect, unwrap, type Caller } from '../../helpers/station';
import {
  count,
  ean13,
  failure,
  openSaleStation,
  PRODUCTS,
  weightLabel,
  type SaleFixture,
} from '../sale/fixture';

const MANAGER_PIN = '3333';

let fx: SaleFixture;
let manager: Caller;
let events: StationEvent[];

beforeEach(async () => {
  fx = await openSaleStation();
  const user = unwrap(await fx.admin('staff:create', { name: '张经理', role: 'manager', pin: MANAGER_PIN }));
  manager = connect(fx.station, 'manager');
  unwrap(await manager('auth:sign-in', { userId: user.id, pin: MANAGER_PIN }));
  events = [];
  fx.station.events.on((e) => events.push(e));
});
afterEach(() => fx.cleanup());

const settingsAudits = () =>
  fx.station.db
    .prepare<[], { user_id: string; details: string }>(
      "SELECT user_id, details FROM audit_log WHERE action = 'settings.changed' ORDER BY seq",
    )
    .all()
    .map((row) => ({ userId: row.user_id, details: JSON.parse(row.details) as Record<string, unknown> }));

const issuePaths = (r: Parameters<typeof failure>[0]) => {
  const error = failure(r);
  expect(error.code).toBe('bad_input');
  return (error.details?.['issues'] as { path: string }[]).map((i) => i.path);
};

/** Sells the codes for exact cash (the fixture has no drawer accountability) and returns the sale. */
async function sellCash(call: Caller, codes: string[]) {
  for (const code of codes) unwrap(await call('sale:scan', { code }));
  const tendering = unwrap(await call('sale:start-tender', {}));
  unwrap(await call('sale:add-tender', { tender: 'cash', amount: tendering.totals.dueCash }));
  return unwrap(await call('sale:complete', {}));
}

describe('settings:get / settings:set-sale access', () => {
  it('is for managers and admins only, and a supervisor cannot grant it', async () => {
    for (const call of [fx.till, fx.sup]) {
      const denied = failure(await call('settings:get', {}));
      expect(denied.code).toBe('permission_denied');
      expect(denied.details?.['overridable']).toBe(false);
      expect(failure(await call('settings:set-sale', { cashIncrement: 10 })).code).toBe('permission_denied');
    }
    expect(fx.station.settings.get('cashIncrement')).toBe(1);
    const view = unwrap(await manager('settings:get', {}));
    expect(view).toMatchObject({ currency: 'CNY', taxMode: 'inclusive', cashIncrement: 1, basicsLock: null });
    expect(view.cashIncrementChoices).toEqual([1, 5, 10, 50, 100]);
    unwrap(await fx.admin('settings:get', {}));
  });
});

describe('validation', () => {
  it('refuses bad values field by field and writes nothing', async () => {
    const auditBefore = count(fx.station, 'SELECT count(*) FROM audit_log');

    // A cash increment of 3 fen: no such coin.
    expect(issuePaths(await manager('settings:set-sale', { cashIncrement: 3 }))).toEqual(['cashIncrement']);

    // Tenders: no cash left; a code used twice.
    const noCash = DEFAULT_TENDERS.filter((t) => t.type !== 'cash');
    expect(issuePaths(await manager('settings:set-sale', { tenders: noCash }))).toEqual(['tenders']);
    const twice = [...DEFAULT_TENDERS, { ...DEFAULT_TENDERS[2]!, nameEn: 'WeChat again' }];
    expect(issuePaths(await manager('settings:set-sale', { tenders: twice }))).toEqual(['tenders.4.code']);
    // An existing code may be renamed but not turned into another kind of tender.
    const retyped = DEFAULT_TENDERS.map((t) => (t.code === 'wechat' ? { ...t, type: 'card' as const } : t));
    expect(issuePaths(await manager('settings:set-sale', { tenders: retyped }))).toEqual(['tenders.2.type']);

    // In-store layouts: 12 digits instead of 13; a prefix of real GTINs; a prefix in two layouts; 3 decimals of CNY.
    const rule: InStoreRuleInput = {
      prefixes: ['21'],
      itemDigits: 5,
      valueDigits: 5,
      valueType: 'price',
      decimals: 2,
    };
    const bad = async (rules: InStoreRuleInput[]) =>
      issuePaths(await manager('settings:set-sale', { inStoreRules: rules }));
    expect(await bad([{ ...rule, valueDigits: 4 }])).toEqual(['inStoreRules.0.valueDigits']);
    expect(await bad([{ ...rule, prefixes: ['69'] }])).toEqual(['inStoreRules.0.prefixes.0']);
    expect(await bad([rule, { ...rule, valueType: 'weight', decimals: 3 }])).toEqual([
      'inStoreRules.1.prefixes',
    ]);
    expect(await bad([{ ...rule, decimals: 3 }])).toEqual(['inStoreRules.0.decimals']);
    expect(await bad([{ ...rule, itemDigits: 3, hasValueCheckDigit: true, valueDigits: 6 }])).toEqual([
      'inStoreRules.0.hasValueCheckDigit',
    ]);

    // Receipt lines are bounded; nothing at all is not a change.
    expect(
      issuePaths(await manager('settings:set-sale', { receipt: { header: ['x'.repeat(49)], footer: [] } })),
    ).toEqual(['receipt.header.0']);
    expect(failure(await manager('settings:set-sale', {})).code).toBe('bad_input');

    expect(count(fx.station, 'SELECT count(*) FROM audit_log')).toBe(auditBefore);
    const s = fx.station.settings.all();
    expect(s.cashIncrement).toBe(1);
    expect(s.tenders).toEqual(DEFAULT_TENDERS);
    expect(s.inStoreRules).toEqual(CHINA_IN_STORE_RULES);
    expect(events.filter((e) => e.name === 'settings:changed')).toEqual([]);
  });
});

describe('a change', () => {
  it('is one transaction with a settings.changed audit row (before/after), queued for sync, and an event', async () => {
    const outboxBefore = count(fx.station, 'SELECT count(*) FROM outbox');
    const view = unwrap(
      await manager('settings:set-sale', {
        cashIncrement: 10,
        taxRounding: 'per_document',
        storeName: 'Test Store', // unchanged: not listed
        receipt: { header: [], footer: ['7 天无理由退货'] },
      }),
    );
    expect(view).toMatchObject({
      cashIncrement: 10,
      taxRounding: 'per_document',
      receiptFooter: ['7 天无理由退货'],
    });

    const audits = settingsAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toEqual({
      keys: ['taxRounding', 'cashIncrement', 'receiptFooter'],
      before: { taxRounding: 'per_line', cashIncrement: 1, receiptFooter: [] },
      after: { taxRounding: 'per_document', cashIncrement: 10, receiptFooter: ['7 天无理由退货'] },
    });
    expect(count(fx.station, 'SELECT count(*) FROM outbox')).toBe(outboxBefore + 1);
    expect(
      count(
        fx.station,
        "SELECT count(*) FROM outbox WHERE type = 'audit.appended' AND json_extract(payload, '$.action') = 'settings.changed'",
      ),
    ).toBe(1);
    expect(events.filter((e) => e.name === 'settings:changed').map((e) => e.payload)).toEqual([
      { locale: 'zh-CN', keys: ['taxRounding', 'cashIncrement', 'receiptFooter'] },
    ]);

    // Saving the same values again changes nothing and audits nothing.
    unwrap(await manager('settings:set-sale', { cashIncrement: 10 }));
    expect(settingsAudits()).toHaveLength(1);
  });

  it('reaches the next sale; the open sale keeps what it started with', async () => {
    unwrap(await fx.till('sale:scan', { code: PRODUCTS.gum.barcode }));
    unwrap(await manager('settings:set-sale', { cashIncrement: 10 }));

    const open = unwrap(await fx.till('sale:start-tender', {}));
    expect(open.cashIncrement).toBe(1);
    expect(open.totals.dueCash).toBe(199);
    unwrap(await fx.till('sale:add-tender', { tender: 'cash', amount: 199 }));
    unwrap(await fx.till('sale:complete', {}));

    // ¥1.99 in cash rounds to ¥2.00 with the jiao as the smallest coin.
    const next = await sellCash(fx.till, [PRODUCTS.gum.barcode]);
    expect(next.cashIncrement).toBe(10);
    expect(next.totals.total).toBe(199);
    expect(next.totals.payable).toBe(200);
    expect(next.totals.cashRoundingAdjustment).toBe(1);
  });

  it('puts the store name, header and footer lines on the receipt', async () => {
    unwrap(
      await manager('settings:set-sale', {
        storeName: '街角小店',
        receipt: { header: ['北京市朝阳区 1 号', '电话 010-12345678'], footer: ['凭小票 7 天内退换'] },
      }),
    );
    const sale = await sellCash(fx.till, [PRODUCTS.cola.barcode]);
    const texts = fx.station.devices.printing
      .receiptFor(sale)
      .blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));
    expect(texts.slice(0, 3)).toEqual(['街角小店', '北京市朝阳区 1 号', '电话 010-12345678']);
    expect(texts).toContain('凭小票 7 天内退换');
    expect(texts.indexOf('凭小票 7 天内退换')).toBeLessThan(texts.indexOf('谢谢惠顾，欢迎再来！'));
    // Without a store name or lines, only the title and the thank-you are centred, as before.
    const plain = receiptDocument(sale, { storeName: null, locale: 'en', tenders: DEFAULT_TENDERS });
    expect(plain.blocks.filter((b) => b.kind === 'text' && b.align === 'center')).toHaveLength(2);
  });
});

describe('currency and tax mode', () => {
  it('change before anything was sold, and are refused once a sale is completed', async () => {
    const usd = unwrap(
      await manager('settings:set-sale', { currency: 'USD', taxMode: 'exclusive', cashIncrement: 5 }),
    );
    expect(usd).toMatchObject({ currency: 'USD', taxMode: 'exclusive', cashIncrement: 5 });
    expect(usd.cashIncrementChoices).toEqual([1, 5, 10, 25]);
    // 50 is a CNY coin (5 jiao), not a US one.
    expect(issuePaths(await manager('settings:set-sale', { cashIncrement: 50 }))).toEqual(['cashIncrement']);
    unwrap(await manager('settings:set-sale', { currency: 'CNY', taxMode: 'inclusive', cashIncrement: 1 }));

    await sellCash(fx.till, [PRODUCTS.cola.barcode]);
    expect(unwrap(await manager('settings:get', {})).basicsLock).toBe('documents_exist');
    const refused = failure(await manager('settings:set-sale', { currency: 'USD' }));
    expect(refused).toMatchObject({
      code: 'conflict',
      details: { reason: 'settings_locked', lock: 'documents_exist' },
    });
    expect(failure(await manager('settings:set-sale', { taxMode: 'exclusive' })).code).toBe('conflict');
    expect(fx.station.settings.get('currency')).toBe('CNY');
    expect(fx.station.settings.get('taxMode')).toBe('inclusive');
    // Sending the current currency with another change is fine: it is not a change.
    unwrap(await manager('settings:set-sale', { currency: 'CNY', cashIncrement: 10 }));
  });

  it('are refused while a sale is open, with that reason', async () => {
    unwrap(await fx.till('sale:scan', { code: PRODUCTS.cola.barcode }));
    expect(failure(await manager('settings:set-sale', { currency: 'USD' })).details).toMatchObject({
      lock: 'sale_open',
    });
  });

  it('check the in-store layouts against the new currency', async () => {
    // JPY has no decimals: the China price layouts (2 decimals) cannot be read in yen.
    const paths = issuePaths(await manager('settings:set-sale', { currency: 'JPY' }));
    expect(paths).toEqual(['inStoreRules.0.decimals']);
    const yenRules = CHINA_IN_STORE_RULES.map((r) => (r.valueType === 'price' ? { ...r, decimals: 0 } : r));
    unwrap(await manager('settings:set-sale', { currency: 'JPY', inStoreRules: yenRules }));
  });
});

describe('tenders', () => {
  it('adds and renames wallets; one being paid with cannot be removed until the sale is done', async () => {
    const withUnionPay = [
      ...DEFAULT_TENDERS.map((t) => (t.code === 'alipay' ? { ...t, nameEn: 'Alipay QR' } : t)),
      { code: 'unionpay_qr', type: 'external' as const, nameZh: '云闪付', nameEn: 'UnionPay QR' },
    ];
    const view = unwrap(await manager('settings:set-sale', { tenders: withUnionPay }));
    expect(view.tenders.map((t) => t.code)).toEqual(['cash', 'card', 'wechat', 'alipay', 'unionpay_qr']);
    expect(unwrap(await fx.till('sale:config', {})).tenders).toEqual(withUnionPay);

    unwrap(await fx.till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await fx.till('sale:start-tender', {}));
    unwrap(await fx.till('sale:add-tender', { tender: 'unionpay_qr', amount: 500, reference: 'UP123456' }));
    expect(unwrap(await manager('settings:get', {})).tendersInUse).toEqual(['unionpay_qr']);

    const without = withUnionPay.filter((t) => t.code !== 'unionpay_qr');
    const refused = failure(await manager('settings:set-sale', { tenders: without }));
    expect(refused).toMatchObject({
      code: 'conflict',
      details: { reason: 'tender_in_use', tenders: ['unionpay_qr'] },
    });
    // Removing another one is fine meanwhile.
    unwrap(await manager('settings:set-sale', { tenders: withUnionPay.filter((t) => t.code !== 'card') }));

    unwrap(await fx.till('sale:add-tender', { tender: 'cash', amount: 700 }));
    const sale = unwrap(await fx.till('sale:complete', {}));
    unwrap(await manager('settings:set-sale', { tenders: without.filter((t) => t.code !== 'card') }));
    // The completed sale keeps its payment with the removed tender.
    expect(sale.payments.map((p) => p.tender)).toEqual(['unionpay_qr', 'cash']);
    const history = unwrap(await fx.till('sale:get', { ref: sale.id }));
    expect(history.payments.map((p) => [p.tender, p.type])).toEqual([
      ['unionpay_qr', 'external'],
      ['cash', 'cash'],
    ]);
  });
});

describe('in-store barcodes', () => {
  it('read the next scan with the new layout', async () => {
    // 23 is a price prefix in the default layout: 23 10001 01250 reads as ¥12.50 of apples.
    const label = ean13('231000101250');
    const before = unwrap(await fx.till('sale:scan', { code: label }));
    expect(before.lines[0]).toMatchObject({ qtySource: 'barcode_price' });
    // A supervisor voids that sale (a cashier would need their approval).
    unwrap(await fx.sup('sale:void', {}));

    // The store's new scales print the weight in grams under 23.
    const rules: InStoreRuleInput[] = [
      { prefixes: ['20', '21', '22'], itemDigits: 5, valueDigits: 5, valueType: 'price', decimals: 2 },
      { prefixes: ['23'], itemDigits: 5, valueDigits: 5, valueType: 'weight', decimals: 3 },
    ];
    unwrap(await manager('settings:set-sale', { inStoreRules: rules }));
    const after = unwrap(await fx.till('sale:scan', { code: label }));
    const line = after.lines.find((l) => !l.voided);
    expect(line).toMatchObject({
      productId: PRODUCTS.apples.id,
      qtySource: 'barcode_weight',
      qtyMilli: 1250,
    });
    // ¥8.00/kg × 1.250 kg.
    expect(after.totals.total).toBe(1000);
    // 28 is no longer an in-store prefix: the old weight label is now an unknown plain GTIN.
    expect(failure(await fx.till('sale:scan', { code: weightLabel(PRODUCTS.apples.plu, 500) })).code).toBe(
      'not_found',
    );
  });
});
