/** A real, unlocked vault in a temp directory (fast scrypt), for the inventory tests. */
import { join } from 'node:path';
import { Vault } from '../../../main/services/vault';
import { FAST_KDF, PASSPHRASE, tempDir } from './helpers';

export interface OpenVault {
  vault: Vault;
  path: string;
  close(): void;
}

export function openVault(now?: () => number): OpenVault {
  const { dir, cleanup } = tempDir('bulwark-inv-vault-');
  const path = join(dir, 'vault.db');
  const vault = new Vault(now ? { path, kdf: FAST_KDF, now } : { path, kdf: FAST_KDF });
  vault.create(PASSPHRASE);
  if (vault.state() !== 'unlocked') vault.unlock(PASSPHRASE);
  return {
    vault,
    path,
    close() {
      vault.close();
      cleanup();
    },
  };
}
