/**
 * nexo Sale-to-POI messages (JSON flavour, as spoken by Adyen's local Terminal API): typed builders for what
 * the station sends, zod parsers for what the terminal answers (and, for the simulator, for what the station
 * sends). Money never touches float arithmetic: amounts are integer minor units inside Countertop and decimal
 * numbers on the wire; both directions go through decimal TEXT (JSON source text on the way in).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../shared/domain/errors';
import { CURRENCIES, type CurrencyCode } from '../../shared/domain/money';

export const NEXO_PROTOCOL_VERSION = '3.0';

export const MESSAGE_CATEGORIES = ['Payment', 'Abort', 'TransactionStatus', 'Diagnosis'] as const;
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number];

export interface MessageHeader {
  ProtocolVersion: typeof NEXO_PROTOCOL_VERSION;
  MessageClass: 'Service';
  MessageCategory: MessageCategory;
  MessageType: 'Request' | 'Response';
  ServiceID: string;
  SaleID: string;
  POIID: string;
}

/** Why a terminal message was refused. Never carries the offending content (it may hold card data). */
export type ProtocolFault =
  'malformed_json' | 'invalid_message' | 'wrong_header' | 'unmasked_pan' | 'bad_amount' | 'rejected';

export function protocolError(reason: ProtocolFault, details: Record<string, unknown> = {}): AppError {
  return new AppError(
    'internal',
    `The payment terminal sent an unusable answer (${reason})`,
    { device: 'payment_terminal', reason, ...details },
    'call_technician',
  );
}

// --- identifiers ----------------------------------------------------------------------------------

const SERVICE_ID = /^[A-Za-z0-9]{1,10}$/;
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh ServiceID: 10 random alphanumerics (nexo allows at most 10 characters). */
export function newServiceId(): string {
  const bytes = randomBytes(10);
  let id = '';
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length] ?? 'X';
  return id;
}

export function isServiceId(value: string): boolean {
  return SERVICE_ID.test(value);
}

export function isCurrency(code: string): code is CurrencyCode {
  return Object.hasOwn(CURRENCIES, code);
}

// --- amounts --------------------------------------------------------------------------------------

/** Largest amount accepted on the wire: 15 significant digits survive a round trip through a JSON number. */
const MAX_WIRE_DIGITS = 15;

/** Integer minor units → decimal text ("1250", EUR → "12.50"), built from digits only. */
export function formatNexoAmount(amountMinor: number, currency: CurrencyCode): string {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new AppError('bad_input', 'Amount must be a non-negative integer of minor units', { amountMinor });
  }
  const { decimals } = CURRENCIES[currency];
  const digits = String(amountMinor).padStart(decimals + 1, '0');
  if (digits.length > MAX_WIRE_DIGITS) throw new AppError('bad_input', 'Amount too large for the terminal');
  if (decimals === 0) return digits;
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * Minor units → the JSON number sent as RequestedAmount. The number is parsed from the decimal text and
 * checked to print back to the same digits, so the wire carries exactly the intended amount.
 */
export function toNexoAmount(amountMinor: number, currency: CurrencyCode): number {
  const text = formatNexoAmount(amountMinor, currency);
  const value = Number(text);
  if (fromNexoAmountText(String(value), currency) !== amountMinor) {
    throw new AppError('bad_input', 'Amount cannot be represented exactly', { amountMinor });
  }
  return value;
}

/**
 * Decimal text of a JSON number ("12.5", "12.50", "0.01") → integer minor units. Digits beyond the
 * currency's decimals must be zeros; exponents, signs and anything else are refused.
 */
export function fromNexoAmountText(text: string, currency: CurrencyCode): number {
  const m = /^(\d{1,15})(?:\.(\d{1,20}))?$/.exec(text);
  if (!m) throw protocolError('bad_amount');
  const whole = m[1] ?? '0';
  let frac = m[2] ?? '';
  const { decimals } = CURRENCIES[currency];
  if (frac.length > decimals) {
    if (/[^0]/.test(frac.slice(decimals))) throw protocolError('bad_amount');
    frac = frac.slice(0, decimals);
  }
  const digits = (whole + frac.padEnd(decimals, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_WIRE_DIGITS) throw protocolError('bad_amount');
  return Number(digits);
}

// --- JSON -----------------------------------------------------------------------------------------

/** Keys whose numbers are money: kept as their JSON source text so no float ever stands for an amount. */
const AMOUNT_KEYS = new Set(['RequestedAmount', 'AuthorizedAmount', 'TotalAmount']);

/** JSON.parse, keeping amount fields as decimal text (JSON.parse source text access, Node ≥ 21). */
export function parseNexoJson(text: string): unknown {
  try {
    return JSON.parse(text, (key: string, value: unknown, context?: { source?: string }) => {
      if (typeof value !== 'number' || !AMOUNT_KEYS.has(key)) return value;
      // Fallback for engines without source access: shortest round-trip text, exact for ≤ 15 digits.
      return context?.source ?? String(value);
    }) as unknown;
  } catch {
    throw protocolError('malformed_json');
  }
}

// --- requests (station → terminal) ----------------------------------------------------------------

export interface HeaderInput {
  saleId: string;
  poiId: string;
  serviceId: string;
}

function header(category: MessageCategory, input: HeaderInput): MessageHeader {
  if (!isServiceId(input.serviceId)) {
    throw new AppError('bad_input', 'ServiceID must be 1–10 letters or digits', {
      serviceId: input.serviceId,
    });
  }
  return {
    ProtocolVersion: NEXO_PROTOCOL_VERSION,
    MessageClass: 'Service',
    MessageCategory: category,
    MessageType: 'Request',
    ServiceID: input.serviceId,
    SaleID: input.saleId,
    POIID: input.poiId,
  };
}

export interface PaymentRequestInput extends HeaderInput {
  kind: 'payment' | 'refund';
  /** Our reference (SaleTransactionID.TransactionID). */
  transactionId: string;
  timeStamp: Date;
  amountMinor: number;
  currency: CurrencyCode;
}

export interface PaymentRequestMessage {
  SaleToPOIRequest: {
    MessageHeader: MessageHeader;
    PaymentRequest: {
      SaleData: { SaleTransactionID: { TransactionID: string; TimeStamp: string } };
      PaymentTransaction: { AmountsReq: { Currency: CurrencyCode; RequestedAmount: number } };
      PaymentData?: { PaymentType: 'Refund' };
    };
  };
}

export function buildPaymentRequest(input: PaymentRequestInput): PaymentRequestMessage {
  if (input.amountMinor <= 0) throw new AppError('bad_input', 'Amount must be positive');
  return {
    SaleToPOIRequest: {
      MessageHeader: header('Payment', input),
      PaymentRequest: {
        SaleData: {
          SaleTransactionID: { TransactionID: input.transactionId, TimeStamp: input.timeStamp.toISOString() },
        },
        PaymentTransaction: {
          AmountsReq: {
            Currency: input.currency,
            RequestedAmount: toNexoAmount(input.amountMinor, input.currency),
          },
        },
        ...(input.kind === 'refund' ? { PaymentData: { PaymentType: 'Refund' as const } } : {}),
      },
    },
  };
}

export interface MessageReference {
  MessageCategory: 'Payment';
  ServiceID: string;
  SaleID: string;
  POIID: string;
}

export function buildTransactionStatusRequest(input: HeaderInput & { referenceServiceId: string }) {
  return {
    SaleToPOIRequest: {
      MessageHeader: header('TransactionStatus', input),
      TransactionStatusRequest: {
        ReceiptReprintFlag: true,
        DocumentQualifier: ['CashierReceipt', 'CustomerReceipt'],
        MessageReference: reference(input),
      },
    },
  };
}

export function buildAbortRequest(input: HeaderInput & { referenceServiceId: string; reason?: string }) {
  return {
    SaleToPOIRequest: {
      MessageHeader: header('Abort', input),
      AbortRequest: { AbortReason: input.reason ?? 'MerchantAbort', MessageReference: reference(input) },
    },
  };
}

export function buildDiagnosisRequest(input: HeaderInput) {
  return {
    SaleToPOIRequest: {
      MessageHeader: header('Diagnosis', input),
      DiagnosisRequest: { HostDiagnosisFlag: false },
    },
  };
}

function reference(input: HeaderInput & { referenceServiceId: string }): MessageReference {
  if (!isServiceId(input.referenceServiceId)) throw new AppError('bad_input', 'Bad referenced ServiceID');
  return {
    MessageCategory: 'Payment',
    ServiceID: input.referenceServiceId,
    SaleID: input.saleId,
    POIID: input.poiId,
  };
}

// --- schemas --------------------------------------------------------------------------------------

const Category = z.enum(MESSAGE_CATEGORIES);
const AmountText = z.string();

const HeaderSchema = z.object({
  ProtocolVersion: z.string(),
  MessageClass: z.string(),
  MessageCategory: z.string(),
  MessageType: z.string(),
  ServiceID: z.string(),
  SaleID: z.string(),
  POIID: z.string(),
});

const ResponseSchema = z.object({
  Result: z.enum(['Success', 'Failure', 'Partial']),
  ErrorCondition: z.string().optional(),
  AdditionalResponse: z.string().optional(),
});

const TransactionIdSchema = z.object({ TransactionID: z.string().min(1), TimeStamp: z.string() });

const ReceiptSchema = z.object({
  DocumentQualifier: z.string(),
  RequiredSignatureFlag: z.boolean().optional(),
  OutputContent: z.object({
    OutputFormat: z.string(),
    OutputText: z.array(z.object({ Text: z.string() })),
  }),
});

export const PaymentResponseSchema = z.object({
  Response: ResponseSchema,
  SaleData: z.object({ SaleTransactionID: TransactionIdSchema }).optional(),
  POIData: z.object({ POITransactionID: TransactionIdSchema }).optional(),
  PaymentResult: z
    .object({
      PaymentType: z.string().optional(),
      AmountsResp: z.object({ Currency: z.string(), AuthorizedAmount: AmountText }).optional(),
      PaymentInstrumentData: z
        .object({
          CardData: z
            .object({ MaskedPan: z.string().optional(), PaymentBrand: z.string().optional() })
            .optional(),
        })
        .optional(),
      PaymentAcquirerData: z.object({ ApprovalCode: z.string().optional() }).optional(),
    })
    .optional(),
  PaymentReceipt: z.array(ReceiptSchema).optional(),
});
export type PaymentResponseBody = z.infer<typeof PaymentResponseSchema>;

export const TransactionStatusResponseSchema = z.object({
  Response: ResponseSchema,
  MessageReference: z.object({ ServiceID: z.string().optional() }).optional(),
  RepeatedMessageResponse: z
    .object({
      MessageHeader: HeaderSchema,
      RepeatedResponseMessageBody: z.object({ PaymentResponse: PaymentResponseSchema.optional() }),
    })
    .optional(),
});
export type TransactionStatusResponseBody = z.infer<typeof TransactionStatusResponseSchema>;

export const DiagnosisResponseSchema = z.object({
  Response: ResponseSchema,
  POIStatus: z.object({ GlobalStatus: z.string(), CommunicationOKFlag: z.boolean().optional() }).optional(),
  HostStatus: z
    .array(z.object({ AcquirerID: z.string(), IsReachableFlag: z.boolean().optional() }))
    .optional(),
});
export type DiagnosisResponseBody = z.infer<typeof DiagnosisResponseSchema>;

const ResponseEnvelope = z.object({
  SaleToPOIResponse: z.object({
    MessageHeader: HeaderSchema,
    PaymentResponse: z.unknown().optional(),
    TransactionStatusResponse: z.unknown().optional(),
    DiagnosisResponse: z.unknown().optional(),
    AbortResponse: z.unknown().optional(),
  }),
});

/** A terminal's refusal of a request it could not process (Adyen answers with an EventNotification). */
const RejectEnvelope = z.object({
  SaleToPOIRequest: z.object({ EventNotification: z.object({ EventToNotify: z.literal('Reject') }) }),
});

const BODY_KEY = {
  Payment: 'PaymentResponse',
  TransactionStatus: 'TransactionStatusResponse',
  Diagnosis: 'DiagnosisResponse',
  Abort: 'AbortResponse',
} as const;

/** Checks that a response header answers the request we sent (same category, ids, protocol). */
export function checkResponseHeader(
  got: z.infer<typeof HeaderSchema>,
  want: { category: MessageCategory; serviceId: string; saleId: string; poiId: string },
): void {
  if (
    got.ProtocolVersion !== NEXO_PROTOCOL_VERSION ||
    got.MessageClass !== 'Service' ||
    got.MessageType !== 'Response' ||
    got.MessageCategory !== want.category ||
    got.ServiceID !== want.serviceId ||
    got.SaleID !== want.saleId ||
    got.POIID !== want.poiId
  ) {
    throw protocolError('wrong_header', { category: want.category });
  }
}

export function parsePaymentResponse(text: string, want: HeaderInput): PaymentResponseBody {
  return parseResponse(text, { ...want, category: 'Payment' }, PaymentResponseSchema);
}

export function parseTransactionStatusResponse(
  text: string,
  want: HeaderInput,
): TransactionStatusResponseBody {
  return parseResponse(text, { ...want, category: 'TransactionStatus' }, TransactionStatusResponseSchema);
}

export function parseDiagnosisResponse(text: string, want: HeaderInput): DiagnosisResponseBody {
  return parseResponse(text, { ...want, category: 'Diagnosis' }, DiagnosisResponseSchema);
}

function parseResponse<T>(
  text: string,
  want: HeaderInput & { category: MessageCategory },
  schema: z.ZodType<T>,
): T {
  const json = parseNexoJson(text);
  if (RejectEnvelope.safeParse(json).success) throw protocolError('rejected', { category: want.category });
  const envelope = ResponseEnvelope.safeParse(json);
  if (!envelope.success) throw protocolError('invalid_message', { category: want.category });
  const message = envelope.data.SaleToPOIResponse;
  checkResponseHeader(message.MessageHeader, want);
  // Issue paths only: zod issues could otherwise echo terminal content.
  const body = schema.safeParse(message[BODY_KEY[want.category]]);
  if (!body.success) {
    throw protocolError('invalid_message', {
      category: want.category,
      paths: body.error.issues.map((i) => i.path.join('.')),
    });
  }
  return body.data;
}

// --- card data guards -----------------------------------------------------------------------------

/** A masked PAN shows at most the first 6 and last 4 digits, with a visible mask in between. */
export function isMaskedPan(value: string): boolean {
  if (!/^[\d *Xx•.]+$/.test(value)) return false;
  return /^\d{0,6}[*Xx•.]+\d{0,4}$/.test(value.replace(/ /g, ''));
}

function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** True when the text holds something that looks like a full card number (13–19 digits passing Luhn). */
export function containsFullPan(text: string): boolean {
  for (const m of text.matchAll(/\d(?:[ -]?\d){12,18}/g)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnOk(digits)) return true;
  }
  return false;
}

// --- receipt text ---------------------------------------------------------------------------------

/** Receipt lines of a terminal receipt; Adyen sends each line as `key=…&name=…&value=…` (form-encoded). */
export function receiptLines(receipts: PaymentResponseBody['PaymentReceipt'], qualifier = 'CustomerReceipt') {
  const receipt = receipts?.find((r) => r.DocumentQualifier === qualifier) ?? receipts?.[0];
  if (!receipt) return [];
  return receipt.OutputContent.OutputText.map(({ Text }) => {
    if (!/(^|&)(name|value)=/.test(Text)) return Text;
    const params = new URLSearchParams(Text);
    const name = params.get('name') ?? '';
    const value = params.get('value') ?? '';
    return name && value ? `${name}: ${value}` : name || value;
  });
}

export type NexoCategory = z.infer<typeof Category>;

// --- request parsing (device side: the simulator) -------------------------------------------------

const RequestHeaderSchema = z.object({
  ProtocolVersion: z.literal(NEXO_PROTOCOL_VERSION),
  MessageClass: z.literal('Service'),
  MessageCategory: Category,
  MessageType: z.literal('Request'),
  ServiceID: z.string().regex(SERVICE_ID),
  SaleID: z.string().min(1),
  POIID: z.string().min(1),
});

const MessageReferenceSchema = z.object({
  MessageCategory: z.string(),
  ServiceID: z.string().regex(SERVICE_ID),
  SaleID: z.string().optional(),
  POIID: z.string().optional(),
});

export const NexoRequestSchema = z.object({
  SaleToPOIRequest: z.object({
    MessageHeader: RequestHeaderSchema,
    PaymentRequest: z
      .object({
        SaleData: z.object({ SaleTransactionID: TransactionIdSchema }),
        PaymentTransaction: z.object({
          AmountsReq: z.object({ Currency: z.string(), RequestedAmount: AmountText }),
        }),
        PaymentData: z.object({ PaymentType: z.enum(['Normal', 'Refund']) }).optional(),
      })
      .optional(),
    AbortRequest: z.object({ AbortReason: z.string(), MessageReference: MessageReferenceSchema }).optional(),
    TransactionStatusRequest: z.object({ MessageReference: MessageReferenceSchema.optional() }).optional(),
    DiagnosisRequest: z.object({ HostDiagnosisFlag: z.boolean().optional() }).optional(),
  }),
});
export type NexoRequest = z.infer<typeof NexoRequestSchema>['SaleToPOIRequest'];

/** Parses a request as a terminal would; null when it is not a well-formed nexo request. */
export function parseNexoRequest(text: string): NexoRequest | null {
  let json: unknown;
  try {
    json = parseNexoJson(text);
  } catch {
    return null;
  }
  const parsed = NexoRequestSchema.safeParse(json);
  return parsed.success ? parsed.data.SaleToPOIRequest : null;
}
