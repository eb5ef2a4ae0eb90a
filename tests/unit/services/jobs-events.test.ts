import { describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../../main/services/events';
import { Jobs } from '../../../main/services/jobs';
import { expectRejects } from '../../helpers/expect-error';

describe('Jobs', () => {
  it('hands each job a signal that cancel() aborts, and forgets the job when it ends', async () => {
    const jobs = new Jobs();
    let seen: AbortSignal | undefined;
    const running = jobs.run('job-0001', (signal) => {
      seen = signal;
      return new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('stopped')));
    });
    expect(seen?.aborted).toBe(false);
    expect(jobs.cancel('job-0001')).toBe(true);
    await expect(running).resolves.toBe('stopped');
    expect(jobs.cancel('job-0001')).toBe(false);
  });

  it('refuses a second job under a running id, but reuses an id once free', async () => {
    const jobs = new Jobs();
    let release!: () => void;
    const running = jobs.run('job-0001', () => new Promise<void>((r) => (release = r)));
    await expectRejects(jobs.run('job-0001', async () => 1), 'CONFLICT', /already running/);
    release();
    await running;
    await expect(jobs.run('job-0001', async () => 2)).resolves.toBe(2);
  });

  it('cancelAll aborts every running job (the vault locked)', async () => {
    const jobs = new Jobs();
    const signals: AbortSignal[] = [];
    const all = ['job-0001', 'job-0002'].map((id) =>
      jobs.run(id, (s) => {
        signals.push(s);
        return new Promise<void>((r) => s.addEventListener('abort', () => r()));
      }),
    );
    jobs.cancelAll();
    await Promise.all(all);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });
});

describe('EventHub', () => {
  it('delivers contract events to every subscriber, even when one throws', () => {
    const hub = new EventHub();
    const broken = vi.fn(() => {
      throw new Error('window gone');
    });
    const good = vi.fn();
    hub.subscribe(broken);
    const off = hub.subscribe(good);
    hub.emit('jobs:progress', { jobId: 'job-0001', op: 'deploy', host: 'web1', phase: 'done', status: 'added' });
    expect(good).toHaveBeenCalledWith('jobs:progress', { jobId: 'job-0001', op: 'deploy', host: 'web1', phase: 'done', status: 'added' });
    off();
    hub.emit('vault:stateChanged', { state: 'locked' });
    expect(good).toHaveBeenCalledTimes(1);
    expect(broken).toHaveBeenCalledTimes(2);
  });

  it('refuses a payload the contract does not allow, before anyone sees it', () => {
    const hub = new EventHub();
    const l = vi.fn();
    hub.subscribe(l);
    expect(() => hub.emit('jobs:progress', { jobId: 'x', op: 'format-disk', host: 'web1', phase: 'done' } as never)).toThrow();
    expect(l).not.toHaveBeenCalled();
  });
});
