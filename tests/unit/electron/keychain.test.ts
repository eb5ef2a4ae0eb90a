/**
 * The safeStorage adapter. safeStorage is mocked: isEncryptionAvailable and the Linux backend
 * are whatever each test says, and encryptString/decryptString are a reversible transform that,
 * like the real one, only takes strings and rejects blobs it did not make.
 */
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => {
  const MAGIC = 'v11';
  const safeStorage = {
    isEncryptionAvailable: vi.fn(() => true),
    getSelectedStorageBackend: vi.fn((): string => 'gnome_libsecret'),
    encryptString: vi.fn((plain: string): Buffer => {
      if (typeof plain !== 'string') throw new TypeError('encryptString takes a string');
      const bytes = Buffer.from(plain, 'utf8').map((b) => b ^ 0xa5);
      return Buffer.concat([Buffer.from(MAGIC), bytes.reverse()]);
    }),
    decryptString: vi.fn((cipher: Buffer): string => {
      if (!Buffer.isBuffer(cipher) || cipher.subarray(0, MAGIC.length).toString() !== MAGIC) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(Buffer.from(cipher.subarray(MAGIC.length)).reverse().map((b) => b ^ 0xa5)).toString('utf8');
    }),
  };
  return { safeStorage };
});

vi.mock('electron', () => ({ safeStorage: h.safeStorage }));

import { safeStorageKeychain } from '../../../main/platform/keychain';
import { unwrapWithKeychain, wrapWithKeychain } from '../../../main/services/vault/keychain';
import { BulwarkError } from '../../../shared/errors';

function linuxWith(backend: string, encryptionAvailable = true) {
  h.safeStorage.isEncryptionAvailable.mockReturnValue(encryptionAvailable);
  h.safeStorage.getSelectedStorageBackend.mockReturnValue(backend);
  return safeStorageKeychain('linux');
}

beforeEach(() => {
  vi.clearAllMocks();
  h.safeStorage.isEncryptionAvailable.mockReturnValue(true);
  h.safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret');
});

describe('safeStorageKeychain status on Linux', () => {
  it("refuses the 'basic_text' backend and says why", () => {
    // Electron reports encryption as available with basic_text: the backend check is what refuses
    const status = linuxWith('basic_text', true).status();
    expect(status.available).toBe(false);
    expect(status.reason).toContain('basic_text');
    expect(status.reason).toMatch(/GNOME Keyring|KWallet/);
    expect(h.safeStorage.getSelectedStorageBackend).toHaveBeenCalled();
  });

  it("refuses the 'unknown' backend", () => {
    const status = linuxWith('unknown', true).status();
    expect(status.available).toBe(false);
    expect(status.reason).toEqual(expect.any(String));
  });

  it('refuses when isEncryptionAvailable() is false, whatever the backend claims', () => {
    const status = linuxWith('gnome_libsecret', false).status();
    expect(status.available).toBe(false);
    expect(status.reason).toEqual(expect.any(String));
    expect(status.reason!.length).toBeGreaterThan(10);
  });

  it.each(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])('accepts %s', (backend) => {
    expect(linuxWith(backend).status()).toEqual({ available: true });
  });

  it('re-reads the backend on every call instead of caching the first answer', () => {
    const keychain = linuxWith('gnome_libsecret');
    expect(keychain.status().available).toBe(true);
    h.safeStorage.getSelectedStorageBackend.mockReturnValue('basic_text');
    expect(keychain.status().available).toBe(false);
  });

  it('defaults to process.platform', () => {
    h.safeStorage.getSelectedStorageBackend.mockReturnValue('basic_text');
    const expected = process.platform === 'linux' ? false : true;
    expect(safeStorageKeychain().status().available).toBe(expected);
  });
});

describe('safeStorageKeychain status on macOS and Windows', () => {
  it.each(['darwin', 'win32'] as const)('%s: accepts without asking for a backend', (platform) => {
    // even a mock that would say basic_text is never consulted there (the API is Linux-only)
    h.safeStorage.getSelectedStorageBackend.mockReturnValue('basic_text');
    expect(safeStorageKeychain(platform).status()).toEqual({ available: true });
    expect(h.safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });

  it.each(['darwin', 'win32'] as const)('%s: refuses when encryption is unavailable', (platform) => {
    h.safeStorage.isEncryptionAvailable.mockReturnValue(false);
    expect(safeStorageKeychain(platform).status().available).toBe(false);
  });
});

describe('safeStorageKeychain encrypt/decrypt', () => {
  it('round-trips arbitrary bytes (not only valid UTF-8) through safeStorage', () => {
    const keychain = safeStorageKeychain('linux');
    const plain = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28]), randomBytes(64)]);
    const cipher = keychain.encrypt(plain);
    expect(h.safeStorage.encryptString).toHaveBeenCalledTimes(1);
    expect(Buffer.isBuffer(cipher)).toBe(true);
    expect(cipher.includes(plain)).toBe(false);
    const back = keychain.decrypt(cipher);
    expect(h.safeStorage.decryptString).toHaveBeenCalledTimes(1);
    expect(back.equals(plain)).toBe(true);
  });

  it('hands safeStorage a string and never the raw bytes', () => {
    safeStorageKeychain('darwin').encrypt(Buffer.from([1, 2, 3]));
    const [arg] = h.safeStorage.encryptString.mock.calls[0]!;
    expect(typeof arg).toBe('string');
  });

  it('lets a decrypt failure surface as an error (the vault turns it into KEYCHAIN_UNAVAILABLE)', () => {
    expect(() => safeStorageKeychain('linux').decrypt(Buffer.from('not ours'))).toThrow(/decrypt/);
  });
});

describe('safeStorageKeychain inside the vault keychain slot', () => {
  it('wraps and unwraps a vault key', () => {
    const keychain = linuxWith('kwallet5');
    const vaultKey = randomBytes(32);
    const slot = wrapWithKeychain(vaultKey, keychain);
    // safeStorage only ever sees the random wrap key, never the vault key
    const seen = Buffer.from(h.safeStorage.encryptString.mock.calls[0]![0], 'base64');
    expect(seen).toHaveLength(32);
    expect(seen.equals(vaultKey)).toBe(false);
    expect(unwrapWithKeychain(slot, keychain).equals(vaultKey)).toBe(true);
  });

  it("refuses to enroll on 'basic_text' without calling encryptString", () => {
    const keychain = linuxWith('basic_text');
    let error: unknown;
    try {
      wrapWithKeychain(randomBytes(32), keychain);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BulwarkError);
    expect((error as BulwarkError).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect((error as BulwarkError).message).toContain('basic_text');
    expect(h.safeStorage.encryptString).not.toHaveBeenCalled();
  });
});
