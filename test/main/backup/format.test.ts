/**
 * The encrypted file format on its own, with small chunks so a file has many: every way of cutting, reordering,
 * extending or flipping it is refused with the right problem, and only an intact file decrypts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptFile, encryptFileTo } from '../../../src/main/core/backup/crypto-file';
import {
  DEFAULT_SCRYPT,
  deriveKey,
  HEADER_SIZE,
  RECORD_PREFIX,
  TAG_SIZE,
  type BackupKey,
} from '../../../src/main/core/backup/format';
import { tempDataDir, type TempDir } from '../../helpers/temp-dir';

const CHUNK = 1024;
let dir: TempDir;
let key: BackupKey;
let plain: Buffer;
let sealed: Buffer;

beforeAll(async () => {
  dir = tempDataDir('ct-format-');
  key = await deriveKey('format test passphrase', randomBytes(16), DEFAULT_SCRYPT);
  plain = randomBytes(CHUNK * 5 + 123);
  fs.writeFileSync(path.join(dir.dir, 'plain.bin'), plain);
  const out = await fsp.open(path.join(dir.dir, 'sealed.ctbk'), 'w');
  await encryptFileTo(path.join(dir.dir, 'plain.bin'), out, key, {
    schemaVersion: 7,
    createdAt: new Date('2026-01-15T09:00:00.000Z'),
    chunkSize: CHUNK,
  });
  await out.close();
  sealed = fs.readFileSync(path.join(dir.dir, 'sealed.ctbk'));
});
afterAll(() => dir.cleanup());

const RECORD = RECORD_PREFIX + CHUNK + TAG_SIZE;

async function open(bytes: Buffer, passphrase = 'format test passphrase') {
  const file = path.join(dir.dir, `case-${randomBytes(4).toString('hex')}.ctbk`);
  fs.writeFileSync(file, bytes);
  const out = `${file}.out`;
  const header = await decryptFile(file, out, (h) => deriveKey(passphrase, h.salt, h.scrypt));
  return { header, plain: fs.readFileSync(out) };
}

describe('the backup file format', () => {
  it('round-trips in chunks and carries its metadata', async () => {
    expect(sealed.length).toBe(HEADER_SIZE + 5 * RECORD + RECORD_PREFIX + 123 + TAG_SIZE);
    const { header, plain: back } = await open(sealed);
    expect(back.equals(plain)).toBe(true);
    expect(header).toMatchObject({ schemaVersion: 7, plainSize: plain.length, chunkSize: CHUNK });
    expect(header.createdAt.toISOString()).toBe('2026-01-15T09:00:00.000Z');
  });

  it('refuses every kind of tampering', async () => {
    const records = (b: Buffer) => b.subarray(HEADER_SIZE);
    const header = sealed.subarray(0, HEADER_SIZE);
    const swapped = Buffer.concat([
      header,
      records(sealed).subarray(RECORD, 2 * RECORD),
      records(sealed).subarray(0, RECORD),
      records(sealed).subarray(2 * RECORD),
    ]);
    // The final (short) chunk dropped: every remaining chunk is intact, but none says it is the last.
    const cutAtBoundary = sealed.subarray(0, HEADER_SIZE + 5 * RECORD);
    const cutMidChunk = sealed.subarray(0, HEADER_SIZE + 2 * RECORD + 100);
    const extended = Buffer.concat([sealed, Buffer.from([0])]);
    const schemaChanged = Buffer.from(sealed);
    schemaChanged[47] = 8; // schema version 7 → 8 in the (authenticated) header
    const tagFlipped = Buffer.from(sealed);
    tagFlipped[sealed.length - 1] = tagFlipped[sealed.length - 1]! ^ 1;
    const finalFlagForged = Buffer.concat([header, records(sealed).subarray(0, RECORD)]);
    finalFlagForged[HEADER_SIZE] = 1; // claim the first chunk is the last

    await expect(open(sealed, 'another passphrase')).rejects.toMatchObject({ problem: 'wrong_passphrase' });
    await expect(open(swapped)).rejects.toMatchObject({ problem: 'damaged' });
    await expect(open(cutAtBoundary)).rejects.toMatchObject({ problem: 'truncated' });
    await expect(open(cutMidChunk)).rejects.toMatchObject({ problem: 'truncated' });
    await expect(open(extended)).rejects.toMatchObject({ problem: 'damaged' });
    await expect(open(schemaChanged)).rejects.toMatchObject({ problem: 'wrong_passphrase' });
    await expect(open(tagFlipped)).rejects.toMatchObject({ problem: 'damaged' });
    await expect(open(finalFlagForged)).rejects.toMatchObject({ problem: 'damaged' });
    await expect(open(Buffer.from('SQLite format 3\0'))).rejects.toMatchObject({ problem: 'not_a_backup' });
    await expect(open(sealed.subarray(0, 40))).rejects.toMatchObject({ problem: 'truncated' });
    const future = Buffer.from(sealed);
    future[8] = 2;
    await expect(open(future)).rejects.toMatchObject({ problem: 'unsupported_version' });
    const greedy = Buffer.from(sealed);
    greedy[10] = 40; // scrypt N = 2^40: refused before any allocation
    await expect(open(greedy)).rejects.toMatchObject({ problem: 'damaged' });
  });

  it('encrypts an empty file as one final chunk', async () => {
    const empty = path.join(dir.dir, 'empty.bin');
    fs.writeFileSync(empty, '');
    const out = await fsp.open(path.join(dir.dir, 'empty.ctbk'), 'w');
    await encryptFileTo(empty, out, key, { schemaVersion: 1, createdAt: new Date(0) });
    await out.close();
    const { plain: back } = await open(fs.readFileSync(path.join(dir.dir, 'empty.ctbk')));
    expect(back.length).toBe(0);
  });
});
