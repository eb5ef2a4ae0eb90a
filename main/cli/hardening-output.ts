/**
 * How hardening runs read on a terminal: the compliance matrix (hosts x controls), the grouped
 * plan with its diffs, the per-host result table, and the run list. Everything read from hosts
 * goes through printable() so a file on a host cannot drive the terminal.
 */
import type { GroupedPlan, HostRunResult, RunListEntry, RunReply } from '../../shared/domain/hardening';
import { hostCount } from './fleet-run';
import { formatTable, printable } from './output';

const CELL: Record<string, string> = { compliant: 'ok', drift: 'DRIFT', unknown: '?', 'not-applicable': 'n/a' };

export function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

const score = (r: HostRunResult) => (r.controls.length ? `${r.score.compliant}/${r.score.applicable}` : '-');

/** HOST x control cells (ok, DRIFT, ?, n/a) and SCORE = compliant/applicable. */
export function complianceMatrix(reply: RunReply): string {
  const ids: string[] = [];
  for (const r of reply.results) for (const c of r.controls) if (!ids.includes(c.id)) ids.push(c.id);
  const rows = reply.results.map((r) => {
    const cells = ids.map((id) => {
      const c = r.controls.find((x) => x.id === id);
      return c ? CELL[c.status]! : r.status === 'failed' || r.status === 'skipped' ? r.status : '-';
    });
    return [r.host, ...cells, score(r)].map(printable);
  });
  let text = formatTable(['HOST', ...ids, 'SCORE'], rows);
  const findings = reply.results.flatMap((r) =>
    r.controls
      .filter((c) => c.status === 'drift' || c.status === 'unknown')
      .map((c) => `  ${r.host} ${c.id}: ${c.evidence.filter((e) => /want|not|no /i.test(e)).join('; ') || c.evidence.join('; ') || c.status}`),
  );
  if (findings.length) text += `\nFindings:\n${findings.map(printable).join('\n')}\n`;
  const unread = reply.results.filter((r) => r.status === 'failed' || r.status === 'skipped').map((r) => `  ${r.host}: ${r.status}: ${(r.reason ?? '').replace(/\s+/g, ' ')}`);
  if (unread.length) text += `\nNot checked:\n${unread.map(printable).join('\n')}\n`;
  return text;
}

function indent(text: string, by = '    '): string {
  return text.replace(/\n$/, '').replace(/^/gm, by);
}

/** "27 hosts: this change (diff)", "3 hosts: nothing to change", refusals with their fix, failures. */
export function groupedPlanText(g: GroupedPlan, verb = 'will change'): string {
  const out: string[] = [];
  for (const c of g.changes) {
    out.push(`${hostCount(c.hosts.length)} ${verb} (${c.files.length} file${c.files.length === 1 ? '' : 's'}, ${c.commands.length} command${c.commands.length === 1 ? '' : 's'})${c.cutsAccess ? ', can cut SSH access: the automatic rollback is armed until a fresh login proves access' : ''}:`);
    out.push(`  hosts: ${c.hosts.join(', ')}`);
    for (const f of c.files) out.push(indent(f.diff));
    if (c.commands.length) out.push('  commands:', ...c.commands.map((x) => `    ${x}`));
    out.push('');
  }
  if (g.unchanged.length) out.push(`${hostCount(g.unchanged.length)}: nothing to change: ${g.unchanged.join(', ')}`);
  for (const r of g.refused) out.push(`${hostCount(r.hosts.length)}: ${r.control} refused: ${r.reason}`, `  fix: ${r.fix}`, `  hosts: ${r.hosts.join(', ')}`);
  for (const f of g.failed) out.push(`${f.host}: failed: ${f.reason}`);
  for (const s of g.skipped) out.push(`${s.host}: skipped: ${s.reason}`);
  if (out.length === 0) out.push('no hosts');
  return printable(`${out.join('\n').replace(/\n+$/, '')}\n`);
}

/** HOST STATUS SCORE FILES TIME REASON. */
export function resultTable(reply: RunReply): string {
  const rows = reply.results.map((r) =>
    [r.host, r.status, score(r), String(r.files.length), seconds(r.durationMs), (r.reason ?? '').replace(/\s+/g, ' ')].map(printable),
  );
  return formatTable(['HOST', 'STATUS', 'SCORE', 'FILES', 'TIME', 'REASON'], rows);
}

/** "apply: 3 hosts: 3 applied; 3 changed" and where the run is recorded. */
export function summaryText(reply: RunReply): string {
  const parts = Object.entries(reply.summary.byStatus).map(([s, n]) => `${n} ${s}`);
  let line = `${reply.mode} ${reply.profileId}: ${hostCount(reply.summary.total)}: ${parts.join(', ') || 'nothing to do'}`;
  if (reply.mode === 'apply') line += `; ${hostCount(reply.summary.byStatus.applied ?? 0)} changed`;
  if (reply.mode === 'plan') line += `; ${hostCount(reply.grouped.changes.reduce((n, g) => n + g.hosts.length, 0))} to change`;
  return printable(`${line}\nrecorded as run ${reply.id} (bulwark runs show ${reply.id})\n`);
}

export function runListTable(runs: readonly RunListEntry[]): string {
  const rows = runs.map((r) => [
    r.id,
    when(r.startedAt),
    r.who,
    r.mode,
    r.profileId,
    String(r.hosts.length),
    Object.entries(r.summary.byStatus).map(([s, n]) => `${n} ${s}`).join(', ') + (r.cancelled ? ' (cancelled)' : ''),
  ].map(printable));
  return formatTable(['ID', 'STARTED (UTC)', 'WHO', 'MODE', 'PROFILE', 'HOSTS', 'RESULT'], rows);
}

/** Per host and control: the check before, and after (apply). */
export function controlsTable(reply: RunReply): string {
  const rows = reply.results.flatMap((r) =>
    r.controls.map((c) => {
      const after = r.after?.find((a) => a.id === c.id);
      return [r.host, c.id, CELL[c.status]!, after ? CELL[after.status]! : '', c.refused ? `refused: ${c.refused.reason}` : ''].map(printable);
    }),
  );
  return rows.length ? formatTable(['HOST', 'CONTROL', 'BEFORE', 'AFTER', 'NOTE'], rows) : '';
}
