import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/domain/errors';
import {
  buildAbortRequest,
  buildPaymentRequest,
  buildTransactionStatusRequest,
  containsFullPan,
  formatNexoAmount,
  fromNexoAmountText,
  isMaskedPan,
  newServiceId,
  parseNexoJson,
  parsePaymentResponse,
  receiptLines,
  toNexoAmount,
} from '../../../src/drivers/payment/nexo-messages';

const ids = { saleId: 'POS1', poiId: 'SIM-001', serviceId: 'A1B2C3' };

describe('nexo amounts', () => {
  it.each([
    [1, '0.01', 0.01],
    [1250, '12.50', 12.5],
    [9_999_999, '99999.99', 99999.99],
    [100, '1.00', 1],
  ])('%i minor units ↔ %s', (minor, text, wire) => {
    expect(formatNexoAmount(minor, 'EUR')).toBe(text);
    expect(toNexoAmount(minor, 'EUR')).toBe(wire);
    expect(JSON.stringify({ RequestedAmount: toNexoAmount(minor, 'EUR') })).toBe(
      `{"RequestedAmount":${wire}}`,
    );
    expect(fromNexoAmountText(text, 'EUR')).toBe(minor);
    expect(fromNexoAmountText(String(wire), 'EUR')).toBe(minor);
  });

  it('handles currencies without decimals', () => {
    expect(formatNexoAmount(1250, 'JPY')).toBe('1250');
    expect(fromNexoAmountText('1250', 'JPY')).toBe(1250);
    expect(fromNexoAmountText('1250.0', 'JPY')).toBe(1250);
  });

  it('refuses sub-minor digits, exponents and signs', () => {
    for (const bad of ['12.505', '1e2', '-1.00', '', '1.2.3', '0x10']) {
      expect(() => fromNexoAmountText(bad, 'EUR'), bad).toThrow(AppError);
    }
    expect(fromNexoAmountText('12.500', 'EUR')).toBe(1250);
  });

  it('refuses negative, fractional and oversized minor amounts', () => {
    expect(() => formatNexoAmount(-1, 'EUR')).toThrow(AppError);
    expect(() => formatNexoAmount(1.5, 'EUR')).toThrow(AppError);
    expect(() => formatNexoAmount(10 ** 15, 'EUR')).toThrow(AppError);
  });

  it('round-trips every amount up to 15 digits through a JSON number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999_999 }), (minor) => {
        const wire = JSON.parse(JSON.stringify({ a: toNexoAmount(minor, 'EUR') })) as { a: number };
        expect(fromNexoAmountText(String(wire.a), 'EUR')).toBe(minor);
      }),
    );
  });

  it('reads amount fields as their JSON source text', () => {
    expect(parseNexoJson('{"RequestedAmount": 12.50, "Other": 1.5}')).toEqual({
      RequestedAmount: '12.50',
      Other: 1.5,
    });
  });
});

describe('nexo builders', () => {
  it('builds a payment request with a nexo header', () => {
    const msg = buildPaymentRequest({
      ...ids,
      kind: 'payment',
      transactionId: 'sale-42',
      timeStamp: new Date('2026-01-02T03:04:05.000Z'),
      amountMinor: 1250,
      currency: 'EUR',
    });
    expect(msg).toEqual({
      SaleToPOIRequest: {
        MessageHeader: {
          ProtocolVersion: '3.0',
          MessageClass: 'Service',
          MessageCategory: 'Payment',
          MessageType: 'Request',
          ServiceID: 'A1B2C3',
          SaleID: 'POS1',
          POIID: 'SIM-001',
        },
        PaymentRequest: {
          SaleData: {
            SaleTransactionID: { TransactionID: 'sale-42', TimeStamp: '2026-01-02T03:04:05.000Z' },
          },
          PaymentTransaction: { AmountsReq: { Currency: 'EUR', RequestedAmount: 12.5 } },
        },
      },
    });
  });

  it('marks refunds with PaymentType Refund', () => {
    const msg = buildPaymentRequest({
      ...ids,
      kind: 'refund',
      transactionId: 'ret-1',
      timeStamp: new Date(),
      amountMinor: 1,
      currency: 'EUR',
    });
    expect(msg.SaleToPOIRequest.PaymentRequest.PaymentData).toEqual({ PaymentType: 'Refund' });
  });

  it('references the original ServiceID in status and abort requests', () => {
    const status = buildTransactionStatusRequest({ ...ids, referenceServiceId: 'ORIG1' });
    expect(status.SaleToPOIRequest.TransactionStatusRequest.MessageReference).toEqual({
      MessageCategory: 'Payment',
      ServiceID: 'ORIG1',
      SaleID: 'POS1',
      POIID: 'SIM-001',
    });
    const abort = buildAbortRequest({ ...ids, referenceServiceId: 'ORIG1' });
    expect(abort.SaleToPOIRequest.AbortRequest.AbortReason).toBe('MerchantAbort');
  });

  it('refuses ServiceIDs longer than 10 characters and makes unique ones', () => {
    expect(() =>
      buildTransactionStatusRequest({ ...ids, serviceId: 'ABCDEFGHIJK', referenceServiceId: 'X' }),
    ).toThrow(AppError);
    const made = new Set(Array.from({ length: 200 }, () => newServiceId()));
    expect(made.size).toBe(200);
    for (const id of made) expect(id).toMatch(/^[A-Za-z0-9]{10}$/);
  });
});

describe('nexo response parsing', () => {
  const header = {
    ProtocolVersion: '3.0',
    MessageClass: 'Service',
    MessageCategory: 'Payment',
    MessageType: 'Response',
    ServiceID: 'A1B2C3',
    SaleID: 'POS1',
    POIID: 'SIM-001',
  };
  const reason = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (err) {
      return err instanceof AppError ? err.details?.['reason'] : 'not an AppError';
    }
    return 'no error';
  };

  it('parses a payment response and checks its header', () => {
    const text = JSON.stringify({
      SaleToPOIResponse: { MessageHeader: header, PaymentResponse: { Response: { Result: 'Success' } } },
    });
    expect(parsePaymentResponse(text, ids).Response.Result).toBe('Success');
    expect(reason(() => parsePaymentResponse(text, { ...ids, serviceId: 'OTHER' }))).toBe('wrong_header');
    expect(reason(() => parsePaymentResponse('{"SaleToPOIResponse":', ids))).toBe('malformed_json');
    expect(reason(() => parsePaymentResponse('{"hello":1}', ids))).toBe('invalid_message');
    expect(
      reason(() =>
        parsePaymentResponse(
          JSON.stringify({ SaleToPOIRequest: { EventNotification: { EventToNotify: 'Reject' } } }),
          ids,
        ),
      ),
    ).toBe('rejected');
  });

  it('tells masked PANs from full ones', () => {
    for (const ok of ['541333 **** 9999', '411111******1111', '************1111', '5413 33** **** 9999']) {
      expect(isMaskedPan(ok), ok).toBe(true);
    }
    for (const bad of ['4111111111111111', '4111 1111 1111 1111', '4111111***1111111', '', 'abc']) {
      expect(isMaskedPan(bad), bad).toBe(false);
    }
    expect(containsFullPan('Card: 4111 1111 1111 1111')).toBe(true);
    expect(containsFullPan('Card: 541333 **** 9999')).toBe(false);
  });

  it('decodes Adyen-style receipt lines', () => {
    const lines = receiptLines([
      {
        DocumentQualifier: 'CustomerReceipt',
        OutputContent: {
          OutputFormat: 'Text',
          OutputText: [
            { Text: 'key=txdate&name=Date&value=02%2F01%2F26' },
            { Text: 'name=APPROVED&key=approved' },
            { Text: 'plain' },
          ],
        },
      },
    ]);
    expect(lines).toEqual(['Date: 02/01/26', 'APPROVED', 'plain']);
  });
});
