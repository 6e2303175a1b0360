/**
 * A semi-integrated card terminal spoken to in nexo Sale-to-POI JSON over HTTP(S) on the local network
 * (Adyen's local Terminal API). Safety rules, in order of importance:
 *
 * 1. A payment request is persisted (hook awaited) BEFORE it is sent, and settled after.
 * 2. A payment is NEVER resent. No answer (timeout, reset, 5xx, junk status) → poll TransactionStatus with the
 *    original ServiceID, bounded, and return the real outcome, or `unknown` for a manual decision.
 * 3. One card transaction in flight per terminal; a second one is a `conflict`.
 * 4. Card data: only a masked PAN leaves this module; a response carrying a full PAN is refused whole.
 */
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, type ErrorCode } from '../../shared/domain/errors';
import type { CurrencyCode } from '../../shared/domain/money';
import {
  buildAbortRequest,
  buildDiagnosisRequest,
  buildPaymentRequest,
  buildTransactionStatusRequest,
  containsFullPan,
  isCurrency,
  isMaskedPan,
  isServiceId,
  newServiceId,
  parseDiagnosisResponse,
  parsePaymentResponse,
  parseTransactionStatusResponse,
  protocolError,
  receiptLines,
  type PaymentResponseBody,
} from './nexo-messages';

// --- public types ---------------------------------------------------------------------------------

export type PaymentOutcome =
  | {
      status: 'approved';
      approvalCode: string;
      /** At most first 6 / last 4 digits; asserted. */
      maskedPan: string;
      receiptText: string[];
      poiTransactionId: string;
      /** Whether the outcome came from the payment's own response or from a TransactionStatus query. */
      via: 'response' | 'status';
    }
  | { status: 'declined'; reason: string; via: 'response' | 'status' }
  | { status: 'aborted'; via: 'response' | 'status' }
  | { status: 'unknown'; reason: UnknownReason };

export type UnknownReason =
  'no_answer' | 'in_progress' | 'not_found' | 'invalid_response' | 'partial_approval';

/** What `settle` records: a real outcome, or a failure that proves nothing was charged. */
export type Settlement = PaymentOutcome | { status: 'failed'; code: ErrorCode; reason: string };

/** The request as the station stores it before sending (no card data in it, ever). */
export interface PersistedRequest {
  kind: 'payment' | 'refund';
  serviceId: string;
  saleId: string;
  poiId: string;
  reference: string;
  timeStamp: string;
  amountMinor: number;
  currency: CurrencyCode;
}

export interface PaymentInput {
  amountMinor: number;
  currency: CurrencyCode;
  /** Our payment id (SaleTransactionID.TransactionID). */
  reference: string;
  /** Unique per request, 1–10 alphanumerics; defaults to a fresh random one. */
  serviceId?: string;
}

export type StatusAnswer =
  | { state: 'completed'; outcome: PaymentOutcome }
  | { state: 'in_progress' }
  | { state: 'not_found' }
  | { state: 'failed'; condition: string };

export interface DiagnosisResult {
  ok: boolean;
  globalStatus: string;
  hostsReachable: boolean | undefined;
}

export interface TlsOptions {
  ca?: string | Buffer | Array<string | Buffer>;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export interface NexoTerminalOptions {
  /** e.g. `https://192.168.1.20:8443/nexo`; plain http only for loopback tests and the simulator. */
  baseUrl: string;
  saleId: string;
  poiId: string;
  tls?: TlsOptions;
  persist: (request: PersistedRequest) => Promise<void> | void;
  settle: (request: PersistedRequest, settlement: Settlement) => Promise<void> | void;
  /** Waiting for a payment's answer (local processing can take 120 s). Default 130 000. */
  paymentTimeoutMs?: number;
  /** Waiting for status / abort / diagnosis answers. Default 10 000. */
  requestTimeoutMs?: number;
  /** TCP/TLS connect limit: a connect that fails proves the request never left. Default 5 000. */
  connectTimeoutMs?: number;
  /** TransactionStatus polling after no answer. Defaults 20 attempts, 1 000 → 10 000 ms, 3 NotFound. */
  poll?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number; notFoundLimit?: number };
  now?: () => Date;
}

// --- errors ---------------------------------------------------------------------------------------

const DEVICE = { device: 'payment_terminal' } as const;

function offline(reason: string): AppError {
  return new AppError(
    'device_offline',
    'The payment terminal cannot be reached',
    { ...DEVICE, reason },
    'call_technician',
  );
}

function inFlightConflict(serviceId: string): AppError {
  return new AppError(
    'conflict',
    'A card transaction is already in progress on this terminal',
    { ...DEVICE, inFlightServiceId: serviceId },
    'retry',
  );
}

function busy(): AppError {
  return new AppError(
    'conflict',
    'The payment terminal is busy',
    { ...DEVICE, reason: 'terminal_busy' },
    'retry',
  );
}

function closedError(): AppError {
  return new AppError('device_offline', 'The payment terminal driver was closed', {
    ...DEVICE,
    reason: 'closed',
  });
}

// --- HTTP -----------------------------------------------------------------------------------------

type PostResult =
  | { kind: 'answer'; text: string }
  /** The request never left: connection refused / connect timeout / TLS failure. Nothing was processed. */
  | { kind: 'unreachable'; reason: string }
  /** The request may have reached the terminal but no usable answer came back. */
  | { kind: 'no_answer'; reason: string };

const MAX_BODY = 1_000_000;

// --- driver ---------------------------------------------------------------------------------------

export class NexoTerminal {
  private readonly url: URL;
  private readonly opts: NexoTerminalOptions;
  private inFlight: string | null = null;
  private readonly shutdown = new AbortController();

  constructor(options: NexoTerminalOptions) {
    this.url = new URL(options.baseUrl);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new AppError('bad_input', 'The terminal URL must be http(s)', { ...DEVICE });
    }
    this.opts = options;
  }

  /** The ServiceID of the card transaction in flight, if any. */
  get busyWith(): string | null {
    return this.inFlight;
  }

  pay(input: PaymentInput): Promise<PaymentOutcome> {
    return this.transact('payment', input);
  }

  /** Unreferenced refund: a PaymentRequest with PaymentData.PaymentType "Refund". */
  refund(input: PaymentInput): Promise<PaymentOutcome> {
    return this.transact('refund', input);
  }

  /** Asks the terminal to cancel the transaction `serviceId`; its own pay() call then resolves `aborted`. */
  async abort(serviceId: string): Promise<void> {
    const body = buildAbortRequest({ ...this.ids(newServiceId()), referenceServiceId: serviceId });
    const res = await this.post(JSON.stringify(body), this.requestTimeoutMs);
    if (res.kind !== 'answer') throw offline(res.reason);
  }

  /** One TransactionStatus query for the payment/refund sent with `serviceId`. */
  async transactionStatus(serviceId: string): Promise<StatusAnswer> {
    const ids = this.ids(newServiceId());
    const body = buildTransactionStatusRequest({ ...ids, referenceServiceId: serviceId });
    const res = await this.post(JSON.stringify(body), this.requestTimeoutMs);
    if (res.kind !== 'answer') throw offline(res.reason);
    const status = parseTransactionStatusResponse(res.text, ids);
    if (status.Response.Result !== 'Success') {
      const condition = status.Response.ErrorCondition ?? 'Unknown';
      if (condition === 'InProgress') return { state: 'in_progress' };
      if (condition === 'NotFound') return { state: 'not_found' };
      return { state: 'failed', condition };
    }
    const repeated = status.RepeatedMessageResponse;
    const payment = repeated?.RepeatedResponseMessageBody.PaymentResponse;
    if (!repeated || !payment) throw protocolError('invalid_message', { category: 'TransactionStatus' });
    if (
      repeated.MessageHeader.ServiceID !== serviceId ||
      repeated.MessageHeader.MessageCategory !== 'Payment'
    ) {
      throw protocolError('wrong_header', { category: 'TransactionStatus' });
    }
    const outcome = toOutcome(payment, 'status');
    if (outcome === 'busy') return { state: 'failed', condition: 'Busy' };
    return { state: 'completed', outcome };
  }

  async diagnosis(): Promise<DiagnosisResult> {
    const ids = this.ids(newServiceId());
    const res = await this.post(JSON.stringify(buildDiagnosisRequest(ids)), this.requestTimeoutMs);
    if (res.kind !== 'answer') throw offline(res.reason);
    const d = parseDiagnosisResponse(res.text, ids);
    const globalStatus = d.POIStatus?.GlobalStatus ?? 'Unknown';
    return {
      ok: d.Response.Result === 'Success' && globalStatus === 'OK',
      globalStatus,
      hostsReachable: d.HostStatus ? d.HostStatus.every((h) => h.IsReachableFlag !== false) : undefined,
    };
  }

  /**
   * After a restart: finds the real outcome of a persisted request that was never settled, by status only
   * (never by resending), settles it and returns it. Holds the in-flight slot while it asks.
   */
  async recover(persisted: PersistedRequest): Promise<PaymentOutcome> {
    this.acquire(persisted.serviceId);
    try {
      const outcome = await this.pollStatus(persisted.serviceId);
      await this.settle(persisted, outcome);
      return outcome;
    } finally {
      this.release(persisted.serviceId);
    }
  }

  /**
   * Stops the driver (station shutdown): in-flight HTTP is dropped and pending calls reject with
   * device_offline WITHOUT settling, so the persisted request stays open for recover().
   */
  close(): void {
    this.shutdown.abort();
  }

  // --- internals ----------------------------------------------------------------------------------

  private get requestTimeoutMs(): number {
    return this.opts.requestTimeoutMs ?? 10_000;
  }

  private ids(serviceId: string) {
    return { saleId: this.opts.saleId, poiId: this.opts.poiId, serviceId };
  }

  private acquire(serviceId: string): void {
    if (this.shutdown.signal.aborted) throw closedError();
    if (this.inFlight !== null) throw inFlightConflict(this.inFlight);
    this.inFlight = serviceId;
  }

  private release(serviceId: string): void {
    if (this.inFlight === serviceId) this.inFlight = null;
  }

  private async transact(kind: 'payment' | 'refund', input: PaymentInput): Promise<PaymentOutcome> {
    const serviceId = input.serviceId ?? newServiceId();
    if (!isServiceId(serviceId)) throw new AppError('bad_input', 'ServiceID must be 1–10 letters or digits');
    if (!isCurrency(input.currency))
      throw new AppError('bad_input', 'Unknown currency', { currency: input.currency });
    if (!input.reference) throw new AppError('bad_input', 'A payment reference is required');
    this.acquire(serviceId);
    try {
      const timeStamp = (this.opts.now ?? (() => new Date()))();
      // Built (and validated) before persisting: a request that cannot be sent is never stored.
      const body = JSON.stringify(
        buildPaymentRequest({
          ...this.ids(serviceId),
          kind,
          transactionId: input.reference,
          timeStamp,
          amountMinor: input.amountMinor,
          currency: input.currency,
        }),
      );
      const record: PersistedRequest = {
        kind,
        serviceId,
        saleId: this.opts.saleId,
        poiId: this.opts.poiId,
        reference: input.reference,
        timeStamp: timeStamp.toISOString(),
        amountMinor: input.amountMinor,
        currency: input.currency,
      };
      try {
        await this.opts.persist(record);
      } catch (err) {
        throw new AppError('storage_error', 'The payment request could not be saved; nothing was sent', {
          ...DEVICE,
          cause: err instanceof Error ? err.message : String(err),
        });
      }

      const res = await this.post(body, this.opts.paymentTimeoutMs ?? 130_000);
      if (this.shutdown.signal.aborted) throw closedError();

      if (res.kind === 'unreachable') {
        await this.settle(record, { status: 'failed', code: 'device_offline', reason: res.reason });
        throw offline(res.reason);
      }
      if (res.kind === 'no_answer') {
        const outcome = await this.pollStatus(serviceId);
        await this.settle(record, outcome);
        return outcome;
      }

      let outcome: PaymentOutcome | 'busy';
      try {
        outcome = toOutcome(parsePaymentResponse(res.text, this.ids(serviceId)), 'response');
      } catch (err) {
        // The terminal did answer, but unusably: money may have moved, so a person decides.
        await this.settle(record, { status: 'unknown', reason: 'invalid_response' });
        throw err;
      }
      if (outcome === 'busy') {
        await this.settle(record, { status: 'failed', code: 'conflict', reason: 'terminal_busy' });
        throw busy();
      }
      await this.settle(record, outcome);
      return outcome;
    } finally {
      this.release(serviceId);
    }
  }

  private async settle(record: PersistedRequest, settlement: Settlement): Promise<void> {
    if (this.shutdown.signal.aborted) throw closedError();
    try {
      await this.opts.settle(record, settlement);
    } catch (err) {
      // The outcome is real but unrecorded: the persisted request stays open, so recover() will find it.
      throw new AppError('storage_error', 'The payment outcome could not be saved', {
        ...DEVICE,
        serviceId: record.serviceId,
        status: settlement.status,
        cause: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** Bounded TransactionStatus polling with exponential backoff. Never resends the payment. */
  private async pollStatus(serviceId: string): Promise<PaymentOutcome> {
    const poll = this.opts.poll ?? {};
    const maxAttempts = poll.maxAttempts ?? 20;
    const maxDelay = poll.maxDelayMs ?? 10_000;
    const notFoundLimit = poll.notFoundLimit ?? 3;
    let delay = poll.initialDelayMs ?? 1_000;
    let reason: UnknownReason = 'no_answer';
    let notFound = 0;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      try {
        await sleep(delay, undefined, { signal: this.shutdown.signal });
      } catch {
        throw closedError();
      }
      delay = Math.min(delay * 2, maxDelay);
      let answer: StatusAnswer;
      try {
        answer = await this.transactionStatus(serviceId);
      } catch (err) {
        if (this.shutdown.signal.aborted) throw closedError();
        if (err instanceof AppError && err.code === 'device_offline') reason = 'no_answer';
        else reason = 'invalid_response';
        continue;
      }
      switch (answer.state) {
        case 'completed':
          return answer.outcome;
        case 'in_progress':
          reason = 'in_progress';
          notFound = 0;
          break;
        case 'not_found':
          reason = 'not_found';
          if (++notFound >= notFoundLimit) return { status: 'unknown', reason };
          break;
        case 'failed':
          // e.g. Busy with another request: ask again later.
          reason = 'no_answer';
          break;
      }
    }
    return { status: 'unknown', reason };
  }

  private post(body: string, timeoutMs: number): Promise<PostResult> {
    const signal = this.shutdown.signal;
    if (signal.aborted) return Promise.resolve({ kind: 'unreachable', reason: 'closed' });
    const isHttps = this.url.protocol === 'https:';
    const connectTimeoutMs = this.opts.connectTimeoutMs ?? 5_000;

    return new Promise<PostResult>((resolve) => {
      let connected = false;
      let done = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (result: PostResult) => {
        if (done) return;
        done = true;
        for (const t of timers) clearTimeout(t);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const fail = (reason: string) =>
        finish(connected ? { kind: 'no_answer', reason } : { kind: 'unreachable', reason });

      const options: https.RequestOptions = {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        ...(isHttps ? this.opts.tls : {}),
      };
      const req = (isHttps ? https : http).request(this.url, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) {
            req.destroy();
            fail('response_too_large');
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) fail(`http_${status}`);
          else finish({ kind: 'answer', text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', () => fail('reset'));
        res.on('aborted', () => fail('reset'));
      });

      const onAbort = () => {
        req.destroy();
        fail('closed');
      };
      signal.addEventListener('abort', onAbort, { once: true });

      req.on('socket', (socket) => {
        const markConnected = () => {
          connected = true;
        };
        if (isHttps) socket.once('secureConnect', markConnected);
        else if (socket.connecting) socket.once('connect', markConnected);
        else markConnected();
      });
      req.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'error'));

      timers.push(
        setTimeout(() => {
          if (connected) return;
          req.destroy();
          fail('connect_timeout');
        }, connectTimeoutMs),
        setTimeout(() => {
          req.destroy();
          fail('timeout');
        }, timeoutMs),
      );
      req.end(body);
    });
  }
}

// --- response → outcome ---------------------------------------------------------------------------

/** Maps a PaymentResponse to an outcome; refuses (throws) a response that carries a full card number. */
function toOutcome(payment: PaymentResponseBody, via: 'response' | 'status'): PaymentOutcome | 'busy' {
  const { Result, ErrorCondition, AdditionalResponse } = payment.Response;
  if (Result === 'Failure') {
    if (ErrorCondition === 'Aborted' || ErrorCondition === 'Cancel') return { status: 'aborted', via };
    if (ErrorCondition === 'Busy') return 'busy';
    return { status: 'declined', reason: declineReason(ErrorCondition, AdditionalResponse), via };
  }
  const result = payment.PaymentResult;
  const maskedPan = result?.PaymentInstrumentData?.CardData?.MaskedPan;
  const receiptText = receiptLines(payment.PaymentReceipt);
  if ((maskedPan !== undefined && !isMaskedPan(maskedPan)) || receiptText.some(containsFullPan)) {
    throw protocolError('unmasked_pan');
  }
  if (Result === 'Partial') return { status: 'unknown', reason: 'partial_approval' };
  const approvalCode = result?.PaymentAcquirerData?.ApprovalCode;
  const poiTransactionId = payment.POIData?.POITransactionID.TransactionID;
  if (!approvalCode || !maskedPan || !poiTransactionId) {
    throw protocolError('invalid_message', { category: 'Payment', missing: 'approval_fields' });
  }
  return { status: 'approved', approvalCode, maskedPan, receiptText, poiTransactionId, via };
}

function declineReason(condition: string | undefined, additional: string | undefined): string {
  let reason = condition ?? 'Refusal';
  if (additional && /(^|&)refusalReason=/.test(additional)) {
    const refusal = new URLSearchParams(additional).get('refusalReason');
    if (refusal) reason = refusal;
  }
  return reason.slice(0, 100);
}
