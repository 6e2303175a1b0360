/**
 * HID POS barcode reports (usage page 0x8C, "Bar Code Scanner"), both sides: the host parses them, the simulator
 * and the tests encode them.
 *
 * One input report, as node-hid delivers it:
 *
 *   [report id]  length  sym1 sym2 sym3  data…(padding)  flag
 *
 * - report id: node-hid puts it first for devices with numbered reports (hidraw on Linux, Windows, macOS). Some
 *   libusb builds drop it (hidapi issues #274/#759), so the layout takes `reportId: null` for such backends.
 * - length: how many data bytes of this report are valid.
 * - sym1..3: the AIM symbology identifier (`]E0`), or three zero bytes when the scanner sends none.
 * - flag (last byte): bit 0 set = more reports of the same barcode follow ("decoded data continued").
 *
 * Barcodes longer than one report arrive as several reports; `HidPosAssembler` joins them.
 */

export interface HidPosLayout {
  /** The report id of barcode reports, or null when the backend does not deliver a report-id byte. Default 0x02. */
  reportId: number | null;
  /** Size of one input report in bytes, report id included. Default 64. */
  reportSize: number;
}

export const DEFAULT_HID_POS_LAYOUT: HidPosLayout = { reportId: 0x02, reportSize: 64 };

export interface HidPosReport {
  aim: string | null;
  data: Uint8Array;
  more: boolean;
}

export type HidReportProblem = { problem: 'short_report' | 'bad_report'; message: string };

const AIM_BYTES = /^\][A-Za-z][0-9A-Za-z]$/;

function headerLength(layout: HidPosLayout): number {
  return (layout.reportId === null ? 0 : 1) + 1 + 3;
}

/** Parses one input report. Anything that does not fit the layout is a problem, never an exception. */
export function parseHidPosReport(
  report: Uint8Array,
  layout: HidPosLayout = DEFAULT_HID_POS_LAYOUT,
): { ok: true; report: HidPosReport } | ({ ok: false } & HidReportProblem) {
  const header = headerLength(layout);
  if (report.length < header + 1) {
    return {
      ok: false,
      problem: 'short_report',
      message: `HID report of ${report.length} bytes is too short`,
    };
  }
  let at = 0;
  if (layout.reportId !== null) {
    const id = report[at++];
    if (id !== layout.reportId) {
      return { ok: false, problem: 'bad_report', message: `Unexpected HID report id ${String(id)}` };
    }
  }
  const length = report[at++] ?? 0;
  const sym = report.subarray(at, at + 3);
  at += 3;
  const room = report.length - header - 1;
  if (length > room) {
    return {
      ok: false,
      problem: 'bad_report',
      message: `HID report says ${length} data bytes but has room for ${room}`,
    };
  }
  let aim: string | null = null;
  if (sym.some((b) => b !== 0)) {
    const text = String.fromCharCode(...sym);
    if (!AIM_BYTES.test(text)) {
      return {
        ok: false,
        problem: 'bad_report',
        message: 'HID report symbology bytes are not an AIM identifier',
      };
    }
    aim = text;
  }
  const flag = report[report.length - 1] ?? 0;
  return { ok: true, report: { aim, data: report.slice(at, at + length), more: (flag & 0x01) === 1 } };
}

/** Device side: the reports a HID POS scanner sends for one read (`aim` may be null). */
export function encodeHidPosReports(
  aim: string | null,
  data: Uint8Array,
  layout: HidPosLayout = DEFAULT_HID_POS_LAYOUT,
): Uint8Array[] {
  const header = headerLength(layout);
  const room = layout.reportSize - header - 1;
  if (room < 1 || room > 255)
    throw new RangeError(`HID report size ${layout.reportSize} leaves ${room} data bytes`);
  if (aim !== null && !AIM_BYTES.test(aim)) throw new RangeError(`Not an AIM identifier: ${aim}`);
  const reports: Uint8Array[] = [];
  let offset = 0;
  do {
    const chunk = data.subarray(offset, offset + room);
    offset += chunk.length;
    const r = new Uint8Array(layout.reportSize);
    let at = 0;
    if (layout.reportId !== null) r[at++] = layout.reportId;
    r[at++] = chunk.length;
    if (aim !== null) for (let i = 0; i < 3; i++) r[at + i] = aim.charCodeAt(i);
    at += 3;
    r.set(chunk, at);
    r[layout.reportSize - 1] = offset < data.length ? 1 : 0;
    reports.push(r);
  } while (offset < data.length);
  return reports;
}

/** Joins the reports of one barcode. Bounded: a read longer than `maxLength` is dropped as overlong. */
export class HidPosAssembler {
  private aim: string | null = null;
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly maxLength: number) {}

  get pending(): boolean {
    return this.parts.length > 0;
  }

  /**
   * Adds a report. Returns the complete read when this report ends it, `null` while more are expected, or a
   * problem (mixed symbologies, too long) — the partial read is dropped in that case.
   */
  add(
    r: HidPosReport,
  ):
    | { done: true; aim: string | null; data: Uint8Array }
    | { done: false }
    | { problem: 'bad_report' | 'overlong'; message: string } {
    if (this.parts.length === 0) this.aim = r.aim;
    else if (r.aim !== null && r.aim !== this.aim) {
      this.reset();
      return { problem: 'bad_report', message: 'Continued HID report carries a different symbology' };
    }
    this.size += r.data.length;
    if (this.size > this.maxLength) {
      this.reset();
      return { problem: 'overlong', message: `HID barcode longer than ${this.maxLength} bytes` };
    }
    this.parts.push(r.data);
    if (r.more) return { done: false };
    const data = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      data.set(p, at);
      at += p.length;
    }
    const aim = this.aim;
    this.reset();
    return { done: true, aim, data };
  }

  reset(): void {
    this.parts = [];
    this.size = 0;
    this.aim = null;
  }
}
