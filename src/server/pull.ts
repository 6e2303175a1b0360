import { MAX_PULL_PAGE } from '../shared/sync/protocol';
import type { Pool } from './db';
import { badRequest } from './http';
import type { AuthenticatedStation } from './stations';

/**
 * One page of the store's change feed, after the station's cursor, as the JSON text of a PullResponse.
 *
 * Visibility: a row is served only when the transaction that wrote it is older than every transaction still
 * running (`xid < pg_snapshot_xmin(pg_current_snapshot())`). Without that, a later-numbered change that
 * committed first would move the station's cursor past an earlier-numbered one still in flight, which would
 * then never be served (sync.md). Writers in this server also lock their store while they append
 * (reference-data.ts), which keeps seq order equal to commit order for multi-statement transactions too.
 *
 * The page is assembled from the stored jsonb text: a million-product first pull is a thousand of these
 * pages, and re-parsing and re-serialising every row would cost more than the query.
 */

export const DEFAULT_PULL_PAGE = MAX_PULL_PAGE;

export function parsePullQuery(params: URLSearchParams): { after: number; limit: number } {
  const afterText = params.get('after') ?? '0';
  const limitText = params.get('limit') ?? String(DEFAULT_PULL_PAGE);
  if (!/^\d{1,16}$/.test(afterText)) throw badRequest('`after` is a cursor: a whole number ≥ 0.');
  if (!/^\d{1,5}$/.test(limitText))
    throw badRequest(`\`limit\` is a whole number from 1 to ${MAX_PULL_PAGE}.`);
  const after = Number(afterText);
  const limit = Number(limitText);
  if (!Number.isSafeInteger(after)) throw badRequest('`after` is out of range.');
  if (limit < 1 || limit > MAX_PULL_PAGE)
    throw badRequest(`\`limit\` is a whole number from 1 to ${MAX_PULL_PAGE}.`);
  return { after, limit };
}

export async function pullChanges(
  pool: Pool,
  station: AuthenticatedStation,
  after: number,
  limit: number,
): Promise<string> {
  // One statement, one snapshot: the page (change_page, in the migration) and the counts agree on what is visible.
  const result = await pool.query<{
    seq: string;
    entity: string;
    data: string;
    ordinal: string;
    total: string;
    base: string | null;
  }>(
    `SELECT p.seq, p.entity, p.data, p.ordinal, s.change_count AS total,
            (SELECT ordinal FROM change_log WHERE seq = $2 AND store_id = $1) AS base
       FROM stores s LEFT JOIN LATERAL change_page($1, $2, $3) p ON true
      WHERE s.id = $1
      ORDER BY p.seq`,
    [station.storeId, after, limit],
  );
  const rows = result.rows.filter((r) => r.seq !== null);
  const first = result.rows[0];
  const total = Number(first?.total ?? 0);
  const last = rows.at(-1);
  const cursor = last === undefined ? after : Number(last.seq);
  // Rows the store has after this page: exact for a single writer at a time, an estimate otherwise.
  const served = last === undefined ? Number(first?.base ?? (after === 0 ? 0 : total)) : Number(last.ordinal);
  const remaining = Math.max(0, total - served);
  const hasMore = rows.length === limit;
  const changes = rows.map((r) => `{"seq":${r.seq},"entity":${JSON.stringify(r.entity)},"data":${r.data}}`);
  return `{"changes":[${changes.join(',')}],"cursor":${cursor},"hasMore":${hasMore},"remaining":${remaining}}`;
}
