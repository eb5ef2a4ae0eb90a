/**
 * Composition of the domain services for one running app (Electron, start:web or the browser
 * tests). Electron-only capabilities arrive as adapters, so this file runs under plain Node.
 */
import { AutoLock, Vault, type KeychainAdapter } from './vault';
import { HostStore, ProxmoxNodeStore } from './inventory';

/** Native file pickers; the tests and start:web pass their own. */
export interface FileDialogs {
  chooseSavePath(options: { title: string; defaultName: string }): Promise<string | null>;
  chooseOpenPath(options: { title: string }): Promise<string | null>;
}

export interface AppServicesOptions {
  vaultPath: string;
  keychain: KeychainAdapter;
  dialogs: FileDialogs;
  /** Where "Read ~/.ssh/config" reads from. */
  sshConfigPath: string;
  /** Test-only override; production always uses the vault's default scrypt parameters. */
  kdf?: { N: number; r: number; p: number };
}

export interface AppServices {
  vault: Vault;
  hosts: HostStore;
  proxmoxNodes: ProxmoxNodeStore;
  autoLock: AutoLock;
  keychain: KeychainAdapter;
  dialogs: FileDialogs;
  sshConfigPath: string;
  dispose(): void;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const vault = new Vault(options.kdf ? { path: options.vaultPath, kdf: options.kdf } : { path: options.vaultPath });
  const autoLock = new AutoLock(vault);
  return {
    vault,
    hosts: new HostStore(vault),
    proxmoxNodes: new ProxmoxNodeStore(vault),
    autoLock,
    keychain: options.keychain,
    dialogs: options.dialogs,
    sshConfigPath: options.sshConfigPath,
    dispose() {
      autoLock.dispose();
      vault.close();
    },
  };
}
