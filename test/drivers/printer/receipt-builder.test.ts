import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  EscPosBuilder,
  buildReceipt,
  displayWidth,
  wrapText,
  type ReceiptDocument,
} from '../../../src/drivers/printer/receipt-builder';
import { decodeEscPos } from '../../helpers/escpos-decoder';

const doc = (paper: ReceiptDocument['paper']): ReceiptDocument => ({
  paper,
  header: [{ text: '好邻居便利店 Good Neighbour', bold: true, size: 2 }, { text: '上海市 Xuhui 路 88 号' }],
  items: [
    { name: '农夫山泉 矿泉水 550ml', qty: '2', price: '2.00', total: '4.00' },
    {
      name: 'Organic whole-grain sourdough bread loaf, sliced, extra large family size',
      qty: '1',
      price: '18.50',
      total: '18.50',
    },
  ],
  totals: [
    { label: '合计 Total', amount: '22.50', bold: true },
    { label: '现金 Cash', amount: '50.00' },
    { label: '找零 Change', amount: '27.50' },
  ],
  footer: [{ text: '谢谢惠顾，欢迎再来！' }],
  qr: 'https://例子.cn/收据?id=0042',
  barcode: 'R-0042-{X}',
});

describe('receipt builder', () => {
  it('counts CJK as two columns and wraps to the paper width', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('合计')).toBe(4);
    expect(displayWidth('合计 Total')).toBe(10);
    const lines = wrapText('一二三四五六七八九十一二三四五六七八九十', 32);
    expect(lines).toEqual(['一二三四五六七八九十一二三四五六', '七八九十']);
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
  });

  it('Chinese text goes out in Chinese mode as GB18030 and round-trips', () => {
    const bytes = new EscPosBuilder().line('合计 Total 𠀀').build();
    const gb = iconv.encode('合计', 'gb18030');
    // FS & + GB18030 + FS .
    expect([...bytes.subarray(0, 2 + gb.length + 2)]).toEqual([0x1c, 0x26, ...gb, 0x1c, 0x2e]);
    const decoded = decodeEscPos(bytes);
    expect(decoded.text).toBe('合计 Total 𠀀\n');
    const chineseRuns = decoded.ops
      .filter((o) => o.op === 'text' && o.chinese)
      .map((o) => (o.op === 'text' ? o.text : ''));
    expect(chineseRuns).toEqual(['合计', '𠀀']);
  });

  for (const paper of ['80mm', '58mm'] as const) {
    it(`decodes a full ${paper} receipt: text, styles, widths, one cut at the end`, () => {
      const columns = paper === '80mm' ? 48 : 32;
      const d = decodeEscPos(buildReceipt(doc(paper)));
      expect(d.ops[0]).toEqual({ op: 'init' });
      expect(d.cuts).toBe(1);
      expect(d.ops.at(-1)?.op).toBe('cut');
      for (const line of d.lines) {
        expect(displayWidth(line.text) * line.width, `${paper}: "${line.text}"`).toBeLessThanOrEqual(columns);
      }
      const title = d.lines.find((l) => l.text.includes('好邻居'));
      expect(title).toMatchObject({ align: 'center', bold: true, width: 2, height: 2 });
      expect(d.lines.find((l) => l.text.startsWith('上海市'))).toMatchObject({
        align: 'center',
        bold: false,
        width: 1,
      });
      const total = d.lines.find((l) => l.text.startsWith('合计 Total'))!;
      expect(total).toMatchObject({ bold: true, align: 'left' });
      expect(displayWidth(total.text)).toBe(columns);
      expect(total.text.endsWith('22.50')).toBe(true);
      expect(d.lines.find((l) => l.text.startsWith('现金'))).toMatchObject({ bold: false });
      expect(d.text).toContain('谢谢惠顾，欢迎再来！');
      expect(d.text).toContain('农夫山泉 矿泉水 550ml');
      expect(d.lines.find((l) => l.text.includes('2 x 2.00'))!.text.endsWith('4.00')).toBe(true);
      expect(d.lines.filter((l) => /^-+$/.test(l.text)).map((l) => l.text.length)).toEqual([
        columns,
        columns,
        columns,
      ]);
      expect(d.qrData).toEqual(['https://例子.cn/收据?id=0042']);
      const barcode = d.ops.find((o) => o.op === 'barcode');
      expect(barcode?.op === 'barcode' && barcode.system).toBe(73);
      expect(barcode?.op === 'barcode' && Buffer.from(barcode.data).toString('ascii')).toBe('{BR-0042-{{X}');
    });
  }

  it('wraps the long item name differently on 58 and 80 mm', () => {
    const lines = (paper: ReceiptDocument['paper']) =>
      decodeEscPos(buildReceipt(doc(paper))).lines.filter((l) => /sourdough|sliced|family|size/.test(l.text));
    expect(lines('80mm').length).toBeLessThan(lines('58mm').length);
    expect(
      lines('58mm')
        .map((l) => l.text)
        .join(' '),
    ).toBe('Organic whole-grain sourdough bread loaf, sliced, extra large family size');
  });

  it('QR store length counts bytes, not string length', () => {
    const url = 'https://例子.cn/收据?id=0042';
    const d = decodeEscPos(new EscPosBuilder().qr(url).build());
    const store = d.ops.find((o) => o.op === 'qr' && o.fn === 180);
    if (store?.op !== 'qr') throw new Error('no QR store');
    const byteLength = Buffer.byteLength(url, 'utf8');
    expect(byteLength).not.toBe(url.length);
    expect(store.pL + store.pH * 256).toBe(byteLength + 3);
    expect([...store.params.subarray(0, 3)]).toEqual([0x31, 0x50, 0x30]);
    expect(d.ops.filter((o) => o.op === 'qr').map((o) => (o.op === 'qr' ? o.fn : 0))).toEqual([
      165, 167, 169, 180, 181,
    ]);
    // A long payload needs pH.
    const long = '收'.repeat(100);
    const d2 = decodeEscPos(new EscPosBuilder().qr(long).build());
    const s2 = d2.ops.find((o) => o.op === 'qr' && o.fn === 180);
    expect(s2?.op === 'qr' && [s2.pL, s2.pH]).toEqual([303 & 0xff, 303 >> 8]);
  });
});
