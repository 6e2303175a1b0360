/**
 * The payment terminal comes from the device configuration: a terminal URL (here a nexo simulator on loopback
 * standing in for a real terminal) is driven by the real `NexoTerminal` with the SQLite request log; an
 * unreachable one leaves the station running with the terminal offline and the reason; `none` lists it
 * disabled; a change through `devices:config-set` re-attaches; payments a previous run left open are settled
 * after attaching.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NexoTerminal } from '../../../src/drivers/payment/nexo-terminal';
import { NexoTerminalSimulator } from '../../../src/drivers/payment/simulator';
import { NexoPaymentTerminal } from '../../../src/main/core/devices/payment-terminal-adapter';
import { defaultSaleId, startPaymentTerminal } from '../../../src/main/core/devices/payment-terminal-host';
import { TerminalRequestLog } from '../../../src/main/core/devices/terminal-request-log';
import type { Station } from '../../../src/main/core/station';
import { openTestStation, unwrap } from '../../helpers/station';
import { startDevices, waitFor } from '../printing/helpers';
import { count, failure, openSaleStation, PRODUCTS, type SaleFixture } from '../sale/fixture';

let fx: SaleFixture | null = null;
const closers: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  if (fx) await fx.station.devices.stop();
  fx?.cleanup();
  fx = null;
});

const terminal = (station: Station) =>
  station.devices.manager.statuses().find((d) => d.id === 'payment_terminal');

async function startSimulator(): Promise<NexoTerminalSimulator> {
  const sim = await NexoTerminalSimulator.start({ poiId: 'P400Plus-275008565' });
  closers.push(() => sim.close());
  return sim;
}

/** A loopback port with nothing listening on it (yet). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Forwards `port` to the simulator: the terminal "comes back" at the address the station was given. */
async function forward(port: number, to: NexoTerminalSimulator): Promise<() => Promise<void>> {
  const target = new URL(to.url);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

async function cardTender(f: SaleFixture) {
  unwrap(await f.till('sale:scan', { code: PRODUCTS.bread.barcode }));
  unwrap(await f.till('sale:start-tender', {}));
  return f.till('sale:add-tender', { tender: 'card', amount: 1200 });
}

describe('the payment terminal from the device configuration', () => {
  it('a terminal URL: the real driver, listed online (not simulated), a card sale approved and logged', async () => {
    fx = await openSaleStation();
    const { station, till } = fx;
    const sim = await startSimulator();
    await station.devices.manager.configure(
      { paymentTerminal: { connection: sim.url, poiId: sim.poiId } },
      'file',
      null,
    );
    const stop = await startPaymentTerminal(station, { env: {} });
    closers.push(stop);
    expect(unwrap(await till('sale:config', {})).cardTerminal).toBe(true);
    await waitFor('terminal online', () => terminal(station)?.state === 'online');
    expect(terminal(station)).toMatchObject({ connection: sim.url, simulated: false, condition: 'OK' });

    const cart = unwrap(await cardTender(fx));
    expect(cart.payments.at(-1)).toMatchObject({ status: 'approved' });
    expect(unwrap(await till('sale:complete', {})).status).toBe('completed');
    // The request went to the configured POIID under our SaleID, and was on disk (and settled) in SQLite.
    const payment = sim.received.find((r) => r.category === 'Payment');
    expect(payment).toBeDefined();
    const row = station.db
      .prepare<[], { poi_id: string; sale_ref: string; status: string }>(
        "SELECT poi_id, sale_ref, json_extract(settlement, '$.status') AS status FROM terminal_requests",
      )
      .get();
    expect(row).toEqual({ poi_id: sim.poiId, sale_ref: defaultSaleId(station.id), status: 'approved' });
    expect(sim.charged()).toBe(1);
  });

  it('an unreachable terminal: the station starts, the terminal is offline with the reason, and it comes back on its own', async () => {
    fx = await openSaleStation();
    const { station } = fx;
    const sim = await startSimulator();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/nexo`;
    await station.devices.manager.configure(
      { paymentTerminal: { connection: url, poiId: sim.poiId, saleId: 'TILL-07' } },
      'file',
      null,
    );
    const stop = await startPaymentTerminal(station, {
      env: {},
      diagnosisIntervalMs: 1000,
      driver: { connectTimeoutMs: 500 },
    });
    closers.push(stop);
    await waitFor('terminal offline', () => terminal(station)?.state === 'offline');
    expect(terminal(station)?.reason).toMatch(/cannot be reached: ECONNREFUSED/);

    // A card payment is refused as offline: nothing was sent, nothing charged, the sale goes on.
    expect(failure(await cardTender(fx)).code).toBe('device_offline');
    expect(
      count(
        station,
        "SELECT count(*) FROM terminal_requests WHERE json_extract(settlement, '$.status') = 'failed'",
      ),
    ).toBe(1);

    // Back at the same address: the periodic diagnosis finds it.
    closers.push(await forward(port, sim));
    await waitFor('terminal back online', () => terminal(station)?.state === 'online', 8000);
    const cart = unwrap(await fx.till('sale:add-tender', { tender: 'card', amount: 1200 }));
    expect(cart.payments.at(-1)).toMatchObject({ status: 'approved' });
    // Sent under the configured SaleID to the configured POIID (the simulator answers only its own POIID).
    expect(
      station.db.prepare("SELECT DISTINCT sale_ref || ' ' || poi_id FROM terminal_requests").pluck().all(),
    ).toEqual([`TILL-07 ${sim.poiId}`]);
  });

  it('none: listed disabled, no card tenders; switching to simulated through devices:config-set attaches the demo terminal', async () => {
    fx = await openSaleStation();
    const { station, till, admin } = fx;
    await startDevices(station, { paymentTerminal: 'none' });
    const stop = await startPaymentTerminal(station, { env: {} });
    closers.push(stop);
    expect(terminal(station)).toMatchObject({ state: 'disabled', connection: 'none' });
    expect(unwrap(await till('sale:config', {})).cardTerminal).toBe(false);

    const current = unwrap(await admin('devices:config-get', {}));
    unwrap(
      await admin('devices:config-set', {
        config: { ...current.config, paymentTerminal: { connection: 'simulated' } },
      }),
    );
    await waitFor('demo terminal online', () => terminal(station)?.state === 'online');
    expect(terminal(station)?.simulated).toBe(true);
    expect(unwrap(await till('sale:config', {})).cardTerminal).toBe(true);
  });

  it('a terminal URL with a CA file that cannot be read is unavailable with the reason', async () => {
    fx = await openSaleStation();
    const { station } = fx;
    await station.devices.manager.configure(
      {
        paymentTerminal: {
          connection: 'https://192.0.2.20:8443/nexo',
          poiId: 'V400m-346403161',
          tls: { caFile: '/nonexistent/adyen-terminal-root.pem', servername: 'V400m-346403161' },
        },
      },
      'file',
      null,
    );
    const stop = await startPaymentTerminal(station, { env: {} });
    closers.push(stop);
    expect(terminal(station)).toMatchObject({
      state: 'unavailable',
      connection: 'https://192.0.2.20:8443/nexo',
    });
    expect(terminal(station)?.reason).toMatch(
      /CA file \/nonexistent\/adyen-terminal-root\.pem cannot be read/,
    );
  });

  it('refuses a terminal URL without its POIID, and plain http to another host', async () => {
    fx = await openSaleStation();
    const bad = await fx.admin('devices:config-set', {
      config: { paymentTerminal: { connection: 'https://192.168.1.20:8443/nexo' } },
    });
    expect(failure(bad)).toMatchObject({ code: 'bad_input' });
    expect(failure(bad).message).toMatch(/paymentTerminal\.poiId: the terminal's POIID is required/);
    const plain = await fx.admin('devices:config-set', {
      config: { paymentTerminal: { connection: 'http://192.168.1.20/nexo', poiId: 'V400m-1' } },
    });
    expect(failure(plain).message).toMatch(
      /paymentTerminal\.connection: a terminal on the network needs https/,
    );
  });

  it('after attaching, a payment the previous run left without an outcome is settled by status, never resent', async () => {
    fx = await openSaleStation();
    const { station, till, dataDir } = fx;
    const sim = await startSimulator();
    sim.next('timeout'); // approved on the terminal; the answer never comes back
    const log = new TerminalRequestLog(station.db, station.clock);
    const driver = new NexoTerminal({
      baseUrl: sim.url,
      saleId: defaultSaleId(station.id),
      poiId: sim.poiId,
      persist: log.persist,
      settle: log.settle,
    });
    station.sales.attachTerminal(new NexoPaymentTerminal({ driver, log, currency: () => 'CNY' }));
    unwrap(await till('sale:scan', { code: PRODUCTS.bread.barcode }));
    unwrap(await till('sale:start-tender', {}));
    const paying = till('sale:add-tender', { tender: 'card', amount: 1200 });
    await waitFor('payment sent', () => sim.received.some((r) => r.category === 'Payment'));
    const paymentId = station.db.prepare('SELECT id FROM payments').pluck().get() as string;
    station.close(); // the power goes
    driver.close();
    await paying.catch(() => undefined);

    const reopened = openTestStation({ dataDir });
    closers.push(() => reopened.cleanup());
    await reopened.station.devices.manager.configure(
      { paymentTerminal: { connection: sim.url, poiId: sim.poiId } },
      'file',
      null,
    );
    closers.push(await startPaymentTerminal(reopened.station, { env: {} }));
    const status = () =>
      reopened.station.db.prepare('SELECT status FROM payments WHERE id = ?').pluck().get(paymentId);
    await waitFor('payment recovered', () => status() === 'approved', 8000);
    expect(sim.received.filter((r) => r.category === 'Payment')).toHaveLength(1);
    expect(sim.charged()).toBe(1);
  });
});
