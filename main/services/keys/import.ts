/**
 * Private key import: OpenSSH (read by ssh2, which decrypts bcrypt/aes files), and the PEM
 * family read by node:crypto: PKCS#1 "RSA PRIVATE KEY" and SEC1 "EC PRIVATE KEY" (both
 * optionally with the legacy Proc-Type/DEK-Info encryption) and PKCS#8 "PRIVATE KEY" /
 * "ENCRYPTED PRIVATE KEY". Whatever comes in is re-encoded as unencrypted OpenSSH and passes
 * the same ssh2 self-test as a generated key.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { utils } from 'ssh2';
import { BulwarkError } from '../../../shared/errors';
import { keyInvalid, keyUnsupported, passphraseRequired, wrongKeyPassphrase } from './errors';
import { describeBlob, parsePublicKeyLine } from './fingerprint';
import { keyPairText } from './generate';
import { keyWarnings, materialFromKeyObject } from './material';
import { MAX_KDF_ROUNDS, readOpenSshEnvelope } from './openssh-private';
import type { KeyMaterial, KeyPairText, PrivateKeyFormat } from './types';
import { MAX_COMMENT, MAX_KEY_TEXT, commentProblem, keyPassphraseProblem } from '../../../shared/domain/keys';

export { MAX_KEY_TEXT } from '../../../shared/domain/keys';

/**
 * Ciphers of encrypted OpenSSH key files that ssh2 decrypts (ssh-keygen -Z). Not
 * chacha20-poly1305@openssh.com: ssh2 has it only as a transport cipher.
 */
const KEY_FILE_CIPHERS = new Set([
  'aes128-ctr',
  'aes192-ctr',
  'aes256-ctr',
  'aes128-cbc',
  'aes192-cbc',
  'aes256-cbc',
  'aes128-gcm@openssh.com',
  'aes256-gcm@openssh.com',
]);

export interface ImportedKey extends KeyPairText {
  /** The format the text was in. */
  format: PrivateKeyFormat;
  /** Whether the text was passphrase-protected (the returned privateKey never is). */
  wasEncrypted: boolean;
  warnings: string[];
}

const PEM_FORMATS: Record<string, { format: PrivateKeyFormat; name: string }> = {
  'RSA PRIVATE KEY': { format: 'pkcs1', name: 'PEM (PKCS#1) RSA private key' },
  'EC PRIVATE KEY': { format: 'sec1', name: 'PEM (SEC1) EC private key' },
  'PRIVATE KEY': { format: 'pkcs8', name: 'PKCS#8 private key' },
  'ENCRYPTED PRIVATE KEY': { format: 'pkcs8-encrypted', name: 'encrypted PKCS#8 private key' },
};

const NOT_PRIVATE: Record<string, string> = {
  'PUBLIC KEY': 'a PEM public key',
  'RSA PUBLIC KEY': 'a PEM (PKCS#1) RSA public key',
  'OPENSSH PUBLIC KEY': 'an OpenSSH public key',
  CERTIFICATE: 'an X.509 certificate',
  'CERTIFICATE REQUEST': 'a certificate signing request',
  'EC PARAMETERS': 'EC curve parameters without a key',
  'PGP PRIVATE KEY BLOCK': 'a PGP key (not an SSH key)',
  'PGP PUBLIC KEY BLOCK': 'a PGP key (not an SSH key)',
};

const EXPECTED =
  'Expected an OpenSSH private key ("-----BEGIN OPENSSH PRIVATE KEY-----"), a PEM RSA or EC key, or a PKCS#8 key ("-----BEGIN PRIVATE KEY-----").';

/**
 * Reads a private key. Throws KEY_INVALID (naming the format it saw), KEY_UNSUPPORTED,
 * KEY_PASSPHRASE_REQUIRED or KEY_WRONG_PASSPHRASE. `comment` overrides the file's comment.
 */
export function importPrivateKey(text: string, options: { passphrase?: string; comment?: string } = {}): ImportedKey {
  if (typeof text !== 'string') throw keyInvalid('The key must be given as text.');
  if (text.length > MAX_KEY_TEXT) throw keyInvalid(`The text is ${text.length} characters long; a private key is at most ${MAX_KEY_TEXT}.`);
  if (options.comment !== undefined) {
    const p = commentProblem(options.comment);
    if (p) throw new BulwarkError('VALIDATION', `comment: ${p}`, { comment: p });
  }
  const passphrase = options.passphrase === '' ? undefined : options.passphrase;
  if (passphrase !== undefined) {
    const p = keyPassphraseProblem(passphrase);
    if (p) throw keyInvalid(`The passphrase ${p}.`);
  }
  const t = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .join('\n')
    .trim();
  if (t === '') throw keyInvalid(`The text is empty. ${EXPECTED}`);

  const read = readAny(t, passphrase);
  const warnings = keyWarnings(read.material);
  if (passphrase !== undefined && !read.encrypted) {
    warnings.push('This key was not passphrase-protected; the passphrase was not needed.');
  }
  const comment = options.comment ?? cleanComment(read.comment);
  const r = keyPairText(read.material, comment);
  if (!r.pair) throw keyInvalid(`This ${read.format} key fails its signature self-test (${r.problem}); the key text is damaged.`);
  return { ...r.pair, format: read.format, wasEncrypted: read.encrypted, warnings };
}

export interface ReadKey {
  material: KeyMaterial;
  comment: string;
  format: PrivateKeyFormat;
  encrypted: boolean;
}

/** The key material of a text already known to be a good key (the store's own records). */
export function readStoredKey(openSshText: string): ReadKey {
  const block = openSshText.trim();
  return readOpenSsh(block, undefined);
}

function readAny(t: string, passphrase: string | undefined): ReadKey {
  const ppk = /^PuTTY-User-Key-File-(\d+):/.exec(t);
  if (ppk) {
    throw keyInvalid(
      `This is a PuTTY private key (.ppk, format ${ppk[1]}). Convert it with: puttygen key.ppk -O private-openssh -o key, then import that file.`,
    );
  }
  if (t.startsWith('---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----')) {
    throw keyInvalid('This is an ssh.com (SECSH) private key. Convert it with: ssh-keygen -i -f key > key.openssh, then import that file.');
  }
  if (t.startsWith('---- BEGIN SSH2 PUBLIC KEY ----')) throw keyInvalid('This is a public key (RFC 4716 format); import needs the private key.');
  if (!t.startsWith('-----BEGIN ') && !t.includes('\n-----BEGIN ')) {
    const publicLine = tryPublicLine(t);
    if (publicLine) throw keyInvalid(`This is a public key (${publicLine}); import needs the private key.`);
    throw keyInvalid(`No key found: the text has no "-----BEGIN ...-----" line. ${EXPECTED}`);
  }

  const labels = [...t.matchAll(/^-----BEGIN ([A-Z0-9 ]{1,40})-----$/gm)].map((m) => m[1]!);
  const label = labels.find((l) => l === 'OPENSSH PRIVATE KEY' || l === 'DSA PRIVATE KEY' || PEM_FORMATS[l]);
  if (!label) {
    const first = labels[0];
    if (first === undefined) throw keyInvalid(`The "-----BEGIN" line is damaged. ${EXPECTED}`);
    throw keyInvalid(`This is ${NOT_PRIVATE[first] ?? `a PEM block "${first}"`}, not a private key. ${EXPECTED}`);
  }
  if (label === 'DSA PRIVATE KEY') throw dsaRefused();
  const block = pemBlock(t, label);
  if (block === undefined) throw keyInvalid(`The "-----BEGIN ${label}-----" line has no matching END line: the copy looks truncated.`);
  return label === 'OPENSSH PRIVATE KEY' ? readOpenSsh(block, passphrase) : readPem(block, label, passphrase);
}

function tryPublicLine(t: string): string | null {
  try {
    const info = parsePublicKeyLine(t);
    return `${info.sshType}, ${info.fingerprint}`;
  } catch {
    // an authorized_keys line with options, or several keys
    return /(?:^|\s)(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-\S+@openssh\.com) AAAA/.test(t) ? 'an authorized_keys or .pub line' : null;
  }
}

function pemBlock(t: string, label: string): string | undefined {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const a = t.indexOf(begin);
  const b = t.indexOf(end, a);
  return b === -1 ? undefined : t.slice(a, b + end.length);
}

function dsaRefused(): Error {
  return keyUnsupported(
    'DSA (ssh-dss) keys are refused: they are limited to 1024 bits and SHA-1, OpenSSH disabled them by default in 7.0 and removed them in 10.0. Generate an ed25519 key instead.',
  );
}

function readOpenSsh(block: string, passphrase: string | undefined): ReadKey {
  const what = 'This OpenSSH private key';
  const env = readOpenSshEnvelope(block);
  if (typeof env === 'string') throw keyInvalid(`OpenSSH private key, but ${env}.`);
  const encrypted = env.cipher !== 'none';
  const info = describeBlob(env.publicBlobs[0]!);
  if (!info) throw keyInvalid('OpenSSH private key, but its public key part is malformed.');
  if (info.sshType === 'ssh-dss') throw dsaRefused();
  if (info.sshType.startsWith('sk-')) {
    throw keyUnsupported(
      `This is a FIDO security-key handle (${info.sshType}): the private key lives on the hardware token, so Bulwark cannot use it for fleet operations.`,
    );
  }
  if (!info.type) throw keyUnsupported(`OpenSSH ${info.sshType} keys are not supported: use ed25519, RSA or ECDSA.`);
  if (encrypted && !KEY_FILE_CIPHERS.has(env.cipher)) {
    throw keyUnsupported(`This key is encrypted with ${env.cipher}, which cannot be decrypted here. Re-encrypt it first: ssh-keygen -p -Z aes256-ctr -f key`);
  }
  if (encrypted && passphrase === undefined) throw passphraseRequired(what);
  if (env.rounds !== null && (env.rounds < 1 || env.rounds > MAX_KDF_ROUNDS)) {
    throw keyUnsupported(
      `This key's passphrase uses ${env.rounds} bcrypt rounds; Bulwark accepts 1 to ${MAX_KDF_ROUNDS}. Re-encrypt it first: ssh-keygen -p -a 16 -f key`,
    );
  }

  const parsed = utils.parseKey(block, encrypted ? passphrase : undefined);
  if (parsed instanceof Error) {
    const msg = parsed.message;
    if (/no passphrase given/i.test(msg)) throw passphraseRequired(what);
    // aes-ctr/cbc: the check numbers differ; aes-gcm: the tag does not authenticate
    if (encrypted && /bad passphrase|integrity check failed|bad decrypt|unable to authenticate/i.test(msg)) {
      throw wrongKeyPassphrase('this OpenSSH private key');
    }
    throw keyInvalid(`OpenSSH private key, but it cannot be read: ${msg}.`);
  }
  const material = materialFromKeyObject(toKeyObject(parsed.getPrivatePEM(), 'OpenSSH private key'));
  if (!material.publicBlob.equals(env.publicBlobs[0]!)) {
    throw keyInvalid('OpenSSH private key, but its public and private halves do not belong together: the file is damaged.');
  }
  return { material, comment: parsed.comment, format: 'openssh', encrypted };
}

function readPem(block: string, label: string, passphrase: string | undefined): ReadKey {
  const { format, name } = PEM_FORMATS[label]!;
  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,ENCRYPTED\s*$/m.test(block);
  if (encrypted && passphrase === undefined) throw passphraseRequired(`This ${name}`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block, format: 'pem', ...(encrypted ? { passphrase } : {}) });
  } catch (e) {
    // OpenSSL reports a wrong passphrase as "bad decrypt", or (1 time in 256, when the CBC
    // padding happens to look valid) as an ASN.1 error: for an encrypted key both mean that.
    if (encrypted) throw wrongKeyPassphrase(`this ${name}`);
    throw keyInvalid(`${name[0]!.toUpperCase()}${name.slice(1)}, but it cannot be read: ${(e as Error).message}.`);
  }
  return { material: materialFromKeyObject(key), comment: '', format, encrypted };
}

function toKeyObject(pem: string, what: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw keyInvalid(`${what}, but its key values are invalid: ${(e as Error).message}.`);
  }
}

/** A file's comment made safe for an authorized_keys line. */
function cleanComment(c: string): string {
  // eslint-disable-next-line no-control-regex
  return c.replace(/[\x00-\x1f\x7f]+/g, ' ').trim().slice(0, MAX_COMMENT).trim();
}
