import { decodeEscPos, EscPosDecodeError, type DecodedLine, type EscPosDialect } from './escpos-decoder';
import type { EscPosDevice } from './simulator';

/** One receipt as it came out of the demo printer: decoded lines with their styles, codes, kick and cut. */
export interface PaperReceipt {
  seq: number;
  receivedAt: string;
  lines: DecodedLine[];
  barcodes: string[];
  qrData: string[];
  drawerKicked: boolean;
  cut: boolean;
}

/**
 * What the demo printer printed, decoded, receipt by receipt (split at each cut), newest last; the last `keep`
 * receipts are kept. Bytes of a job still arriving wait until its cut; a lone drawer kick (no sale) prints
 * nothing and is dropped.
 */
export class PaperRoll {
  private pending = new Uint8Array(0);
  private readonly receipts: PaperReceipt[] = [];
  private seq = 0;

  constructor(
    private readonly device: Pick<EscPosDevice, 'takeJobBytes'>,
    private readonly dialect: EscPosDialect,
    private readonly keep = 50,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Takes what the device received since the last call. */
  collect(): void {
    const fresh = this.device.takeJobBytes();
    if (fresh.length > 0) {
      const joined = new Uint8Array(this.pending.length + fresh.length);
      joined.set(this.pending);
      joined.set(fresh, this.pending.length);
      this.pending = joined;
    }
    if (this.pending.length === 0) return;
    let decoded;
    try {
      decoded = decodeEscPos(this.pending, this.dialect);
    } catch (err) {
      // A job still arriving ends mid-command: wait for the rest. Anything else is junk: drop it.
      if (err instanceof EscPosDecodeError && err.message.startsWith('Truncated')) return;
      this.pending = new Uint8Array(0);
      return;
    }
    if (decoded.ops.every((o) => o.op === 'drawerKick' || o.op === 'init')) {
      this.pending = new Uint8Array(0);
      return;
    }
    let start = 0;
    for (const end of decoded.cutEnds) {
      this.push(decodeEscPos(this.pending.subarray(start, end), this.dialect));
      start = end;
    }
    this.pending = this.pending.slice(start);
  }

  private push(d: ReturnType<typeof decodeEscPos>): void {
    this.seq += 1;
    this.receipts.push({
      seq: this.seq,
      receivedAt: this.now().toISOString(),
      lines: d.lines,
      barcodes: d.barcodes,
      qrData: d.qrData,
      drawerKicked: d.ops.some((o) => o.op === 'drawerKick'),
      cut: d.cuts > 0,
    });
    while (this.receipts.length > this.keep) this.receipts.shift();
  }

  /** The last `limit` receipts, newest first. */
  latest(limit: number): PaperReceipt[] {
    this.collect();
    return this.receipts.slice(-limit).reverse();
  }
}
