/**
 * Long-running operations the user can cancel. The renderer names each job (so it can match
 * progress events before the reply arrives); a name in use is refused rather than shared.
 */
import { BulwarkError } from '../../shared/errors';

export class Jobs {
  private readonly running = new Map<string, AbortController>();

  async run<T>(jobId: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.running.has(jobId)) throw new BulwarkError('CONFLICT', `A job with id ${jobId} is already running`);
    const ctl = new AbortController();
    this.running.set(jobId, ctl);
    try {
      return await fn(ctl.signal);
    } finally {
      this.running.delete(jobId);
    }
  }

  /** Whether a running job was told to stop. */
  cancel(jobId: string): boolean {
    const ctl = this.running.get(jobId);
    if (!ctl) return false;
    ctl.abort();
    return true;
  }

  cancelAll(): void {
    for (const ctl of this.running.values()) ctl.abort();
  }
}
