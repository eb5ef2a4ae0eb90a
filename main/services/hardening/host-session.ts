/**
 * Sessions on one host shared by the single apply (apply-host.ts) and the staged port change
 * (apply-port-change.ts): how Bulwark reaches the host, facts with the login they came over,
 * root scripts, and a fresh connection that tolerates sshd's re-exec after a reload.
 */
import { BulwarkError } from '../../../shared/errors';
import type { SshEngine, SshTarget } from '../ssh';
import type { ControlContext, LoginFacts } from './control';
import { type NextRun, gatherFacts, gatherFactsThen } from './gather';

export type ApplyPhase = 'facts' | 'applying' | 'verifying' | 'restoring';

/** Seconds the dead-man switch waits before it restores a change that can cut access. */
export const DEFAULT_DEADMAN_SECONDS = 90;
/** Shorter than a fresh login after a reload can take; longer than anyone waits for a host. */
export const DEADMAN_RANGE = { min: 10, max: 3600 } as const;

/** The switch's delay, or VALIDATION naming the allowed range. */
export function deadmanSecondsOf(value: number | undefined): number {
  if (value === undefined) return DEFAULT_DEADMAN_SECONDS;
  if (!Number.isInteger(value) || value < DEADMAN_RANGE.min || value > DEADMAN_RANGE.max) {
    throw new BulwarkError('VALIDATION', `the automatic rollback delay must be a whole number of seconds from ${DEADMAN_RANGE.min} to ${DEADMAN_RANGE.max} (got ${String(value)})`);
  }
  return value;
}

export interface HostAccess {
  engine: SshEngine;
  /** A new engine (same host keys and credentials, no shared connections) for verification. */
  freshEngine: () => SshEngine;
  target: SshTarget;
  sudoPassword?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Told as the host moves through the steps. */
  onPhase?: (phase: ApplyPhase) => void;
  /** The dead-man switch's delay for changes that can cut access (default 90 s; see deadmanSecondsOf). */
  deadmanSeconds?: number | undefined;
  /** Inventory hosts that jump through this one (see LoginFacts.jumpFor). */
  jumpFor?: readonly string[] | undefined;
}

export async function loginOf(engine: SshEngine, target: SshTarget, jumpFor: readonly string[], signal?: AbortSignal): Promise<LoginFacts> {
  const info = await engine.connect(target, signal ? { signal } : {});
  const hop = info.hops[info.hops.length - 1]!;
  const pinnedKeyTypes = [...new Set(engine.hostKeys.lookup(hop.host, hop.port).map((r) => r.keyType))];
  return { user: hop.user, port: hop.port, method: hop.auth.method, pinnedKeyTypes, jumpFor: [...jumpFor] };
}

export async function contextOf(a: HostAccess): Promise<ControlContext> {
  const [login, facts] = await Promise.all([
    loginOf(a.engine, a.target, a.jumpFor ?? [], a.signal),
    gatherFacts(a.engine, a.target, { sudoPassword: a.sudoPassword, signal: a.signal }),
  ]);
  return { facts, login };
}

/**
 * The host's context, then `next(ctx)` in the same root shell (null: nothing to run). The
 * apply path plans from the facts and applies with one sudo.
 */
export async function contextThen(a: HostAccess, next: (ctx: ControlContext) => string | null): Promise<{ ctx: ControlContext; next: NextRun | null }> {
  const loginP = loginOf(a.engine, a.target, a.jumpFor ?? [], a.signal);
  loginP.catch(() => undefined);
  const r = await gatherFactsThen(a.engine, a.target, { sudoPassword: a.sudoPassword, signal: a.signal, timeoutMs: ROOT_SCRIPT_TIMEOUT_MS + 60_000 }, async (facts) => next({ facts, login: await loginP }));
  return { ctx: { facts: r.facts, login: await loginP }, next: r.next };
}

const ROOT_SCRIPT_TIMEOUT_MS = 120_000;

export function runAsRoot(a: HostAccess, engine: SshEngine, script: string) {
  return engine.sudo(a.target, 'sh -s', { stdin: script, timeoutMs: ROOT_SCRIPT_TIMEOUT_MS, ...(a.sudoPassword ? { password: a.sudoPassword } : {}), ...(a.signal ? { signal: a.signal } : {}) });
}

/** The last `bulwark: ...` line of an apply script's stderr, else what it printed. */
export function scriptFailure(run: { code: number | null; stderr: string }): string {
  return run.stderr.split('\n').filter((l) => l.startsWith('bulwark: ')).pop()?.slice(9) ?? (run.stderr.trim() || `exit ${String(run.code)}`);
}

/** sshd re-executes itself on reload: for a moment nothing listens (seen: ECONNREFUSED). */
const RESTART_GRACE_MS = 10_000;

function isRefused(e: unknown): boolean {
  return e instanceof BulwarkError && e.code === 'SSH_UNREACHABLE' && /refused/i.test(e.message);
}

export async function retryWhileRestarting<T>(fn: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  const deadline = Date.now() + RESTART_GRACE_MS;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!isRefused(e) || Date.now() > deadline || signal?.aborted) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * A login over a NEW engine (a new TCP connection through the firewall as it is now, sshd as
 * it is now, the same auth method), retried while sshd restarts. The engine that succeeded is
 * returned with it: only it may disarm the switch. The caller disposes it; on failure it is
 * disposed here.
 */
export async function freshLogin(a: HostAccess): Promise<{ login: LoginFacts; engine: SshEngine }> {
  let fresh = a.freshEngine();
  try {
    const login = await retryWhileRestarting(async () => {
      try {
        return await loginOf(fresh, a.target, a.jumpFor ?? [], a.signal);
      } catch (e) {
        await fresh.dispose();
        fresh = a.freshEngine();
        throw e;
      }
    }, a.signal);
    return { login, engine: fresh };
  } catch (e) {
    await fresh.dispose();
    throw e;
  }
}

/**
 * Facts over a NEW engine (a fresh login as above, then the facts over it). The engine is
 * returned with them: only it may disarm the switch. The caller disposes it; on failure it is
 * disposed here.
 */
export async function freshContext(a: HostAccess, target: SshTarget = a.target): Promise<{ ctx: ControlContext; engine: SshEngine }> {
  const { login, engine } = await freshLogin({ ...a, target });
  try {
    const facts = await gatherFacts(engine, target, { sudoPassword: a.sudoPassword, signal: a.signal });
    return { ctx: { facts, login }, engine };
  } catch (e) {
    await engine.dispose();
    throw e;
  }
}
