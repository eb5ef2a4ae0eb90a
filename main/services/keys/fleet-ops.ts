/**
 * Key operations over many hosts: deploy, audit, rotate, revoke. Every host runs on its own;
 * concurrency is the engine's (maxConcurrent / maxPerHost), and one unreachable or failing host
 * only fails its own result. Each operation returns per-host results and a summary.
 *
 * Accounts: the key scripts (remote-script.ts) run as the login user for its own account; for
 * another account they must run as root, so they run directly when the login user is root and
 * through `engine.sudo` otherwise (with `sudoPassword(host)` when sudo asks for one).
 *
 * "The key Bulwark logs in with" (revoke refuses to remove it without `force`): `loginKeyId`
 * when given (a key id, or a function of the host), else the key the engine's connection to the
 * host authenticated with: ConnectionInfo reports the credential's label, which matches a vault
 * key when the credential provider labels keys with the key's id, name or fingerprint.
 */
import { BulwarkError } from '../../../shared/errors';
import { type ConnectionInfo, type CredentialProvider, type Credentials, HostLocks, SshEngine, type SshTarget } from '../ssh';
import {
  type AuditAccountProblem,
  type FleetError,
  FleetFailure,
  type FleetOpResult,
  auditScript,
  parseAuditOutput,
  scriptOutcome,
  summarize,
  toFleetError,
} from './fleet-results';
import { deployKeyScript, removeKeyScript } from './remote-script';
import type { KeyStore } from './store';
import type { SshKeyView } from './types';

export type { FleetError, FleetOpResult, FleetSummary, FleetErrorCode } from './fleet-results';

/** What an operation needs of an inventory host (a Host satisfies it). */
export interface FleetHostRef {
  name: string;
  address: string;
  port: number;
  user: string;
  jumpHost: string;
}

export type FleetOpName = 'deploy' | 'audit' | 'rotate' | 'revoke';
export type FleetPhase = 'connecting' | 'running' | 'verifying' | 'removing' | 'done' | 'failed';

export interface FleetProgress {
  op: FleetOpName;
  host: string;
  phase: FleetPhase;
  /** With 'done': the host's status. */
  status?: string;
  /** With 'failed'. */
  error?: FleetError;
}

export interface KeyFleetOpsOptions {
  engine: SshEngine;
  keys: KeyStore;
  /** The key Bulwark logs in with on a host (see the header); overrides what the engine reports. */
  loginKeyId?: string | ((host: FleetHostRef) => string | undefined);
  /** The login user's password for sudo, on hosts where sudo asks for one. */
  sudoPassword?: (host: FleetHostRef) => string | undefined;
  /** Credentials for jump hosts while rotate verifies a fresh login (the target gets only the new key). */
  jumpCredentials?: CredentialProvider;
  /** Builds the engine rotate verifies with; default: a new SshEngine sharing the host key store. */
  verifyEngine?: (credentials: CredentialProvider) => SshEngine;
  /** Per script run. Default 60 s. */
  timeoutMs?: number;
  /** Shared with every other service that changes hosts; default: this instance's own. */
  locks?: HostLocks;
}

interface OpOptions {
  onProgress?: (e: FleetProgress) => void;
  signal?: AbortSignal;
}

export interface AccountOption {
  /** Whose authorized_keys; default the host's login user. */
  account?: string;
}

export type DeployStatus = 'added' | 'unchanged' | 'failed';
export interface DeployHostResult {
  host: string;
  account: string;
  status: DeployStatus;
  error?: FleetError;
  durationMs: number;
}

export interface AuditRow {
  host: string;
  account: string;
  fingerprint: string;
  type: string;
  comment: string;
  options: string;
  /** The vault key with this fingerprint, or null when Bulwark does not know the key. */
  knownKeyId: string | null;
  knownKeyName: string | null;
}
export interface AuditHostResult {
  host: string;
  status: 'ok' | 'failed';
  /** Which accounts were read: all login-shell accounts, or only the login account. */
  scope: 'login' | 'all-login-shells';
  rows: AuditRow[];
  /** Accounts whose file could not be read, and why (e.g. sudo refused: only the login account). */
  problems: AuditAccountProblem[];
  error?: FleetError;
  durationMs: number;
}
export interface AuditResult extends FleetOpResult<AuditHostResult> {
  rows: AuditRow[];
}

/** How far rotation got on a host: 'removed' means done. */
export type RotatePhase = 'none' | 'deployed' | 'verified' | 'removed';
export interface RotateHostResult {
  host: string;
  account: string;
  status: 'rotated' | 'failed';
  reached: RotatePhase;
  /** Whether the new key was added (false: it was there already). */
  added: boolean;
  /** A failed rotation removed the new key it had added (the host is as before). */
  newKeyRemoved: boolean;
  /** authorized_keys lines of the old key removed. */
  removedLines: number;
  error?: FleetError;
  durationMs: number;
}

export interface RevokeHostResult {
  host: string;
  account: string;
  /** 'unchanged': the key was not there. */
  status: 'removed' | 'unchanged' | 'failed';
  removedLines: number;
  error?: FleetError;
  durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

function targetOf(h: FleetHostRef): SshTarget {
  return { host: h.address, port: h.port, user: h.user, jump: h.jumpHost, name: h.name };
}

function checkHosts(hosts: readonly FleetHostRef[]): void {
  if (!Array.isArray(hosts)) throw new BulwarkError('VALIDATION', 'hosts must be a list', { hosts: 'invalid' });
  const seen = new Set<string>();
  for (const h of hosts) {
    if (!h || typeof h.name !== 'string' || typeof h.address !== 'string') {
      throw new BulwarkError('VALIDATION', 'Every host needs a name and an address', { hosts: 'invalid' });
    }
    if (seen.has(h.name)) throw new BulwarkError('VALIDATION', `Host "${h.name}" is listed twice`, { hosts: 'duplicate' });
    seen.add(h.name);
  }
}

/** "publickey (label)" -> "label". */
function labelOf(info: ConnectionInfo): string | undefined {
  const key = info.hops[info.hops.length - 1]?.auth.key;
  if (!key) return undefined;
  const m = /^publickey \((.*)\)$/s.exec(key);
  return m ? m[1] : key;
}

export class KeyFleetOps {
  private readonly engine: SshEngine;
  private readonly keys: KeyStore;
  private readonly timeoutMs: number;
  private readonly locks: HostLocks;

  constructor(private readonly opts: KeyFleetOpsOptions) {
    if (!opts?.engine || !opts.keys) throw new BulwarkError('VALIDATION', 'KeyFleetOps needs an SSH engine and a key store');
    this.engine = opts.engine;
    this.keys = opts.keys;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.locks = opts.locks ?? new HostLocks();
  }

  /** Adds the key to `account` (default: the login user) on every host. */
  async deploy(keyId: string, hosts: readonly FleetHostRef[], o: AccountOption & OpOptions = {}): Promise<FleetOpResult<DeployHostResult>> {
    checkHosts(hosts);
    const line = this.keys.exportPublic(keyId);
    const results = await Promise.all(
      hosts.map((h) => this.exclusive(h, async (): Promise<DeployHostResult> => {
        const t0 = Date.now();
        const account = o.account ?? h.user;
        const emit = this.emitter('deploy', h, o);
        try {
          emit('connecting');
          await this.engine.connect(targetOf(h), o.signal ? { signal: o.signal } : {});
          emit('running');
          const out = await this.runKeyScript(h, account, deployKeyScript({ account, publicKeyLine: line }), o.signal);
          const status = out.result === 'added' ? 'added' : 'unchanged';
          emit('done', { status });
          return { host: h.name, account, status, durationMs: Date.now() - t0 };
        } catch (e) {
          const error = toFleetError(e);
          emit('failed', { error });
          return { host: h.name, account, status: 'failed', error, durationMs: Date.now() - t0 };
        }
      })),
    );
    return summarize(results);
  }

  /**
   * Reads authorized_keys on every host. 'all-login-shells' (default) reads every account with a
   * login shell when the login user is root or may sudo; otherwise only the login account, with
   * a problem noting why.
   */
  async audit(hosts: readonly FleetHostRef[], o: { accounts?: 'login' | 'all-login-shells' } & OpOptions = {}): Promise<AuditResult> {
    checkHosts(hosts);
    const wanted = o.accounts ?? 'all-login-shells';
    const known = new Map<string, SshKeyView>(this.keys.list().map((k) => [k.fingerprint, k]));
    const results = await Promise.all(
      hosts.map((h) => this.exclusive(h, async (): Promise<AuditHostResult> => {
        const t0 = Date.now();
        const emit = this.emitter('audit', h, o);
        let scope: AuditHostResult['scope'] = wanted;
        const problems: AuditAccountProblem[] = [];
        try {
          emit('connecting');
          await this.engine.connect(targetOf(h), o.signal ? { signal: o.signal } : {});
          emit('running');
          let out: { stdout: string; marker: string } | undefined;
          if (wanted === 'all-login-shells') {
            const { script, marker } = auditScript('all');
            try {
              const r = await this.runAsRoot(h, script, o.signal);
              if (r.code !== 0) throw new FleetFailure({ code: 'KEY_SCRIPT_FAILED', message: `reading accounts failed: ${r.stderr.trim().slice(0, 300)}` });
              out = { stdout: r.stdout, marker };
            } catch (e) {
              const err = toFleetError(e);
              if (err.code !== 'SUDO_DENIED' && err.code !== 'SUDO_AUTH_FAILED') throw e;
              scope = 'login';
              problems.push({ account: '*', message: `only the login account was read: ${err.message}` });
            }
          }
          if (!out) {
            const { script, marker } = auditScript('self');
            const r = await this.engine.exec(targetOf(h), 'sh -s', this.execOpts(script, o.signal));
            if (r.code !== 0) throw new FleetFailure({ code: 'KEY_SCRIPT_FAILED', message: `reading authorized_keys failed: ${r.stderr.trim().slice(0, 300)}` });
            out = { stdout: r.stdout, marker };
          }
          const parsed = parseAuditOutput(out.stdout, out.marker);
          problems.push(...parsed.problems);
          const rows = parsed.keys.map((k): AuditRow => {
            const v = known.get(k.fingerprint);
            return { host: h.name, ...k, knownKeyId: v?.id ?? null, knownKeyName: v?.name ?? null };
          });
          emit('done', { status: 'ok' });
          return { host: h.name, status: 'ok', scope, rows, problems, durationMs: Date.now() - t0 };
        } catch (e) {
          const error = toFleetError(e);
          emit('failed', { error });
          return { host: h.name, status: 'failed', scope, rows: [], problems, error, durationMs: Date.now() - t0 };
        }
      })),
    );
    const r = summarize(results);
    return { ...r, rows: results.flatMap((x) => x.rows) };
  }

  /**
   * Per host: add the new key, prove a fresh login with only the new key works (a separate
   * engine and connection), then remove the old key. Any failure stops that host with the old
   * key in place; a new key this run added is removed again when it could not be proven
   * (`newKeyRemoved`), so a failed host ends as it was. `reached` tells how far it got.
   */
  async rotate(oldKeyId: string, newKeyId: string, hosts: readonly FleetHostRef[], o: AccountOption & OpOptions = {}): Promise<FleetOpResult<RotateHostResult>> {
    checkHosts(hosts);
    if (oldKeyId === newKeyId) throw new BulwarkError('VALIDATION', 'The old and the new key are the same key', { newKeyId: 'same as old' });
    const oldLine = this.keys.exportPublic(oldKeyId);
    const fresh = this.keys.getPrivate(newKeyId);
    const newCreds: Credentials = { keys: [{ privateKey: fresh.privateKey, label: fresh.id }] };
    const jumpCreds = this.opts.jumpCredentials;
    const provider: CredentialProvider = (hop) => (hop.role === 'target' ? newCreds : jumpCreds ? jumpCreds(hop) : undefined);
    const verifier = this.opts.verifyEngine
      ? this.opts.verifyEngine(provider)
      : new SshEngine({ hostKeys: this.engine.hostKeys, credentials: provider, idleTimeoutMs: 5_000, keepaliveIntervalMs: 0 });
    try {
      const results = await Promise.all(
        hosts.map((h) => this.exclusive(h, async (): Promise<RotateHostResult> => {
          const t0 = Date.now();
          const account = o.account ?? h.user;
          const emit = this.emitter('rotate', h, o);
          const r: RotateHostResult = { host: h.name, account, status: 'failed', reached: 'none', added: false, newKeyRemoved: false, removedLines: 0, durationMs: 0 };
          try {
            emit('connecting');
            await this.engine.connect(targetOf(h), o.signal ? { signal: o.signal } : {});
            emit('running');
            const dep = await this.runKeyScript(h, account, deployKeyScript({ account, publicKeyLine: fresh.publicKey }), o.signal);
            r.added = dep.result === 'added';
            r.reached = 'deployed';
            emit('verifying');
            await this.verifyLogin(verifier, { ...targetOf(h), user: account }, o.signal);
            r.reached = 'verified';
            emit('removing');
            const rem = await this.runKeyScript(h, account, removeKeyScript({ account, key: oldLine }), o.signal);
            r.removedLines = rem.result === 'removed' ? rem.lines : 0;
            r.reached = 'removed';
            r.status = 'rotated';
            emit('done', { status: 'rotated' });
          } catch (e) {
            r.error = toFleetError(e);
            // An unproven new key is not left behind: take back what this run added.
            if (r.reached === 'deployed' && r.added) {
              r.newKeyRemoved = await this.takeBack(h, account, fresh.publicKey, o.signal);
              if (!r.newKeyRemoved) r.error = { ...r.error, message: `${r.error.message} The new key could not be taken back and is still in ${account}'s authorized_keys.` };
            }
            emit('failed', { error: r.error });
          }
          r.durationMs = Date.now() - t0;
          return r;
        })),
      );
      return summarize(results);
    } finally {
      if (!this.opts.verifyEngine) await verifier.dispose();
    }
  }

  /**
   * Removes the key from `account` (default: the login user) on every host. Refuses (CONFLICT)
   * on hosts where it is the key Bulwark logs in with as that account, unless `force`.
   */
  async revoke(keyId: string, hosts: readonly FleetHostRef[], o: AccountOption & OpOptions & { force?: boolean } = {}): Promise<FleetOpResult<RevokeHostResult>> {
    checkHosts(hosts);
    const key = this.keys.getPrivate(keyId);
    const results = await Promise.all(
      hosts.map((h) => this.exclusive(h, async (): Promise<RevokeHostResult> => {
        const t0 = Date.now();
        const account = o.account ?? h.user;
        const emit = this.emitter('revoke', h, o);
        try {
          emit('connecting');
          const info = await this.engine.connect(targetOf(h), o.signal ? { signal: o.signal } : {});
          if (!o.force && account === h.user && this.loginKeyOf(h, info) === key.id) {
            throw new FleetFailure({
              code: 'CONFLICT',
              message: `"${key.name}" is the key Bulwark logs in to ${h.name} as ${h.user} with; removing it would lock Bulwark out. Rotate to another key first, or force.`,
            });
          }
          emit('running');
          const out = await this.runKeyScript(h, account, removeKeyScript({ account, key: key.publicKey }), o.signal);
          const removedLines = out.result === 'removed' ? out.lines : 0;
          const status = removedLines > 0 ? 'removed' : 'unchanged';
          emit('done', { status });
          return { host: h.name, account, status, removedLines, durationMs: Date.now() - t0 };
        } catch (e) {
          const error = toFleetError(e);
          emit('failed', { error });
          return { host: h.name, account, status: 'failed', removedLines: 0, error, durationMs: Date.now() - t0 };
        }
      })),
    );
    return summarize(results);
  }

  /** One job per host at a time (see HostLocks); keyed by where the files are, not the name. */
  private exclusive<T>(h: FleetHostRef, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(`${h.address.toLowerCase()}:${h.port}`, fn);
  }

  /** The vault key id Bulwark logs in to `h` with, when it can be told. */
  private loginKeyOf(h: FleetHostRef, info: ConnectionInfo): string | undefined {
    const given = this.opts.loginKeyId;
    if (given !== undefined) return typeof given === 'function' ? given(h) : given;
    const label = labelOf(info);
    if (!label) return undefined;
    const k = this.keys.get(label) ?? this.keys.findByName(label) ?? this.keys.list().find((x) => label.includes(x.fingerprint));
    return k?.id;
  }

  /** Best effort: whether the key is gone from the account again. */
  private async takeBack(h: FleetHostRef, account: string, publicKey: string, signal: AbortSignal | undefined): Promise<boolean> {
    try {
      await this.runKeyScript(h, account, removeKeyScript({ account, key: publicKey }), signal);
      return true;
    } catch {
      return false;
    }
  }

  private async verifyLogin(verifier: SshEngine, target: SshTarget, signal: AbortSignal | undefined): Promise<void> {
    let r;
    try {
      r = await verifier.exec(target, 'echo bulwark-login-ok', { timeoutMs: this.timeoutMs, ...(signal ? { signal } : {}) });
    } catch (e) {
      const err = toFleetError(e);
      throw new FleetFailure({ code: 'KEY_VERIFY_FAILED', message: `A fresh login with the new key failed; the old key was kept. ${err.message}` });
    }
    if (r.code !== 0 || !r.stdout.includes('bulwark-login-ok')) {
      throw new FleetFailure({ code: 'KEY_VERIFY_FAILED', message: `A fresh login with the new key did not run a command (exit ${String(r.code)}); the old key was kept.` });
    }
  }

  private async runKeyScript(h: FleetHostRef, account: string, script: string, signal: AbortSignal | undefined) {
    const where = `${h.name} (${account})`;
    const r = account === h.user ? await this.engine.exec(targetOf(h), 'sh -s', this.execOpts(script, signal)) : await this.runAsRoot(h, script, signal);
    return scriptOutcome(r, where);
  }

  /** `sh -s` with the script on stdin, as root: directly when logged in as root, else sudo. */
  private runAsRoot(h: FleetHostRef, script: string, signal: AbortSignal | undefined) {
    if (h.user === 'root') return this.engine.exec(targetOf(h), 'sh -s', this.execOpts(script, signal));
    const password = this.opts.sudoPassword?.(h);
    return this.engine.sudo(targetOf(h), 'sh -s', { ...this.execOpts(script, signal), ...(password ? { password } : {}) });
  }

  private execOpts(stdin: string, signal: AbortSignal | undefined) {
    return { stdin, timeoutMs: this.timeoutMs, ...(signal ? { signal } : {}) };
  }

  private emitter(op: FleetOpName, h: FleetHostRef, o: OpOptions) {
    return (phase: FleetPhase, extra: { status?: string; error?: FleetError } = {}): void => {
      try {
        o.onProgress?.({ op, host: h.name, phase, ...extra });
      } catch {
        // a listener's failure never stops a fleet operation
      }
    };
  }
}
