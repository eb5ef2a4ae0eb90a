/**
 * The `bulwark` command line: the desktop app's services without Electron.
 *
 * `main(argv, io)` is the whole program; bin.ts calls it with the real process. Tests call it
 * in-process with injected stdout/stderr/env/stdin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { isBulwarkError } from '../../shared/errors';
import { actionRunner } from './command';
import { registerHardeningCommands } from './commands/hardening';
import { registerHostAccessCommands } from './commands/host-access';
import { registerHostCommands } from './commands/hosts';
import { registerKeyCommands } from './commands/keys';
import { registerProfileCommands } from './commands/profiles';
import { registerRunCommands } from './commands/runs';
import { registerLogCommands } from './commands/logs';
import { registerPveCommands } from './commands/pve';
import { registerSshCommands } from './commands/ssh';
import { registerVaultCommands } from './commands/vault';
import { ENV } from './context';
import { CliError, usageError } from './errors';
import { ExitCode, exitCodeFor } from './exit-codes';
import type { CliIo } from './io';
import { printable } from './output';
import type { HiddenPrompt } from './passphrase';

export { ExitCode } from './exit-codes';
export type { CliIo } from './io';
export { selectHosts } from './select';

export interface MainOptions {
  /** Replaces the raw-mode TTY prompt (tests). */
  prompt?: HiddenPrompt;
}

const HELP_FOOTER = `
Secrets are never taken from the command line. They come from a --*-file option (first line),
else an environment variable, else a no-echo prompt when stdin is a terminal:
  BULWARK_PASSPHRASE         vault passphrase            (--passphrase-file)
  BULWARK_NEW_PASSPHRASE     vault passwd/recover        (--new-passphrase-file)
  BULWARK_EXPORT_PASSPHRASE  vault export/import         (--export-passphrase-file)
  BULWARK_RECOVERY_KEY       vault recover               (--recovery-key-file)
  BULWARK_KEY_PASSPHRASE     keys import (encrypted key) (--key-passphrase-file)
  BULWARK_VAULT              vault file                  (--vault)
The sudo password of "hosts set-sudo-password" is read from stdin (one line), or asked twice.

Exit codes: 0 ok, 1 failure, 2 usage, 3 wrong passphrase/recovery key, 4 vault absent/locked/
exists, 5 invalid input, 6 vault damaged, 7 vault too new, 8 not found, 9 conflict, 10 host key
unknown/changed, 11 host unreachable/timeout, 12 SSH authentication failed, 13 some hosts of a
fleet command failed (apply: or rolled back), 14 audit found a host not compliant, 130 Ctrl-C.
"ssh exec" exits with the remote command's status instead (124 on --timeout, 128+N for signal N,
255 when none was reported). See docs/cli.md.`;

/** Options that would carry a secret on the command line. Refused before parsing, value unseen. */
const SECRET_ON_ARGV = /^--(passphrase|new-passphrase|export-passphrase|key-passphrase|recovery-key|password|pass)(=|$)/;

export async function main(argv: readonly string[], io: CliIo, options: MainOptions = {}): Promise<number> {
  try {
    refuseSecretsInArgv(argv);
    const program = buildProgram(io, options, argv);
    await program.parseAsync([...argv], { from: 'node' });
    return ExitCode.OK;
  } catch (e) {
    return report(e, io);
  }
}

export function buildProgram(io: CliIo, options: MainOptions = {}, argv: readonly string[] = []): Command {
  const program = new Command('bulwark')
    .description('Bulwark: encrypted inventory and hardening for Proxmox homelabs')
    .version(version(), '-V, --version')
    .option('--vault <PATH>', 'vault file (default: $BULWARK_VAULT, else the per-user data directory)')
    .option('--json', 'print machine-readable JSON (and nothing else) on stdout')
    .option('--passphrase-file <FILE>', `read the vault passphrase from the first line of FILE (else $${ENV.passphrase}, else a prompt)`)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`bulwark: ${redactOptionValues(s.replace(/^error: /, ''))}`),
    })
    .addHelpText('after', HELP_FOOTER);
  const run = actionRunner(io, options.prompt, argv);
  registerVaultCommands(program, run);
  registerHostCommands(program, run);
  registerHostAccessCommands(subcommand(program, 'hosts'), run);
  registerKeyCommands(program, run);
  registerSshCommands(program, run);
  registerProfileCommands(program, run);
  registerHardeningCommands(program, run);
  registerRunCommands(program, run);
  registerLogCommands(program, run);
  registerPveCommands(program, run);
  return program;
}

/** A command another module registered (hosts.ts owns `hosts`; others add to it). */
function subcommand(program: Command, name: string): Command {
  const cmd = program.commands.find((c) => c.name() === name);
  if (!cmd) throw new Error(`the "${name}" command was not registered`);
  return cmd;
}

function refuseSecretsInArgv(argv: readonly string[]): void {
  for (const arg of argv.slice(2)) {
    if (arg === '--') break;
    const m = SECRET_ON_ARGV.exec(arg);
    if (m) {
      throw usageError(
        `--${m[1]} is not accepted: secrets never go on the command line (other users can read it). ` +
          `Use the matching --*-file option or environment variable (see "bulwark --help").`,
      );
    }
  }
}

/** commander echoes unknown options verbatim; never echo an `=value` part, which may be a secret. */
function redactOptionValues(message: string): string {
  return message.replace(/'(-{1,2}[^\s'=]+)=[^']*'/g, "'$1=…'");
}

function report(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // commander has already printed its message (or the help / version text)
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return ExitCode.OK;
    return ExitCode.USAGE;
  }
  if (e instanceof CliError) {
    if (e.message !== '') io.stderr.write(`bulwark: ${printable(e.message)}\n`);
    return e.exitCode;
  }
  if (isBulwarkError(e)) {
    const fields = Object.entries(e.fields ?? {});
    io.stderr.write(`bulwark: ${printable(withoutFirstField(e.message, fields))}\n`);
    for (const [field, problem] of fields) io.stderr.write(`  ${printable(field)}: ${printable(problem)}\n`);
    return exitCodeFor(e.code);
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`bulwark: internal error: ${printable(err.message)}\n`);
  if (io.env.BULWARK_DEBUG === '1' && err.stack) io.stderr.write(`${err.stack}\n`);
  return ExitCode.FAILURE;
}

/** validationError() appends the first field to its message; the field lines repeat it. */
function withoutFirstField(message: string, fields: [string, string][]): string {
  const first = fields[0];
  if (!first) return message;
  const suffix = `: ${first[0]}: ${first[1]}`;
  return message.endsWith(suffix) && message.length > suffix.length ? message.slice(0, -suffix.length) : message;
}

let cachedVersion: string | undefined;
function version(): string {
  if (cachedVersion) return cachedVersion;
  cachedVersion = 'unknown';
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'bulwark' && pkg.version) {
        cachedVersion = pkg.version;
        break;
      }
    } catch {
      // keep looking upwards
    }
  }
  return cachedVersion;
}
