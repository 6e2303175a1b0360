import type { PrintDocument } from '../../../shared/print/print-document';

export interface TestPageInput {
  runId: string;
  stationId: string;
  /** Local time text as the technician reads it. */
  time: string;
  printer: { connection: string; type: string; paper: string; condition: string };
  /** Printed as CODE128 and inside the QR; the interactive check asks for it to be scanned back. */
  testCode: string;
}

/** The code-page lines: Chinese in GB18030 between `FS &` and `FS .`, and plain ASCII. */
export const TEST_PAGE_CHINESE = '中文打印测试：收银台自检，￥12.50 元';
export const TEST_PAGE_ENGLISH = 'English print test: ABC abc 0123456789 #$%&';

/**
 * The self-test page as a printer-independent document: station id, time, printer and its status, a code-page
 * line in Chinese and one in English, a CODE128 barcode of the test code and a QR. Printed through the print
 * queue like every other document.
 */
export function testPageDocument(input: TestPageInput): PrintDocument {
  return {
    kind: 'test_page',
    ref: `selftest:${input.runId}`,
    title: 'Self-test page',
    blocks: [
      { kind: 'text', text: 'COUNTERTOP', align: 'center', bold: true, size: 2 },
      { kind: 'text', text: '设备自检 SELF-TEST', align: 'center', bold: true },
      { kind: 'rule', double: true },
      { kind: 'text', text: `Station: ${input.stationId}` },
      { kind: 'text', text: `Time: ${input.time}` },
      { kind: 'text', text: `Printer: ${input.printer.connection}` },
      { kind: 'text', text: `Type: ${input.printer.type} ${input.printer.paper}` },
      { kind: 'text', text: `Status: ${input.printer.condition}` },
      { kind: 'rule' },
      { kind: 'text', text: TEST_PAGE_CHINESE },
      { kind: 'text', text: TEST_PAGE_ENGLISH },
      { kind: 'rule' },
      { kind: 'text', text: '请扫描此条码 Scan this barcode', align: 'center' },
      { kind: 'barcode', data: input.testCode },
      { kind: 'qr', data: `countertop-selftest:${input.stationId}:${input.testCode}` },
      { kind: 'text', text: input.testCode, align: 'center' },
    ],
  };
}
