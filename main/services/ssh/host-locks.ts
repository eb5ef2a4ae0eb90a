/**
 * One job at a time per host. Key jobs edit authorized_keys by copy-and-rename: two jobs on the
 * same file at once would each start from the old copy, and the later rename would drop the
 * other's change. Jobs on different hosts never wait for each other.
 */
export class HostLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier job on `key` has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prior = this.tails.get(key) ?? Promise.resolve();
    const result = prior.then(fn, fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Hosts with a job running or queued. */
  busy(): string[] {
    return [...this.tails.keys()];
  }
}
