/**
 * A loopback nexo terminal: the device side of the Terminal API over plain HTTP on 127.0.0.1. It implements
 * Payment (and refund), Abort, TransactionStatus and Diagnosis, remembers every transaction by ServiceID, and
 * never processes the same ServiceID twice. Outcomes are scripted per next payment; unscripted payments are
 * approved (the demo terminal), except magic amounts ending in 13 when `declineAmountsEndingIn13` is on. Fault modes (`malformedJson`, `wrongHeader`, `fullPan`) exist for driver tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CurrencyCode } from '../../shared/domain/money';
import {
  NEXO_PROTOCOL_VERSION,
  formatNexoAmount,
  fromNexoAmountText,
  isCurrency,
  parseNexoRequest,
  type MessageCategory,
  type MessageHeader,
  type NexoRequest,
} from './nexo-messages';

export type ScriptedOutcome =
  /** Card approved. */
  | 'approved'
  /** Issuer refuses. */
  | 'declined'
  /** The customer cancels on the terminal. */
  | 'aborted'
  /** Approves, records the result, never answers the HTTP request. */
  | 'timeout'
  /** Holds the answer for `hangMs` (status: InProgress), then approves. */
  | 'hangThenApprove'
  /** Answers Failure/Busy without processing. */
  | 'busy'
  /** Waits for the card until the station sends an AbortRequest (or `hangMs × 100` passes, then aborts). */
  | 'awaitCustomer'
  /** Approves, then answers with invalid JSON. */
  | 'malformedJson'
  /** Approves, then answers with a header for another ServiceID. */
  | 'wrongHeader'
  /** Approves and (wrongly) sends the full PAN as MaskedPan. */
  | 'fullPan';

export interface SimulatorOptions {
  poiId?: string;
  /** Hold time of `hangThenApprove`. Default 2 000 ms. */
  hangMs?: number;
  /** Demo card. */
  maskedPan?: string;
  paymentBrand?: string;
  /**
   * Magic amounts, as real test terminals have: an unscripted payment (not a refund) whose amount in minor
   * units ends in `13` (¥10.13, $0.13 …) is declined. Default off; the demo terminal turns it on.
   */
  declineAmountsEndingIn13?: boolean;
}

/** The refusal reason of a magic-amount decline. */
export const MAGIC_DECLINE_REASON = 'Declined (demo amount ending in 13)';

/** Whether `amountMinor` is a magic decline amount (see `SimulatorOptions.declineAmountsEndingIn13`). */
export function isMagicDeclineAmount(amountMinor: number): boolean {
  return amountMinor % 100 === 13;
}

export interface ReceivedRequest {
  category: MessageCategory | 'invalid';
  serviceId: string | undefined;
  /** For payments: RequestedAmount exactly as its JSON text, and its value in minor units. */
  amountText?: string;
  amountMinor?: number;
}

type StoredTransaction =
  | { state: 'in_progress'; header: MessageHeader; abort?: () => void }
  | { state: 'done'; header: MessageHeader; paymentResponse: Record<string, unknown>; approved: boolean };

const FULL_TEST_PAN = '4111111111111111';

export class NexoTerminalSimulator {
  readonly poiId: string;
  /** Every request received, in arrival order. */
  readonly received: ReceivedRequest[] = [];
  private readonly transactions = new Map<string, StoredTransaction>();
  private readonly script: ScriptedOutcome[] = [];
  private readonly listeners = new Set<(r: ReceivedRequest) => void>();
  private readonly held = new Set<http.ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private approvals = 0;
  private poiCounter = 0;
  private readonly hangMs: number;
  private readonly maskedPan: string;
  private readonly brand: string;
  private readonly magicDeclines: boolean;

  private constructor(
    private readonly server: http.Server,
    options: SimulatorOptions,
  ) {
    this.poiId = options.poiId ?? 'SIM-001';
    this.hangMs = options.hangMs ?? 2_000;
    this.maskedPan = options.maskedPan ?? '541333 **** 9999';
    this.brand = options.paymentBrand ?? 'mc';
    this.magicDeclines = options.declineAmountsEndingIn13 ?? false;
  }

  static async start(options: SimulatorOptions = {}): Promise<NexoTerminalSimulator> {
    const server = http.createServer();
    const sim = new NexoTerminalSimulator(server, options);
    server.on('request', (req, res) => sim.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return sim;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/nexo`;
  }

  /** Outcomes for the next payments, in order. */
  next(...outcomes: ScriptedOutcome[]): void {
    this.script.push(...outcomes);
  }

  /** Approved payments in total, or for one ServiceID (never more than 1). */
  charged(serviceId?: string): number {
    if (serviceId === undefined) return this.approvals;
    const t = this.transactions.get(serviceId);
    return t?.state === 'done' && t.approved ? 1 : 0;
  }

  /** How many Payment requests arrived for a ServiceID (a driver that resends shows 2). */
  paymentRequests(serviceId: string): number {
    return this.received.filter((r) => r.category === 'Payment' && r.serviceId === serviceId).length;
  }

  /** Called for each request as it arrives (before any answer). */
  onRequest(listener: (r: ReceivedRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when a request of `category` has arrived (already or later). */
  waitFor(category: MessageCategory, serviceId?: string): Promise<ReceivedRequest> {
    const match = (r: ReceivedRequest) =>
      r.category === category && (serviceId === undefined || r.serviceId === serviceId);
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const off = this.onRequest((r) => {
        if (!match(r)) return;
        off();
        resolve(r);
      });
    });
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const res of this.held) res.destroy();
    this.held.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- request handling ---------------------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request = req.method === 'POST' ? parseNexoRequest(text) : null;
      if (!request) {
        this.record({ category: 'invalid', serviceId: undefined });
        this.reply(res, { SaleToPOIRequest: { EventNotification: { EventToNotify: 'Reject' } } });
        return;
      }
      this.dispatch(request, res);
    });
  }

  private record(r: ReceivedRequest): void {
    this.received.push(r);
    for (const l of [...this.listeners]) l(r);
  }

  private reply(res: http.ServerResponse, body: unknown, raw?: string): void {
    this.held.delete(res);
    if (res.destroyed || res.writableEnded) return;
    const text = raw ?? JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private responseHeader(request: NexoRequest): MessageHeader {
    return { ...request.MessageHeader, MessageType: 'Response', ProtocolVersion: NEXO_PROTOCOL_VERSION };
  }

  private dispatch(request: NexoRequest, res: http.ServerResponse): void {
    const header = request.MessageHeader;
    const category = header.MessageCategory;
    const base: ReceivedRequest = { category, serviceId: header.ServiceID };
    switch (category) {
      case 'Payment':
        this.payment(request, res, base);
        return;
      case 'Abort':
        this.record(base);
        this.abort(request);
        // Adyen answers an abort with an empty 200; the aborted payment answers on its own connection.
        res.writeHead(200).end();
        return;
      case 'TransactionStatus':
        this.record(base);
        this.reply(res, {
          SaleToPOIResponse: {
            MessageHeader: this.responseHeader(request),
            TransactionStatusResponse: this.status(request),
          },
        });
        return;
      case 'Diagnosis':
        this.record(base);
        this.reply(res, {
          SaleToPOIResponse: {
            MessageHeader: this.responseHeader(request),
            DiagnosisResponse: {
              Response: { Result: 'Success' },
              POIStatus: { GlobalStatus: this.isProcessing() ? 'Busy' : 'OK', CommunicationOKFlag: true },
              HostStatus: [{ AcquirerID: 'SIMULATOR', IsReachableFlag: true }],
            },
          },
        });
        return;
    }
  }

  private isProcessing(): boolean {
    return [...this.transactions.values()].some((t) => t.state === 'in_progress');
  }

  private payment(request: NexoRequest, res: http.ServerResponse, base: ReceivedRequest): void {
    const header = request.MessageHeader;
    const body = request.PaymentRequest;
    const amounts = body?.PaymentTransaction.AmountsReq;
    let amountMinor: number | undefined;
    if (amounts && isCurrency(amounts.Currency)) {
      try {
        amountMinor = fromNexoAmountText(amounts.RequestedAmount, amounts.Currency);
      } catch {
        amountMinor = undefined;
      }
    }
    this.record({
      ...base,
      ...(amounts ? { amountText: amounts.RequestedAmount } : {}),
      ...(amountMinor !== undefined ? { amountMinor } : {}),
    });
    const answer = (paymentResponse: Record<string, unknown>, headerOverride?: Partial<MessageHeader>) =>
      this.reply(res, {
        SaleToPOIResponse: {
          MessageHeader: { ...this.responseHeader(request), ...headerOverride },
          PaymentResponse: paymentResponse,
        },
      });

    if (!body || !amounts || amountMinor === undefined || amountMinor <= 0 || !isCurrency(amounts.Currency)) {
      answer(failure(request, 'NotAllowed', 'message=invalid payment request'));
      return;
    }
    if (this.transactions.has(header.ServiceID)) {
      answer(failure(request, 'NotAllowed', 'message=duplicate ServiceID'));
      return;
    }
    if (this.isProcessing()) {
      answer(failure(request, 'Busy'));
      return;
    }
    const refund = body.PaymentData?.PaymentType === 'Refund';
    const scripted = this.script.shift();
    if (scripted === undefined && this.magicDeclines && !refund && isMagicDeclineAmount(amountMinor)) {
      const reason = new URLSearchParams({ refusalReason: MAGIC_DECLINE_REASON }).toString();
      answer(this.complete(request, failure(request, 'Refusal', reason), false));
      return;
    }
    const outcome = scripted ?? 'approved';
    const currency = amounts.Currency;
    const minor = amountMinor;
    const approve = (pan = this.maskedPan) =>
      this.complete(request, this.approval(request, minor, currency, pan), true);

    switch (outcome) {
      case 'approved':
        answer(approve());
        return;
      case 'declined':
        answer(
          this.complete(request, failure(request, 'Refusal', 'refusalReason=Not enough balance'), false),
        );
        return;
      case 'aborted':
        answer(this.complete(request, failure(request, 'Aborted', 'message=Cancelled by customer'), false));
        return;
      case 'busy':
        answer(failure(request, 'Busy'));
        return;
      case 'timeout':
        approve();
        this.held.add(res); // never answered
        return;
      case 'hangThenApprove': {
        this.held.add(res);
        this.transactions.set(header.ServiceID, { state: 'in_progress', header });
        // Keeps processing even when the client gives up, like a terminal does.
        this.later(() => answer(approve()), this.hangMs);
        return;
      }
      case 'awaitCustomer': {
        this.held.add(res);
        const finishAbort = () => {
          clearTimeout(timer);
          answer(this.complete(request, failure(request, 'Aborted', 'message=Cancelled'), false));
        };
        const timer = this.later(finishAbort, this.hangMs * 100);
        this.transactions.set(header.ServiceID, { state: 'in_progress', header, abort: finishAbort });
        return;
      }
      case 'malformedJson':
        approve();
        this.reply(res, null, '{"SaleToPOIResponse": {"MessageHeader": ');
        return;
      case 'wrongHeader':
        answer(approve(), { ServiceID: 'OTHER00001' });
        return;
      case 'fullPan':
        answer(approve(FULL_TEST_PAN));
        return;
    }
  }

  private later(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private complete(request: NexoRequest, paymentResponse: Record<string, unknown>, approved: boolean) {
    const header = request.MessageHeader;
    const existing = this.transactions.get(header.ServiceID);
    if (existing?.state === 'done') return existing.paymentResponse; // processed once, whatever happens
    if (approved) this.approvals++;
    this.transactions.set(header.ServiceID, { state: 'done', header, paymentResponse, approved });
    return paymentResponse;
  }

  private approval(request: NexoRequest, minor: number, currency: CurrencyCode, pan: string) {
    const n = ++this.poiCounter;
    const now = new Date().toISOString();
    const amount = formatNexoAmount(minor, currency);
    const sale = request.PaymentRequest?.SaleData.SaleTransactionID;
    const refund = request.PaymentRequest?.PaymentData?.PaymentType === 'Refund';
    const line = (name: string, value: string) => ({
      Text: new URLSearchParams({ key: name.toLowerCase(), name, value }).toString(),
      EndOfLineFlag: true,
    });
    return {
      Response: { Result: 'Success' },
      SaleData: { SaleTransactionID: sale },
      POIData: {
        POITransactionID: { TransactionID: `${this.poiId}.${String(n).padStart(6, '0')}`, TimeStamp: now },
      },
      PaymentResult: {
        PaymentType: refund ? 'Refund' : 'Normal',
        AmountsResp: { Currency: currency, AuthorizedAmount: Number(amount) },
        PaymentInstrumentData: {
          PaymentInstrumentType: 'Card',
          CardData: { MaskedPan: pan, PaymentBrand: this.brand, EntryMode: ['Contactless'] },
        },
        PaymentAcquirerData: { ApprovalCode: String(100000 + n), AcquirerPOIID: this.poiId },
      },
      PaymentReceipt: [
        {
          DocumentQualifier: 'CustomerReceipt',
          RequiredSignatureFlag: false,
          OutputContent: {
            OutputFormat: 'Text',
            OutputText: [
              line('Countertop demo terminal', ''),
              line('Card', pan),
              line(refund ? 'REFUND' : 'SALE', `${currency} ${amount}`),
              line('Auth. code', String(100000 + n)),
              line('APPROVED', ''),
            ],
          },
        },
      ],
    };
  }

  private abort(request: NexoRequest): void {
    const ref = request.AbortRequest?.MessageReference.ServiceID;
    const t = ref === undefined ? undefined : this.transactions.get(ref);
    if (t?.state === 'in_progress') t.abort?.();
  }

  private status(request: NexoRequest): Record<string, unknown> {
    const ref = request.TransactionStatusRequest?.MessageReference;
    const t = ref ? this.transactions.get(ref.ServiceID) : undefined;
    const messageReference = ref ? { MessageCategory: 'Payment', ServiceID: ref.ServiceID } : undefined;
    if (!t)
      return {
        Response: { Result: 'Failure', ErrorCondition: 'NotFound' },
        MessageReference: messageReference,
      };
    if (t.state === 'in_progress') {
      return {
        Response: { Result: 'Failure', ErrorCondition: 'InProgress' },
        MessageReference: messageReference,
      };
    }
    return {
      Response: { Result: 'Success' },
      MessageReference: messageReference,
      RepeatedMessageResponse: {
        MessageHeader: { ...t.header, MessageType: 'Response' },
        RepeatedResponseMessageBody: { PaymentResponse: t.paymentResponse },
      },
    };
  }
}

function failure(request: NexoRequest, condition: string, additional?: string): Record<string, unknown> {
  return {
    Response: {
      Result: 'Failure',
      ErrorCondition: condition,
      ...(additional ? { AdditionalResponse: additional } : {}),
    },
    SaleData: { SaleTransactionID: request.PaymentRequest?.SaleData.SaleTransactionID },
  };
}
