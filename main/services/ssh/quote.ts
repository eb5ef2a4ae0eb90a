/**
 * POSIX shell quoting. Every value that reaches a remote shell goes through shellQuote: the
 * remote login shell parses the command line sshd hands it, so an unquoted value is code.
 * Assumes a POSIX login shell (sh, dash, bash, zsh, ksh); fish and csh quote differently.
 */
import { BulwarkError } from '../../../shared/errors';

/** One argument in single quotes; an embedded ' becomes '\'' (close, escaped quote, reopen). */
export function shellQuote(arg: string): string {
  if (typeof arg !== 'string') throw new BulwarkError('VALIDATION', 'A shell argument must be a string');
  // A C string (execve argument) ends at NUL: the rest would be silently dropped.
  if (arg.includes('\0')) throw new BulwarkError('VALIDATION', 'A shell argument cannot contain a NUL byte');
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line from separate arguments, each quoted. */
export function shellJoin(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}
