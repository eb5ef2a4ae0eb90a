// An API failure as pve-http-server reports it: the HTTP reason phrase carries the message.
export class PveError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Per-parameter messages, like PVE's 400 "Parameter verification failed." */
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

export function parameterError(errors: Record<string, string>): PveError {
  return new PveError(400, 'Parameter verification failed.', errors);
}
