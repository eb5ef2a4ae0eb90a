/**
 * Recovery keys: 32 random bytes plus a 3-byte checksum, written as 56 Crockford base32
 * characters in groups of four. The checksum lets us tell "you mistyped it" apart from
 * "this key belongs to another vault", which otherwise look the same (the unwrap just fails).
 */
import { createHash } from 'node:crypto';
import { BulwarkError } from '../../../shared/errors';
import { KEY_BYTES, hkdf, randomBytes } from './crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECKSUM_BYTES = 3;
/** (32 + 3) bytes = 280 bits = exactly 56 base32 characters, 14 groups of 4. */
export const RECOVERY_KEY_CHARS = ((KEY_BYTES + CHECKSUM_BYTES) * 8) / 5;

function checksum(key: Buffer): Buffer {
  return createHash('sha256').update('bulwark/recovery-key-checksum/v1').update(key).digest().subarray(0, CHECKSUM_BYTES);
}

function encodeBase32(bytes: Buffer): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

function decodeBase32(text: string): Buffer {
  const out = Buffer.alloc(Math.floor((text.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let i = 0;
  for (const ch of text) {
    acc = (acc << 5) | ALPHABET.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[i++] = (acc >>> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

export function formatRecoveryKey(key: Buffer): string {
  const text = encodeBase32(Buffer.concat([key, checksum(key)]));
  return text.match(/.{1,4}/g)!.join('-');
}

export function generateRecoveryKey(): { key: Buffer; text: string } {
  const key = randomBytes(KEY_BYTES);
  return { key, text: formatRecoveryKey(key) };
}

/**
 * Tolerant of what people do when copying a key by hand: any case, spaces and dashes anywhere,
 * I/L for 1 and O for 0 (Crockford's aliases).
 */
export function parseRecoveryKey(input: string): Buffer {
  const text = input
    .toUpperCase()
    .replace(/[\s\-_]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  const bad = [...text].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) {
    throw new BulwarkError('WRONG_RECOVERY_KEY', `The recovery key contains "${bad}", which never appears in a recovery key.`);
  }
  if (text.length !== RECOVERY_KEY_CHARS) {
    throw new BulwarkError(
      'WRONG_RECOVERY_KEY',
      `A recovery key has ${RECOVERY_KEY_CHARS} characters; this one has ${text.length}. Check for missing or extra groups.`,
    );
  }
  const bytes = decodeBase32(text);
  const key = Buffer.from(bytes.subarray(0, KEY_BYTES));
  const ok = checksum(key).equals(bytes.subarray(KEY_BYTES));
  bytes.fill(0);
  if (!ok) {
    key.fill(0);
    throw new BulwarkError('WRONG_RECOVERY_KEY', 'The recovery key looks mistyped: its checksum does not match. Check each character.');
  }
  return key;
}

/** The key that wraps the vault key; salted with the vault id so it is unique per vault. */
export function recoveryWrapKey(recoveryKey: Buffer, vaultId: Buffer): Buffer {
  return hkdf(recoveryKey, vaultId, 'bulwark/recovery-wrap/v1');
}
