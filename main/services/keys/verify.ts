/**
 * The independent check every key passes before Bulwark stores or returns it: ssh2 (the SSH
 * engine that will use the key) must parse the OpenSSH text, find the same public key, and
 * make a signature that verifies.
 */
import { randomBytes } from 'node:crypto';
import { utils } from 'ssh2';

/** Null when the key is sound, else why not. */
export function selfTest(privateText: string, expectedBlob: Buffer, passphrase?: string): string | null {
  const parsed = utils.parseKey(privateText, passphrase);
  if (parsed instanceof Error) return `ssh2 cannot parse it: ${parsed.message}`;
  if (!parsed.isPrivateKey()) return 'ssh2 reads it as a public key';
  if (!parsed.getPublicSSH().equals(expectedBlob)) return 'its public key differs from the one derived from the private key';
  const message = randomBytes(32);
  // ssh2 defaults to SHA-1 for RSA, which hardened OpenSSL policies refuse to sign with
  const algo = parsed.type === 'ssh-rsa' ? 'sha512' : undefined;
  const signature: unknown = parsed.sign(message, algo);
  if (!(signature instanceof Buffer)) return `signing failed: ${signature instanceof Error ? signature.message : 'no signature'}`;
  const ok: unknown = parsed.verify(message, signature, algo);
  if (ok !== true) return `its signature does not verify${ok instanceof Error ? `: ${ok.message}` : ''}`;
  return null;
}
