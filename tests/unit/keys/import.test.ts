import { createPublicKey } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { importPrivateKey, parsePublicKeyLine } from '../../../main/services/keys';
import { materialFromKeyObject } from '../../../main/services/keys/material';
import { encodeOpenSshPrivateKey, readOpenSshEnvelope } from '../../../main/services/keys/openssh-private';
import { SshWriter } from '../../../main/services/keys/wire';
import { generateKeyPairSync } from 'node:crypto';
import {
  EXPECTED,
  FIXTURE_PASS,
  HAVE_SSH_KEYGEN,
  expectCode,
  keygenPublic,
  privateFixture,
  removeTempDirs,
  typeAndBlob,
} from './helpers';

afterAll(removeTempDirs);

const C = 'fixture@bulwark-test';

describe('importPrivateKey: formats', () => {
  it.each([
    // file, passphrase, format, type, bits, comment, warning
    ['openssh-ed25519', undefined, 'openssh', 'ed25519', 256, C, null],
    ['openssh-ed25519-enc', FIXTURE_PASS, 'openssh', 'ed25519', 256, C, null],
    ['openssh-ed25519-a100', FIXTURE_PASS, 'openssh', 'ed25519', 256, C, null],
    ['openssh-ed25519-gcm', FIXTURE_PASS, 'openssh', 'ed25519', 256, C, null],
    ['openssh-rsa-3072', undefined, 'openssh', 'rsa', 3072, C, null],
    ['openssh-rsa-3072-enc', FIXTURE_PASS, 'openssh', 'rsa', 3072, C, null],
    ['openssh-ecdsa-256', undefined, 'openssh', 'ecdsa', 256, C, null],
    ['openssh-ecdsa-384-enc', FIXTURE_PASS, 'openssh', 'ecdsa', 384, C, null],
    ['openssh-ecdsa-521', undefined, 'openssh', 'ecdsa', 521, C, null],
    ['pem-rsa-2048', undefined, 'pkcs1', 'rsa', 2048, '', /2048 bits: 3072 or more is recommended/],
    ['pem-rsa-3072-enc', FIXTURE_PASS, 'pkcs1', 'rsa', 3072, '', null],
    ['pem-ec-256', undefined, 'sec1', 'ecdsa', 256, '', null],
    ['pem-ec-521-enc', FIXTURE_PASS, 'sec1', 'ecdsa', 521, '', null],
    ['pem-ec-with-params', undefined, 'sec1', 'ecdsa', 256, '', null],
    ['pkcs8-rsa-3072', undefined, 'pkcs8', 'rsa', 3072, '', null],
    ['pkcs8-ec-384-enc', FIXTURE_PASS, 'pkcs8-encrypted', 'ecdsa', 384, '', null],
    ['pkcs8-ed25519', undefined, 'pkcs8', 'ed25519', 256, '', null],
    ['pkcs8-ed25519-enc', FIXTURE_PASS, 'pkcs8-encrypted', 'ed25519', 256, '', null],
    // openssl genrsa 3071 makes a 3070-bit modulus; what counts is agreeing with ssh-keygen
    ['rsa-3071', undefined, 'pkcs8', 'rsa', Number(EXPECTED['rsa-3071']!.fingerprintLine.split(' ')[0]), '', /bits: 3072 or more/],
  ] as const)('reads %s', { timeout: 30_000 }, (file, passphrase, format, type, bits, comment, warning) => {
    const text = privateFixture(file);
    const k = importPrivateKey(text, passphrase ? { passphrase } : {});
    expect(k).toMatchObject({ format, type, bits, comment, wasEncrypted: passphrase !== undefined, encrypted: false });
    if (warning) expect(k.warnings.join('\n')).toMatch(warning);
    else expect(k.warnings).toEqual([]);

    const expected = EXPECTED[file];
    if (expected) {
      expect(typeAndBlob(k.publicKey)).toBe(typeAndBlob(expected.publicKey));
      expect(k.fingerprintLine).toBe(expected.fingerprintLine);
    } else {
      // not readable by this ssh-keygen (ed25519 PKCS#8): compare with node's own public key
      const jwk = createPublicKey({ key: text, format: 'pem', ...(passphrase ? { passphrase } : {}) }).export({ format: 'jwk' });
      expect(parsePublicKeyLine(k.publicKey).blob.subarray(-32).toString('base64url')).toBe(jwk.x);
    }
    // stored form: unencrypted OpenSSH that ssh-keygen opens without a passphrase
    const env = readOpenSshEnvelope(k.privateKey);
    expect(typeof env !== 'string' && env.cipher).toBe('none');
    if (HAVE_SSH_KEYGEN) expect(keygenPublic(k.privateKey)).toBe(k.publicKey);
  });

  it('finds the key in a paste with CRLF, indentation and text around it', () => {
    const text = privateFixture('openssh-ed25519');
    const messy = `Here is the key:\r\n\r\n${text
      .trim()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\r\n')}\r\n\r\nthanks!`;
    expect(importPrivateKey(messy).publicKey).toBe(EXPECTED['openssh-ed25519']!.publicKey);
    expect(importPrivateKey(`\uFEFF${privateFixture('pem-ec-256').replace(/\n/g, '\r\n')}`).fingerprintLine).toBe(
      EXPECTED['pem-ec-256']!.fingerprintLine,
    );
  });

  it('uses a given comment instead of the file\'s, and warns when a passphrase was not needed', () => {
    const k = importPrivateKey(privateFixture('openssh-ed25519'), { comment: 'laptop', passphrase: 'unneeded' });
    expect(k.comment).toBe('laptop');
    expect(k.publicKey.endsWith(' laptop')).toBe(true);
    expect(k.warnings).toEqual(['This key was not passphrase-protected; the passphrase was not needed.']);
    expect(importPrivateKey(privateFixture('openssh-ed25519'), { passphrase: '' }).warnings).toEqual([]);
  });

  it('validates a given comment', () => {
    expectCode(() => importPrivateKey(privateFixture('openssh-ed25519'), { comment: 'two\nlines' }), 'VALIDATION', /comment/);
  });

  it('cleans control characters out of a file\'s comment', () => {
    const m = materialFromKeyObject(generateKeyPairSync('ed25519').privateKey);
    expect(importPrivateKey(encodeOpenSshPrivateKey(m, 'evil\ncomment\t\x07x')).comment).toBe('evil comment x');
  });
});

describe('importPrivateKey: passphrases', () => {
  it.each(['openssh-ed25519-enc', 'openssh-ed25519-gcm', 'openssh-rsa-3072-enc', 'pem-rsa-3072-enc', 'pem-ec-521-enc', 'pkcs8-ec-384-enc', 'pkcs8-ed25519-enc'])(
    '%s: KEY_PASSPHRASE_REQUIRED without one, KEY_WRONG_PASSPHRASE with a wrong one',
    { timeout: 30_000 },
    (file) => {
      const text = privateFixture(file);
      const e = expectCode(() => importPrivateKey(text), 'KEY_PASSPHRASE_REQUIRED', /protected by a passphrase/);
      expect(e.fields).toEqual({ passphrase: 'required for this key' });
      expectCode(() => importPrivateKey(text, { passphrase: 'wrong-pass' }), 'KEY_WRONG_PASSPHRASE', /Wrong passphrase/);
    },
  );
});

describe('importPrivateKey: refusals', () => {
  it.each([
    ['openssh-dsa', /DSA \(ssh-dss\) keys are refused/],
    ['pem-dsa', /DSA \(ssh-dss\) keys are refused/],
    ['pkcs8-dsa', /DSA \(ssh-dss\) keys are refused/],
    ['rsa-1024', /1024 bits; keys under 2048 bits can be factored/],
    ['ec-secp256k1', /curve secp256k1 are not usable with SSH/],
    ['pkcs8-ed448', /ed448 keys are not supported/],
    ['openssh-ed25519-chacha', /encrypted with chacha20-poly1305@openssh\.com.*ssh-keygen -p -Z aes256-ctr/],
  ])('refuses %s with KEY_UNSUPPORTED and the reason', (file, reason) => {
    expectCode(() => importPrivateKey(privateFixture(file), { passphrase: FIXTURE_PASS }), 'KEY_UNSUPPORTED', reason);
  });

  const ed = privateFixture('openssh-ed25519');
  const edPub = EXPECTED['openssh-ed25519']!.publicKey;

  it.each([
    ['empty text', '  \n ', /empty/],
    ['a public key line', edPub, /This is a public key \(ssh-ed25519, SHA256:/],
    ['an authorized_keys line with options', `no-pty,from="10.0.0.0/8" ${edPub}`, /public key \(an authorized_keys or \.pub line\)/],
    ['an RFC 4716 public key', '---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----', /RFC 4716/],
    ['a PuTTY key', 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n', /PuTTY private key \(\.ppk, format 3\).*puttygen/],
    ['an ssh.com key', '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nxx\n---- END SSH2 ENCRYPTED PRIVATE KEY ----', /ssh\.com/],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', /X\.509 certificate, not a private key/],
    ['a PEM public key', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----', /PEM public key, not a private key/],
    ['prose', 'hello, this is not a key', /No key found/],
    ['a truncated OpenSSH key', ed.slice(0, ed.indexOf('-----END')), /no matching END line/],
    ['OpenSSH with a non-base64 body', '-----BEGIN OPENSSH PRIVATE KEY-----\n!!!!\n-----END OPENSSH PRIVATE KEY-----', /not base64/],
    ['OpenSSH with the wrong magic', '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAAAAAAAAAAAAAAAAAAAAA\n-----END OPENSSH PRIVATE KEY-----', /openssh-key-v1/],
    ['PKCS#8 with garbage inside', '-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----', /^PKCS#8 private key, but it cannot be read/],
    ['a PEM RSA key with garbage inside', '-----BEGIN RSA PRIVATE KEY-----\nAAAAAAAA\n-----END RSA PRIVATE KEY-----', /^PEM \(PKCS#1\) RSA private key, but/],
    ['an oversized text', 'x'.repeat(70_000), /at most 65536/],
  ])('refuses %s with KEY_INVALID saying what it saw', (_what, text, message) => {
    expectCode(() => importPrivateKey(text), 'KEY_INVALID', message);
  });

  it('refuses an OpenSSH key whose body was damaged', () => {
    const lines = ed.split('\n');
    // change a character inside the private section (line 4 of 7)
    lines[4] = `${lines[4]!.slice(0, 10)}${lines[4]![10] === 'A' ? 'B' : 'A'}${lines[4]!.slice(11)}`;
    expectCode(() => importPrivateKey(lines.join('\n')), 'KEY_INVALID', /OpenSSH private key, but/);
  });

  /** Rebuilds an OpenSSH key text with some outer fields replaced. */
  function rebuilt(text: string, change: { kdfOptions?: Buffer; cipher?: string; kdf?: string; publicBlob?: Buffer }): string {
    const env = readOpenSshEnvelope(text);
    if (typeof env === 'string') throw new Error(env);
    const body = new SshWriter()
      .raw(Buffer.from('openssh-key-v1\0', 'latin1'))
      .string(change.cipher ?? env.cipher)
      .string(change.kdf ?? env.kdf)
      .string(change.kdfOptions ?? (env.salt ? new SshWriter().string(env.salt).uint32(env.rounds!).toBuffer() : Buffer.alloc(0)))
      .uint32(1)
      .string(change.publicBlob ?? env.publicBlobs[0]!)
      .string(env.privateSection)
      .toBuffer()
      .toString('base64');
    return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.match(/.{1,70}/g)!.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
  }

  it('refuses a bcrypt cost above the limit before doing any work', () => {
    const enc = privateFixture('openssh-ed25519-enc');
    const env = readOpenSshEnvelope(enc);
    if (typeof env === 'string') throw new Error(env);
    const costly = rebuilt(enc, { kdfOptions: new SshWriter().string(env.salt!).uint32(4_000_000_000).toBuffer() });
    const t = performance.now();
    expectCode(() => importPrivateKey(costly, { passphrase: FIXTURE_PASS }), 'KEY_UNSUPPORTED', /4000000000 bcrypt rounds.*ssh-keygen -p -a 16/);
    expect(performance.now() - t).toBeLessThan(500);
    expectCode(() => importPrivateKey(rebuilt(enc, { cipher: 'none' })), 'KEY_INVALID', /do not go together/);
    expectCode(() => importPrivateKey(rebuilt(enc, { kdf: 'scrypt' }), { passphrase: 'x' }), 'KEY_INVALID', /key derivation "scrypt" is unknown/);
  });

  it('refuses an OpenSSH key whose public half belongs to another key', () => {
    const other = parsePublicKeyLine(EXPECTED['openssh-ed25519-enc']!.publicKey).blob;
    expectCode(() => importPrivateKey(rebuilt(ed, { publicBlob: other })), 'KEY_INVALID', /do not belong together/);
  });
});
