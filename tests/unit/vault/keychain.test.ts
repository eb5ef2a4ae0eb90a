import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeychainAdapter } from '../../../main/services/vault';
import { PASS, copyFixture, expectCode, makeFixture, removeTempDirs, type Fixture, SLOW } from './helpers';

/** Stands in for safeStorage: real encryption under a key that "the OS" holds. */
function fakeKeychain(opts: { available?: boolean; reason?: string } = {}) {
  let osKey = randomBytes(32);
  const seen: Buffer[] = [];
  const adapter: KeychainAdapter & { reset(): void; seen: Buffer[] } = {
    seen,
    status: () => (opts.available === false ? { available: false, reason: opts.reason ?? 'no keyring' } : { available: true }),
    encrypt(plain) {
      seen.push(Buffer.from(plain));
      const iv = randomBytes(16);
      const c = createCipheriv('aes-256-cbc', osKey, iv);
      return Buffer.concat([iv, c.update(plain), c.final()]);
    },
    decrypt(blob) {
      const d = createDecipheriv('aes-256-cbc', osKey, blob.subarray(0, 16));
      return Buffer.concat([d.update(blob.subarray(16)), d.final()]);
    },
    reset() {
      osKey = randomBytes(32);
    },
  };
  return adapter;
}

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture([{ kind: 'host', id: 'h1', value: { name: 'alpha' } }]);
}, SLOW.timeout);
afterAll(removeTempDirs);

describe('keychain slot', SLOW, () => {
  it('enroll, unlock with it, remove', () => {
    const v = copyFixture(fx);
    const kc = fakeKeychain();
    expect(v.keychainEnrolled()).toBe(false);
    expectCode(() => v.enrollKeychain(kc), 'VAULT_LOCKED');
    expectCode(() => v.unlockWithKeychain(kc), 'KEYCHAIN_NOT_ENROLLED');
    v.unlock(PASS);
    v.enrollKeychain(kc);
    expect(v.keychainEnrolled()).toBe(true);
    // the adapter never sees the vault key, only a random wrap key
    const vaultKey = (v as unknown as { session: { vaultKey: Buffer } }).session.vaultKey;
    expect(kc.seen).toHaveLength(1);
    expect(kc.seen[0]!.equals(vaultKey)).toBe(false);
    v.lock();
    expect(v.keychainEnrolled()).toBe(true); // readable while locked, for the status screen
    const states: string[] = [];
    v.onStateChange((s) => states.push(s));
    v.unlockWithKeychain(kc);
    expect(states).toEqual(['unlocked']);
    expect(v.get('host', 'h1')).toEqual({ name: 'alpha' });
    v.removeKeychain();
    expect(v.keychainEnrolled()).toBe(false);
    v.lock();
    expectCode(() => v.unlockWithKeychain(kc), 'KEYCHAIN_NOT_ENROLLED');
    v.unlock(PASS); // metadata MAC still valid after add + remove
    v.close();
  });

  it('enrollKeychain refuses with KEYCHAIN_UNAVAILABLE and the adapter\'s reason', () => {
    const v = copyFixture(fx);
    v.unlock(PASS);
    const reason = "Electron would use the 'basic_text' backend";
    expectCode(() => v.enrollKeychain(fakeKeychain({ available: false, reason })), 'KEYCHAIN_UNAVAILABLE', /basic_text/);
    expect(v.keychainEnrolled()).toBe(false);
    v.close();
  });

  it('unlockWithKeychain: unavailable keychain, reset keyring, or a throwing adapter each say so', () => {
    const v = copyFixture(fx);
    const kc = fakeKeychain();
    v.unlock(PASS);
    v.enrollKeychain(kc);
    v.lock();
    expectCode(() => v.unlockWithKeychain(fakeKeychain({ available: false, reason: 'keyring locked' })), 'KEYCHAIN_UNAVAILABLE', /keyring locked/);
    kc.reset(); // decrypt now fails (CBC padding) or yields another key
    expectCode(() => v.unlockWithKeychain(kc), 'KEYCHAIN_UNAVAILABLE');
    const liar: KeychainAdapter = { status: () => ({ available: true }), encrypt: (b) => b, decrypt: () => randomBytes(32) };
    expectCode(() => v.unlockWithKeychain(liar), 'KEYCHAIN_UNAVAILABLE', /no longer matches/);
    expect(v.state()).toBe('locked');
    v.unlock(PASS);
    v.close();
  });
});
