import { ExitCode } from './exit-codes';

/**
 * A failure that belongs to the command line itself (bad usage, nothing to read a passphrase
 * from, Ctrl-C at a prompt) rather than to a service. Services throw BulwarkError.
 */
export class CliError extends Error {
  /** An ExitCode, or (QuietExit) a remote command's exit status passed through. */
  readonly exitCode: number;

  constructor(exitCode: ExitCode | number, message: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function usageError(message: string): CliError {
  return new CliError(ExitCode.USAGE, message);
}

/**
 * Ends the run with `exitCode` and prints nothing: `ssh exec` passes the remote command's exit
 * status through, and the command's own stderr already said what went wrong.
 */
export class QuietExit extends CliError {
  constructor(exitCode: number) {
    super(exitCode, '');
    this.name = 'QuietExit';
  }
}
