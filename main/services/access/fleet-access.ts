/**
 * How Bulwark reaches hosts while the vault is unlocked: one SSH engine (pooled connections,
 * host keys pinned in the vault, credentials from the vault) and the fleet operations built on
 * it. Locking the vault closes every connection: a locked Bulwark holds no open sessions.
 */
import { BulwarkError } from '../../../shared/errors';
import type { HostSecrets, HostStore } from '../inventory';
import { KeyFleetOps, type FleetHostRef, type KeyStore } from '../keys';
import { HostKeyStore, HostLocks, SshEngine, type SshEngineOptions, type SshEvent } from '../ssh';
import type { Vault } from '../vault';
import { vaultCredentials } from './credentials';

type EngineTuning = Pick<SshEngineOptions, 'maxConcurrent' | 'maxPerHost' | 'idleTimeoutMs' | 'readyTimeoutMs' | 'keepaliveIntervalMs'>;

export interface FleetAccessOptions {
  vault: Vault;
  hosts: HostStore;
  keys: KeyStore;
  secrets: HostSecrets;
  /** ssh-agent socket offered after the vault keys (usually $SSH_AUTH_SOCK). */
  agentSocket?: string | undefined;
  engine?: EngineTuning;
  /** Per remote script. Default 60 s. */
  scriptTimeoutMs?: number;
  onSshEvent?: (e: SshEvent) => void;
}

export class FleetAccess {
  /** Shared by every service that changes hosts, so their jobs on one host never interleave. */
  readonly locks = new HostLocks();
  private current: { engine: SshEngine; keyOps: KeyFleetOps } | undefined;
  private streams: SshEngine | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: FleetAccessOptions) {
    this.unsubscribe = o.vault.onStateChange((state) => {
      if (state !== 'unlocked') void this.close();
    });
  }

  engine(): SshEngine {
    return this.open().engine;
  }

  keyOps(): KeyFleetOps {
    return this.open().keyOps;
  }

  /**
   * A new engine with the same host keys and credentials but no shared connections: for
   * checks that must prove a FRESH login works (hardening verification). The caller disposes it.
   */
  freshEngine(): SshEngine {
    this.open();
    return this.newEngine({ idleTimeoutMs: 5_000, keepaliveIntervalMs: 0 });
  }

  /**
   * The engine for log followers: their channels stay open for as long as a host is watched,
   * so they get their own connections (keepalives on, to notice a dead host) and never take the
   * shared engine's slots from runs and key jobs. Closed with the others when the vault locks.
   */
  streamEngine(): SshEngine {
    this.open();
    this.streams ??= this.newEngine({ maxConcurrent: 100_000, maxPerHost: 2, keepaliveIntervalMs: 15_000 });
    return this.streams;
  }

  /** The sudo password stored for an inventory host, if any. */
  sudoPasswordFor(h: Pick<FleetHostRef, 'name'>): string | undefined {
    const id = this.o.hosts.findByName(h.name)?.id;
    return id === undefined ? undefined : this.o.secrets.sudoPassword(id);
  }

  /**
   * A host's login changed (key, password, user, address, port) or it was deleted: pooled
   * sessions must not keep answering for the old login, or an audit right after switching a
   * host to its key still reports "logged in by password". Running jobs finish first.
   */
  loginChanged(): void {
    this.current?.engine.retireConnections();
  }

  /** Closes every connection; the next call opens a fresh engine. */
  async close(): Promise<void> {
    const c = this.current;
    const streams = this.streams;
    this.current = undefined;
    this.streams = undefined;
    if (c) await c.engine.dispose();
    if (streams) await streams.dispose();
  }

  async dispose(): Promise<void> {
    this.unsubscribe();
    await this.close();
  }

  private newEngine(tuning: EngineTuning = {}): SshEngine {
    const { hosts, keys } = this.o;
    return new SshEngine({
      ...this.o.engine,
      ...tuning,
      hostKeys: new HostKeyStore(this.o.vault),
      credentials: vaultCredentials({ findHost: (n) => hosts.findByName(n), keys, agentSocket: this.o.agentSocket, loginPassword: (id) => this.o.secrets.get(id, 'loginPassword') }),
      resolveHostName: (n) => hosts.findByName(n),
      ...(this.o.onSshEvent ? { onEvent: this.o.onSshEvent } : {}),
    });
  }

  private open(): { engine: SshEngine; keyOps: KeyFleetOps } {
    if (this.o.vault.state() !== 'unlocked') throw new BulwarkError('VAULT_LOCKED', 'The vault is locked.');
    if (this.current) return this.current;
    const { hosts, keys } = this.o;
    const engine = this.newEngine();
    const keyOps = new KeyFleetOps({
      engine,
      keys,
      locks: this.locks,
      sudoPassword: (h) => this.sudoPasswordFor(h),
      // while rotate proves the new key, jump hosts still log in as usual
      jumpCredentials: vaultCredentials({ findHost: (n) => hosts.findByName(n), keys, agentSocket: this.o.agentSocket, loginPassword: (id) => this.o.secrets.get(id, 'loginPassword') }),
      ...(this.o.scriptTimeoutMs ? { timeoutMs: this.o.scriptTimeoutMs } : {}),
    });
    this.current = { engine, keyOps };
    return this.current;
  }
}
