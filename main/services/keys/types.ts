/** Types shared by the key service's modules. */

import type { KeySource, KeyType } from '../../../shared/domain/keys';

export { KEY_SOURCES, KEY_TYPES, type KeySource, type KeyType } from '../../../shared/domain/keys';

/** The private key formats `importPrivateKey` recognises, as reported back to the user. */
export type PrivateKeyFormat = 'openssh' | 'pkcs1' | 'sec1' | 'pkcs8' | 'pkcs8-encrypted';

/** A private key reduced to what the OpenSSH formats need. */
export interface KeyMaterial {
  type: KeyType;
  /** RSA modulus bits, or the curve size (256 for ed25519, 256/384/521 for ECDSA). */
  bits: number;
  /** The SSH key type name: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256 ... */
  sshType: string;
  /** The public key blob (what authorized_keys carries in base64 and fingerprints hash). */
  publicBlob: Buffer;
  /** The openssh-key-v1 private key serialisation (type name and fields, without the comment). */
  privateBlob: Buffer;
}

/** A key pair in the forms the rest of Bulwark uses. */
export interface KeyPairText {
  type: KeyType;
  bits: number;
  comment: string;
  /** `ssh-ed25519 AAAA... comment` (no comment part when the comment is empty). */
  publicKey: string;
  /** `SHA256:...` as ssh-keygen -l prints it. */
  fingerprint: string;
  /** The whole `ssh-keygen -lf` line: `256 SHA256:... comment (ED25519)`. */
  fingerprintLine: string;
  /** OpenSSH private key text ("-----BEGIN OPENSSH PRIVATE KEY-----"), newline-terminated. */
  privateKey: string;
  /** Whether `privateKey` is passphrase-protected. */
  encrypted: boolean;
}

/** A key as stored in the vault (kind 'ssh-key'). */
export interface SshKeyRecord {
  id: string;
  name: string;
  type: KeyType;
  bits: number;
  publicKey: string;
  fingerprint: string;
  /** Unencrypted OpenSSH text: the vault's record encryption is what protects it (see store.ts). */
  privateKey: string;
  comment: string;
  source: KeySource;
  createdAt: number;
  updatedAt: number;
}

/** What leaves the main process: everything but the private key. */
export type SshKeyView = Omit<SshKeyRecord, 'privateKey'> & { fingerprintLine: string };
