import { ExitCode } from './exit-codes';

/**
 * A failure that belongs to the command line itself (bad usage, nothing to read a passphrase
 * from, Ctrl-C at a prompt) rather than to a service. Services throw BulwarkError.
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function usageError(message: string): CliError {
  return new CliError(ExitCode.USAGE, message);
}
