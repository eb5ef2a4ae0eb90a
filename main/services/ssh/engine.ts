/**
 * The SSH engine: exec, sudo and atomic upload on inventory hosts, through ProxyJump chains,
 * over pooled connections, with host keys always verified against the vault.
 */
import { BulwarkError } from '../../../shared/errors';
import type { AuthResult, CredentialProvider } from './auth';
import { type ConnectDeps, type SshEvent, openTunnel, probeHop } from './connect';
import type { Hop } from './errors';
import { type ExecOptions, type RawExecResult, runCommand, withEnv } from './exec';
import type { HostKeyRecord, HostKeyStore } from './host-keys';
import { type ResolveHostName, type SshTarget, resolveChain } from './jump';
import { normalizeHost } from './known-hosts';
import { ConnectionPool, type PoolStats } from './pool';
import { type UploadOptions, type UploadResult, uploadAtomic } from './sftp';
import { type RunRaw, runSudo } from './sudo';

export interface SshEngineOptions {
  hostKeys: HostKeyStore;
  credentials: CredentialProvider;
  /** Inventory lookup for jump hosts named by inventory name. */
  resolveHostName?: ResolveHostName;
  /** Operations at once over all hosts. Default 16. */
  maxConcurrent?: number;
  /**
   * Operations (session channels) at once on one connection. Default 2: strict-ssh sets sshd's
   * MaxSessions to 2 (Lynis's recommendation; OpenSSH's default is 10), and a third channel
   * would be refused there. Fleet work spreads over hosts, not over channels of one host.
   */
  maxPerHost?: number;
  /** Close a connection unused for this long. Default 60 s. */
  idleTimeoutMs?: number;
  /** TCP connect + SSH handshake + authentication. Default 20 s. */
  readyTimeoutMs?: number;
  /** Default 15 s; 0 turns keepalives off. */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection is declared dead. Default 3. */
  keepaliveCountMax?: number;
  /** Per stream, per command. Default 16 MiB. */
  maxOutputBytes?: number;
  onEvent?: (e: SshEvent) => void;
}

export interface ExecResult<T extends string | Buffer = string> {
  stdout: T;
  stderr: T;
  code: number | null;
  signal: string | null;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
}

export interface SudoOptions extends Omit<ExecOptions, 'env'> {
  /** The login user's password, for hosts where sudo asks for one. */
  password?: string;
}

export interface ConnectionInfo {
  hops: Array<{ host: string; port: number; user: string; role: Hop['role']; auth: AuthResult; hostKey: string }>;
}

export interface ProbeResult {
  host: string;
  port: number;
  keyType: string;
  /** base64 blob: pass it to trust() to pin exactly what was shown. */
  key: string;
  fingerprint: string;
  status: 'trusted' | 'unknown' | 'changed';
  /** What is pinned today for host:port. */
  pinned: Array<{ keyType: string; fingerprint: string }>;
}

type Encoding = { encoding?: 'utf8' };
type BufferEncoding_ = { encoding: 'buffer' };

function positive(name: string, v: number | undefined, def: number, min = 1): number {
  if (v === undefined) return def;
  if (!Number.isFinite(v) || v < min) throw new BulwarkError('VALIDATION', `${name} must be a number >= ${min}`, { [name]: 'invalid' });
  return v;
}

export class SshEngine {
  readonly hostKeys: HostKeyStore;
  private readonly pool: ConnectionPool;
  private readonly deps: ConnectDeps;
  private readonly resolveName: ResolveHostName | undefined;
  private readonly maxOutputBytes: number;

  constructor(opts: SshEngineOptions) {
    if (!opts?.hostKeys || typeof opts.credentials !== 'function') {
      throw new BulwarkError('VALIDATION', 'The SSH engine needs a host key store and a credential provider');
    }
    this.hostKeys = opts.hostKeys;
    this.resolveName = opts.resolveHostName;
    this.maxOutputBytes = positive('maxOutputBytes', opts.maxOutputBytes, 16 * 1024 * 1024);
    this.deps = {
      hostKeys: opts.hostKeys,
      credentials: opts.credentials,
      settings: {
        readyTimeoutMs: positive('readyTimeoutMs', opts.readyTimeoutMs, 20_000),
        keepaliveIntervalMs: positive('keepaliveIntervalMs', opts.keepaliveIntervalMs, 15_000, 0),
        keepaliveCountMax: positive('keepaliveCountMax', opts.keepaliveCountMax, 3),
      },
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    };
    this.pool = new ConnectionPool(this.deps, {
      maxConcurrent: positive('maxConcurrent', opts.maxConcurrent, 16),
      maxPerHost: positive('maxPerHost', opts.maxPerHost, 2),
      idleTimeoutMs: positive('idleTimeoutMs', opts.idleTimeoutMs, 60_000),
    });
  }

  /** Runs `command` through the login shell. A non-zero exit is a result, not an error. */
  exec(target: SshTarget, command: string, opts?: ExecOptions & Encoding): Promise<ExecResult<string>>;
  exec(target: SshTarget, command: string, opts: ExecOptions & BufferEncoding_): Promise<ExecResult<Buffer>>;
  async exec(target: SshTarget, command: string, opts: ExecOptions & { encoding?: 'utf8' | 'buffer' } = {}): Promise<ExecResult<string | Buffer>> {
    checkCommand(command);
    const full = withEnv(command, opts.env);
    const raw = await this.pool.use(
      this.chain(target),
      (conn) => runCommand(conn, full, { ...this.runOpts(opts), ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}), ...(opts.reply ? { reply: opts.reply } : {}), ...(opts.onStdout ? { onStdout: opts.onStdout } : {}) }),
      opts.signal,
    );
    return decode(raw, opts.encoding);
  }

  /** Runs `command` as root (`sudo ... sh -c`); see sudo.ts for the password handling. */
  sudo(target: SshTarget, command: string, opts?: SudoOptions & Encoding): Promise<ExecResult<string>>;
  sudo(target: SshTarget, command: string, opts: SudoOptions & BufferEncoding_): Promise<ExecResult<Buffer>>;
  async sudo(target: SshTarget, command: string, opts: SudoOptions & { encoding?: 'utf8' | 'buffer' } = {}): Promise<ExecResult<string | Buffer>> {
    checkCommand(command);
    if ('env' in opts) throw new BulwarkError('VALIDATION', 'sudo does not take env (sudo resets the environment)', { env: 'unsupported' });
    const stdin = opts.stdin === undefined ? undefined : Buffer.isBuffer(opts.stdin) ? opts.stdin : Buffer.from(opts.stdin, 'utf8');
    const base = { ...this.runOpts(opts), ...(opts.reply ? { reply: opts.reply } : {}), ...(opts.onStdout ? { onStdout: opts.onStdout } : {}) };
    const raw = await this.pool.use(
      this.chain(target),
      (conn) => {
        // timeoutMs covers both runs (the `sudo -n` attempt and the one with the password).
        const deadline = base.timeoutMs !== undefined ? Date.now() + base.timeoutMs : undefined;
        const run: RunRaw = (cmd, input, what) => {
          const timeout = deadline !== undefined ? { timeoutMs: Math.max(1, deadline - Date.now()) } : {};
          return runCommand(conn, cmd, { ...base, ...timeout, ...(input ? { stdin: input } : {}), what });
        };
        return runSudo(conn.hop, run, command, opts.password, stdin);
      },
      opts.signal,
    );
    return decode(raw, opts.encoding);
  }

  /** Writes `content` to `remotePath` atomically (see sftp.ts). */
  upload(target: SshTarget, remotePath: string, content: Buffer | string, opts: UploadOptions = {}): Promise<UploadResult> {
    return this.pool.use(this.chain(target), (conn) => uploadAtomic(conn, remotePath, content, opts), opts.signal);
  }

  /** Connects (or reuses the connection) and reports how each hop authenticated. */
  async connect(target: SshTarget, opts: { signal?: AbortSignal } = {}): Promise<ConnectionInfo> {
    const chain = this.chain(target);
    const conns = await this.pool.use(chain, async () => this.pool.connectedChain(chain), opts.signal);
    const hops: ConnectionInfo['hops'] = [];
    for (const c of conns) {
      hops.push({ host: c.hop.host, port: c.hop.port, user: c.hop.user, role: c.hop.role, auth: c.auth, hostKey: c.hostKey.fingerprint });
    }
    return { hops };
  }

  /**
   * Fetches the host key of host:port (through `jump` if given) without authenticating, for the
   * "do you trust this host?" dialog and `bulwark ssh trust`.
   */
  async probeHostKey(host: string, port = 22, opts: { jump?: string; user?: string; signal?: AbortSignal } = {}): Promise<ProbeResult> {
    const chain = resolveChain({ host, port, user: opts.user ?? 'root', ...(opts.jump ? { jump: opts.jump } : {}) }, this.resolveName);
    const hop = chain[chain.length - 1]!;
    const jumps = chain.slice(0, -1);
    let key;
    if (jumps.length === 0) {
      key = await probeHop(hop, this.deps, undefined, opts.signal);
    } else {
      key = await this.pool.use(jumps, async (via) => probeHop(hop, this.deps, await openTunnel(via, hop, opts.signal), opts.signal), opts.signal);
    }
    const check = this.hostKeys.check(hop.host, hop.port, key.blob);
    const pinned = this.hostKeys.lookup(hop.host, hop.port).map((r) => ({ keyType: r.keyType, fingerprint: r.fingerprint }));
    return { host: normalizeHost(host), port, keyType: key.keyType, key: key.blob.toString('base64'), fingerprint: key.fingerprint, status: check.status, pinned };
  }

  /** Pins a host key (see HostKeyStore.trust). */
  trust(host: string, port: number, key: Buffer | string, opts: { replace?: boolean } = {}): HostKeyRecord {
    return this.hostKeys.trust(host, port, key, opts);
  }

  /** See ConnectionPool.retireAll: later operations log in afresh; running ones finish first. */
  retireConnections(): void {
    this.pool.retireAll();
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  /** Closes every connection; queued and later operations fail with ABORTED. */
  dispose(): Promise<void> {
    return this.pool.dispose();
  }

  private chain(target: SshTarget): Hop[] {
    return resolveChain(target, this.resolveName);
  }

  private runOpts(opts: ExecOptions): { maxOutputBytes: number; timeoutMs?: number; signal?: AbortSignal } {
    return {
      maxOutputBytes: positive('maxOutputBytes', opts.maxOutputBytes, this.maxOutputBytes),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: positive('timeoutMs', opts.timeoutMs, 0) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
  }
}

function checkCommand(command: string): void {
  if (typeof command !== 'string' || command.trim() === '') throw new BulwarkError('VALIDATION', 'A command is required', { command: 'required' });
  if (command.includes('\0')) throw new BulwarkError('VALIDATION', 'A command cannot contain a NUL byte', { command: 'invalid' });
}

function decode(raw: RawExecResult, encoding: 'utf8' | 'buffer' | undefined): ExecResult<string | Buffer> {
  if (encoding === 'buffer') return raw;
  return { ...raw, stdout: raw.stdout.toString('utf8'), stderr: raw.stderr.toString('utf8') };
}

