/** Words for fleet jobs: operation names, phases, and the one-line summary. */
import type { FleetOp, FleetSummary, HostPhase, HostRow } from '../../stores/jobs';

export const OP_LABELS: Record<FleetOp, string> = {
  deploy: 'Deploy',
  audit: 'Audit',
  rotate: 'Rotate',
  revoke: 'Revoke',
};

export const PHASE_LABELS: Record<HostPhase, string> = {
  waiting: 'Waiting',
  connecting: 'Connecting',
  running: 'Running',
  verifying: 'Verifying new key',
  removing: 'Removing old key',
  done: 'Done',
  failed: 'Failed',
};

/** Every status an operation can end in, in the order the summary names them. */
const STATUS_ORDER: Record<FleetOp, readonly string[]> = {
  deploy: ['added', 'unchanged', 'failed'],
  audit: ['ok', 'failed'],
  rotate: ['rotated', 'failed'],
  revoke: ['removed', 'unchanged', 'failed'],
};

const STATUS_WORDS: Record<string, string> = { ok: 'read' };

export function statusWord(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

/**
 * "9 added, 1 unchanged, 0 failed". Zero counts of the operation's own statuses are named too:
 * "0 failed" is what the user looks for. Cancelled hosts count as failed and are called out.
 */
export function summaryText(op: FleetOp, summary: FleetSummary, rows: readonly HostRow[] = []): string {
  const order = STATUS_ORDER[op];
  const extra = Object.keys(summary.byStatus).filter((s) => !order.includes(s));
  const parts = [...order, ...extra].map((s) => `${summary.byStatus[s] ?? 0} ${statusWord(s)}`);
  const cancelled = rows.filter((r) => r.error?.code === 'ABORTED').length;
  return cancelled > 0 ? `${parts.join(', ')} (${cancelled} cancelled)` : parts.join(', ');
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
