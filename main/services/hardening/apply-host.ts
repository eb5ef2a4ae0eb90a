/**
 * Plan and apply on one host, never locking the user out: a change that can cut access runs
 * with the dead-man switch armed, is verified from a FRESH connection (a second engine, so no
 * pooled connection can hide a broken sshd), and is disarmed only through that connection.
 * When verification fails, the original session restores at once; if that session is gone
 * too, the switch restores by itself.
 */
import { BulwarkError } from '../../../shared/errors';
import type { SshEngine, SshTarget } from '../ssh';
import { type ApplySpec, applyScript, disarmCommand, restoreCommand } from './apply-script';
import type { ControlContext, LoginFacts } from './control';
import { gatherFacts } from './gather';
import { type ControlSelection, type HostPlan, planHost } from './host-plan';

export interface HostAccess {
  engine: SshEngine;
  /** A new engine (same host keys and credentials, no shared connections) for verification. */
  freshEngine: () => SshEngine;
  target: SshTarget;
  sudoPassword?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Told as the host moves through the steps. */
  onPhase?: (phase: ApplyPhase) => void;
}

export type ApplyPhase = 'facts' | 'applying' | 'verifying' | 'restoring';

export type ApplyStatus = 'unchanged' | 'applied' | 'rolled-back' | 'refused' | 'failed';

export interface HostApplyResult {
  status: ApplyStatus;
  plan: HostPlan;
  /** Why it rolled back or failed. */
  reason?: string;
  /** The check after applying, per control. */
  after?: HostPlan['controls'];
  timings: Record<string, number>;
}

async function loginOf(engine: SshEngine, target: SshTarget, signal?: AbortSignal): Promise<LoginFacts> {
  const info = await engine.connect(target, signal ? { signal } : {});
  const hop = info.hops[info.hops.length - 1]!;
  const pinnedKeyTypes = [...new Set(engine.hostKeys.lookup(hop.host, hop.port).map((r) => r.keyType))];
  return { user: hop.user, port: hop.port, method: hop.auth.method, pinnedKeyTypes };
}

export async function contextOf(a: HostAccess): Promise<ControlContext> {
  const [login, facts] = await Promise.all([
    loginOf(a.engine, a.target, a.signal),
    gatherFacts(a.engine, a.target, { sudoPassword: a.sudoPassword, signal: a.signal }),
  ]);
  return { facts, login };
}

export async function planOnHost(a: HostAccess, selections: readonly ControlSelection[]): Promise<HostPlan> {
  return planHost(await contextOf(a), selections);
}

function runAsRoot(a: HostAccess, engine: SshEngine, script: string) {
  return engine.sudo(a.target, 'sh -s', { stdin: script, timeoutMs: 120_000, ...(a.sudoPassword ? { password: a.sudoPassword } : {}), ...(a.signal ? { signal: a.signal } : {}) });
}

function stillDrifting(plan: HostPlan): string[] {
  return plan.controls.filter((c) => !c.refused && c.check.status === 'drift').map((c) => `${c.id}: ${c.check.evidence.filter((e) => e.includes('want')).join('; ') || 'still drifting'}`);
}

export async function applyOnHost(a: HostAccess, selections: readonly ControlSelection[], runId: string): Promise<HostApplyResult> {
  const timings: Record<string, number> = {};
  let t = Date.now();
  const lap = (name: string) => {
    timings[name] = Date.now() - t;
    t = Date.now();
  };
  a.onPhase?.('facts');
  const plan = await planOnHost(a, selections);
  lap('plan');
  if (!plan.apply) {
    return { status: plan.controls.some((c) => c.refused) ? 'refused' : 'unchanged', plan, timings };
  }
  const spec: ApplySpec = { ...plan.apply, runId };
  a.onPhase?.('applying');
  const run = await runAsRoot(a, a.engine, applyScript(spec).script);
  lap('apply');
  if (run.code !== 0 || !run.stdout.includes('bulwark-applied')) {
    const why = run.stderr.split('\n').filter((l) => l.startsWith('bulwark: ')).pop()?.slice(9) ?? (run.stderr.trim() || `exit ${String(run.code)}`);
    return { status: run.code === 3 || run.code === 4 ? 'rolled-back' : 'failed', plan, reason: why, timings };
  }

  // verify from a fresh connection; only that connection may disarm the switch
  a.onPhase?.('verifying');
  let fresh = a.freshEngine();
  try {
    let after: HostPlan;
    try {
      const ctx = await retryWhileRestarting(async () => {
        try {
          return await contextOf({ ...a, engine: fresh });
        } catch (e) {
          await fresh.dispose();
          fresh = a.freshEngine();
          throw e;
        }
      }, a.signal);
      after = planHost(ctx, selections);
    } catch (e) {
      lap('verify');
      return await rollBack(a, runId, plan, timings, `a fresh connection failed after the change: ${e instanceof Error ? e.message : String(e)}`);
    }
    lap('verify');
    const drifting = stillDrifting(after);
    if (drifting.length) return await rollBack(a, runId, plan, timings, `the change did not take effect: ${drifting.join(' | ')}`);
    if (spec.deadmanSeconds > 0) {
      const d = await runAsRoot(a, fresh, disarmCommand(runId));
      if (d.code !== 0) throw new BulwarkError('INTERNAL', `could not disarm the automatic rollback: ${d.stderr.trim()}`);
    }
    lap('disarm');
    return { status: 'applied', plan, after: after.controls, timings };
  } finally {
    await fresh.dispose();
  }
}

/** sshd re-executes itself on reload: for a moment nothing listens (seen: ECONNREFUSED). */
const RESTART_GRACE_MS = 10_000;

function isRefused(e: unknown): boolean {
  return e instanceof BulwarkError && e.code === 'SSH_UNREACHABLE' && /refused/i.test(e.message);
}

async function retryWhileRestarting<T>(fn: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
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

async function rollBack(a: HostAccess, runId: string, plan: HostPlan, timings: Record<string, number>, reason: string): Promise<HostApplyResult> {
  a.onPhase?.('restoring');
  const t0 = Date.now();
  try {
    const r = await runAsRoot(a, a.engine, restoreCommand(runId));
    timings.restore = Date.now() - t0;
    if (r.code === 0) return { status: 'rolled-back', plan, reason: `${reason}; everything was restored`, timings };
    return { status: 'failed', plan, reason: `${reason}; restoring reported: ${r.stderr.trim()} (the automatic rollback is still armed)`, timings };
  } catch (e) {
    timings.restore = Date.now() - t0;
    return {
      status: 'rolled-back',
      plan,
      reason: `${reason}; the session was lost too, so the automatic rollback restores the host within ${plan.apply?.deadmanSeconds ?? 90} s (${e instanceof Error ? e.message : String(e)})`,
      timings,
    };
  }
}
