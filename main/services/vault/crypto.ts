/**
 * The few primitives the vault is built from: AES-256-GCM with associated data, HKDF-SHA256
 * subkeys and HMAC-SHA256. Secrets live in Buffers we allocate ourselves so wipe() really
 * clears them (Buffer.allocUnsafe may hand out a slice of a shared pool).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomFillSync, timingSafeEqual } from 'node:crypto';

export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every sealed blob, so the cipher can change without guessing formats. */
const SEALED_FORMAT = 1;
const OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

export function randomBytes(length: number): Buffer {
  const b = Buffer.alloc(length);
  randomFillSync(b);
  return b;
}

/** AES-256-GCM under a caller-chosen nonce; returns ciphertext | tag. */
export function gcmEncrypt(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]);
}

/** Inverse of gcmEncrypt; null when key, data or associated data do not match. */
export function gcmDecrypt(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer | null {
  if (sealed.length < TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

export function newNonce(): Buffer {
  return randomBytes(NONCE_BYTES);
}

/**
 * AES-256-GCM with a fresh random 96-bit nonce. Random nonces are safe up to ~2^32 seals per
 * key; a homelab vault stays many orders of magnitude below that.
 * Layout: format(1) | nonce(12) | ciphertext | tag(16).
 */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = newNonce();
  return Buffer.concat([Buffer.from([SEALED_FORMAT]), nonce, gcmEncrypt(key, nonce, plaintext, aad)]);
}

/** Returns null when the key, the data or the associated data do not match. */
export function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer | null {
  if (sealed.length < OVERHEAD || sealed[0] !== SEALED_FORMAT) return null;
  return gcmDecrypt(key, sealed.subarray(1, 1 + NONCE_BYTES), sealed.subarray(1 + NONCE_BYTES), aad);
}

/** A 256-bit subkey; `info` names its single purpose so subkeys never collide. */
export function hkdf(ikm: Buffer, salt: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, KEY_BYTES));
}

export function hmac(key: Buffer, data: Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function wipe(...buffers: Array<Buffer | null | undefined>): void {
  for (const b of buffers) b?.fill(0);
}
