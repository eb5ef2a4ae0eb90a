import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintLine, parsePublicKeyLine, publicKeyLine } from '../../../main/services/keys';
import { EXPECTED, HAVE_SSH_KEYGEN, expectCode, keygenFingerprints, removeTempDirs, tempDir } from './helpers';

afterAll(removeTempDirs);

describe('fingerprints', () => {
  it.each(Object.entries(EXPECTED))('prints what ssh-keygen -lf printed for %s', (_name, expected) => {
    const info = parsePublicKeyLine(expected.publicKey);
    expect(fingerprintLine(info.bits!, info.fingerprint, info.comment, info.sshType)).toBe(expected.fingerprintLine);
    expect(expected.fingerprintLine).toContain(` ${info.fingerprint} `);
    expect(publicKeyLine(info.sshType, info.blob, info.comment)).toBe(expected.publicKey);
  });

  it('covers ed25519, RSA (3072 and an odd 3070-bit modulus), every ECDSA curve, and DSA labels', () => {
    const lines = Object.values(EXPECTED).map((e) => e.fingerprintLine);
    for (const suffix of ['(ED25519)', '(RSA)', '(ECDSA)', '(DSA)']) expect(lines.some((l) => l.endsWith(suffix))).toBe(true);
    for (const bits of ['256 ', '384 ', '521 ', '3072 ', '3070 ', '2048 ']) expect(lines.some((l) => l.startsWith(bits))).toBe(true);
  });

  it.skipIf(!HAVE_SSH_KEYGEN).each([
    ['ed25519', []],
    ['rsa', ['-b', '2048']],
    ['rsa', ['-b', '3072']],
    ['ecdsa', ['-b', '256']],
    ['ecdsa', ['-b', '384']],
    ['ecdsa', ['-b', '521']],
  ])('agrees with ssh-keygen -lf on a fresh %s key %s', { timeout: 30_000 }, (type, extra) => {
    const file = join(tempDir(), 'id');
    execFileSync('ssh-keygen', ['-q', '-t', type, ...extra, '-N', '', '-C', 'fresh key', '-f', file]);
    const pub = readFileSync(`${file}.pub`, 'utf8').trim();
    const info = parsePublicKeyLine(pub);
    expect(keygenFingerprints(pub)).toEqual([fingerprintLine(info.bits!, info.fingerprint, 'fresh key', info.sshType)]);
  });

  it('refuses lines that are not public keys with KEY_INVALID', () => {
    const [ed] = Object.values(EXPECTED).filter((e) => e.publicKey.startsWith('ssh-ed25519'));
    const blob = ed!.publicKey.split(' ')[1]!;
    expectCode(() => parsePublicKeyLine(`ssh-rsa ${blob}`), 'KEY_INVALID', /says ssh-rsa but the key inside is ssh-ed25519/);
    expectCode(() => parsePublicKeyLine(`ssh-ed25519 ${blob.slice(0, -4)}`), 'KEY_INVALID', /not a base64 key blob/);
    expectCode(() => parsePublicKeyLine(`ssh-ed25519 ${blob}!`), 'KEY_INVALID', /not a base64 key blob/);
    expectCode(() => parsePublicKeyLine('ssh-ed25519'), 'KEY_INVALID', /type base64/);
    expectCode(() => parsePublicKeyLine(`ssh-ed25519 ${blob} a\nssh-ed25519 ${blob} b`), 'KEY_INVALID', /single line/);
    expect(parsePublicKeyLine(`  ssh-ed25519\t${blob}   spaced  comment  `).comment).toBe('spaced  comment');
  });
});
