import { createDecipheriv, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { utils } from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPair, importPrivateKey, parsePublicKeyLine } from '../../../main/services/keys';
import { keyPairText } from '../../../main/services/keys/generate';
import { materialFromKeyObject } from '../../../main/services/keys/material';
import { deriveCipherKey, encodeOpenSshPrivateKey, readOpenSshEnvelope } from '../../../main/services/keys/openssh-private';
import {
  FIXTURE_PASS,
  HAVE_SSH_KEYGEN,
  expectCodeAsync,
  keygenFingerprints,
  keygenPublic,
  privateFixture,
  removeTempDirs,
  typeAndBlob,
} from './helpers';

afterAll(removeTempDirs);

/** The key material of an OpenSSH file, read by ssh2 (independently of our encoder). */
function materialOf(text: string, passphrase?: string) {
  const parsed = utils.parseKey(text, passphrase);
  if (parsed instanceof Error) throw parsed;
  return materialFromKeyObject(createPrivateKey(parsed.getPrivatePEM()));
}

describe('generateKeyPair', () => {
  it('makes 2,000 ed25519 keys that ssh2 parses back without a single failure', { timeout: 180_000 }, async () => {
    const started = performance.now();
    const keys = [];
    for (let i = 0; i < 2000; i++) keys.push(await generateKeyPair({ comment: `k${i}` }));
    const elapsed = performance.now() - started;
    console.log(`generated and self-tested 2,000 ed25519 keys in ${Math.round(elapsed)} ms`);

    let failures = 0;
    const fingerprints = new Set<string>();
    for (const k of keys) {
      const parsed = utils.parseKey(k.privateKey);
      const pub = utils.parseKey(k.publicKey);
      if (parsed instanceof Error || pub instanceof Error || !parsed.getPublicSSH().equals(pub.getPublicSSH())) failures++;
      fingerprints.add(k.fingerprint);
    }
    expect(failures).toBe(0);
    expect(fingerprints.size).toBe(2000);

    if (HAVE_SSH_KEYGEN) {
      for (const k of keys.filter((_k, i) => i % 100 === 0)) {
        expect(keygenPublic(k.privateKey)).toBe(k.publicKey);
        expect(keygenFingerprints(k.publicKey)).toEqual([k.fingerprintLine]);
      }
    }
  });

  it('encodes a public key starting with a zero byte (the case ssh2 gets wrong) in full', () => {
    let pair = generateKeyPairSync('ed25519');
    while (Buffer.from(pair.publicKey.export({ format: 'jwk' }).x!, 'base64url')[0] !== 0) pair = generateKeyPairSync('ed25519');
    const out = keyPairText(materialFromKeyObject(pair.privateKey), 'zero');
    expect(out.problem).toBeNull();
    const info = parsePublicKeyLine(out.pair!.publicKey);
    expect(info.blob.length).toBe(4 + 11 + 4 + 32);
    expect(utils.parseKey(out.pair!.privateKey)).not.toBeInstanceOf(Error);
    if (HAVE_SSH_KEYGEN) expect(keygenPublic(out.pair!.privateKey)).toBe(out.pair!.publicKey);
  });

  it.each([
    ['rsa', 0, 4096],
    ['rsa', 3072, 3072],
    ['ecdsa', 0, 256],
    ['ecdsa', 384, 384],
    ['ecdsa', 521, 521],
    ['ed25519', 0, 256],
  ] as const)('generates %s keys (bits %i = default when 0) that ssh-keygen reads, %i bits', { timeout: 60_000 }, async (type, bits, expectedBits) => {
    const k = await generateKeyPair({ type, ...(bits ? { bits } : {}), comment: 'me@laptop' });
    expect(k).toMatchObject({ type, bits: expectedBits, comment: 'me@laptop', encrypted: false });
    expect(k.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END OPENSSH PRIVATE KEY-----\n$/);
    if (HAVE_SSH_KEYGEN) {
      expect(keygenPublic(k.privateKey)).toBe(k.publicKey);
      expect(keygenFingerprints(k.publicKey)).toEqual([k.fingerprintLine]);
    }
  });

  it('writes passphrase-protected keys as ssh-keygen does: aes256-ctr, bcrypt, 16-byte salt, 16 rounds, 70 columns', async () => {
    const k = await generateKeyPair({ comment: 'fixture@bulwark-test', passphrase: 'correct horse' });
    expect(k.encrypted).toBe(true);
    const ours = readOpenSshEnvelope(k.privateKey);
    const theirs = readOpenSshEnvelope(privateFixture('openssh-ed25519-enc'));
    if (typeof ours === 'string' || typeof theirs === 'string') throw new Error('unreadable envelope');
    expect(ours).toMatchObject({ cipher: 'aes256-ctr', kdf: 'bcrypt', rounds: 16 });
    expect(ours.salt!.length).toBe(16);
    expect([ours.cipher, ours.kdf, ours.rounds, ours.salt!.length, ours.lineWidths]).toEqual([
      theirs.cipher,
      theirs.kdf,
      theirs.rounds,
      theirs.salt!.length,
      theirs.lineWidths,
    ]);
    expect(utils.parseKey(k.privateKey)).toBeInstanceOf(Error);
    expect(utils.parseKey(k.privateKey, 'correct horse')).not.toBeInstanceOf(Error);
    if (HAVE_SSH_KEYGEN) {
      expect(keygenPublic(k.privateKey, 'correct horse')).toBe(k.publicKey);
      expect(keygenPublic(k.privateKey, 'wrong horse')).toBeNull();
      expect(keygenPublic(k.privateKey, '')).toBeNull();
    }
    // two keys never share a salt
    const again = readOpenSshEnvelope((await generateKeyPair({ passphrase: 'correct horse' })).privateKey);
    expect(typeof again !== 'string' && again.salt!.equals(ours.salt!)).toBe(false);
  });

  it.each(['openssh-ed25519', 'openssh-rsa-3072', 'openssh-ecdsa-256', 'openssh-ecdsa-521'])(
    'reproduces ssh-keygen\'s unencrypted %s file byte for byte given its check number',
    (name) => {
      const original = privateFixture(name);
      const env = readOpenSshEnvelope(original);
      if (typeof env === 'string') throw new Error(env);
      const checkInt = env.privateSection.readUInt32BE(0);
      expect(encodeOpenSshPrivateKey(materialOf(original), 'fixture@bulwark-test', { checkInt })).toBe(original);
    },
  );

  it.each(['openssh-ed25519-enc', 'openssh-ecdsa-384-enc'])(
    'reproduces ssh-keygen\'s encrypted %s file byte for byte given its salt and check number',
    (name) => {
      const original = privateFixture(name);
      const env = readOpenSshEnvelope(original);
      if (typeof env === 'string') throw new Error(env);
      const { key, iv } = deriveCipherKey(FIXTURE_PASS, env.salt!, env.rounds!);
      const plain = createDecipheriv('aes-256-ctr', key, iv).update(env.privateSection);
      const again = encodeOpenSshPrivateKey(materialOf(original, FIXTURE_PASS), 'fixture@bulwark-test', {
        passphrase: FIXTURE_PASS,
        salt: env.salt!,
        rounds: env.rounds!,
        checkInt: plain.readUInt32BE(0),
      });
      expect(again).toBe(original);
    },
  );

  it('keeps the comment in the private key file', async () => {
    const k = await generateKeyPair({ comment: 'ops key ✓' });
    const parsed = utils.parseKey(k.privateKey);
    expect(parsed instanceof Error ? null : parsed.comment).toBe('ops key ✓');
    expect(k.publicKey.endsWith(' ops key ✓')).toBe(true);
    expect(importPrivateKey(k.privateKey).comment).toBe('ops key ✓');
  });

  it('has no comment part when the comment is empty, like ssh-keygen -C ""', async () => {
    const k = await generateKeyPair();
    expect(k.publicKey.split(' ')).toHaveLength(2);
    expect(k.fingerprintLine).toMatch(/^256 SHA256:[A-Za-z0-9+/]{43} no comment \(ED25519\)$/);
    expect(typeAndBlob(k.publicKey)).toBe(k.publicKey);
  });

  it('refuses bad options with VALIDATION naming the field', async () => {
    await expectCodeAsync(() => generateKeyPair({ type: 'rsa', bits: 2048 }), 'VALIDATION', /bits: rsa keys can be generated with 4096 or 3072 bits/);
    await expectCodeAsync(() => generateKeyPair({ type: 'dsa' as never }), 'VALIDATION', /type/);
    await expectCodeAsync(() => generateKeyPair({ type: 'ecdsa', bits: 255 }), 'VALIDATION', /bits/);
    await expectCodeAsync(() => generateKeyPair({ comment: 'two\nlines' }), 'VALIDATION', /comment/);
    await expectCodeAsync(() => generateKeyPair({ comment: 'x'.repeat(256) }), 'VALIDATION', /comment/);
    await expectCodeAsync(() => generateKeyPair({ passphrase: '' }), 'VALIDATION', /passphrase/);
  });
});
