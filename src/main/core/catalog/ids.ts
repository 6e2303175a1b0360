import { randomFillSync } from 'node:crypto';

// Random bytes are drawn from a pool: one randomBytes call per id costs more than the rest of a product insert.
const POOL_IDS = 512;
const pool = Buffer.alloc(POOL_IDS * 10);
let poolOffset = pool.length;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Products get these instead of
 * v4 UUIDs because they sort by creation time: a million-row import appends to the end of the primary-key
 * B-tree instead of touching a random page per row, which keeps the write-ahead log (and the import) small.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  pool.copy(bytes, 6, poolOffset, poolOffset + 10);
  poolOffset += 10;
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x70, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
