import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/domain/errors';
import {
  NexoTerminal,
  type NexoTerminalOptions,
  type PersistedRequest,
  type Settlement,
} from '../../../src/drivers/payment/nexo-terminal';
import { NexoTerminalSimulator, type SimulatorOptions } from '../../../src/drivers/payment/simulator';

interface Rig {
  sim: NexoTerminalSimulator;
  terminal: NexoTerminal;
  /** persist / receive events in order. */
  events: string[];
  persisted: PersistedRequest[];
  settled: Array<{ request: PersistedRequest; settlement: Settlement }>;
  makeTerminal(overrides?: Partial<NexoTerminalOptions>): NexoTerminal;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rig(
  simOptions: SimulatorOptions = {},
  overrides: Partial<NexoTerminalOptions> = {},
): Promise<Rig> {
  const sim = await NexoTerminalSimulator.start({ hangMs: 150, ...simOptions });
  cleanups.push(() => sim.close());
  const events: string[] = [];
  const persisted: PersistedRequest[] = [];
  const settled: Rig['settled'] = [];
  sim.onRequest((r) => events.push(`received:${r.category}:${r.serviceId ?? '-'}`));
  const makeTerminal = (more: Partial<NexoTerminalOptions> = {}) => {
    const terminal = new NexoTerminal({
      baseUrl: sim.url,
      saleId: 'POS1',
      poiId: sim.poiId,
      persist: async (request) => {
        await new Promise((r) => setImmediate(r));
        events.push(`persisted:${request.serviceId}`);
        persisted.push(request);
      },
      settle: (request, settlement) => {
        events.push(`settled:${request.serviceId}:${settlement.status}`);
        settled.push({ request, settlement });
      },
      paymentTimeoutMs: 5_000,
      requestTimeoutMs: 2_000,
      poll: { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 100 },
      ...overrides,
      ...more,
    });
    cleanups.push(() => terminal.close());
    return terminal;
  };
  return { sim, terminal: makeTerminal(), events, persisted, settled, makeTerminal };
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

const EUR = (amountMinor: number, serviceId: string) => ({
  amountMinor,
  currency: 'EUR' as const,
  reference: `sale-${serviceId}`,
  serviceId,
});

describe('NexoTerminal against the loopback simulator', () => {
  it('approves: masked PAN, approval code, receipt text; persisted before the terminal saw it', async () => {
    const { sim, terminal, events, persisted, settled } = await rig();
    const outcome = await terminal.pay(EUR(1250, 'PAY1'));
    expect(outcome).toMatchObject({ status: 'approved', maskedPan: '541333 **** 9999', via: 'response' });
    if (outcome.status !== 'approved') throw new Error('not approved');
    expect(outcome.approvalCode).toMatch(/^\d{6}$/);
    expect(outcome.poiTransactionId).toContain('SIM-001');
    expect(outcome.receiptText).toContain('SALE: EUR 12.50');
    expect(outcome.receiptText).toContain('Card: 541333 **** 9999');
    expect(events).toEqual(['persisted:PAY1', 'received:Payment:PAY1', 'settled:PAY1:approved']);
    expect(persisted[0]).toMatchObject({
      kind: 'payment',
      amountMinor: 1250,
      currency: 'EUR',
      reference: 'sale-PAY1',
    });
    expect(settled[0]?.settlement).toEqual(outcome);
    expect(sim.charged('PAY1')).toBe(1);
    expect(terminal.busyWith).toBeNull();
  });

  it('refunds through a PaymentRequest of type Refund', async () => {
    const { terminal } = await rig();
    expect(await terminal.refund(EUR(500, 'REF1'))).toMatchObject({ status: 'approved' });
  });

  it('reports a decline with its reason', async () => {
    const { sim, terminal, settled } = await rig();
    sim.next('declined');
    expect(await terminal.pay(EUR(1250, 'DEC1'))).toEqual({
      status: 'declined',
      reason: 'Not enough balance',
      via: 'response',
    });
    expect(settled[0]?.settlement.status).toBe('declined');
    expect(sim.charged()).toBe(0);
  });

  it('reports a customer cancel as aborted', async () => {
    const { sim, terminal } = await rig();
    sim.next('aborted');
    expect(await terminal.pay(EUR(1250, 'ABC1'))).toEqual({ status: 'aborted', via: 'response' });
    expect(sim.charged()).toBe(0);
  });

  it('aborts from the station, and refuses a second transaction while one is in flight', async () => {
    const { sim, terminal } = await rig();
    sim.next('awaitCustomer');
    const first = terminal.pay(EUR(1250, 'FLY1'));
    await sim.waitFor('Payment', 'FLY1');
    expect(terminal.busyWith).toBe('FLY1');

    const conflict = await appError(terminal.pay(EUR(100, 'FLY2')));
    expect(conflict.code).toBe('conflict');
    expect(sim.paymentRequests('FLY2')).toBe(0);
    expect(await appError(terminal.refund(EUR(100, 'FLY3')))).toMatchObject({ code: 'conflict' });

    await terminal.abort('FLY1');
    expect(await first).toEqual({ status: 'aborted', via: 'response' });
    expect(sim.charged()).toBe(0);
    expect(await terminal.pay(EUR(100, 'FLY4'))).toMatchObject({ status: 'approved' });
  });

  it('a terminal busy with another station is a conflict and nothing is charged', async () => {
    const { sim, terminal, settled } = await rig();
    sim.next('busy');
    expect(await appError(terminal.pay(EUR(100, 'BSY1')))).toMatchObject({ code: 'conflict' });
    expect(settled[0]?.settlement).toEqual({ status: 'failed', code: 'conflict', reason: 'terminal_busy' });
    expect(sim.charged()).toBe(0);
  });

  it('timeout: recovers the outcome by TransactionStatus and never resends the payment', async () => {
    const { sim, terminal, events } = await rig({}, { paymentTimeoutMs: 100 });
    sim.next('timeout');
    const outcome = await terminal.pay(EUR(1250, 'TMO1'));
    expect(outcome).toMatchObject({ status: 'approved', via: 'status', maskedPan: '541333 **** 9999' });
    expect(sim.paymentRequests('TMO1')).toBe(1);
    expect(sim.charged('TMO1')).toBe(1);
    expect(sim.charged()).toBe(1);
    expect(events.filter((e) => e.startsWith('received:TransactionStatus')).length).toBeGreaterThan(0);
    expect(events.at(-1)).toBe('settled:TMO1:approved');
  });

  it('hang then approve: polls through InProgress and approves exactly once', async () => {
    const { sim, terminal } = await rig({ hangMs: 300 }, { paymentTimeoutMs: 50 });
    sim.next('hangThenApprove');
    const outcome = await terminal.pay(EUR(1250, 'HNG1'));
    expect(outcome).toMatchObject({ status: 'approved', via: 'status' });
    expect(sim.paymentRequests('HNG1')).toBe(1);
    expect(sim.charged()).toBe(1);
  });

  it('still in progress after the polling limit: unknown, for a manual decision', async () => {
    const { sim, terminal, settled } = await rig(
      { hangMs: 60_000 },
      { paymentTimeoutMs: 50, poll: { initialDelayMs: 5, maxDelayMs: 5, maxAttempts: 3 } },
    );
    sim.next('hangThenApprove');
    expect(await terminal.pay(EUR(1250, 'SLO1'))).toEqual({ status: 'unknown', reason: 'in_progress' });
    expect(settled[0]?.settlement).toEqual({ status: 'unknown', reason: 'in_progress' });
    expect(sim.paymentRequests('SLO1')).toBe(1);
  });

  it('terminal unreachable: device_offline, settled as failed, nothing charged', async () => {
    const { sim, makeTerminal, settled } = await rig();
    const port = await freePort();
    const terminal = makeTerminal({ baseUrl: `http://127.0.0.1:${port}/nexo` });
    const err = await appError(terminal.pay(EUR(1250, 'OFF1')));
    expect(err.code).toBe('device_offline');
    expect(settled[0]?.settlement).toMatchObject({ status: 'failed', code: 'device_offline' });
    expect(sim.charged()).toBe(0);
    expect(terminal.busyWith).toBeNull();
  });

  it('a failed persist sends nothing', async () => {
    const { sim, makeTerminal } = await rig();
    const terminal = makeTerminal({ persist: () => Promise.reject(new Error('disk full')) });
    expect(await appError(terminal.pay(EUR(1250, 'DSK1')))).toMatchObject({ code: 'storage_error' });
    expect(sim.received).toHaveLength(0);
  });

  it.each([
    ['malformedJson', 'malformed_json'],
    ['wrongHeader', 'wrong_header'],
  ] as const)('%s from the terminal is a typed error, settled unknown', async (script, reason) => {
    const { sim, terminal, settled } = await rig();
    sim.next(script);
    const err = await appError(terminal.pay(EUR(1250, 'BAD1')));
    expect(err.code).toBe('internal');
    expect(err.details).toMatchObject({ device: 'payment_terminal', reason });
    expect(settled[0]?.settlement).toEqual({ status: 'unknown', reason: 'invalid_response' });
    expect(sim.paymentRequests('BAD1')).toBe(1);
  });

  it('a full PAN in a response is refused and appears nowhere', async () => {
    const { sim, terminal, settled } = await rig();
    sim.next('fullPan');
    const err = await appError(terminal.pay(EUR(1250, 'PAN1')));
    expect(err.details).toMatchObject({ reason: 'unmasked_pan' });
    const everything = JSON.stringify([err.message, err.details, err.stack, settled]);
    expect(everything).not.toContain('4111111111111111');
    expect(settled[0]?.settlement).toEqual({ status: 'unknown', reason: 'invalid_response' });
  });

  it.each([
    [1, '0.01'],
    [1250, '12.5'],
    [9_999_999, '99999.99'],
  ])('sends %i minor units as RequestedAmount %s exactly', async (minor, text) => {
    const { sim, terminal } = await rig();
    const outcome = await terminal.pay(EUR(minor, 'AMT1'));
    expect(outcome.status).toBe('approved');
    expect(sim.received[0]).toMatchObject({ category: 'Payment', amountText: text, amountMinor: minor });
  });

  it.each(['http_502', 'reset'] as const)(
    'an ambiguous failure after sending (%s) is resolved by status, never by resending',
    async (failure) => {
      const { sim, makeTerminal } = await rig();
      const proxy = await faultyProxy(sim.url, failure);
      cleanups.push(() => proxy.close());
      const terminal = makeTerminal({ baseUrl: proxy.url });
      const outcome = await terminal.pay({
        amountMinor: 700,
        currency: 'EUR',
        reference: 'sale-proxy',
        serviceId: undefined,
      });
      expect(outcome).toMatchObject({ status: 'approved', via: 'status' });
      const payments = sim.received.filter((r) => r.category === 'Payment');
      expect(payments).toHaveLength(1);
      expect(payments[0]?.serviceId).toMatch(/^[A-Za-z0-9]{10}$/);
      expect(sim.charged()).toBe(1);
    },
  );

  it('recover(): after a restart, finds the outcome of an unsettled request by status only', async () => {
    const { sim, terminal, persisted, settled, makeTerminal } = await rig();
    sim.next('timeout');
    const lost = terminal.pay(EUR(4200, 'RST1'));
    await sim.waitFor('Payment', 'RST1');
    terminal.close(); // the station dies mid-payment
    expect(await appError(lost)).toMatchObject({ code: 'device_offline' });
    expect(settled).toHaveLength(0);
    const record = persisted[0];
    if (!record) throw new Error('not persisted');

    const restarted = makeTerminal();
    const outcome = await restarted.recover(record);
    expect(outcome).toMatchObject({ status: 'approved', via: 'status' });
    expect(settled).toEqual([{ request: record, settlement: outcome }]);
    expect(sim.paymentRequests('RST1')).toBe(1);
    expect(sim.charged()).toBe(1);
  });

  it('recover(): a request that never reached the terminal ends as unknown/not_found', async () => {
    const { sim, terminal } = await rig();
    const record: PersistedRequest = {
      kind: 'payment',
      serviceId: 'NEVER1',
      saleId: 'POS1',
      poiId: sim.poiId,
      reference: 'sale-x',
      timeStamp: new Date().toISOString(),
      amountMinor: 100,
      currency: 'EUR',
    };
    expect(await terminal.recover(record)).toEqual({ status: 'unknown', reason: 'not_found' });
    expect(sim.paymentRequests('NEVER1')).toBe(0);
  });

  it('transactionStatus and diagnosis', async () => {
    const { terminal } = await rig();
    await terminal.pay(EUR(100, 'STS1'));
    expect(await terminal.transactionStatus('STS1')).toMatchObject({
      state: 'completed',
      outcome: { status: 'approved' },
    });
    expect(await terminal.transactionStatus('NOPE1')).toEqual({ state: 'not_found' });
    expect(await terminal.diagnosis()).toEqual({ ok: true, globalStatus: 'OK', hostsReachable: true });
  });

  it('the simulator never processes the same ServiceID twice', async () => {
    const { sim, terminal } = await rig();
    await terminal.pay(EUR(100, 'DUP1'));
    expect(await terminal.pay(EUR(100, 'DUP1'))).toMatchObject({ status: 'declined' });
    expect(sim.charged()).toBe(1);
  });
});

/** Forwards to the simulator; the first Payment is delivered but its answer is replaced by a 502 or a reset. */
async function faultyProxy(target: string, failure: 'http_502' | 'reset') {
  let spoiled = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const upstream = http.request(target, { method: 'POST', headers: req.headers }, (up) => {
        const out: Buffer[] = [];
        up.on('data', (c: Buffer) => out.push(c));
        up.on('end', () => {
          const isPayment = body.toString('utf8').includes('"PaymentRequest"');
          if (isPayment && !spoiled) {
            spoiled = true;
            if (failure === 'reset') res.socket?.destroy();
            else res.writeHead(502).end('bad gateway');
            return;
          }
          res.writeHead(up.statusCode ?? 500, { 'content-type': 'application/json' }).end(Buffer.concat(out));
        });
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/nexo`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
