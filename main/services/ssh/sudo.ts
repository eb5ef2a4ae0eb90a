/**
 * Commands as root through sudo. The password goes to sudo's stdin (`-S`), never on a command
 * line, in the environment or in a log; `-p ''` keeps the prompt out of the output and `-k`
 * makes sudo ask every time, so the first stdin line is always the one sudo reads.
 *
 * NOPASSWD hosts: sudo would not read stdin there, and a password written "first" would reach
 * the command instead. So every call first tries `sudo -n` (never prompts); only when sudo says
 * a password is required is the command run again with `-S` and the password. Nothing runs in
 * the refused attempt. As root, sudo is skipped (Proxmox hosts often have no sudo at all).
 */
import { BulwarkError } from '../../../shared/errors';
import { type Hop, describeHop, sshError } from './errors';
import type { RawExecResult } from './exec';
import { shellQuote } from './quote';

/** LC_ALL=C: sudo's messages are matched below, and translations would not match. */
export function sudoCommand(command: string, mode: 'nopasswd' | 'password'): string {
  const inner = `sh -c ${shellQuote(command)}`;
  return mode === 'nopasswd' ? `env LC_ALL=C sudo -n -k -- ${inner}` : `env LC_ALL=C sudo -S -p '' -k -- ${inner}`;
}

const PASSWORD_REQUIRED = /^sudo: (a password is required|a terminal is required)/m;
const WRONG_PASSWORD = /^(Sorry, try again\.|sudo: \d+ incorrect password attempts?|sudo: no password was provided)/m;
const DENIED = /^sudo: .*(is not in the sudoers file|is not allowed to execute|may not run sudo)|^Sorry, user .* (is not allowed|may not run sudo)|^sudo: sorry, you must have a tty/m;
const NO_SUDO = /env: .?sudo.?: No such file or directory|sudo: (command )?not found/;

export type RunRaw = (command: string, stdin: Buffer | undefined, what: string) => Promise<RawExecResult>;

export async function runSudo(hop: Hop, run: RunRaw, command: string, password: string | undefined, stdin: Buffer | undefined): Promise<RawExecResult> {
  if (typeof command !== 'string' || command === '') throw new BulwarkError('VALIDATION', 'A command is required', { command: 'required' });
  if (hop.user === 'root') return run(`sh -c ${shellQuote(command)}`, stdin, 'command (as root)');

  const first = await run(sudoCommand(command, 'nopasswd'), stdin, 'sudo command');
  const err1 = first.stderr.toString('utf8');
  if (!(first.code === 1 && PASSWORD_REQUIRED.test(err1))) return checkRefusal(hop, first);

  if (password === undefined || password === '') {
    throw sshError('SUDO_AUTH_FAILED', hop, `sudo on ${describeHop(hop)} needs ${hop.user}'s password and none was given`);
  }
  if (typeof password !== 'string' || /[\r\n\0]/.test(password)) {
    throw new BulwarkError('VALIDATION', 'The sudo password cannot contain line breaks or NUL', { password: 'invalid' });
  }
  const line = Buffer.from(`${password}\n`, 'utf8');
  const input = Buffer.concat([line, stdin ?? Buffer.alloc(0)]);
  line.fill(0);
  let second: RawExecResult;
  try {
    second = await run(sudoCommand(command, 'password'), input, 'sudo command');
  } finally {
    input.fill(0);
  }
  if (second.code === 1 && WRONG_PASSWORD.test(second.stderr.toString('utf8'))) {
    throw sshError('SUDO_AUTH_FAILED', hop, `sudo on ${describeHop(hop)} refused ${hop.user}'s password (incorrect password)`);
  }
  return checkRefusal(hop, second);
}

/** sudo's own refusals (not the command's failures) become SUDO_DENIED. */
function checkRefusal(hop: Hop, r: RawExecResult): RawExecResult {
  if (r.code === 0) return r;
  const err = r.stderr.toString('utf8');
  if (r.code === 127 && NO_SUDO.test(err)) throw sshError('SUDO_DENIED', hop, `sudo is not installed on ${describeHop(hop)}`);
  if (r.code === 1 && DENIED.test(err)) {
    throw sshError('SUDO_DENIED', hop, `${hop.user} may not run commands as root with sudo on ${describeHop(hop)}`);
  }
  return r;
}
