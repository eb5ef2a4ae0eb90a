/**
 * Composition of the domain services for one running app (Electron, start:web or the browser
 * tests). Electron-only capabilities arrive as adapters, so this file runs under plain Node.
 */
import { AutoLock, Vault, type KeychainAdapter } from './vault';
import { type HostSecrets, type HostStore, ProxmoxNodeStore } from './inventory';
import type { KeyStore } from './keys';
import { type FleetAccess, type FleetAccessOptions, composeHostAccess } from './access';
import { EventHub } from './events';
import { RunHistory } from './hardening/history';
import { ProfileStore } from './hardening/profile-store';
import { Jobs } from './jobs';
import { LogsService } from './logs/logs-service';
import { ProxmoxService } from './proxmox/proxmox-service';

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
  /** ssh-agent socket offered after the vault keys (the app passes $SSH_AUTH_SOCK). */
  agentSocket?: string | undefined;
  /** Test-only override; production always uses the vault's default scrypt parameters. */
  kdf?: { N: number; r: number; p: number };
  /** Desktop notifications (Electron's, through main/platform); absent in start:web and tests. */
  notify?: (title: string, body: string) => void;
  /** Test-only: shorter SSH timeouts. */
  ssh?: FleetAccessOptions['engine'];
}

export interface AppServices {
  vault: Vault;
  hosts: HostStore;
  hostSecrets: HostSecrets;
  keys: KeyStore;
  proxmoxNodes: ProxmoxNodeStore;
  /** Proxmox endpoints checked before they are stored, sync, and accepting guests into the inventory. */
  proxmox: ProxmoxService;
  access: FleetAccess;
  /** Hardening runs recorded in the vault. */
  history: RunHistory;
  /** Custom hardening profiles (the built-in ones are code). */
  profiles: ProfileStore;
  jobs: Jobs;
  /** Live auth and fail2ban logs of followed hosts, and their history. */
  logs: LogsService;
  events: EventHub;
  autoLock: AutoLock;
  keychain: KeychainAdapter;
  dialogs: FileDialogs;
  sshConfigPath: string;
  dispose(): Promise<void>;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const vault = new Vault(options.kdf ? { path: options.vaultPath, kdf: options.kdf } : { path: options.vaultPath });
  const autoLock = new AutoLock(vault);
  const { hosts, hostSecrets, keys, access } = composeHostAccess(vault, {
    agentSocket: options.agentSocket,
    ...(options.ssh ? { engine: options.ssh } : {}),
  });
  const jobs = new Jobs();
  const events = new EventHub();
  vault.onStateChange((state, reason) => {
    // a locked vault ends every fleet job: their credentials are gone
    if (state !== 'unlocked') jobs.cancelAll();
    events.emit('vault:stateChanged', reason ? { state, reason } : { state });
  });
  const logs = new LogsService({
    vault,
    hosts,
    access,
    onEvents: (batch) => events.emit('logs:events', { events: batch }),
    onStatus: (status) => events.emit('logs:status', status),
    onAlert: (alert) => {
      events.emit('logs:alert', alert);
      options.notify?.(alert.title, alert.body);
    },
  });
  const proxmoxNodes = new ProxmoxNodeStore(vault);
  return {
    vault,
    hosts,
    hostSecrets,
    keys,
    proxmoxNodes,
    proxmox: new ProxmoxService({ vault, endpoints: proxmoxNodes, hosts, access }),
    access,
    history: new RunHistory(vault),
    profiles: new ProfileStore(vault),
    jobs,
    logs,
    events,
    autoLock,
    keychain: options.keychain,
    dialogs: options.dialogs,
    sshConfigPath: options.sshConfigPath,
    async dispose() {
      jobs.cancelAll();
      autoLock.dispose();
      await logs.dispose();
      await access.dispose();
      vault.close();
    },
  };
}
