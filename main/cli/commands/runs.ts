/**
 * `bulwark runs list|show`: the hardening runs recorded in the vault (newest first, the last
 * 500 are kept), and one run in full: per-host status, reason, checks before and after, and the
 * diffs applied, grouped across hosts; or (--report html|json) as a report file.
 */
import type { Command } from 'commander';
import { replyOf } from '../../services/hardening/group-plans';
import type { Run } from '../command';
import { usageError } from '../errors';
import { controlsTable, groupedPlanText, resultTable, runListTable, when } from '../hardening-output';
import { printable } from '../output';
import { parseReportRequest, reportOptions, writeReport } from '../report-file';

export function registerRunCommands(program: Command, run: Run): void {
  const runs = program.command('runs').description('hardening runs recorded in the vault (audit, plan, apply)');

  run(runs.command('list').description('recorded runs, newest first').option('--limit <N>', 'show at most N runs (default all, up to 500 are kept)'), async (ctx, opts) => {
    let limit: number | undefined;
    if (opts.limit !== undefined) {
      limit = Number(String(opts.limit).trim());
      if (!Number.isInteger(limit) || limit < 1) throw usageError('--limit must be a whole number from 1');
    }
    await ctx.withUnlocked((h) => {
      const list = h.history.list().slice(0, limit);
      ctx.out.result(list, () => (list.length ? runListTable(list) : 'no runs recorded yet\n'));
    });
  });

  const show = runs.command('show').description('one run in full, or as a report file').argument('<ID>', 'run id (see "bulwark runs list")');
  run(reportOptions(show, 'write the report to FILE (or into the folder FILE under its own name) instead of stdout'), async (ctx, opts, [id]) => {
    const report = parseReportRequest(ctx, opts, { outRequired: false });
    await ctx.withUnlocked((h) => {
      const record = h.history.require(id!);
      const reply = replyOf(record);
      if (report) {
        const path = writeReport(ctx, reply, report);
        if (path !== undefined && ctx.out.json) ctx.out.data({ run: reply.id, format: report.format, path });
        return;
      }
      ctx.out.result(reply, () => {
        const head = [
          `run ${record.id}: ${record.mode} ${record.profileId} by ${record.who} (${record.via})${record.cancelled ? ', cancelled' : ''}`,
          `started ${when(record.startedAt)}, took ${((record.finishedAt - record.startedAt) / 1000).toFixed(1)}s`,
          ...(record.options.canary ? [`canary: ${record.options.canary}`] : []),
          ...(record.options.stopAfterFailures ? [`stop after: ${record.options.stopAfterFailures} failures`] : []),
        ];
        const verb = record.mode === 'apply' ? 'changed' : 'will change';
        return [printable(head.join('\n')), '', resultTable(reply), controlsTable(reply), groupedPlanText(reply.grouped, verb)].join('\n');
      });
    });
  });
}
