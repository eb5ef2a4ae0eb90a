/**
 * Public keys as text: the `type base64 comment` line, the SHA256 fingerprint and the line
 * `ssh-keygen -lf` prints (`256 SHA256:... comment (ED25519)`).
 */
import { createHash } from 'node:crypto';
import { keyInvalid } from './errors';
import type { KeyType } from './types';
import { SshReader, bitLength } from './wire';

/** `SHA256:` + unpadded base64 of SHA-256(blob), exactly as ssh-keygen prints it. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** The upper-case type ssh-keygen prints in parentheses. */
const KEYGEN_LABEL: Record<string, string> = {
  'ssh-ed25519': 'ED25519',
  'ssh-rsa': 'RSA',
  'ssh-dss': 'DSA',
  'ecdsa-sha2-nistp256': 'ECDSA',
  'ecdsa-sha2-nistp384': 'ECDSA',
  'ecdsa-sha2-nistp521': 'ECDSA',
  'sk-ssh-ed25519@openssh.com': 'ED25519-SK',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'ECDSA-SK',
};

/** `256 SHA256:... comment (ED25519)`; ssh-keygen says "no comment" when there is none. */
export function fingerprintLine(bits: number, fingerprint: string, comment: string, sshType: string): string {
  const label = KEYGEN_LABEL[sshType] ?? sshType.toUpperCase();
  return `${bits} ${fingerprint} ${comment === '' ? 'no comment' : comment} (${label})`;
}

/** `type base64 [comment]`. */
export function publicKeyLine(sshType: string, blob: Buffer, comment: string): string {
  const base = `${sshType} ${blob.toString('base64')}`;
  return comment === '' ? base : `${base} ${comment}`;
}

export interface BlobInfo {
  /** The type name inside the blob. */
  sshType: string;
  /** Set for the types Bulwark stores; null for others (DSA, FIDO, certificates). */
  type: KeyType | null;
  /** Key size as ssh-keygen reports it, when known. */
  bits: number | null;
}

const EC_BITS: Record<string, number> = { nistp256: 256, nistp384: 384, nistp521: 521 };

/** Reads the type (and size) out of a public key blob; undefined when it is not one. */
export function describeBlob(blob: Buffer): BlobInfo | undefined {
  const r = new SshReader(blob);
  const sshType = r.name();
  if (sshType === undefined || sshType === '') return undefined;
  switch (sshType) {
    case 'ssh-ed25519': {
      const pub = r.string();
      return pub?.length === 32 && r.remaining() === 0 ? { sshType, type: 'ed25519', bits: 256 } : undefined;
    }
    case 'ssh-rsa': {
      const e = r.string();
      const n = r.string();
      return e && n && r.remaining() === 0 ? { sshType, type: 'rsa', bits: bitLength(n) } : undefined;
    }
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521': {
      const curve = r.name();
      const q = r.string();
      const ok = curve === sshType.slice('ecdsa-sha2-'.length) && q !== undefined && q.length > 0 && r.remaining() === 0;
      return ok ? { sshType, type: 'ecdsa', bits: EC_BITS[curve]! } : undefined;
    }
    case 'ssh-dss': {
      const p = r.string();
      return p ? { sshType, type: null, bits: bitLength(p) } : undefined;
    }
    default:
      // FIDO keys and certificates: well-formed enough to fingerprint, not something we size
      return { sshType, type: null, bits: null };
  }
}

/** Strict base64 as public key lines use it (sshd's b64_pton accepts no other characters). */
export function decodeBase64Blob(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const b = Buffer.from(text, 'base64');
  return b.length > 0 ? b : undefined;
}

export interface PublicKeyInfo extends BlobInfo {
  blob: Buffer;
  comment: string;
  fingerprint: string;
}

const MAX_PUBLIC_LINE = 16 * 1024;

/**
 * Parses one `type base64 [comment]` line (no options). KEY_INVALID when the type in front
 * does not match the type inside the blob, or the blob is not base64 of a key.
 */
export function parsePublicKeyLine(line: string): PublicKeyInfo {
  if (typeof line !== 'string' || line.length > MAX_PUBLIC_LINE) throw keyInvalid('A public key line must be text of at most 16 KiB.');
  const text = line.trim();
  if (/[\r\n\0]/.test(text)) throw keyInvalid('A public key must be a single line.');
  const m = /^(\S+)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(text);
  if (!m) throw keyInvalid('Not a public key line: expected "type base64 [comment]", e.g. "ssh-ed25519 AAAA... me@laptop".');
  const [, outer, b64, comment = ''] = m;
  const blob = decodeBase64Blob(b64!);
  const info = blob ? describeBlob(blob) : undefined;
  if (!blob || !info) throw keyInvalid(`Not a public key line: the part after "${outer!.slice(0, 40)}" is not a base64 key blob.`);
  if (info.sshType !== outer) {
    throw keyInvalid(`Not a valid public key: the line says ${outer!.slice(0, 40)} but the key inside is ${info.sshType}.`);
  }
  return { ...info, blob, comment: comment.trim(), fingerprint: fingerprintOf(blob) };
}
