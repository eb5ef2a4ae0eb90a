/**
 * The CLI's one doorway to the domain services: the same stores and SSH access the desktop app
 * composes in services/app.ts, without AutoLock or the keychain (a CLI run is short-lived and
 * reads the passphrase every time).
 */
import { BulwarkError } from '../../shared/errors';
import { type FleetAccess, type FleetAccessOptions, composeHostAccess } from '../services/access';
import { RunHistory } from '../services/hardening/history';
import type { HostSecrets, HostStore } from '../services/inventory';
import type { KeyStore } from '../services/keys';
import { Vault } from '../services/vault';
import { usageError } from './errors';

export interface VaultHandle {
  /** Absolute path of the vault file. */
  path: string;
  vault: Vault;
  hosts: HostStore;
  hostSecrets: HostSecrets;
  keys: KeyStore;
  /** SSH to inventory hosts with vault credentials (and $SSH_AUTH_SOCK's agent). */
  access: FleetAccess;
  /** Hardening runs recorded in this vault. */
  history: RunHistory;
  /** Closes SSH connections, locks (wiping the keys) and releases the file. Idempotent. */
  close(): Promise<void>;
}

/**
 * scrypt cost for BULWARK_TEST_KDF=fast (128 KiB instead of 128 MiB). FOR TESTS ONLY: a vault
 * created this way is cheap to brute-force. Not mentioned in --help. Two guards: the CLI honours
 * the variable only inside a test run (NODE_ENV=test or VITEST set) and refuses it otherwise,
 * and the Vault refuses a cost below its 64 MiB floor outside a test run.
 */
export const TEST_KDF = Object.freeze({ N: 1024, r: 1, p: 1 });

type Env = Readonly<Record<string, string | undefined>>;

export function kdfFromEnv(env: Env): { N: number; r: number; p: number } | undefined {
  const v = env.BULWARK_TEST_KDF;
  if (v === undefined || v === '') return undefined;
  if (v !== 'fast') throw usageError('BULWARK_TEST_KDF must be "fast" or unset');
  if (env.NODE_ENV !== 'test' && env.VITEST === undefined) {
    throw usageError('BULWARK_TEST_KDF is for automated tests only (it makes the vault easy to crack); unset it');
  }
  return { ...TEST_KDF };
}

/** Engine settings a command may change, e.g. `--timeout` as the connect timeout. */
export type SshTuning = NonNullable<FleetAccessOptions['engine']>;

export interface OpenOptions {
  ssh?: SshTuning;
}

export function openVault(path: string, env: Env, options: OpenOptions = {}): VaultHandle {
  const kdf = kdfFromEnv(env);
  let vault: Vault;
  try {
    vault = new Vault(kdf ? { path, kdf } : { path });
  } catch (e) {
    if (kdf && e instanceof BulwarkError && e.code === 'INTERNAL') {
      throw usageError('BULWARK_TEST_KDF is for automated tests only (it makes the vault easy to crack); unset it');
    }
    throw e;
  }
  const { hosts, hostSecrets, keys, access } = composeHostAccess(vault, {
    agentSocket: env.SSH_AUTH_SOCK || undefined,
    ...(options.ssh ? { engine: options.ssh } : {}),
  });
  return {
    path: vault.path,
    vault,
    hosts,
    hostSecrets,
    keys,
    access,
    history: new RunHistory(vault),
    async close() {
      await access.dispose();
      vault.close();
    },
  };
}
