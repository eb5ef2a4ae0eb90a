/**
 * The openssh-key-v1 private key format (OpenSSH's PROTOCOL.key), written the way ssh-keygen
 * writes it: one key, base64 wrapped at 70 columns, unencrypted ("none"/"none", 8-byte padding)
 * or aes256-ctr under bcrypt_pbkdf with a random 16-byte salt and 16 rounds (16-byte padding).
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { pbkdf as bcryptPbkdf } from 'bcrypt-pbkdf';
import type { KeyMaterial } from './types';
import { SshReader, SshWriter } from './wire';

export const OPENSSH_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
export const OPENSSH_END = '-----END OPENSSH PRIVATE KEY-----';
const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const WRAP = 70;

/** ssh-keygen's defaults (-a 16, 16-byte salt). */
export const DEFAULT_KDF_ROUNDS = 16;
const SALT_BYTES = 16;
/**
 * Files asking for more bcrypt rounds are refused before any work: the KDF runs in JavaScript
 * on the main process (16 rounds ~0.4 s here), and a crafted file could ask for 2^32.
 */
export const MAX_KDF_ROUNDS = 256;

const CIPHER = { ssh: 'aes256-ctr', node: 'aes-256-ctr', keyLen: 32, ivLen: 16, blockLen: 16 } as const;

export interface EncodeOptions {
  passphrase?: string;
  rounds?: number;
  /** Tests only: fixed salt / check integer for reproducible output. */
  salt?: Buffer;
  checkInt?: number;
}

/** bcrypt_pbkdf(passphrase, salt, rounds) -> key || iv for aes256-ctr. */
export function deriveCipherKey(passphrase: string, salt: Buffer, rounds: number): { key: Buffer; iv: Buffer } {
  const pass = Buffer.from(passphrase, 'utf8');
  const out = Buffer.alloc(CIPHER.keyLen + CIPHER.ivLen);
  if (bcryptPbkdf(pass, pass.length, salt, salt.length, out, out.length, rounds) !== 0) {
    throw new Error('bcrypt_pbkdf refused its arguments');
  }
  pass.fill(0);
  return { key: out.subarray(0, CIPHER.keyLen), iv: out.subarray(CIPHER.keyLen) };
}

/** The armoured text, newline-terminated like ssh-keygen's files. */
export function encodeOpenSshPrivateKey(m: KeyMaterial, comment: string, opts: EncodeOptions = {}): string {
  const encrypt = opts.passphrase !== undefined;
  if (encrypt && opts.passphrase === '') throw new Error('An empty passphrase means no encryption: leave it out');
  const rounds = opts.rounds ?? DEFAULT_KDF_ROUNDS;
  const salt = opts.salt ?? randomBytes(SALT_BYTES);
  const blockLen = encrypt ? CIPHER.blockLen : 8;

  const checkInt = opts.checkInt ?? randomBytes(4).readUInt32BE(0);
  const section = new SshWriter().uint32(checkInt).uint32(checkInt).raw(m.privateBlob).string(comment);
  const padLen = (blockLen - (section.length() % blockLen)) % blockLen;
  section.raw(Buffer.from(Array.from({ length: padLen }, (_, i) => i + 1)));
  let priv = section.toBuffer();

  let kdfOptions: Buffer = Buffer.alloc(0);
  if (encrypt) {
    kdfOptions = new SshWriter().string(salt).uint32(rounds).toBuffer();
    const { key, iv } = deriveCipherKey(opts.passphrase!, salt, rounds);
    const c = createCipheriv(CIPHER.node, key, iv);
    const plain = priv;
    priv = Buffer.concat([c.update(plain), c.final()]);
    plain.fill(0);
    key.fill(0);
    iv.fill(0);
  }

  const body = new SshWriter()
    .raw(MAGIC)
    .string(encrypt ? CIPHER.ssh : 'none')
    .string(encrypt ? 'bcrypt' : 'none')
    .string(kdfOptions)
    .uint32(1)
    .string(m.publicBlob)
    .string(priv)
    .toBuffer();
  priv.fill(0);
  const b64 = body.toString('base64');
  body.fill(0);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += WRAP) lines.push(b64.slice(i, i + WRAP));
  return `${OPENSSH_BEGIN}\n${lines.join('\n')}\n${OPENSSH_END}\n`;
}

/** What the unencrypted outer layer of an openssh-key-v1 file says. */
export interface OpenSshEnvelope {
  cipher: string;
  kdf: string;
  /** bcrypt salt and rounds when kdf is bcrypt. */
  salt: Buffer | null;
  rounds: number | null;
  publicBlobs: Buffer[];
  /** The (possibly encrypted) private section. */
  privateSection: Buffer;
  /** Base64 line widths, for the tests comparing with ssh-keygen's output. */
  lineWidths: number[];
}

/**
 * Reads the outer layer of an armoured openssh-key-v1 text. Returns a reason string when it
 * is malformed. Decryption and key parsing are ssh2's job (import.ts); this only looks at what
 * must be checked first (encryption, KDF cost, the public key).
 */
export function readOpenSshEnvelope(text: string): OpenSshEnvelope | string {
  const t = text.replace(/\r\n/g, '\n').trim();
  if (!t.startsWith(OPENSSH_BEGIN) || !t.endsWith(OPENSSH_END)) return 'the BEGIN/END lines are missing or damaged';
  const inner = t.slice(OPENSSH_BEGIN.length, t.length - OPENSSH_END.length).trim();
  const lines = inner.split('\n').map((l) => l.trim());
  const b64 = lines.join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return 'the body is not base64';
  const data = Buffer.from(b64, 'base64');
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) return 'the body does not start with "openssh-key-v1"';
  const r = new SshReader(data.subarray(MAGIC.length));
  const cipher = r.name();
  const kdf = r.name();
  const kdfOptions = r.string();
  const count = r.uint32();
  if (cipher === undefined || kdf === undefined || kdfOptions === undefined || count === undefined) return 'the header is truncated';
  if (count !== 1) return `it holds ${count} keys; OpenSSH key files hold exactly one`;
  let salt: Buffer | null = null;
  let rounds: number | null = null;
  if (kdf === 'bcrypt') {
    const kr = new SshReader(kdfOptions);
    const s = kr.string();
    const n = kr.uint32();
    if (s === undefined || n === undefined) return 'the bcrypt parameters are truncated';
    salt = s;
    rounds = n;
  } else if (kdf !== 'none') {
    return `its key derivation "${kdf}" is unknown`;
  }
  if ((cipher === 'none') !== (kdf === 'none')) return `cipher "${cipher}" and key derivation "${kdf}" do not go together`;
  const publicBlobs: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const pub = r.string();
    if (pub === undefined) return 'the public key is truncated';
    publicBlobs.push(pub);
  }
  const privateSection = r.string();
  if (privateSection === undefined) return 'the private section is truncated';
  return { cipher, kdf, salt, rounds, publicBlobs, privateSection, lineWidths: lines.map((l) => l.length) };
}
