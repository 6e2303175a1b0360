import { afterEach, describe, expect, it } from 'vitest';
import { openTestStation, unwrap } from '../../helpers/station';
import { decodeEscPos } from '../../helpers/escpos-decoder';
import { openSaleStation, type SaleFixture } from '../sale/fixture';
import { cashSale, jobsOf, startDevices, waitFor } from './helpers';

let fx: SaleFixture | null = null;
const extra: (() => void)[] = [];
afterEach(async () => {
  if (fx) await fx.station.devices.stop();
  fx?.cleanup();
  fx = null;
  for (const c of extra.splice(0)) c();
});

const job = (f: SaleFixture, saleId: string) => jobsOf(f.station, saleId)[0]!;
const sim = (f: SaleFixture) => f.station.devices.manager.demoPrinter!;
const cutsPrinted = (f: SaleFixture) => decodeEscPos(sim(f).jobBytes()).cuts;

describe('print queue with the demo printer', () => {
  it('prints a completed sale once: printed, on the paper strip, drawer kicked', async () => {
    fx = await openSaleStation();
    await startDevices(fx.station);
    const sale = await cashSale(fx.till);
    expect(sale.status).toBe('completed');
    await waitFor('printed', () => job(fx!, sale.id).status === 'printed');
    expect(job(fx, sale.id)).toMatchObject({ attempts: 1, lastError: null });
    const strip = unwrap(await fx.till('printing:paper-strip', {}));
    expect(strip.available).toBe(true);
    const receipt = strip.receipts[0]!;
    expect(receipt.lines.map((l) => l.text).join('\n')).toContain(sale.receiptNo);
    expect(receipt).toMatchObject({
      drawerKicked: true,
      cut: true,
      barcodes: [sale.receiptNo],
      qrData: [sale.id],
    });
    expect(receipt.lines.find((l) => l.text === 'Test Store')).toMatchObject({ bold: true, align: 'center' });
  });

  for (const [state, code] of [
    ['offline', 'device_offline'],
    ['coverOpen', 'cover_open'],
    ['paperOut', 'paper_out'],
  ] as const) {
    it(`printer ${state}: the sale stays completed, the job waits; back to normal it prints exactly once`, async () => {
      fx = await openSaleStation();
      await startDevices(fx.station);
      await waitFor('printer online', () => fx!.station.devices.manager.printer?.printable);
      sim(fx).setState(state);
      await fx.station.devices.manager.printer!.pollNow();
      const sale = await cashSale(fx.till);
      expect(unwrap(await fx.till('sale:get', { ref: sale.id })).status).toBe('completed');
      await waitFor('refused', () => job(fx!, sale.id).lastError?.code === code);
      expect(job(fx, sale.id)).toMatchObject({ status: 'queued', lastError: { sent: false } });
      // The drawer still opened for the cash: a kick alone, no receipt bytes, no cut.
      await fx.station.devices.printing.idle();
      await fx.station.devices.manager.printer!.pollNow(); // a round trip: the kick's bytes have arrived
      expect(decodeEscPos(sim(fx).jobBytes()).ops.map((o) => o.op)).toEqual(['drawerKick']);
      expect(cutsPrinted(fx)).toBe(0);
      const statuses = unwrap(await fx.till('devices:status', {}));
      expect(statuses.find((s) => s.id === 'printer')?.condition).toBe(state === 'offline' ? 'error' : code);

      sim(fx).setState('normal');
      // A Retry click and the status poll race: still exactly one receipt.
      const retried = unwrap(await fx.till('printing:retry', { jobId: job(fx, sale.id).id }));
      expect(['queued', 'printing', 'printed']).toContain(retried.status);
      await fx.station.devices.manager.printer!.pollNow();
      await waitFor('printed', () => job(fx!, sale.id).status === 'printed');
      await fx.station.devices.printing.idle();
      expect(cutsPrinted(fx)).toBe(1);
      const kicks = decodeEscPos(sim(fx).jobBytes()).ops.filter((o) => o.op === 'drawerKick');
      expect(kicks).toHaveLength(1); // opened once: not again with the late receipt
      expect((await fx.till('printing:retry', { jobId: job(fx, sale.id).id })).ok).toBe(false);
    });
  }

  it('a Retry of an old receipt while the printer is away prints it when the printer is back', async () => {
    fx = await openSaleStation();
    await startDevices(fx.station);
    await waitFor('printer online', () => fx!.station.devices.manager.printer?.printable);
    sim(fx).setState('paperOut');
    await fx.station.devices.manager.printer!.pollNow();
    const sale = await cashSale(fx.till);
    await waitFor('refused', () => job(fx!, sale.id).lastError?.code === 'paper_out');
    await fx.station.devices.printing.idle();
    // A quarter of an hour later (the cashier busy meanwhile): too old to print on its own.
    for (let minute = 0; minute < 15; minute += 3) {
      fx.advance(3 * 60_000);
      unwrap(await fx.till('sale:current', {}));
    }
    // The customer is still there and the cashier presses Retry, before loading the paper.
    unwrap(await fx.till('printing:retry', { jobId: job(fx, sale.id).id }));
    await waitFor('refused again', () => job(fx!, sale.id).attempts === 2);
    await fx.station.devices.printing.idle();
    expect(job(fx, sale.id).status).toBe('queued');
    sim(fx).setState('normal');
    await fx.station.devices.manager.printer!.pollNow();
    await waitFor('printed', () => job(fx!, sale.id).status === 'printed');
    expect(cutsPrinted(fx)).toBe(1);
  });

  it('a job whose stored document cannot be read is failed with the reason and does not block the queue', async () => {
    fx = await openSaleStation();
    await startDevices(fx.station);
    await waitFor('printer online', () => fx!.station.devices.manager.printer?.printable);
    sim(fx).setState('paperOut');
    await fx.station.devices.manager.printer!.pollNow();
    const first = await cashSale(fx.till);
    await waitFor('refused', () => job(fx!, first.id).lastError?.code === 'paper_out');
    fx.station.db
      .prepare('UPDATE print_jobs SET document = ? WHERE id = ?')
      .run('{"kind":"receipt","blocks":"damaged"}', job(fx, first.id).id);
    const second = await cashSale(fx.till);
    sim(fx).setState('normal');
    await fx.station.devices.manager.printer!.pollNow();
    await waitFor('second printed', () => job(fx!, second.id).status === 'printed');
    expect(job(fx, first.id)).toMatchObject({
      status: 'failed',
      lastError: { reason: 'unreadable_document', sent: false },
    });
  });

  it('paper out during the print: failed (sent), not resent on its own; Retry prints it exactly once more', async () => {
    fx = await openSaleStation();
    await startDevices(fx.station);
    await waitFor('printer online', () => fx!.station.devices.manager.printer?.printable);
    sim(fx).flipStateAfter(200, 'paperOut');
    const sale = await cashSale(fx.till);
    await waitFor('failed', () => job(fx!, sale.id).status === 'failed');
    expect(job(fx, sale.id).lastError).toMatchObject({ code: 'paper_out', sent: true });
    expect(cutsPrinted(fx)).toBe(1); // the short receipt
    sim(fx).setState('normal');
    await fx.station.devices.manager.printer!.pollNow();
    await fx.station.devices.printing.idle();
    expect(job(fx, sale.id).status).toBe('failed'); // a person decides
    expect(cutsPrinted(fx)).toBe(1);
    const jobId = job(fx, sale.id).id;
    const [a, b] = await Promise.all([
      fx.till('printing:retry', { jobId }),
      fx.till('printing:retry', { jobId }),
    ]);
    expect(a.ok || b.ok).toBe(true);
    await waitFor('printed', () => job(fx!, sale.id).status === 'printed');
    await fx.station.devices.printing.idle();
    expect(cutsPrinted(fx)).toBe(2);
    expect(job(fx, sale.id).attempts).toBe(2);
    // The retry does not open the drawer again.
    expect(decodeEscPos(sim(fx).jobBytes()).ops.filter((o) => o.op === 'drawerKick')).toHaveLength(1);
  });

  it('a printer that never answers: typed timeout, job queued, nothing printed; prints once when it answers', async () => {
    fx = await openSaleStation();
    await startDevices(fx.station);
    await waitFor('printer online', () => fx!.station.devices.manager.printer?.printable);
    sim(fx).setState('silent');
    const sale = await cashSale(fx.till);
    await waitFor('timeout', () => job(fx!, sale.id).lastError?.reason === 'timeout');
    expect(job(fx, sale.id)).toMatchObject({
      status: 'queued',
      lastError: { code: 'device_offline', sent: false },
    });
    await waitFor('printer offline', () =>
      unwrap({ ok: true, value: fx!.station.devices.manager.statuses() }).find(
        (s) => s.id === 'printer' && s.state === 'offline',
      ),
    );
    expect(cutsPrinted(fx)).toBe(0);
    sim(fx).setState('normal');
    // The backoff poll reconnects on its own and the queue drains.
    await waitFor('printed', () => job(fx!, sale.id).status === 'printed');
    await fx.station.devices.printing.idle();
    expect(cutsPrinted(fx)).toBe(1);
  });

  it('sent, but the status read after the job fails: printed, never sent again', async () => {
    fx = await openSaleStation();
    await startDevices(fx.station);
    await waitFor('printer online', () => fx!.station.devices.manager.printer?.printable);
    sim(fx).flipStateAfter(100, 'silent');
    const sale = await cashSale(fx.till);
    await waitFor('printed', () => job(fx!, sale.id).status === 'printed');
    sim(fx).setState('normal');
    await fx.station.devices.manager.printer!.pollNow().catch(() => undefined);
    await fx.station.devices.manager.printer!.pollNow();
    await fx.station.devices.printing.idle();
    expect(cutsPrinted(fx)).toBe(1);
    expect((await fx.till('printing:retry', { jobId: job(fx, sale.id).id })).ok).toBe(false);
  });

  it('reprint from history prints a COPY, audited, without opening the drawer', async () => {
    fx = await openSaleStation();
    await startDevices(fx.station);
    const sale = await cashSale(fx.till);
    await waitFor('printed', () => job(fx!, sale.id).status === 'printed');
    const copy = unwrap(await fx.till('printing:reprint', { ref: sale.receiptNo! }));
    expect(copy).toMatchObject({ copy: true, ref: sale.id });
    await waitFor(
      'copy printed',
      () => fx!.station.devices.printing.queue.get(copy.id)?.status === 'printed',
    );
    const strip = unwrap(await fx.till('printing:paper-strip', { limit: 2 }));
    expect(strip.receipts[0]!.lines[0]!.text).toContain('COPY');
    expect(strip.receipts[0]!.drawerKicked).toBe(false);
    const audits = fx.station.db
      .prepare<[], { n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'receipt.reprinted'")
      .get()!;
    expect(audits.n).toBe(1);
  });

  it('the queue survives a restart: a queued receipt prints after it, an interrupted one waits for a person', async () => {
    fx = await openSaleStation();
    const sale = await cashSale(fx.till); // no devices started: queued
    const other = await cashSale(fx.till);
    // As if the station died while sending the second one.
    fx.station.db
      .prepare("UPDATE print_jobs SET status = 'printing', attempts = 1 WHERE ref = ?")
      .run(other.id);
    const dataDir = fx.dataDir;
    fx.station.close();
    const reopened = openTestStation({ dataDir });
    extra.push(() => reopened.station.close());
    const station = reopened.station;
    await startDevices(station);
    extra.unshift(() => void station.devices.stop());
    await waitFor('printed after restart', () => jobsOf(station, sale.id)[0]?.status === 'printed');
    const interrupted = jobsOf(station, other.id)[0]!;
    expect(interrupted).toMatchObject({ status: 'failed', lastError: { reason: 'interrupted', sent: true } });
    await station.devices.printing.idle();
    const paper = decodeEscPos(station.devices.manager.demoPrinter!.jobBytes());
    expect(paper.cuts).toBe(1);
    expect(paper.text).toContain(sale.receiptNo);
    await station.devices.stop();
  });
});
