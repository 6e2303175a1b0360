import { randomUUID } from 'node:crypto';
import type { Db } from '../../main/db/open';

/**
 * A large backlog of sales in a station's outbox, fast: copies of sales the station really rang (their outbox
 * rows — `sale.completed` with the sale document and the sale's audit rows — exactly as the sale service wrote
 * them), each copy with its own identity: new sale, line, payment and audit-row ids (everywhere they appear, so
 * an audit row still names its sale and payment) and a new receipt number. What the server receives is what a
 * till's backlog is: same shapes, same sizes, documents whose totals the server recomputes, none of them twice.
 *
 * Why copies: ringing a sale through the sale service costs 2–4 ms on the 2-core reference machine, so a
 * 100,000-sale backlog would take longer to ring than everything the benchmark measures. The copies are written
 * into the outbox only (the station's own sales and audit tables keep the rung originals); the push reads
 * nothing else.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface OutboxText {
  type: string;
  payload: string;
  created_at: string;
}

/** One rung sale's outbox rows, and the ids and receipt number a copy must replace. */
export interface SaleTemplate {
  rows: OutboxText[];
  ids: string[];
  receiptNo: string;
}

interface SalePayload {
  document?: { id?: unknown; receiptNo?: unknown; lines?: { id?: unknown }[]; payments?: { id?: unknown }[] };
}
interface AuditPayload {
  id?: unknown;
  details?: { saleId?: unknown };
}

const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** The completed sales among the outbox rows after `afterSeq`, with their audit rows. */
export function saleTemplates(db: Db, afterSeq: number): SaleTemplate[] {
  const rows = db
    .prepare<[number], OutboxText>('SELECT type, payload, created_at FROM outbox WHERE seq > ? ORDER BY seq')
    .all(afterSeq);
  const bySale = new Map<string, { rows: OutboxText[]; ids: Set<string>; receiptNo: string | null }>();
  const templateOf = (saleId: string) => {
    let t = bySale.get(saleId);
    if (t === undefined) {
      t = { rows: [], ids: new Set([saleId]), receiptNo: null };
      bySale.set(saleId, t);
    }
    return t;
  };
  for (const row of rows) {
    if (row.type === 'sale.completed') {
      const { document } = JSON.parse(row.payload) as SalePayload;
      if (document === undefined || !isUuid(document.id) || typeof document.receiptNo !== 'string') continue;
      const t = templateOf(document.id);
      t.rows.push(row);
      t.receiptNo = document.receiptNo;
      for (const item of [...(document.lines ?? []), ...(document.payments ?? [])]) {
        if (isUuid(item.id)) t.ids.add(item.id);
      }
    } else if (row.type === 'audit.appended') {
      const audit = JSON.parse(row.payload) as AuditPayload;
      const saleId = audit.details?.saleId;
      if (!isUuid(saleId) || !isUuid(audit.id)) continue;
      const t = templateOf(saleId);
      t.rows.push(row);
      t.ids.add(audit.id);
    }
  }
  return [...bySale.values()].flatMap((t) =>
    t.receiptNo !== null && t.rows.some((r) => r.type === 'sale.completed')
      ? [{ rows: t.rows, ids: [...t.ids], receiptNo: t.receiptNo }]
      : [],
  );
}

/**
 * Appends `count` copies of the templates (round robin) to the outbox, in transactions of a few thousand rows.
 * Receipt numbers continue from `firstReceipt` in the templates' format. Returns the sales written.
 */
export function appendSaleCopies(
  db: Db,
  templates: readonly SaleTemplate[],
  count: number,
  firstReceipt: number,
): number {
  if (templates.length === 0) throw new Error('no rung sale to copy');
  const insert = db.prepare<[string, string, string, string]>(
    'INSERT INTO outbox (event_id, type, payload, created_at) VALUES (?, ?, ?, ?)',
  );
  const PER_TRANSACTION = 1000;
  for (let done = 0; done < count;) {
    const n = Math.min(PER_TRANSACTION, count - done);
    db.transaction(() => {
      for (let k = 0; k < n; k++) {
        const template = templates[(done + k) % templates.length]!;
        const receipt = template.receiptNo.replace(/\d+$/, (digits) =>
          String(firstReceipt + done + k).padStart(digits.length, '0'),
        );
        const fresh = new Map(template.ids.map((id) => [id, randomUUID()]));
        for (const row of template.rows) {
          let payload = row.payload.replaceAll(JSON.stringify(template.receiptNo), JSON.stringify(receipt));
          for (const [from, to] of fresh) payload = payload.replaceAll(from, to);
          insert.run(randomUUID(), row.type, payload, row.created_at);
        }
      }
    })();
    done += n;
  }
  return count;
}
