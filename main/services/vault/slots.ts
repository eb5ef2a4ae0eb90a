/**
 * Key slots: the one random vault key, sealed once per way of unlocking. Each slot type has its
 * own associated-data label so a blob moved from one slot to another never opens.
 */
import { KEY_BYTES, hkdf, open, seal, wipe } from './crypto';
import { type KdfParams, type ScryptCost, deriveKey, newKdfParams } from './kdf';
import { recoveryWrapKey } from './recovery-key';

const PASSPHRASE_AAD = Buffer.from('bulwark/slot/passphrase/v1');
const RECOVERY_AAD = Buffer.from('bulwark/slot/recovery/v1');
export const KEYCHAIN_AAD = Buffer.from('bulwark/slot/keychain/v1');

export function wrapWithPassphrase(vaultKey: Buffer, passphrase: string, cost: ScryptCost): { kdf: KdfParams; slot: Buffer } {
  const kdf = newKdfParams(cost);
  const kek = deriveKey(passphrase, kdf);
  try {
    return { kdf, slot: seal(kek, vaultKey, PASSPHRASE_AAD) };
  } finally {
    wipe(kek);
  }
}

/** null: wrong passphrase (or KDF params / slot altered, which cannot be told apart). */
export function unwrapWithPassphrase(slot: Buffer, kdf: KdfParams, passphrase: string): Buffer | null {
  const kek = deriveKey(passphrase, kdf);
  try {
    return unwrapWithKek(slot, kek);
  } finally {
    wipe(kek);
  }
}

/** With the passphrase's key already derived (deriveKeyAsync); the caller wipes `kek`. */
export function unwrapWithKek(slot: Buffer, kek: Buffer): Buffer | null {
  return checkKey(open(kek, slot, PASSPHRASE_AAD));
}

export function wrapWithRecovery(vaultKey: Buffer, recoveryKey: Buffer, vaultId: Buffer): Buffer {
  const wk = recoveryWrapKey(recoveryKey, vaultId);
  try {
    return seal(wk, vaultKey, RECOVERY_AAD);
  } finally {
    wipe(wk);
  }
}

export function unwrapWithRecovery(slot: Buffer, recoveryKey: Buffer, vaultId: Buffer): Buffer | null {
  const wk = recoveryWrapKey(recoveryKey, vaultId);
  try {
    return checkKey(open(wk, slot, RECOVERY_AAD));
  } finally {
    wipe(wk);
  }
}

function checkKey(key: Buffer | null): Buffer | null {
  if (key && key.length !== KEY_BYTES) {
    wipe(key);
    return null;
  }
  return key;
}

/** Purpose-bound subkeys of the vault key; the vault key itself never encrypts anything. */
export function deriveSubkeys(vaultKey: Buffer, vaultId: Buffer): { recordKey: Buffer; macKey: Buffer } {
  return {
    recordKey: hkdf(vaultKey, vaultId, 'bulwark/records/v1'),
    macKey: hkdf(vaultKey, vaultId, 'bulwark/meta-mac/v1'),
  };
}
