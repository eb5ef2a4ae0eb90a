/**
 * Drift: how each host's score moved across the audit and apply runs of one profile, oldest
 * first. Plans are left out: they read the same checks but are not a statement about the host.
 */
import type { RunReply } from '../../../../shared/domain/hardening';
import { finalControls, scoreOf } from './compliance';

export interface DriftRun {
  id: string;
  mode: RunReply['mode'];
  startedAt: number;
}

export interface DriftHost {
  host: string;
  /** One per run (same order as runs); null where the host was not in the run or not read. */
  points: (number | null)[];
  /** Last score minus the first one it had; null with fewer than two points. */
  change: number | null;
}

export interface Drift {
  runs: DriftRun[];
  hosts: DriftHost[];
}

export function buildDrift(replies: readonly RunReply[], profileId: string): Drift {
  const runs = replies
    .filter((r) => r.profileId === profileId && r.mode !== 'plan')
    .sort((a, b) => a.startedAt - b.startedAt);
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of runs) {
    for (const h of r.results) {
      if (!seen.has(h.host)) {
        seen.add(h.host);
        names.push(h.host);
      }
    }
  }
  const hosts = names.map((host) => {
    const points = runs.map((r) => {
      const result = r.results.find((x) => x.host === host);
      if (!result) return null;
      const { controls, source } = finalControls(result);
      if (source === 'none') return null;
      const s = scoreOf(controls);
      return s.applicable === 0 ? 100 : Math.floor((100 * s.compliant) / s.applicable);
    });
    const known = points.filter((p): p is number => p !== null);
    return { host, points, change: known.length >= 2 ? known[known.length - 1]! - known[0]! : null };
  });
  return { runs: runs.map((r) => ({ id: r.id, mode: r.mode, startedAt: r.startedAt })), hosts };
}

/** Up to `limit` newest audit/apply runs of the profile from the history list, newest first. */
export function driftRunIds(list: readonly { id: string; mode: RunReply['mode']; profileId: string; startedAt: number }[], profileId: string, limit = 12): string[] {
  return list
    .filter((r) => r.profileId === profileId && r.mode !== 'plan')
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, limit)
    .map((r) => r.id);
}
