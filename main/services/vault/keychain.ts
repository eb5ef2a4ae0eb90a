/**
 * The optional OS-keychain slot. The adapter (Electron safeStorage, in main/platform) only ever
 * sees a random per-enrollment wrap key, never the vault key itself; the vault key is sealed
 * under that wrap key in the vault file.
 */
import { BulwarkError } from '../../../shared/errors';
import { KEY_BYTES, open, randomBytes, seal, wipe } from './crypto';
import type { KeychainSlot } from './meta';
import { KEYCHAIN_AAD } from './slots';

export interface KeychainAdapter {
  status(): { available: boolean; reason?: string };
  encrypt(plain: Buffer): Buffer;
  decrypt(c: Buffer): Buffer;
}

function requireAvailable(k: KeychainAdapter): void {
  const s = k.status();
  if (!s.available) {
    throw new BulwarkError('KEYCHAIN_UNAVAILABLE', s.reason ?? 'The OS keychain is not available.');
  }
}

export function wrapWithKeychain(vaultKey: Buffer, k: KeychainAdapter): KeychainSlot {
  requireAvailable(k);
  const wrapKey = randomBytes(KEY_BYTES);
  try {
    let osBlob: Buffer;
    try {
      osBlob = Buffer.from(k.encrypt(wrapKey));
    } catch (e) {
      throw new BulwarkError('KEYCHAIN_UNAVAILABLE', `The OS keychain refused to store the key: ${(e as Error).message}`);
    }
    return { osBlob, wrapped: seal(wrapKey, vaultKey, KEYCHAIN_AAD) };
  } finally {
    wipe(wrapKey);
  }
}

export function unwrapWithKeychain(slot: KeychainSlot, k: KeychainAdapter): Buffer {
  requireAvailable(k);
  let wrapKey: Buffer;
  try {
    wrapKey = k.decrypt(slot.osBlob);
  } catch (e) {
    throw new BulwarkError('KEYCHAIN_UNAVAILABLE', `The OS keychain could not read the vault key: ${(e as Error).message}`);
  }
  try {
    const key = wrapKey.length === KEY_BYTES ? open(wrapKey, slot.wrapped, KEYCHAIN_AAD) : null;
    if (!key || key.length !== KEY_BYTES) {
      // e.g. the OS keyring was reset: the adapter answers, but with a different key
      throw new BulwarkError(
        'KEYCHAIN_UNAVAILABLE',
        'The OS keychain entry no longer matches this vault. Unlock with your passphrase and turn keychain unlock on again.',
      );
    }
    return key;
  } finally {
    wipe(wrapKey);
  }
}
