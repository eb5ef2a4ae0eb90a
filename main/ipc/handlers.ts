/**
 * Maps each contract channel to the services. Requests arrive already parsed by the router,
 * replies are parsed again on the way out; this file only translates.
 */
import { readFile } from 'node:fs/promises';
import { BulwarkError } from '../../shared/errors';
import type { VaultStatus } from '../../shared/domain/vault';
import type { AppServices } from '../services/app';
import type { Handlers } from './router';
import { createHardeningHandlers } from './hardening-handlers';
import { createKeyHandlers } from './key-handlers';
import { createProfileHandlers } from './profile-handlers';
import { createReportHandlers } from './report-handlers';
import { createLogHandlers } from './log-handlers';
import { createPveHandlers } from './pve-handlers';
import { exportAnsibleInventory, importAnsibleInventory, importSshConfigWithKeys, nodeConfigFiles } from '../services/inventory';

export function vaultStatus(s: AppServices): VaultStatus {
  const keychain = s.keychain.status();
  const state = s.vault.state();
  return {
    state,
    path: s.vault.path,
    autoLockMinutes: state === 'absent' ? 15 : s.vault.getAutoLockMinutes(),
    keychain: {
      available: keychain.available,
      ...(keychain.reason ? { reason: keychain.reason } : {}),
      enrolled: state !== 'absent' && s.vault.keychainEnrolled(),
    },
  };
}

async function readSshConfig(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BulwarkError('NOT_FOUND', `No OpenSSH client config at ${path}`);
    throw new BulwarkError('IO', `Cannot read ${path}: ${(e as Error).message}`);
  }
}

export function createHandlers(s: AppServices): Handlers {
  const status = () => vaultStatus(s);
  return {
    'vault:status': status,
    'vault:create': ({ passphrase }) => {
      const { recoveryKey } = s.vault.create(passphrase);
      return { recoveryKey, status: status() };
    },
    'vault:unlock': async ({ passphrase }) => {
      // scrypt off the main thread: the window stays responsive while the key is derived
      await s.vault.unlockAsync(passphrase);
      return status();
    },
    'vault:recover': ({ recoveryKey, newPassphrase }) => {
      s.vault.recover(recoveryKey, newPassphrase);
      return status();
    },
    'vault:rotateRecoveryKey': ({ passphrase }) => s.vault.rotateRecoveryKey(passphrase),
    'vault:unlockWithKeychain': () => {
      s.vault.unlockWithKeychain(s.keychain);
      return status();
    },
    'vault:lock': () => {
      s.vault.lock('user');
      return status();
    },
    'vault:changePassphrase': ({ current, next }) => {
      s.vault.changePassphrase(current, next);
      return status();
    },
    // the router's onActivity hook already postponed the auto-lock
    'vault:touch': () => ({}),
    'vault:setAutoLock': ({ minutes }) => {
      s.vault.setAutoLockMinutes(minutes);
      s.autoLock.touch();
      return status();
    },
    'vault:setKeychain': ({ enabled }) => {
      if (enabled) s.vault.enrollKeychain(s.keychain);
      else s.vault.removeKeychain();
      return status();
    },
    'vault:export': async ({ passphrase }) => {
      const path = await s.dialogs.chooseSavePath({ title: 'Export the vault', defaultName: 'bulwark-vault.bwx' });
      if (!path) return { path: null, records: 0 };
      return { path, ...s.vault.exportTo(path, passphrase) };
    },
    'vault:import': async ({ passphrase }) => {
      const path = await s.dialogs.chooseOpenPath({ title: 'Import a vault export' });
      if (!path) return { path: null, added: 0, updated: 0 };
      return { path, ...s.vault.importFrom(path, passphrase) };
    },

    'hosts:list': () => s.hosts.list(),
    'hosts:create': ({ host }) => s.hosts.create(host),
    'hosts:update': ({ id, host }) => {
      const updated = s.hosts.update(id, host);
      s.access.loginChanged();
      return updated;
    },
    'hosts:delete': ({ ids }) => {
      const deleted = s.hosts.delete(ids);
      s.access.loginChanged();
      return { deleted };
    },
    // pasted text cannot follow Include lines; the user's own file can. IdentityFiles are
    // read from this machine either way.
    'hosts:importSshConfig': async ({ text, keyPassphrases }) => {
      const stores = { hosts: s.hosts, keys: s.keys, vault: s.vault };
      const passphrases = keyPassphrases ? { passphrases: keyPassphrases } : {};
      return text !== undefined
        ? importSshConfigWithKeys(stores, text, { source: 'the chosen file', ...passphrases })
        : importSshConfigWithKeys(stores, await readSshConfig(s.sshConfigPath), { source: s.sshConfigPath, files: nodeConfigFiles(), ...passphrases });
    },
    'hosts:importAnsible': ({ text, fileName }) => importAnsibleInventory(s.hosts, text, fileName),
    'hosts:exportAnsible': () => ({ text: exportAnsibleInventory(s.hosts.list()) }),

    ...createPveHandlers(s),

    ...createKeyHandlers(s),
    ...createHardeningHandlers(s),
    ...createProfileHandlers(s),
    ...createReportHandlers(s),
    ...createLogHandlers(s),
  };
}
