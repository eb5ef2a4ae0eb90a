/**
 * Plan and apply on one host, never locking the user out: a change that can cut access runs
 * with the dead-man switch armed, is checked against the host's facts read right after the
 * reloads, and is disarmed only through a FRESH connection (a second engine, so no pooled
 * connection can hide a broken sshd or a firewall that drops new connections) that logged in
 * and got root again. When either fails, the original session restores at once; if that
 * session is gone too, the switch restores by itself.
 *
 * A port change (the sshd-port control) cannot be one such apply: it runs after the other
 * controls as its own staged apply (apply-port-change.ts).
 */
import { BulwarkError } from '../../../shared/errors';
import { type ApplySpec, applyScript, disarmCommand, restoreCommand } from './apply-script';
import type { ControlContext } from './control';
import { type ControlSelection, type HostPlan, planHost } from './host-plan';
import { changePort, planWithStages, splitPortSelection } from './apply-port-change';
import { factsScript } from './facts-script';
import { parseFacts } from './facts';
import type { NextRun } from './gather';
import { type ApplyPhase, type HostAccess, contextOf, contextThen, deadmanSecondsOf, freshLogin, runAsRoot, scriptFailure } from './host-session';

export { contextOf };
export type { ApplyPhase, HostAccess };

export type ApplyStatus = 'unchanged' | 'applied' | 'rolled-back' | 'refused' | 'failed';

export interface HostApplyResult {
  status: ApplyStatus;
  plan: HostPlan;
  /** Why it rolled back or failed. */
  reason?: string;
  /** The check after applying, per control. */
  after?: HostPlan['controls'];
  /** sshd now listens on this port only: the inventory must say so (runner.ts updates it). */
  newPort?: number;
  timings: Record<string, number>;
}

export async function planOnHost(a: HostAccess, selections: readonly ControlSelection[]): Promise<HostPlan> {
  return planWithStages(await contextOf(a), selections);
}

function stillDrifting(plan: HostPlan): string[] {
  return plan.controls.filter((c) => !c.refused && c.check.status === 'drift').map((c) => `${c.id}: ${c.check.evidence.filter((e) => e.includes('want')).join('; ') || 'still drifting'}`);
}

function lapper(timings: Record<string, number>): (name: string) => void {
  let t = Date.now();
  return (name) => {
    timings[name] = Date.now() - t;
    t = Date.now();
  };
}

export async function applyOnHost(a: HostAccess, selections: readonly ControlSelection[], runId: string): Promise<HostApplyResult> {
  deadmanSecondsOf(a.deadmanSeconds);
  const { port, rest } = splitPortSelection(selections);
  if (!port) return applyPlanned(a, selections, runId);

  // the other controls first, on the port Bulwark uses now; then the port moves in stages
  const timings: Record<string, number> = {};
  const lap = lapper(timings);
  a.onPhase?.('facts');
  const ctx0 = await contextOf(a);
  const plan = planWithStages(ctx0, selections);
  lap('plan');
  let first: HostApplyResult | null = null;
  if (rest.length) {
    first = await applyPlanned(a, rest, runId, ctx0);
    for (const [k, v] of Object.entries(first.timings)) timings[k === 'plan' ? 'plan-others' : k] = v;
    if (first.status === 'rolled-back' || first.status === 'failed') return { ...first, plan };
  }
  const moved = await changePort(a, port, runId, first?.status === 'applied' ? null : ctx0, timings);
  const after = moved.ctx ? planHost(moved.ctx, selections).controls : first?.after;
  const status = moved.status === 'applied' || moved.status === 'rolled-back' || moved.status === 'failed' ? moved.status : first?.status === 'applied' ? 'applied' : moved.status;
  const reason = moved.reason && first?.status === 'applied' && moved.status !== 'applied' ? `${moved.reason} (the other controls were applied and stay)` : moved.reason;
  return { status, plan, timings, ...(after ? { after } : {}), ...(reason ? { reason } : {}), ...(moved.newPort ? { newPort: moved.newPort } : {}) };
}

/**
 * The facts script runs again at the end of the apply script, in its own subshell: the state
 * after the reloads, read by the same root shell (one sudo and one facts run fewer per host
 * than reading them over the fresh connection; sshd -T, the rule files and the units say the
 * same from either). The fresh connection then proves what only it can: that Bulwark can still
 * log in and become root.
 */
function applyThenReadFacts(applyPart: string): { script: string; marker: string } {
  const facts = factsScript();
  return { script: `${applyPart}\n(\n${facts.script}\n)\n`, marker: facts.marker };
}

/** One plan, one apply script, one fresh-connection check. */
async function applyPlanned(a: HostAccess, selections: readonly ControlSelection[], runId: string, known?: ControlContext): Promise<HostApplyResult> {
  const timings: Record<string, number> = {};
  const lap = lapper(timings);
  a.onPhase?.('facts');
  let plan: HostPlan | undefined;
  let afterMarker = '';
  // plan from the facts and, when there is something to do, apply in the same root shell
  const scriptFor = (ctx: ControlContext): string | null => {
    plan = planHost(ctx, selections, deadmanSecondsOf(a.deadmanSeconds));
    lap('plan');
    if (!plan.apply) return null;
    a.onPhase?.('applying');
    const { script, marker } = applyThenReadFacts(applyScript({ ...plan.apply, runId }).script);
    afterMarker = marker;
    return script;
  };
  let ctx: ControlContext;
  let run: NextRun | null;
  if (known) {
    ctx = known;
    const script = scriptFor(known);
    run = script === null ? null : await runAsRoot(a, a.engine, script);
  } else {
    ({ ctx, next: run } = await contextThen(a, scriptFor));
  }
  if (!plan) throw new BulwarkError('INTERNAL', 'no plan was made');
  if (!plan.apply || !run) {
    return { status: plan.controls.some((c) => c.refused) ? 'refused' : 'unchanged', plan, timings };
  }
  const spec: ApplySpec = { ...plan.apply, runId };
  lap('apply');
  if (run.code !== 0 || !run.stdout.includes('bulwark-applied')) {
    return { status: run.code === 3 || run.code === 4 ? 'rolled-back' : 'failed', plan, reason: scriptFailure(run), timings };
  }
  const marker = afterMarker;
  if (!run.stdout.includes(marker)) return await rollBack(a, runId, plan, timings, `the host could not be read after the change: ${run.stderr.trim().split('\n').slice(-3).join(' | ') || 'no facts'}`);
  // $SSH_CONNECTION is the session's, not the host's: the one read before still holds
  const changed = { ...parseFacts(run.stdout, marker, ''), connection: ctx.facts.connection };

  // only a fresh connection that logged in and got root may disarm the switch
  a.onPhase?.('verifying');
  let fresh;
  try {
    fresh = await freshLogin(a);
  } catch (e) {
    lap('verify');
    return await rollBack(a, runId, plan, timings, `a fresh connection failed after the change: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    lap('verify');
    const after = planHost({ facts: changed, login: fresh.login }, selections);
    const drifting = stillDrifting(after);
    if (drifting.length) return await rollBack(a, runId, plan, timings, `the change did not take effect: ${drifting.join(' | ')}`);
    if (spec.deadmanSeconds > 0) {
      let d;
      try {
        d = await runAsRoot(a, fresh.engine, disarmCommand(runId));
      } catch (e) {
        return await rollBack(a, runId, plan, timings, `root over a fresh connection failed after the change: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (d.code !== 0) throw new BulwarkError('INTERNAL', `could not disarm the automatic rollback: ${d.stderr.trim()}`);
    }
    lap('disarm');
    return { status: 'applied', plan, after: after.controls, timings };
  } finally {
    await fresh.engine.dispose();
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
      reason: `${reason}; the session was lost too, so the automatic rollback restores the host within ${plan.apply?.deadmanSeconds ?? deadmanSecondsOf(a.deadmanSeconds)} s (${e instanceof Error ? e.message : String(e)})`,
      timings,
    };
  }
}
