import { describe, expect, it } from 'vitest';
import { HostLocks } from '../../../main/services/ssh';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('HostLocks', () => {
  it('runs jobs on one host one after another, in order, and jobs on other hosts meanwhile', async () => {
    const locks = new HostLocks();
    const log: string[] = [];
    const first = deferred();
    const a1 = locks.run('10.0.0.1:22', async () => {
      log.push('a1 start');
      await first.promise;
      log.push('a1 end');
    });
    const a2 = locks.run('10.0.0.1:22', async () => void log.push('a2'));
    const b1 = locks.run('10.0.0.2:22', async () => void log.push('b1'));
    await b1;
    expect(log).toEqual(['a1 start', 'b1']);
    expect(locks.busy()).toContain('10.0.0.1:22');
    first.resolve();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    await Promise.resolve();
    expect(locks.busy()).toEqual([]);
  });

  it("passes each job's own result or error through, and a failure does not block the next job", async () => {
    const locks = new HostLocks();
    const failing = locks.run('h', async () => {
      throw new Error('boom');
    });
    const next = locks.run('h', async () => 42);
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe(42);
  });
});
