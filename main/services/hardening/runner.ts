/**
 * Runs an audit, a plan or an apply over many hosts: bounded concurrency, an optional canary
 * (the first N hosts first; the rest only when none of them failed), an optional stop after K
 * failures, cancellation, and per-host progress. One host's failure is its own result.
 */
import { randomBytes } from 'node:crypto';
import type { HostStore } from '../inventory';
import { fieldsOf } from '../inventory/host-fields';
import type { HostLocks, SshEngine, SshTarget } from '../ssh';
import { type ApplyPhase, type HostApplyResult, applyOnHost, contextOf } from './apply-host';
import { planWithStages } from './apply-port-change';
import type { ControlSelection, HostPlan } from './host-plan';
import { deadmanSecondsOf } from './host-session';

export interface RunHostRef {
  name: string;
  address: string;
  port: number;
  user: string;
  jumpHost: string;
  /** Inventory hosts that reach SSH through this one (ProxyJump); see LoginFacts.jumpFor. */
  jumpFor?: readonly string[];
}

export interface RunAccess {
  engine(): SshEngine;
  /** A separate engine for fresh-connection checks. */
  freshEngine(): SshEngine;
  sudoPasswordFor(h: RunHostRef): string | undefined;
  /** Shared with the key jobs: an apply never runs beside another change on the same host. */
  locks: HostLocks;
  /**
   * sshd on `h` now listens on `port` only (the sshd-port control moved it): store it in the
   * inventory (HostStore.update, see inventoryPortUpdater) before anything connects again.
   */
  hostPortChanged?(h: RunHostRef, port: number): void | Promise<void>;
}

export type RunMode = 'audit' | 'plan' | 'apply';
export type RunPhase = 'queued' | ApplyPhase | 'done' | 'failed' | 'skipped';

export type RunHostStatus = 'compliant' | 'drift' | 'unknown' | 'planned' | HostApplyResult['status'] | 'skipped';

export interface RunHostResult {
  host: string;
  status: RunHostStatus;
  /** Before (audit/plan) or the plan applied. */
  plan?: HostPlan;
  /** The checks after applying. */
  after?: HostPlan['controls'];
  reason?: string;
  /** The port sshd moved to (the inventory was told through hostPortChanged). */
  newPort?: number;
  durationMs: number;
  timings?: Record<string, number>;
}

export interface RunOptions {
  mode: RunMode;
  selections: readonly ControlSelection[];
  concurrency?: number;
  /** Apply to this many hosts first; the rest only when none of them failed or rolled back. */
  canary?: number;
  /** Skip the hosts not started yet once this many have failed or rolled back. */
  stopAfterFailures?: number;
  /** apply: seconds before the dead-man switch restores a change that can cut access (10-3600, default 90). */
  deadmanSeconds?: number;
  signal?: AbortSignal;
  onProgress?: (e: { host: string; phase: RunPhase; status?: RunHostStatus; reason?: string }) => void;
}

export interface RunResult {
  runId: string;
  mode: RunMode;
  results: RunHostResult[];
  summary: { total: number; byStatus: Record<string, number>; failed: number };
}

const BAD: ReadonlySet<RunHostStatus> = new Set(['failed', 'rolled-back']);

export function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-').toLowerCase();
  return `${t}-${randomBytes(3).toString('hex')}`;
}

function targetOf(h: RunHostRef): SshTarget {
  return { host: h.address, port: h.port, user: h.user, name: h.name, ...(h.jumpHost ? { jump: h.jumpHost } : {}) };
}

/** The worst status among a host's controls, as an audit reports it. */
function auditStatus(plan: HostPlan): RunHostStatus {
  const statuses = plan.controls.map((c) => c.check.status);
  if (statuses.includes('drift')) return 'drift';
  if (statuses.includes('unknown')) return 'unknown';
  return 'compliant';
}

export async function runHardening(access: RunAccess, hosts: readonly RunHostRef[], o: RunOptions): Promise<RunResult> {
  // a bad delay fails the run before any host is touched
  const deadmanSeconds = deadmanSecondsOf(o.deadmanSeconds);
  const runId = newRunId();
  const emit = (host: string, phase: RunPhase, extra: { status?: RunHostStatus; reason?: string } = {}) => {
    try {
      o.onProgress?.({ host, phase, ...extra });
    } catch {
      // a listener's failure never stops a run
    }
  };
  const results = new Map<string, RunHostResult>();
  let failures = 0;
  const stopReason = (): string | undefined => {
    if (o.signal?.aborted) return 'cancelled';
    if (o.stopAfterFailures !== undefined && failures >= o.stopAfterFailures) return `stopped after ${failures} failed host${failures === 1 ? '' : 's'}`;
    return undefined;
  };

  const one = async (h: RunHostRef): Promise<void> => {
    const stop = stopReason();
    if (stop) {
      results.set(h.name, { host: h.name, status: 'skipped', reason: stop, durationMs: 0 });
      emit(h.name, 'skipped', { status: 'skipped', reason: stop });
      return;
    }
    const t0 = Date.now();
    const a = {
      engine: access.engine(),
      freshEngine: () => access.freshEngine(),
      target: targetOf(h),
      sudoPassword: access.sudoPasswordFor(h),
      signal: o.signal,
      onPhase: (p: ApplyPhase) => emit(h.name, p),
      deadmanSeconds,
      jumpFor: h.jumpFor,
    };
    let r: RunHostResult;
    try {
      if (o.mode === 'apply') {
        const x = await access.locks.run(`${h.address.toLowerCase()}:${h.port}`, () => applyOnHost(a, o.selections, runId));
        r = { host: h.name, status: x.status, plan: x.plan, durationMs: Date.now() - t0, timings: x.timings, ...(x.after ? { after: x.after } : {}), ...(x.reason ? { reason: x.reason } : {}) };
        if (x.newPort !== undefined) {
          r.newPort = x.newPort;
          try {
            await access.hostPortChanged?.(h, x.newPort);
          } catch (e) {
            // the host is fine on the new port; only the inventory is behind
            r = { ...r, status: 'failed', reason: `sshd now listens on port ${x.newPort}, but the inventory could not be updated: ${e instanceof Error ? e.message : String(e)}` };
          }
        }
      } else {
        emit(h.name, 'facts');
        const plan = planWithStages(await contextOf(a), o.selections);
        r = { host: h.name, status: o.mode === 'audit' ? auditStatus(plan) : plan.apply || plan.stages ? 'planned' : plan.controls.some((c) => c.refused) ? 'refused' : 'unchanged', plan, durationMs: Date.now() - t0 };
      }
    } catch (e) {
      r = { host: h.name, status: 'failed', reason: e instanceof Error ? e.message : String(e), durationMs: Date.now() - t0 };
    }
    if (BAD.has(r.status)) failures++;
    results.set(h.name, r);
    emit(h.name, BAD.has(r.status) ? 'failed' : 'done', { status: r.status, ...(r.reason ? { reason: r.reason } : {}) });
  };

  const pool = async (list: readonly RunHostRef[]) => {
    const queue = [...list];
    const width = Math.max(1, Math.min(o.concurrency ?? 16, queue.length));
    await Promise.all(
      Array.from({ length: width }, async () => {
        for (let h = queue.shift(); h; h = queue.shift()) await one(h);
      }),
    );
  };

  for (const h of hosts) emit(h.name, 'queued');
  const canary = o.mode === 'apply' && o.canary ? Math.min(o.canary, hosts.length) : 0;
  await pool(hosts.slice(0, canary));
  if (canary && failures > 0) {
    for (const h of hosts.slice(canary)) {
      const reason = `not applied: ${failures} of the ${canary} canary host${canary === 1 ? '' : 's'} failed`;
      results.set(h.name, { host: h.name, status: 'skipped', reason, durationMs: 0 });
      emit(h.name, 'skipped', { status: 'skipped', reason });
    }
  } else {
    await pool(hosts.slice(canary));
  }

  const ordered = hosts.map((h) => results.get(h.name)!);
  const byStatus: Record<string, number> = {};
  for (const r of ordered) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return { runId, mode: o.mode, results: ordered, summary: { total: ordered.length, byStatus, failed: failures } };
}

/** A hostPortChanged for RunAccess: the inventory host of that name gets the new port. */
export function inventoryPortUpdater(hosts: Pick<HostStore, 'findByName' | 'update'>): (h: RunHostRef, port: number) => void {
  return (h, port) => {
    const host = hosts.findByName(h.name);
    if (!host) throw new Error(`no inventory host named ${h.name}`);
    hosts.update(host.id, { ...fieldsOf(host), port });
  };
}
