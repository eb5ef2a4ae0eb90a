/**
 * The OS keychain through Electron's safeStorage. On Linux without a secret service, Chromium
 * falls back to 'basic_text': a key hard-coded in the binary, which protects nothing, so we
 * refuse it and say why.
 */
import { safeStorage } from 'electron';
import type { KeychainAdapter } from '../services/vault';

export function safeStorageKeychain(platform: NodeJS.Platform = process.platform): KeychainAdapter {
  return {
    status() {
      if (!safeStorage.isEncryptionAvailable()) {
        return { available: false, reason: 'The operating system keychain is not available on this system.' };
      }
      if (platform === 'linux') {
        const backend = safeStorage.getSelectedStorageBackend();
        if (backend === 'unknown') {
          return { available: false, reason: 'The keychain backend is not known yet; try again once Bulwark has finished starting.' };
        }
        if (backend === 'basic_text') {
          return {
            available: false,
            reason:
              'No secret service (GNOME Keyring or KWallet) is running, so Electron would store the key under a ' +
              "built-in constant ('basic_text' backend). That would not protect it, so keychain unlock stays off. " +
              'Start a keyring daemon and restart Bulwark to use it.',
          };
        }
      }
      return { available: true };
    },
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (cipher) => Buffer.from(safeStorage.decryptString(cipher), 'base64'),
  };
}
