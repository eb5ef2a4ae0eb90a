import { describe, expect, it } from 'vitest';
import {
  ENGINE_KEX,
  UNSUPPORTED_PQ_KEX,
  algorithms,
  engineAccessProblems,
  kexKeepsEngineAccess,
  supportsKex,
} from '../../../main/services/ssh';

describe('engine algorithms', () => {
  it('reports what ssh2 offers and supports', () => {
    const a = algorithms();
    expect(a.offered.kex).toContain('curve25519-sha256');
    expect(a.offered.serverHostKey).toContain('ssh-ed25519');
    expect(a.offered.cipher).toEqual(expect.arrayContaining(['aes256-gcm@openssh.com', 'aes128-ctr']));
    expect(a.offered.mac).toContain('hmac-sha2-256-etm@openssh.com');
    for (const k of ['kex', 'serverHostKey', 'cipher', 'mac'] as const) {
      for (const name of a.offered[k]) expect(a.supported[k]).toContain(name);
    }
    // SHA-1 key exchange is implemented but never offered
    expect(a.supported.kex).toContain('diffie-hellman-group14-sha1');
    expect(a.offered.kex).not.toContain('diffie-hellman-group14-sha1');
  });

  it('cannot do the post-quantum hybrids', () => {
    expect(supportsKex('curve25519-sha256')).toBe(true);
    expect(supportsKex('curve25519-sha256@libssh.org')).toBe(true);
    for (const k of UNSUPPORTED_PQ_KEX) expect(supportsKex(k)).toBe(false);
    expect(supportsKex('sntrup761x25519-sha512@openssh.com')).toBe(false);
    expect(supportsKex('mlkem768x25519-sha256')).toBe(false);
  });

  it('flags a KEX list that would lock the engine out', () => {
    expect(ENGINE_KEX).toContain('curve25519-sha256');
    expect(kexKeepsEngineAccess(['sntrup761x25519-sha512@openssh.com', 'mlkem768x25519-sha256'])).toBe(false);
    expect(kexKeepsEngineAccess(['mlkem768x25519-sha256', 'curve25519-sha256'])).toBe(true);
    expect(kexKeepsEngineAccess(['diffie-hellman-group14-sha1'])).toBe(false); // supported, never offered
  });

  it('explains every category that would lock the engine out', () => {
    expect(engineAccessProblems({})).toEqual([]);
    expect(
      engineAccessProblems({
        kex: ['curve25519-sha256', 'sntrup761x25519-sha512@openssh.com'],
        ciphers: ['chacha20-poly1305@openssh.com'],
        macs: ['umac-128-etm@openssh.com'], // irrelevant with an AEAD cipher
        hostKeyAlgorithms: ['ssh-ed25519'],
      }),
    ).toEqual([]);
    const p = engineAccessProblems({
      kex: ['mlkem768x25519-sha256'],
      ciphers: ['aes256-cbc'],
      macs: ['umac-128-etm@openssh.com'],
      hostKeyAlgorithms: ['sk-ssh-ed25519@openssh.com'],
    });
    expect(p).toHaveLength(4);
    expect(p[0]).toMatch(/cannot do mlkem768x25519-sha256.*keep curve25519-sha256/);
  });
});
