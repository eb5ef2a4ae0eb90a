/** Host public keys as raw SSH blobs: type, fingerprint, and parsing of the forms users paste. */
import { createHash } from 'node:crypto';
import { utils } from 'ssh2';
import { BulwarkError } from '../../../shared/errors';

export interface HostPublicKey {
  keyType: string;
  blob: Buffer;
  /** SHA256:<base64 without padding>, exactly as `ssh-keygen -l` prints it. */
  fingerprint: string;
}

export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The type name an SSH public key blob starts with, or null when it is not one. */
export function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const len = blob.readUInt32BE(0);
  if (len < 1 || len > 64 || 4 + len > blob.length) return null;
  const type = blob.subarray(4, 4 + len).toString('latin1');
  return /^[A-Za-z0-9@._+-]+$/.test(type) ? type : null;
}

/**
 * A validated host key from a raw blob (Buffer), its base64, or an OpenSSH public key line
 * ("ssh-ed25519 AAAA... comment"). Throws VALIDATION for anything ssh2 cannot parse.
 */
export function parseHostPublicKey(input: Buffer | string): HostPublicKey {
  let blob: Buffer;
  let statedType: string | undefined;
  if (Buffer.isBuffer(input)) {
    blob = input;
  } else if (typeof input === 'string') {
    const parts = input.trim().split(/\s+/);
    const b64 = parts.length >= 2 ? parts[1]! : parts[0]!;
    if (parts.length >= 2) statedType = parts[0];
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64 ?? '')) throw invalid('is not base64');
    blob = Buffer.from(b64, 'base64');
  } else {
    throw invalid('must be a Buffer or a string');
  }
  const keyType = blobKeyType(blob);
  if (!keyType) throw invalid('is not an SSH public key');
  if (statedType !== undefined && statedType !== keyType) throw invalid(`says ${statedType} but holds a ${keyType} key`);
  const parsed = utils.parseKey(blob);
  if (parsed instanceof Error || Array.isArray(parsed)) throw invalid(`is not a ${keyType} key the engine can verify`);
  if (parsed.isPrivateKey()) throw invalid('is a private key');
  return { keyType, blob, fingerprint: fingerprintOf(blob) };
}

function invalid(why: string): BulwarkError {
  return new BulwarkError('VALIDATION', `The host key ${why}`, { key: why });
}
