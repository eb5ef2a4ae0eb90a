/**
 * Groups a run's per-host results the way a person reviews a fleet change: "27 hosts: this
 * change", "3 hosts: nothing to change", refusals with their reason and fix, failures. Hosts
 * share a group only when their file diffs and commands are byte for byte the same, so a group
 * never hides a host-specific line. Pure.
 */
import { createHash } from 'node:crypto';
import type { GroupedPlan, HostRunResult, PlanGroup, RunRecord, RunReply } from '../../../shared/domain/hardening';

type Groupable = Pick<HostRunResult, 'host' | 'status' | 'reason' | 'controls' | 'files' | 'commands' | 'cutsAccess'>;

/** The identity of a change: exact diffs (path and text) and commands, in order. */
export function changeKey(r: Pick<HostRunResult, 'files' | 'commands' | 'cutsAccess'>): string {
  const canonical = JSON.stringify([r.files.map((f) => [f.path, f.diff]), r.commands, r.cutsAccess]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

const NO_PLAN: ReadonlySet<HostRunResult['status']> = new Set(['failed', 'skipped']);

export function groupPlans(results: readonly Groupable[]): GroupedPlan {
  const changes = new Map<string, PlanGroup>();
  const refused = new Map<string, GroupedPlan['refused'][number]>();
  const out: GroupedPlan = { changes: [], unchanged: [], refused: [], failed: [], skipped: [] };
  for (const r of results) {
    // a host that failed after planning (apply) still shows what it tried to change
    if (r.status === 'skipped') {
      out.skipped.push({ host: r.host, reason: r.reason ?? 'skipped' });
      continue;
    }
    if (r.status === 'failed') out.failed.push({ host: r.host, reason: r.reason ?? 'failed' });
    if (NO_PLAN.has(r.status) && r.controls.length === 0) continue;
    let anyRefused = false;
    for (const c of r.controls) {
      if (!c.refused) continue;
      anyRefused = true;
      const k = JSON.stringify([c.id, c.refused.reason, c.refused.fix]);
      const g = refused.get(k) ?? { control: c.id, reason: c.refused.reason, fix: c.refused.fix, hosts: [] };
      g.hosts.push(r.host);
      refused.set(k, g);
    }
    if (r.files.length === 0 && r.commands.length === 0) {
      if (r.status !== 'failed' && !anyRefused) out.unchanged.push(r.host);
      continue;
    }
    const key = changeKey(r);
    const g = changes.get(key) ?? { key, hosts: [], files: r.files, commands: r.commands, cutsAccess: r.cutsAccess };
    g.hosts.push(r.host);
    changes.set(key, g);
  }
  // largest first; equal sizes keep the order their first host came in
  out.changes = [...changes.values()].sort((a, b) => b.hosts.length - a.hosts.length);
  out.refused = [...refused.values()];
  return out;
}

/** A recorded run as runs:get, the run replies and the reports give it: the record plus its grouped view. */
export function replyOf(record: RunRecord): RunReply {
  return { ...record, grouped: groupPlans(record.results) };
}
