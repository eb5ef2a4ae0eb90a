/**
 * `bulwark ssh exec HOST -- COMMAND...`: one command on one inventory host, through the same
 * engine as the app (vault credentials, host key pinned in the vault, never trusted implicitly).
 *
 * The words after `--` are quoted one by one (shellJoin), so what the user typed as one
 * argument reaches the remote program as one argument; shell syntax (pipes, globs, $VARS) needs
 * an explicit `sh -c '...'`. The CLI's exit status is the remote command's (see remoteStatus).
 */
import os from 'node:os';
import type { Command } from 'commander';
import { isBulwarkError } from '../../../shared/errors';
import type { Run } from '../command';
import type { CliContext } from '../context';
import { CliError, QuietExit, usageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { withInterrupt } from '../interrupt';
import { printable } from '../output';
import { parseSeconds } from '../options';
import { requireHost } from '../lookup';
import { withNextStep } from '../ssh-hints';
import { type ExecResult, shellJoin, targetFromHost } from '../../services/ssh';

/** What `ssh exec --json` prints. */
export interface ExecJson {
  host: string;
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** The engine's own connect limit; --timeout only ever shortens it. */
const CONNECT_TIMEOUT_S = 20;

export function registerSshExec(ssh: Command, run: Run): void {
  run(
    ssh
      .command('exec')
      .usage('[options] HOST -- COMMAND...')
      .description('run a command on an inventory host (its host key must be pinned: "bulwark ssh trust HOST")')
      .argument('<HOST>', 'inventory host name')
      .argument('<COMMAND...>', 'after --: the command and its arguments, each quoted for the remote shell')
      .option('--sudo', "run it as root through sudo (with the host's stored sudo password, if sudo asks)")
      .option('--timeout <S>', `stop the command after S seconds (exit ${ExitCode.COMMAND_TIMEOUT}); connecting also gives up after S seconds (at most ${CONNECT_TIMEOUT_S})`)
      .addHelpText(
        'after',
        `
Each word after -- reaches the remote program as one argument, exactly as typed:
  bulwark ssh exec web1 -- ls -l "my file"        runs  'ls' '-l' 'my file'
For pipes, redirections, globs or variables, ask for a shell:
  bulwark ssh exec web1 -- sh -c 'df -h | grep /srv'
The exit status is the remote command's (128+N when it died of signal N, 255 when none was
reported); 10, 11 and 12 mean Bulwark could not connect (host key, unreachable, authentication).`,
      ),
    async (ctx, opts, [name, ...words]) => {
      requireDashDash(ctx, words);
      const timeout = opts.timeout === undefined ? undefined : parseSeconds(opts.timeout, '--timeout');
      const command = shellJoin(words);
      const sudo = opts.sudo === true;
      const ssh = timeout === undefined ? {} : { ssh: { readyTimeoutMs: Math.min(timeout, CONNECT_TIMEOUT_S) * 1000 } };
      const outcome = await ctx.withUnlocked(async (h) => {
        const host = requireHost(h.hosts, name!);
        const engine = h.access.engine();
        const target = targetFromHost(host);
        const base = { encoding: 'buffer' as const, ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}) };
        try {
          const { value, interrupted } = await withInterrupt(ctx.io, (signal) => {
            if (!sudo) return engine.exec(target, command, { ...base, signal });
            const password = h.access.sudoPasswordFor(host);
            return engine.sudo(target, command, { ...base, signal, ...(password !== undefined ? { password } : {}) });
          });
          return { host: host.name, result: value, interrupted };
        } catch (e) {
          throw execFailure(e, host.name);
        }
      }, ssh);
      report(ctx, outcome.host, outcome.result);
      const status = remoteStatus(outcome.result);
      if (status !== 0) throw new QuietExit(status);
    },
  );
}

/**
 * Insists on `--` before the command: without it, options meant for the remote program (`ls
 * --json`, `rm -r`) would be taken as bulwark's own. Every COMMAND word must come after it.
 */
function requireDashDash(ctx: CliContext, words: readonly string[]): void {
  const at = ctx.argv.indexOf('--');
  if (at < 0) throw usageError('put the remote command after --: bulwark ssh exec HOST -- COMMAND...');
  const after = ctx.argv.slice(at + 1);
  if (after.length !== words.length || after.some((w, i) => w !== words[i])) {
    throw usageError('put HOST and the options before --, and only the remote command after it');
  }
}

/** The remote exit status as this process's: code as is, signal N as 128+N, else 255. */
export function remoteStatus(r: Pick<ExecResult<Buffer>, 'code' | 'signal'>): number {
  if (r.code !== null) return r.code & 0xff;
  if (r.signal !== null) {
    const name = (r.signal.startsWith('SIG') ? r.signal : `SIG${r.signal}`) as keyof typeof os.constants.signals;
    const n = os.constants.signals[name];
    if (typeof n === 'number') return 128 + n;
  }
  return ExitCode.NO_EXIT_STATUS;
}

function report(ctx: CliContext, host: string, r: ExecResult<Buffer>): void {
  if (ctx.out.json) {
    const doc: ExecJson = { host, code: r.code, signal: r.signal, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
    ctx.out.data(doc);
  } else {
    // Passed through byte for byte: this is the remote program's output, not bulwark's.
    if (r.stdout.length) ctx.io.stdout.write(r.stdout);
    if (r.stderr.length) ctx.io.stderr.write(r.stderr);
  }
  for (const [stream, cut] of [['stdout', r.stdoutTruncated], ['stderr', r.stderrTruncated]] as const) {
    if (cut) ctx.out.note(`bulwark: warning: the command's ${stream} was cut off at the engine's limit (16 MiB); the rest was dropped`);
  }
  if (r.code === null && r.signal !== null) ctx.out.note(`bulwark: ${printable(host)}: the command was killed by ${printable(r.signal)}`);
}

/** Engine failures as exit codes: a command timeout and Ctrl-C get their own; connecting keeps 10/11/12. */
function execFailure(e: unknown, host: string): unknown {
  if (isBulwarkError(e) && e.code === 'TIMEOUT' && e.fields?.timeoutMs !== undefined) {
    return new CliError(ExitCode.COMMAND_TIMEOUT, `${e.message}; it was stopped`);
  }
  if (isBulwarkError(e) && e.code === 'ABORTED') return new CliError(ExitCode.INTERRUPTED, 'interrupted; the remote command was stopped');
  return withNextStep(e, host);
}
