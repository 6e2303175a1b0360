import { createHmac, scrypt, timingSafeEqual } from 'node:crypto';
import { BackupError } from './errors';

/**
 * The encrypted backup file, version 1.
 *
 * Header (80 bytes, big-endian, authenticated as the AAD of every chunk):
 *   0  magic "CTBACKUP"            8  format version (1)      9  KDF (1 = scrypt)
 *   10 scrypt log2(N)   11 r   12 p   13..15 reserved (0)
 *   16 chunk size (u32, plaintext bytes per full chunk)
 *   20 salt (16)        36 nonce prefix (7, random per file)   43 reserved (0)
 *   44 schema version of the database inside (u32)   48 plaintext size (u64)   56 created at, ms (u64)
 *   64 key check (16): HMAC-SHA256(check key, bytes 0..63), first 16 bytes — tells a wrong passphrase from a
 *      damaged file before any chunk is read.
 *
 * Body: chunks, each `flags (u8, bit 0 = final) | length (u32) | ciphertext | GCM tag (16)`, encrypted with
 * AES-256-GCM under nonce = prefix (7) | chunk index (u32) | final flag (u8) — the STREAM construction: chunks
 * cannot be reordered, dropped or duplicated, a file cut at a chunk boundary lacks the final chunk, and bytes
 * after the final chunk are refused. scrypt's 64-byte output is split into the AES key and the key-check key.
 */
export const MAGIC = Buffer.from('CTBACKUP', 'ascii');
export const FORMAT_VERSION = 1;
export const KDF_SCRYPT = 1;
export const HEADER_SIZE = 80;
export const TAG_SIZE = 16;
export const RECORD_PREFIX = 5;
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** The file name extension of station backups. */
export const BACKUP_EXTENSION = '.ctbk';

export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

/** ~50–100 ms and 32 MiB on a till: slow for a guesser, quick enough for a scheduled backup. */
export const DEFAULT_SCRYPT: ScryptParams = { logN: 15, r: 8, p: 1 };

/** Bounds on parameters read from a file, so a crafted header cannot make us allocate gigabytes. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

export interface BackupHeader {
  scrypt: ScryptParams;
  chunkSize: number;
  salt: Buffer;
  noncePrefix: Buffer;
  schemaVersion: number;
  plainSize: number;
  createdAt: Date;
}

/** The 64-byte scrypt output: AES key (first half) and key-check key (second half). */
export interface BackupKey {
  salt: Buffer;
  scrypt: ScryptParams;
  material: Buffer;
}

export const aesKeyOf = (key: BackupKey): Buffer => key.material.subarray(0, 32);
const checkKeyOf = (key: BackupKey): Buffer => key.material.subarray(32, 64);

export function checkScryptParams(params: ScryptParams): void {
  const { logN, r, p } = params;
  const ok =
    Number.isInteger(logN) &&
    Number.isInteger(r) &&
    Number.isInteger(p) &&
    logN >= 10 &&
    logN <= 20 &&
    r >= 1 &&
    r <= 16 &&
    p >= 1 &&
    p <= 4 &&
    128 * 2 ** logN * r <= MAX_SCRYPT_MEMORY;
  if (!ok) throw new BackupError('damaged', 'The backup file header names impossible key parameters.');
}

export function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<BackupKey> {
  checkScryptParams(params);
  const N = 2 ** params.logN;
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      64,
      { N, r: params.r, p: params.p, maxmem: 2 * 128 * N * params.r },
      (err, material) => {
        if (err) reject(err);
        else resolve({ salt: Buffer.from(salt), scrypt: { ...params }, material });
      },
    );
  });
}

export function encodeHeader(header: BackupHeader, key: BackupKey): Buffer {
  const buf = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(buf, 0);
  buf.writeUInt8(FORMAT_VERSION, 8);
  buf.writeUInt8(KDF_SCRYPT, 9);
  buf.writeUInt8(header.scrypt.logN, 10);
  buf.writeUInt8(header.scrypt.r, 11);
  buf.writeUInt8(header.scrypt.p, 12);
  buf.writeUInt32BE(header.chunkSize, 16);
  header.salt.copy(buf, 20, 0, 16);
  header.noncePrefix.copy(buf, 36, 0, 7);
  buf.writeUInt32BE(header.schemaVersion, 44);
  buf.writeBigUInt64BE(BigInt(header.plainSize), 48);
  buf.writeBigUInt64BE(BigInt(header.createdAt.getTime()), 56);
  keyCheck(buf, key).copy(buf, 64);
  return buf;
}

/** Reads the header fields (authenticity is established by `checkKey` and then by every chunk's tag). */
export function decodeHeader(buf: Buffer): BackupHeader {
  if (buf.length < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new BackupError('not_a_backup', 'This file is not a Countertop backup.');
  }
  if (buf.length < HEADER_SIZE) {
    throw new BackupError('truncated', 'The backup file is incomplete: it ends inside its header.');
  }
  const version = buf.readUInt8(8);
  if (version !== FORMAT_VERSION || buf.readUInt8(9) !== KDF_SCRYPT) {
    throw new BackupError(
      'unsupported_version',
      `This backup was written in format ${version}, which this version of Countertop cannot read. Install a newer version.`,
    );
  }
  const scryptParams = { logN: buf.readUInt8(10), r: buf.readUInt8(11), p: buf.readUInt8(12) };
  checkScryptParams(scryptParams);
  const chunkSize = buf.readUInt32BE(16);
  if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new BackupError('damaged', 'The backup file header is damaged (chunk size).');
  }
  const plainSize = buf.readBigUInt64BE(48);
  if (plainSize > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new BackupError('damaged', 'The backup file header is damaged (size).');
  }
  return {
    scrypt: scryptParams,
    chunkSize,
    salt: Buffer.from(buf.subarray(20, 36)),
    noncePrefix: Buffer.from(buf.subarray(36, 43)),
    schemaVersion: buf.readUInt32BE(44),
    plainSize: Number(plainSize),
    createdAt: new Date(Number(buf.readBigUInt64BE(56))),
  };
}

function keyCheck(header: Buffer, key: BackupKey): Buffer {
  return createHmac('sha256', checkKeyOf(key)).update(header.subarray(0, 64)).digest().subarray(0, 16);
}

/** True when the key (from the passphrase and this header's salt) is the one the file was written with. */
export function keyMatches(header: Buffer, key: BackupKey): boolean {
  return timingSafeEqual(keyCheck(header, key), header.subarray(64, 80));
}

export function chunkNonce(prefix: Buffer, index: number, final: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0, 0, 7);
  nonce.writeUInt32BE(index, 7);
  nonce.writeUInt8(final ? 1 : 0, 11);
  return nonce;
}
