import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { BackupError } from './errors';
import {
  aesKeyOf,
  chunkNonce,
  decodeHeader,
  DEFAULT_CHUNK_SIZE,
  encodeHeader,
  HEADER_SIZE,
  keyMatches,
  RECORD_PREFIX,
  TAG_SIZE,
  type BackupHeader,
  type BackupKey,
} from './format';

/**
 * Encrypts a finished database snapshot into an open file, chunk by chunk (memory stays at one chunk, and
 * every chunk is an await, so a 1 GB database does not hold up the till). The caller owns the file handle and
 * its fsync/rename.
 */
export async function encryptFileTo(
  plainPath: string,
  out: fs.FileHandle,
  key: BackupKey,
  meta: { schemaVersion: number; createdAt: Date; chunkSize?: number },
): Promise<{ bytes: number; header: BackupHeader }> {
  const input = await fs.open(plainPath, 'r');
  try {
    const plainSize = (await input.stat()).size;
    const header: BackupHeader = {
      scrypt: key.scrypt,
      chunkSize: meta.chunkSize ?? DEFAULT_CHUNK_SIZE,
      salt: key.salt,
      noncePrefix: randomBytes(7),
      schemaVersion: meta.schemaVersion,
      plainSize,
      createdAt: meta.createdAt,
    };
    const headerBytes = encodeHeader(header, key);
    await out.write(headerBytes);
    let written = headerBytes.length;
    const buffer = Buffer.alloc(header.chunkSize);
    let offset = 0;
    let index = 0;
    for (;;) {
      const { bytesRead } = await input.read(
        buffer,
        0,
        Math.min(header.chunkSize, plainSize - offset),
        offset,
      );
      offset += bytesRead;
      const final = offset >= plainSize;
      if (bytesRead === 0 && !final) {
        throw new BackupError('io', 'The database snapshot changed size while it was being encrypted.');
      }
      const cipher = createCipheriv(
        'aes-256-gcm',
        aesKeyOf(key),
        chunkNonce(header.noncePrefix, index, final),
      );
      cipher.setAAD(headerBytes);
      const body = Buffer.concat([cipher.update(buffer.subarray(0, bytesRead)), cipher.final()]);
      const prefix = Buffer.alloc(RECORD_PREFIX);
      prefix.writeUInt8(final ? 1 : 0, 0);
      prefix.writeUInt32BE(bytesRead, 1);
      const record = Buffer.concat([prefix, body, cipher.getAuthTag()]);
      await out.write(record);
      written += record.length;
      index += 1;
      if (final) break;
    }
    return { bytes: written, header };
  } finally {
    await input.close();
  }
}

/** How a reader obtains the key for a file: from a passphrase and the file's salt, or a stored derived key. */
export type KeySource = (header: BackupHeader) => Promise<BackupKey>;

/**
 * Decrypts a backup file to `outPath`, authenticating every chunk before its plaintext is written; the output
 * is a scratch file the caller deletes on failure. Refuses, with a sentence a person can act on: a file that
 * is not a backup, a wrong passphrase, any changed byte, a truncated file and bytes after the end.
 */
export async function decryptFile(inPath: string, outPath: string, keyFor: KeySource): Promise<BackupHeader> {
  let input: fs.FileHandle;
  try {
    input = await fs.open(inPath, 'r');
  } catch (err) {
    throw new BackupError('io', `Cannot read the backup file ${inPath}: ${(err as Error).message}`);
  }
  try {
    const size = (await input.stat()).size;
    const headerBytes = Buffer.alloc(HEADER_SIZE);
    const { bytesRead: headerRead } = await input.read(headerBytes, 0, HEADER_SIZE, 0);
    const header = decodeHeader(headerBytes.subarray(0, headerRead));
    const key = await keyFor(header);
    if (!keyMatches(headerBytes, key)) {
      throw new BackupError(
        'wrong_passphrase',
        'The passphrase does not open this backup (or the file header was altered). Nothing was changed.',
      );
    }
    const output = await fs.open(outPath, 'w');
    try {
      let position = HEADER_SIZE;
      let index = 0;
      let plainBytes = 0;
      const prefix = Buffer.alloc(RECORD_PREFIX);
      const record = Buffer.alloc(header.chunkSize + TAG_SIZE);
      const truncated = () =>
        new BackupError(
          'truncated',
          'The backup file is incomplete (it was cut short, e.g. the copy was interrupted). Nothing was changed.',
        );
      for (;;) {
        if (position + RECORD_PREFIX > size) throw truncated();
        await input.read(prefix, 0, RECORD_PREFIX, position);
        position += RECORD_PREFIX;
        const flags = prefix.readUInt8(0);
        const length = prefix.readUInt32BE(1);
        if (flags > 1 || length > header.chunkSize) throw damaged(index);
        const final = flags === 1;
        if (position + length + TAG_SIZE > size) throw truncated();
        await input.read(record, 0, length + TAG_SIZE, position);
        position += length + TAG_SIZE;
        const decipher = createDecipheriv(
          'aes-256-gcm',
          aesKeyOf(key),
          chunkNonce(header.noncePrefix, index, final),
        );
        decipher.setAAD(headerBytes);
        decipher.setAuthTag(record.subarray(length, length + TAG_SIZE));
        let plain: Buffer;
        try {
          plain = Buffer.concat([decipher.update(record.subarray(0, length)), decipher.final()]);
        } catch {
          throw damaged(index);
        }
        await output.write(plain);
        plainBytes += plain.length;
        index += 1;
        if (final) break;
      }
      if (position !== size) {
        throw new BackupError(
          'damaged',
          'The backup file has extra bytes after its end: it was altered. Nothing was changed.',
        );
      }
      if (plainBytes !== header.plainSize) throw damaged(index);
      await output.sync();
    } finally {
      await output.close();
    }
    return header;
  } finally {
    await input.close();
  }
}

function damaged(chunk: number): BackupError {
  return new BackupError(
    'damaged',
    `The backup file is damaged or was altered (part ${chunk + 1} failed its check). Nothing was changed.`,
  );
}
