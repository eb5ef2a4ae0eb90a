/**
 * The staged port change (control sshd-port). Each stage is an ordinary apply script with the
 * dead-man switch armed, and a stage is disarmed only from a fresh connection on the NEW port:
 *
 *   1. open   sshd listens on old and new ports, UFW allows the new one, the jail watches both
 *   2. check  fresh connection on the new port ($SSH_CONNECTION must show it); disarm 1
 *   3. close  over that new-port session: only the new port in sshd, UFW and the jail
 *   4. check  another fresh connection on the new port; the control must be compliant; disarm 3
 *
 * If 2 fails, stage 1 is restored through the session Bulwark came in on. If 3 or 4 fails,
 * stage 3 is restored (both ports again) and then stage 1 (its restore.sh is kept), so the host
 * ends as it began. At every moment a port Bulwark can reach is open, and any session that dies
 * leaves the armed switch to restore by itself. The caller stores the new port (newPort).
 */
import { BulwarkError } from '../../../shared/errors';
import { applyScript, disarmCommand, restoreCommand } from './apply-script';
import type { ControlContext } from './control';
import { SSHD_PORT_ID, type SshdPortParams, checkPort, currentPorts, portStage } from './controls/sshd-port';
import { type ControlSelection, type HostPlan, planHost, unifiedDiff } from './host-plan';
import { type HostAccess, contextOf, deadmanSecondsOf, freshContext, runAsRoot, scriptFailure } from './host-session';
import type { SshEngine, SshTarget } from '../ssh';

export interface PortChangeResult {
  status: 'unchanged' | 'applied' | 'rolled-back' | 'refused' | 'failed';
  reason?: string;
  newPort?: number;
  /** Facts from the last fresh connection (on the new port when applied). */
  ctx?: ControlContext;
}

/** The sshd-port selection with a port, and the rest. */
export function splitPortSelection(selections: readonly ControlSelection[]): { port: SshdPortParams | null; rest: ControlSelection[] } {
  const sel = selections.find((s) => s.control.id === SSHD_PORT_ID && (s.params as SshdPortParams).port !== undefined);
  return { port: sel ? (sel.params as SshdPortParams) : null, rest: selections.filter((s) => s !== sel) };
}

/** planHost plus, when the port moves, what its first stage changes and the second as expected. */
export function planWithStages(ctx: ControlContext, selections: readonly ControlSelection[]): HostPlan {
  const plan = planHost(ctx, selections);
  const { port } = splitPortSelection(selections);
  const outcome = plan.controls.find((c) => c.id === SSHD_PORT_ID);
  if (!port || !outcome || outcome.refused || outcome.check.status !== 'drift') return plan;
  const from = currentPorts(ctx);
  const open = portStage(ctx, port, 'open', from);
  const diffs = (s: typeof open) => s.files.map((f) => ({ ...f, diff: unifiedDiff(f.path, f.before, f.after) }));
  const stages = [{ name: `open port ${String(port.port)} beside ${from.join(', ')}`, files: diffs(open), commands: open.commands }];
  // the second stage from the facts as the first leaves them (close reads only files and rules)
  const opened: ControlContext = {
    ...ctx,
    facts: {
      ...ctx.facts,
      sshd: { ...ctx.facts.sshd, effective: new Map([...ctx.facts.sshd.effective, ['port', [...from, port.port!].map(String)]]), dropins: mergeFiles(ctx.facts.sshd.dropins, open.files) },
      fail2ban: { ...ctx.facts.fail2ban, jailFiles: mergeFiles(ctx.facts.fail2ban.jailFiles, open.files) },
    },
  };
  const close = portStage(opened, port, 'close', from);
  stages.push({ name: `close ${from.filter((x) => x !== port.port).join(', ')}`, files: diffs(close), commands: close.commands });
  return { ...plan, stages, cutsAccess: true };
}

function mergeFiles(have: ReadonlyArray<{ path: string; content: string }>, written: ReadonlyArray<{ path: string; after: string | null }>): Array<{ path: string; content: string }> {
  const out = new Map(have.map((f) => [f.path, f.content]));
  for (const w of written) if (out.has(w.path) || w.path.startsWith('/etc/ssh/sshd_config.d/') || w.path.startsWith('/etc/fail2ban/')) {
    if (w.after === null) out.delete(w.path);
    else out.set(w.path, w.after);
  }
  return [...out].map(([path, content]) => ({ path, content }));
}

/**
 * The keys pinned for the current port, pinned for the new one too: the same sshd answers on
 * both, and without a pin the fresh connection would refuse the host.
 */
function pinForPort(engine: SshEngine, target: SshTarget, to: number): string | null {
  const from = target.port ?? 22;
  const keys = engine.hostKeys.lookup(target.host, from);
  if (!keys.length) return `no host key is pinned for ${target.host}:${from}`;
  try {
    for (const k of keys) engine.hostKeys.trust(target.host, to, Buffer.from(k.key, 'base64'));
  } catch (e) {
    if (e instanceof BulwarkError && e.code === 'HOST_KEY_CHANGED') return e.message;
    throw e;
  }
  return null;
}

export async function changePort(a: HostAccess, p: SshdPortParams, runId: string, known: ControlContext | null, timings: Record<string, number>): Promise<PortChangeResult> {
  const to = p.port!;
  let t = Date.now();
  const lap = (name: string) => {
    timings[name] = Date.now() - t;
    t = Date.now();
  };
  a.onPhase?.('facts');
  const ctx0 = known ?? (await contextOf(a));
  if (checkPort(ctx0, p).status !== 'drift') return { status: 'unchanged', ctx: ctx0 };
  const from = currentPorts(ctx0);
  const open = portStage(ctx0, p, 'open', from);
  if (open.refused) return { status: 'refused', reason: open.refused.reason };
  const newTarget: SshTarget = { ...a.target, port: to };
  const onNew: HostAccess = { ...a, target: newTarget };
  const pinProblem = pinForPort(a.engine, a.target, to);
  if (pinProblem) return { status: 'refused', reason: `cannot check the new port: ${pinProblem}` };
  lap('port-plan');

  const run1 = `${runId}-p1`;
  const run2 = `${runId}-p2`;
  // both stages can cut access: each arms the switch with the run's delay
  const deadmanSeconds = deadmanSecondsOf(a.deadmanSeconds);
  a.onPhase?.('applying');
  if (open.apply) {
    const r = await runAsRoot(a, a.engine, applyScript({ ...open.apply, runId: run1, deadmanSeconds }).script);
    lap('port-open');
    if (r.code !== 0 || !r.stdout.includes('bulwark-applied')) {
      return { status: r.code === 3 || r.code === 4 ? 'rolled-back' : 'failed', reason: `opening port ${to}: ${scriptFailure(r)}` };
    }
  }
  const undoOpen = async (why: string, engine: SshEngine = a.engine, target: SshTarget = a.target): Promise<PortChangeResult> => {
    if (!open.apply) return { status: 'rolled-back', reason: `${why}; nothing else had changed` };
    a.onPhase?.('restoring');
    try {
      const r = await runAsRoot({ ...a, target }, engine, restoreCommand(run1));
      lap('port-restore');
      if (r.code === 0) return { status: 'rolled-back', reason: `${why}; sshd is back on ${from.join(', ')} only, everything was restored` };
      return { status: 'failed', reason: `${why}; restoring reported: ${r.stderr.trim()}` };
    } catch (e) {
      return { status: 'rolled-back', reason: `${why}; the session was lost too, so the automatic rollback restores the host within ${deadmanSeconds} s (${e instanceof Error ? e.message : String(e)})` };
    }
  };

  // 2. a fresh connection on the new port, or nothing of this stays
  a.onPhase?.('verifying');
  let fresh1: { ctx: ControlContext; engine: SshEngine };
  try {
    fresh1 = await freshContext(onNew, newTarget);
  } catch (e) {
    lap('port-verify-open');
    return undoOpen(`a fresh connection on the new port ${to} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    lap('port-verify-open');
    const came = fresh1.ctx.facts.connection?.serverPort;
    if (came !== to || !currentPorts(fresh1.ctx).includes(to)) {
      return await undoOpen(`the connection for port ${to} reached port ${String(came)} (sshd -T: port ${currentPorts(fresh1.ctx).join(' ')})`);
    }
    if (open.apply) {
      const d = await runAsRoot(onNew, fresh1.engine, disarmCommand(run1));
      if (d.code !== 0) return await undoOpen(`could not disarm the first stage: ${d.stderr.trim()}`);
    }

    // 3. close the old ports, over the new-port session
    const close = portStage(fresh1.ctx, p, 'close', from);
    if (close.refused) return await undoOpen(`closing the old port was refused: ${close.refused.reason}`);
    a.onPhase?.('applying');
    if (close.apply) {
      const r = await runAsRoot(onNew, fresh1.engine, applyScript({ ...close.apply, runId: run2, deadmanSeconds }).script);
      lap('port-close');
      if (r.code !== 0 || !r.stdout.includes('bulwark-applied')) return await undoOpen(`closing the old port: ${scriptFailure(r)}`);
    }
    const undoBoth = async (why: string): Promise<PortChangeResult> => {
      a.onPhase?.('restoring');
      try {
        const r = await runAsRoot(onNew, fresh1.engine, restoreCommand(run2));
        if (r.code !== 0) return { status: 'failed', reason: `${why}; restoring the second stage reported: ${r.stderr.trim()} (its automatic rollback is still armed)` };
      } catch (e) {
        return { status: 'rolled-back', reason: `${why}; the session was lost, so the automatic rollback reopens port ${from.join(', ')} within ${deadmanSeconds} s and stage 1 (both ports) stays (${e instanceof Error ? e.message : String(e)})` };
      }
      return undoOpen(why, fresh1.engine, newTarget);
    };

    // 4. verify again, from yet another fresh connection
    a.onPhase?.('verifying');
    let fresh2: { ctx: ControlContext; engine: SshEngine };
    try {
      fresh2 = await freshContext(onNew, newTarget);
    } catch (e) {
      lap('port-verify-close');
      return await undoBoth(`a fresh connection on port ${to} failed after closing the old port: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      lap('port-verify-close');
      const c = checkPort(fresh2.ctx, p);
      if (c.status !== 'compliant' || fresh2.ctx.facts.connection?.serverPort !== to) {
        return await undoBoth(`the port change did not take effect: ${c.evidence.filter((e) => e.includes('want') || e.includes('still')).join('; ') || c.status}`);
      }
      if (close.apply) {
        const d = await runAsRoot(onNew, fresh2.engine, disarmCommand(run2));
        if (d.code !== 0) return await undoBoth(`could not disarm the second stage: ${d.stderr.trim()}`);
      }
      lap('port-disarm');
      return { status: 'applied', newPort: to, ctx: fresh2.ctx };
    } finally {
      await fresh2.engine.dispose();
    }
  } finally {
    await fresh1.engine.dispose();
  }
}
