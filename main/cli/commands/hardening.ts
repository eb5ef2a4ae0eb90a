/**
 * `bulwark audit|plan|apply --profile ID --hosts ...|--tag ...`: a hardening profile over hosts.
 * audit prints the compliance matrix, plan the grouped diffs (touching nothing), apply shows
 * the plan and asks before changing anything (or takes --yes), with per-host progress on
 * stderr. Every run is recorded in the vault's run history.
 */
import type { Command } from 'commander';
import { type RunMode, type RunProgress, type RunReply, profileIdSchema } from '../../../shared/domain/hardening';
import { runProfile } from '../../services/access';
import { ProfileStore, isBuiltInId } from '../../services/hardening/profile-store';
import { findProfile } from '../../services/hardening/profiles';
import type { Run } from '../command';
import type { CliContext } from '../context';
import { CliError, usageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { hostCount } from '../fleet-run';
import { complianceMatrix, groupedPlanText, resultTable, summaryText } from '../hardening-output';
import { withInterrupt } from '../interrupt';
import { parseSeconds, requireSelection } from '../options';
import { printable } from '../output';
import { parseReportRequest, reportOptions, writeReport } from '../report-file';
import { selectHosts } from '../select';
import type { SshTuning, VaultHandle } from '../services';
import type { Host } from '../../../shared/domain/host';

interface RunArgs {
  profileId: string;
  selection: ReturnType<typeof requireSelection>;
  ssh?: SshTuning;
  canary?: number;
  stopAfterFailures?: number;
}

function positive(value: unknown, option: string): number {
  const text = String(value).trim();
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1) throw usageError(`${option} must be a whole number from 1 to 99999`);
  return Number(text);
}

/** Everything checked before the vault opens: a typo costs no passphrase prompt. */
function parseRunArgs(opts: Record<string, unknown>): RunArgs {
  if (opts.profile === undefined) throw usageError('choose a profile with --profile ID (see "bulwark profile list")');
  const profileId = String(opts.profile);
  // a built-in id or the shape of a custom one; custom profiles are looked up once the vault is open
  if (!isBuiltInId(profileId) && !profileIdSchema.safeParse(profileId).success) findProfile(profileId);
  return {
    profileId,
    selection: requireSelection(opts),
    ...(opts.timeout !== undefined ? { ssh: { readyTimeoutMs: parseSeconds(opts.timeout, '--timeout') * 1000 } } : {}),
    ...(opts.canary !== undefined ? { canary: positive(opts.canary, '--canary') } : {}),
    ...(opts.stopAfter !== undefined ? { stopAfterFailures: positive(opts.stopAfter, '--stop-after') } : {}),
  };
}

function runOptions(cmd: Command): Command {
  return reportOptions(cmd, 'with --report: write the report of this run to FILE (or into the folder FILE under its own name)')
    .option('--profile <ID>', 'hardening profile (see "bulwark profile list")')
    .option('--hosts <NAMES>', 'comma-separated inventory names')
    .option('--tag <T>', 'every host with this tag')
    .option('--timeout <S>', 'seconds to wait for each host to connect (default 20)');
}

const PHASE_WORD: Partial<Record<RunProgress['phase'], string>> = { facts: 'reading facts', applying: 'applying', verifying: 'verifying from a fresh connection', restoring: 'rolling back' };

/** Progress lines on stderr: each step of an apply, and "[n/N] host: status" as hosts finish. */
function progressPrinter(ctx: CliContext, total: number, mode: RunMode): (e: Omit<RunProgress, 'jobId'>) => void {
  let finished = 0;
  return (e) => {
    if (ctx.out.json) return;
    if (e.phase === 'done' || e.phase === 'failed' || e.phase === 'skipped') {
      finished++;
      const status = e.status === 'rolled-back' ? 'rolled back' : (e.status ?? e.phase);
      ctx.out.note(printable(`[${finished}/${total}] ${e.host}: ${status}${e.reason ? `: ${e.reason.replace(/\s+/g, ' ')}` : ''}`));
    } else if (mode === 'apply' && PHASE_WORD[e.phase]) {
      ctx.out.note(printable(`  ${e.host}: ${PHASE_WORD[e.phase]}`));
    }
  };
}

async function execute(ctx: CliContext, h: VaultHandle, hosts: Host[], mode: RunMode, a: RunArgs): Promise<{ reply: RunReply; interrupted: boolean }> {
  if (!ctx.out.json) ctx.out.note(printable(`${mode}: ${a.profileId} on ${hostCount(hosts.length)} (Ctrl-C cancels)`));
  const { value, interrupted } = await withInterrupt(ctx.io, (signal) =>
    runProfile(h.access, h.history, {
      mode,
      profileId: a.profileId,
      profiles: new ProfileStore(h.vault),
      hosts,
      inventory: h.hosts,
      via: 'cli',
      canary: a.canary,
      stopAfterFailures: a.stopAfterFailures,
      signal,
      onProgress: progressPrinter(ctx, hosts.length, mode),
    }),
  );
  return { reply: value, interrupted };
}

/** 130 after Ctrl-C cut hosts short, 13 when a host failed or rolled back, 14 when an audit found drift. */
export function exitFor(reply: RunReply, interrupted: boolean): void {
  const n = reply.summary.total;
  const cut = reply.results.filter((r) => r.status === 'skipped' || (r.status === 'failed' && /abort|cancel/i.test(r.reason ?? ''))).length;
  if (interrupted && cut > 0) throw new CliError(ExitCode.INTERRUPTED, `interrupted: ${cut} of ${hostCount(n)} not finished (recorded as run ${reply.id})`);
  if (reply.summary.failed > 0) {
    throw new CliError(ExitCode.HOSTS_FAILED, `${reply.summary.failed} of ${hostCount(n)} ${reply.mode === 'apply' ? 'failed or rolled back' : 'failed'}`);
  }
  const skipped = reply.results.filter((r) => r.status === 'skipped').length;
  if (skipped > 0) throw new CliError(ExitCode.HOSTS_FAILED, `${skipped} of ${hostCount(n)} skipped`);
  if (reply.mode === 'audit') {
    const off = reply.results.filter((r) => r.status === 'drift' || r.status === 'unknown').length;
    if (off > 0) throw new CliError(ExitCode.DRIFT, `${off} of ${hostCount(n)} not compliant`);
  }
}

function print(ctx: CliContext, reply: RunReply): void {
  if (ctx.out.json) return ctx.out.data(reply);
  if (reply.mode === 'audit') ctx.out.text(complianceMatrix(reply));
  else if (reply.mode === 'plan') ctx.out.text(groupedPlanText(reply.grouped));
  else {
    ctx.out.text(resultTable(reply));
    const changed = reply.grouped.changes.length > 0;
    if (changed) ctx.out.text(`\nWhat was applied (or attempted):\n${groupedPlanText({ ...reply.grouped, unchanged: [], failed: [], skipped: [] }, 'changed')}`);
  }
  ctx.out.text(`\n${summaryText(reply)}`);
}

export function registerHardeningCommands(program: Command, run: Run): void {
  for (const mode of ['audit', 'plan'] as const) {
    const description =
      mode === 'audit'
        ? 'check hosts against a profile: a hosts x controls compliance matrix (exit 14 when a host drifts)'
        : 'what applying a profile would change, grouped across hosts, with unified diffs; changes nothing';
    run(runOptions(program.command(mode).description(description)), async (ctx, opts) => {
      const a = parseRunArgs(opts);
      const report = parseReportRequest(ctx, opts, { outRequired: true });
      const { reply, interrupted } = await ctx.withUnlocked(async (h) => execute(ctx, h, selectHosts(h.hosts, a.selection), mode, a), a.ssh ? { ssh: a.ssh } : {});
      print(ctx, reply);
      if (report) writeReport(ctx, reply, report);
      exitFor(reply, interrupted);
    });
  }

  run(
    runOptions(program.command('apply').description('apply a profile: shows the grouped plan and asks first (or --yes); a host that loses access rolls back'))
      .option('--yes', 'apply without asking (needed when stdin is not a terminal)')
      .option('--canary <N>', 'apply to the first N hosts first; the rest only if none of them failed')
      .option('--stop-after <K>', 'skip the hosts not started yet once K have failed or rolled back'),
    async (ctx, opts) => {
      const a = parseRunArgs(opts);
      const report = parseReportRequest(ctx, opts, { outRequired: true });
      const yes = opts.yes === true;
      if (!yes && !ctx.io.stdin.isTTY) throw usageError('apply changes hosts: pass --yes to apply without a question (stdin is not a terminal, so bulwark cannot ask)');
      const outcome = await ctx.withUnlocked(async (h) => {
        const hosts = selectHosts(h.hosts, a.selection);
        if (!yes) {
          const preview = await execute(ctx, h, hosts, 'plan', a);
          const toChange = preview.reply.grouped.changes.reduce((n, g) => n + g.hosts.length, 0);
          if (preview.interrupted || (toChange === 0 && preview.reply.grouped.failed.length === 0)) {
            if (!preview.interrupted) ctx.out.note('nothing to apply: no host has anything to change');
            return preview;
          }
          ctx.out.note(groupedPlanText(preview.reply.grouped));
          if (!(await ctx.confirm(`Apply ${a.profileId} to ${hostCount(hosts.length)} (${hostCount(toChange)} to change)?`))) {
            throw new CliError(ExitCode.FAILURE, 'not confirmed: nothing was changed');
          }
        }
        return execute(ctx, h, hosts, 'apply', a);
      }, a.ssh ? { ssh: a.ssh } : {});
      print(ctx, outcome.reply);
      if (report) writeReport(ctx, outcome.reply, report);
      exitFor(outcome.reply, outcome.interrupted);
    },
  );
}
