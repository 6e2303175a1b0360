import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import {
  COPY_BANNER,
  renderDocument,
  type PrinterType,
} from '../../../src/drivers/printer/document-renderer';
import { COLUMNS, displayWidth } from '../../../src/drivers/printer/receipt-builder';
import { receiptDocument } from '../../../src/shared/print/receipt';
import { decodeEscPos } from '../../helpers/escpos-decoder';
import { openSaleStation, type SaleFixture } from '../sale/fixture';
import { cashSale } from './helpers';

let fx: SaleFixture | null = null;
afterEach(() => {
  fx?.cleanup();
  fx = null;
});

const drawer = { pin: 2 as const, pulse: { onMs: 100, offMs: 500 } };

describe('receipt → PrintDocument → printer bytes', () => {
  it('a completed cash sale has its receipt queued in the same transaction, before any printer exists', async () => {
    fx = await openSaleStation();
    const sale = await cashSale(fx.till);
    const jobs = fx.station.devices.printing.jobs(sale.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      kind: 'receipt',
      ref: sale.id,
      status: 'queued',
      attempts: 0,
      copy: false,
    });
    const row = fx.station.db
      .prepare<[string], { open_drawer: number; document: string }>(
        'SELECT open_drawer, document FROM print_jobs WHERE ref = ?',
      )
      .get(sale.id)!;
    expect(row.open_drawer).toBe(1);
    expect(JSON.parse(row.document)).toMatchObject({ kind: 'receipt', ref: sale.id, openDrawer: true });
  });

  for (const type of ['epson', 'star'] as const satisfies readonly PrinterType[]) {
    for (const paper of ['80mm', '58mm'] as const) {
      it(`${type} ${paper}: text, alignment, bold, one cut, the full drawer kick, QR bytes, GB18030 Chinese`, async () => {
        fx ??= await openSaleStation();
        const sale = await cashSale(fx.till);
        const doc = fx.station.devices.printing.receiptFor(sale);
        const bytes = renderDocument(doc, { type, paper, drawer });
        const d = decodeEscPos(bytes, type);
        const columns = COLUMNS[paper];

        expect(d.ops[0]).toEqual({ op: 'init' });
        expect(d.cuts).toBe(1);
        expect(d.ops.at(-1)?.op).toBe('cut');
        for (const line of d.lines) {
          expect(displayWidth(line.text) * line.width, `"${line.text}"`).toBeLessThanOrEqual(columns);
        }
        // Store header: centred, bold, double size; Chinese title centred and bold.
        expect(d.lines.find((l) => l.text === 'Test Store')).toMatchObject({
          align: 'center',
          bold: true,
          width: 2,
        });
        expect(d.lines.find((l) => l.text === '销售小票')).toMatchObject({
          align: 'center',
          bold: true,
          width: 1,
        });
        const total = d.lines.find((l) => l.text.startsWith('合计'))!;
        expect(total).toMatchObject({ bold: true, align: 'left' });
        expect(total.text.endsWith('19.00')).toBe(true);
        expect(displayWidth(total.text)).toBe(columns);
        expect(d.lines.find((l) => l.text.startsWith('找零'))!.text.endsWith('1.00')).toBe(true);
        expect(d.text).toContain('商品cola');
        expect(d.lines.find((l) => l.text.includes('2 x 3.50'))!.text.endsWith('7.00')).toBe(true);
        expect(d.text).toContain(sale.receiptNo);
        expect(d.text).toContain('王芳');
        // Tax by rate (13% on cola, 9% on bread).
        expect(d.text).toMatch(/13% 计税/);
        expect(d.text).toMatch(/9% 计税/);

        // The drawer kick: once, complete, at the start of the job.
        const kicks = d.ops.filter((o) => o.op === 'drawerKick');
        expect(kicks).toHaveLength(1);
        const kick = kicks[0]!;
        if (kick.op !== 'drawerKick') throw new Error('no kick');
        expect(kick.bytes).toEqual(
          type === 'epson' ? [0x1b, 0x70, 0x00, 50, 250] : [0x1b, 0x07, 10, 50, 0x07],
        );

        // Chinese: every CJK run inside the dialect's Chinese mode, as GB18030.
        const on = type === 'epson' ? [0x1c, 0x26] : [0x1b, 0x70];
        const off = type === 'epson' ? [0x1c, 0x2e] : [0x1b, 0x71];
        const gb = [...iconv.encode('合计', 'gb18030')];
        const hay = [...bytes];
        const at = hay.findIndex((_, i) => gb.every((b, k) => hay[i + k] === b));
        expect(at).toBeGreaterThan(1);
        expect(hay.slice(at - 2, at)).toEqual(on);
        expect(hay.slice(at + gb.length, at + gb.length + 2)).toEqual(off);
        for (const op of d.ops)
          if (op.op === 'text' && /[^\x20-\x7e]/.test(op.text)) expect(op.chinese).toBe(true);

        // Receipt id for returns: CODE128 of the receipt number, QR of the document id with its BYTE length.
        expect(d.barcodes).toEqual([sale.receiptNo]);
        expect(d.qrData).toEqual([sale.id]);
        const store = d.ops.find((o) => o.op === 'qr' && (o.fn === 180 || o.fn === 0x44));
        if (store?.op !== 'qr') throw new Error('no QR data command');
        const len = store.pL + store.pH * 256;
        expect(len).toBe(Buffer.byteLength(sale.id) + (type === 'epson' ? 3 : 0));
      });
    }
  }

  it('QR length counts UTF-8 bytes for non-ASCII data on both printer types', () => {
    const data = 'https://例子.cn/r?id=收据';
    for (const type of ['epson', 'star'] as const) {
      const bytes = renderDocument(
        { kind: 'test_page', ref: 't', title: 't', blocks: [{ kind: 'qr', data }] },
        { type, paper: '80mm' },
      );
      const d = decodeEscPos(bytes, type);
      expect(d.qrData).toEqual([data]);
      const store = d.ops.find((o) => o.op === 'qr' && (o.fn === 180 || o.fn === 0x44));
      if (store?.op !== 'qr') throw new Error('no QR data command');
      expect(store.pL + store.pH * 256).toBe(Buffer.byteLength(data) + (type === 'epson' ? 3 : 0));
      expect(Buffer.byteLength(data)).not.toBe(data.length);
    }
  });

  it('a reprint carries the COPY / 副本 banner and never opens the drawer; English labels per locale', async () => {
    fx = await openSaleStation();
    fx.setSettings({ locale: 'en' });
    const sale = await cashSale(fx.till);
    const doc = receiptDocument(sale, { storeName: 'Corner Shop', locale: 'en', tenders: [] });
    expect(doc.openDrawer).toBe(true);
    const d = decodeEscPos(renderDocument(doc, { type: 'epson', paper: '58mm', copy: true, drawer }));
    expect(d.lines[0]).toMatchObject({ text: COPY_BANNER, bold: true, align: 'center' });
    expect(d.ops.some((o) => o.op === 'drawerKick')).toBe(false);
    expect(d.text).toContain('SALES RECEIPT');
    expect(d.lines.find((l) => l.text.startsWith('Total'))!.text.endsWith('19.00')).toBe(true);
    expect(d.lines.find((l) => l.text.startsWith('Change'))!.text.endsWith('1.00')).toBe(true);
    expect(d.cuts).toBe(1);
  });
});
