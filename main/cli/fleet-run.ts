/**
 * How every fleet command (keys deploy/audit/rotate/revoke) runs and reports: hosts selected
 * before anything is sent, one progress line per host on stderr as it finishes, Ctrl-C aborting
 * the hosts not finished, then a table and a summary on stdout (or one JSON document), and an
 * exit code that says whether every host succeeded.
 */
import type { Host } from '../../shared/domain/host';
import type { CliContext } from './context';
import { CliError } from './errors';
import { ExitCode } from './exit-codes';
import { withInterrupt } from './interrupt';
import { printable } from './output';
import { type HostSelection, selectHosts } from './select';
import { fleetNextStep } from './ssh-hints';
import type { SshTuning, VaultHandle } from './services';
import type { FleetError, FleetOpResult, FleetProgress } from '../services/keys';

/** A per-host result as every op returns it. */
export interface HostOutcome {
  host: string;
  status: string;
  error?: FleetError;
}

/** The summary the CLI prints: the service's, plus the hosts Ctrl-C stopped. */
export interface CliFleetSummary {
  total: number;
  ok: number;
  failed: number;
  aborted: number;
  byStatus: Record<string, number>;
}

/** What a fleet command will do, worked out (keys looked up) before anything is sent. */
export interface FleetPlan<R extends HostOutcome> {
  /** Shown on stderr before the work starts, e.g. "key deploy to 3 hosts". */
  describe: string;
  run(o: { signal: AbortSignal; onProgress: (e: FleetProgress) => void }): Promise<FleetOpResult<R>>;
}

export interface FleetRunSpec<R extends HostOutcome> {
  /** "deploy", "audit"...: the first word of progress and summary lines. */
  op: string;
  selection: HostSelection;
  ssh?: SshTuning;
  /** Whose authorized_keys a host's line is about (progress lines); none for audit. */
  accountOf?(host: Host): string;
  plan(h: VaultHandle, hosts: Host[]): FleetPlan<R>;
}

export interface FleetRun<R> {
  results: R[];
  summary: CliFleetSummary;
  interrupted: boolean;
}

export async function runFleet<R extends HostOutcome>(ctx: CliContext, spec: FleetRunSpec<R>): Promise<FleetRun<R>> {
  return ctx.withUnlocked(
    async (h) => {
      const hosts = selectHosts(h.hosts, spec.selection);
      const byName = new Map(hosts.map((x) => [x.name, x]));
      let finished = 0;
      const onProgress = (e: FleetProgress): void => {
        if (ctx.out.json || (e.phase !== 'done' && e.phase !== 'failed')) return;
        finished++;
        const host = byName.get(e.host);
        const who = host && spec.accountOf ? ` (${spec.accountOf(host)})` : '';
        const what = e.phase === 'done' ? (e.status ?? 'done') : e.error?.code === 'ABORTED' ? 'aborted' : `failed: ${errorCell(e.error, e.host)}`;
        ctx.out.note(printable(`[${finished}/${hosts.length}] ${e.host}${who}: ${what}`));
      };
      const plan = spec.plan(h, hosts);
      if (!ctx.out.json) ctx.out.note(printable(`${spec.op}: ${plan.describe} (Ctrl-C cancels)`));
      const { value, interrupted } = await withInterrupt(ctx.io, (signal) => plan.run({ signal, onProgress }));
      const results = value.results.map((r) => (interrupted && r.status === 'failed' && r.error?.code === 'ABORTED' ? { ...r, status: 'aborted' } : r));
      return { results, summary: summarize(results), interrupted };
    },
    spec.ssh ? { ssh: spec.ssh } : {},
  );
}

function summarize(results: readonly HostOutcome[]): CliFleetSummary {
  const byStatus: Record<string, number> = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const failed = byStatus.failed ?? 0;
  const aborted = byStatus.aborted ?? 0;
  return { total: results.length, ok: results.length - failed - aborted, failed, aborted, byStatus };
}

/** "1 host", "3 hosts". */
export function hostCount(n: number): string {
  return `${n} host${n === 1 ? '' : 's'}`;
}

/** "deploy: 3 hosts: 2 added, 1 failed". Statuses in the order first seen. */
export function summaryLine(op: string, s: CliFleetSummary): string {
  const parts = Object.entries(s.byStatus).map(([status, n]) => `${n} ${status}`);
  return `${op}: ${hostCount(s.total)}: ${parts.join(', ') || 'nothing to do'}`;
}

/** Ends the command: 130 after Ctrl-C, 13 when a host failed, else success. */
export function finish(run: FleetRun<unknown>): void {
  const { summary: s } = run;
  // Ctrl-C after every host had finished changed nothing: the results are complete.
  if (run.interrupted && s.aborted > 0) {
    throw new CliError(ExitCode.INTERRUPTED, `interrupted: ${s.aborted} of ${hostCount(s.total)} not finished (aborted; they may or may not have been changed)`);
  }
  if (s.failed > 0) throw new CliError(ExitCode.HOSTS_FAILED, `${s.failed} of ${hostCount(s.total)} failed`);
}

/** The ERROR cell: the message on one line, with the next step when the CLI knows one. */
export function errorCell(e: FleetError | undefined, host: string): string {
  if (!e) return '';
  const hint = fleetNextStep(e.code, e.message, host);
  return printable(`${e.message}${hint ? ` ${hint}` : ''}`.replace(/\s+/g, ' '));
}
