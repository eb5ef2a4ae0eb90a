/**
 * `--report html|json [--out FILE] [--force]` for `runs show` and `audit|plan|apply`: a run's
 * report (services/hardening/report.ts) written to a file or, for `runs show` without --out, to
 * stdout. The options are checked before the vault opens, and the file is checked before a run
 * starts, so a typo or an existing report costs neither a passphrase prompt nor a fleet run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunReply } from '../../shared/domain/hardening';
import { BulwarkError } from '../../shared/errors';
import { type ReportFormat, isReportFormat, runReport } from '../services/hardening/report';
import type { Command } from 'commander';
import type { CliContext } from './context';
import { usageError } from './errors';

export interface ReportRequest {
  format: ReportFormat;
  /** Absolute; a directory means "the report's own file name in it". Absent: stdout. */
  out?: string;
  force: boolean;
}

export function reportOptions(cmd: Command, outHelp: string): Command {
  return cmd
    .option('--report <FORMAT>', 'write the run as a report: html (self-contained, printable) or json')
    .option('--out <FILE>', outHelp)
    .option('--force', 'with --out: overwrite FILE if it exists');
}

/** undefined when no --report; usage errors for every inconsistent combination. */
export function parseReportRequest(ctx: CliContext, opts: Record<string, unknown>, o: { outRequired: boolean }): ReportRequest | undefined {
  if (opts.report === undefined) {
    if (opts.out !== undefined) throw usageError('--out goes with --report html|json');
    if (opts.force) throw usageError('--force goes with --report and --out');
    return undefined;
  }
  const format = String(opts.report).trim().toLowerCase();
  if (!isReportFormat(format)) throw usageError(`--report must be html or json (got "${String(opts.report)}")`);
  if (opts.out === undefined) {
    if (o.outRequired) throw usageError('--report needs --out FILE (stdout carries the run itself)');
    if (ctx.out.json && format === 'html') throw usageError('--json prints one JSON document: write the HTML report with --out FILE, or use --report json');
    if (opts.force) throw usageError('--force goes with --out FILE');
    return { format, force: false };
  }
  const out = String(opts.out);
  if (out.trim() === '') throw usageError('--out needs a file name');
  const request: ReportRequest = { format, out: ctx.resolveFile(out), force: opts.force === true };
  checkWritable(request);
  return request;
}

function targetOf(request: ReportRequest, fileName: string): string {
  const out = request.out!;
  return isDirectory(out) ? path.join(out, fileName) : out;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Refuses before anything runs: an existing file without --force, or a folder that is not there. */
function checkWritable(request: ReportRequest): void {
  const out = request.out!;
  if (isDirectory(out)) return;
  if (!request.force && fs.existsSync(out)) throw new BulwarkError('CONFLICT', `${out} already exists (use --force to overwrite)`);
  const dir = path.dirname(out);
  if (!isDirectory(dir)) throw new BulwarkError('NOT_FOUND', `cannot write ${out}: no such directory ${dir}`);
}

/**
 * Writes the report; returns where it went (undefined: stdout). A report holds the hosts' diffs
 * and evidence, so the file is created 0600 like every other export.
 */
export function writeReport(ctx: CliContext, reply: RunReply, request: ReportRequest): string | undefined {
  const file = runReport(reply, request.format);
  if (request.out === undefined) {
    ctx.out.raw(file.text);
    return undefined;
  }
  const target = targetOf(request, file.fileName);
  try {
    fs.writeFileSync(target, file.text, { mode: 0o600, flag: request.force ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new BulwarkError('CONFLICT', `${target} already exists (use --force to overwrite)`);
    throw new BulwarkError('IO', `cannot write ${target} (${code ?? (e as Error).message})`);
  }
  ctx.out.note(`${request.format.toUpperCase()} report of run ${reply.id} written to ${target}`);
  return target;
}
