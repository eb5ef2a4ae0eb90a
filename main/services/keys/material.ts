/**
 * Node KeyObject -> KeyMaterial: the public blob and the openssh-key-v1 private fields, built
 * from the key's JWK form. Fixed-width fields come straight from the JWK, which is what avoids
 * ssh2's 1-in-256 ed25519 bug (ssh2 strips leading zero bytes from the 32-byte public key).
 *
 * This is also the one place that decides which keys Bulwark accepts.
 */
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { keyUnsupported } from './errors';
import type { KeyMaterial } from './types';
import { SshWriter, bitLength } from './wire';

/** Below this an RSA key is refused; below RECOMMENDED_RSA_BITS it is accepted with a warning. */
export const MIN_RSA_BITS = 2048;
export const RECOMMENDED_RSA_BITS = 3072;

interface Curve {
  /** The suffix of the SSH type name and the curve name inside blobs. */
  ssh: 'nistp256' | 'nistp384' | 'nistp521';
  bits: number;
  /** Bytes per coordinate. */
  size: number;
}

const CURVES: Record<string, Curve> = {
  'P-256': { ssh: 'nistp256', bits: 256, size: 32 },
  'P-384': { ssh: 'nistp384', bits: 384, size: 48 },
  'P-521': { ssh: 'nistp521', bits: 521, size: 66 },
};

/** OpenSSL curve names as KeyObject.asymmetricKeyDetails reports them. */
const OPENSSL_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

function b64u(value: string | undefined, field: string): Buffer {
  if (typeof value !== 'string') throw new Error(`JWK field ${field} is missing`);
  return Buffer.from(value, 'base64url');
}

/** Left-pads (never truncates) an unsigned integer to `size` bytes. */
function padTo(b: Buffer, size: number): Buffer {
  if (b.length >= size) return b;
  return Buffer.concat([Buffer.alloc(size - b.length), b]);
}

/** Throws KEY_UNSUPPORTED (with the reason) for any key Bulwark does not store. */
export function checkSupported(key: KeyObject): void {
  const t = key.asymmetricKeyType;
  if (t === 'dsa') {
    throw keyUnsupported(
      'DSA (ssh-dss) keys are refused: they are limited to 1024 bits and SHA-1, OpenSSH disabled them by default in 7.0 and removed them in 10.0. Generate an ed25519 key instead.',
    );
  }
  if (t === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
    if (!OPENSSL_CURVES[curve]) {
      throw keyUnsupported(`ECDSA keys on curve ${curve} are not usable with SSH: only NIST P-256, P-384 and P-521 are.`);
    }
    return;
  }
  if (t === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) {
      throw keyUnsupported(`This RSA key has ${bits} bits; keys under ${MIN_RSA_BITS} bits can be factored and are refused.`);
    }
    return;
  }
  if (t === 'ed25519') return;
  throw keyUnsupported(
    `${t ?? 'This'} keys are not supported for SSH here: use ed25519, RSA (2048 bits or more) or ECDSA (P-256, P-384, P-521).`,
  );
}

/** Warnings for a supported key (today: RSA under 3072 bits). */
export function keyWarnings(m: KeyMaterial): string[] {
  if (m.type === 'rsa' && m.bits < RECOMMENDED_RSA_BITS) {
    return [`RSA key of ${m.bits} bits: ${RECOMMENDED_RSA_BITS} or more is recommended (NIST deprecates 2048-bit RSA after 2030).`];
  }
  return [];
}

/** The SSH form of a private KeyObject. Throws KEY_UNSUPPORTED for refused kinds. */
export function materialFromKeyObject(key: KeyObject): KeyMaterial {
  if (key.type !== 'private') throw new Error('materialFromKeyObject needs a private key');
  checkSupported(key);
  const jwk = key.export({ format: 'jwk' });
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return ed25519Material(jwk);
    case 'rsa':
      return rsaMaterial(jwk);
    default:
      return ecdsaMaterial(jwk);
  }
}

function ed25519Material(jwk: JsonWebKey): KeyMaterial {
  const pub = b64u(jwk.x, 'x');
  const seed = b64u(jwk.d, 'd');
  if (pub.length !== 32 || seed.length !== 32) throw new Error('ed25519 JWK fields have the wrong length');
  const sshType = 'ssh-ed25519';
  return {
    type: 'ed25519',
    bits: 256,
    sshType,
    publicBlob: new SshWriter().string(sshType).string(pub).toBuffer(),
    // OpenSSH stores the 64-byte "secret key" of the reference implementation: seed || public
    privateBlob: new SshWriter().string(sshType).string(pub).string(Buffer.concat([seed, pub])).toBuffer(),
  };
}

function rsaMaterial(jwk: JsonWebKey): KeyMaterial {
  if (jwk.oth) throw keyUnsupported('Multi-prime RSA keys are not supported by OpenSSH.');
  const [n, e, d, p, q, qi] = (['n', 'e', 'd', 'p', 'q', 'qi'] as const).map((f) => b64u(jwk[f], f)) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  const sshType = 'ssh-rsa';
  return {
    type: 'rsa',
    bits: bitLength(n),
    sshType,
    publicBlob: new SshWriter().string(sshType).mpint(e).mpint(n).toBuffer(),
    // OpenSSH order: n, e, d, iqmp (= q^-1 mod p, JWK's qi), p, q
    privateBlob: new SshWriter().string(sshType).mpint(n).mpint(e).mpint(d).mpint(qi).mpint(p).mpint(q).toBuffer(),
  };
}

function ecdsaMaterial(jwk: JsonWebKey): KeyMaterial {
  const curve = jwk.crv ? CURVES[jwk.crv] : undefined;
  if (!curve) throw keyUnsupported(`ECDSA curve ${jwk.crv ?? 'unknown'} is not supported.`);
  const q = Buffer.concat([Buffer.from([4]), padTo(b64u(jwk.x, 'x'), curve.size), padTo(b64u(jwk.y, 'y'), curve.size)]);
  const d = b64u(jwk.d, 'd');
  const sshType = `ecdsa-sha2-${curve.ssh}`;
  return {
    type: 'ecdsa',
    bits: curve.bits,
    sshType,
    publicBlob: new SshWriter().string(sshType).string(curve.ssh).string(q).toBuffer(),
    privateBlob: new SshWriter().string(sshType).string(curve.ssh).string(q).mpint(d).toBuffer(),
  };
}
