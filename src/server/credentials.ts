import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Secrets the server hands out (station credentials, enrolment codes) and how it checks them. Only sha256
 * hashes are stored: a leaked database does not let anyone push as a station or enrol one.
 */

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time comparison of two hashes (or any equal-length buffers); false for different lengths. */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A new station secret: 256 random bits, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const credentialOf = (stationId: string, secret: string): string => `${stationId}.${secret}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits `<stationId>.<secret>`; null when it is not of that shape. */
export function parseCredential(token: string): { stationId: string; secret: string } | null {
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const stationId = token.slice(0, dot).toLowerCase();
  const secret = token.slice(dot + 1);
  if (!UUID.test(stationId) || secret.length < 16 || secret.length > 200) return null;
  return { stationId, secret };
}

/** Crockford base32 without I, L, O, U: nothing a technician can misread from a screen or a phone call. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 16;

/** A new one-time enrolment code, e.g. `7KQ2-M9XD-40RT-HB3C` (80 random bits). */
export function newEnrolmentCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code.match(/.{4}/g)!.join('-');
}

/** The form a code is hashed in: case, spaces and dashes do not matter, and O/I/L read as 0/1/1. */
export function normaliseEnrolmentCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
