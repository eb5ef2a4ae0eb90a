/** Words for hardening runs: modes, phases, host statuses, summaries, scores and times. */
import type { HostRunStatus, RunMode, RunRecord } from '../../../../shared/domain/hardening';
import type { RunPhase } from '../../stores/runs';

export const MODE_LABELS: Record<RunMode, string> = { audit: 'Audit', plan: 'Plan', apply: 'Apply' };

export const PHASE_LABELS: Record<RunPhase, string> = {
  queued: 'Queued',
  facts: 'Reading facts',
  applying: 'Applying',
  verifying: 'Verifying (fresh connection)',
  restoring: 'Restoring',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};

export const STATUS_LABELS: Record<HostRunStatus, string> = {
  compliant: 'compliant',
  drift: 'drift',
  unknown: 'unknown',
  planned: 'to change',
  unchanged: 'unchanged',
  applied: 'applied',
  'rolled-back': 'rolled back',
  refused: 'refused',
  failed: 'failed',
  skipped: 'skipped',
};

/** The statuses each mode ends in, in the order the summary names them (zero counts included). */
const STATUS_ORDER: Record<RunMode, readonly HostRunStatus[]> = {
  audit: ['compliant', 'drift', 'unknown', 'failed'],
  plan: ['planned', 'unchanged', 'refused', 'failed'],
  apply: ['applied', 'unchanged', 'refused', 'rolled-back', 'failed'],
};

/** "2 applied, 1 unchanged, 0 refused, 0 rolled back, 0 failed (1 skipped)". */
export function runSummaryText(mode: RunMode, summary: RunRecord['summary'], cancelled = false): string {
  const order = STATUS_ORDER[mode];
  const extra = Object.keys(summary.byStatus).filter((s) => !(order as readonly string[]).includes(s) && (summary.byStatus[s] ?? 0) > 0);
  const parts = order.map((s) => `${summary.byStatus[s] ?? 0} ${STATUS_LABELS[s]}`);
  const tail = extra.map((s) => `${summary.byStatus[s]} ${STATUS_LABELS[s as HostRunStatus] ?? s}`);
  const text = tail.length > 0 ? `${parts.join(', ')} (${tail.join(', ')})` : parts.join(', ');
  return cancelled ? `${text}; cancelled` : text;
}

/** Rounded down, so 99.5% never reads as a clean 100%. No applicable control counts as 100%. */
export function scorePercent(score: { compliant: number; applicable: number }): number {
  return score.applicable === 0 ? 100 : Math.floor((100 * score.compliant) / score.applicable);
}

export function scoreText(score: { compliant: number; applicable: number }): string {
  return `${score.compliant}/${score.applicable} (${scorePercent(score)}%)`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Local date and time to the second: runs minutes apart must read apart. */
export function formatWhen(ts: number): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
