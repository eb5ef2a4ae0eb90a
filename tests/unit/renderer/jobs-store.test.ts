/**
 * The Keys view's job store against a stand-in for window.bulwark: a cancel that main refuses
 * leaves the job running, so Cancel works again (it only acts on a running job).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { clearSensitive } from '../../../renderer/src/stores/sensitive';
import { useJobsStore } from '../../../renderer/src/stores/jobs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HOSTS = [{ id: 'id-1', name: 'web1' }];

afterEach(() => {
  clearSensitive();
  delete (globalThis as { bulwark?: unknown }).bulwark;
});

describe('jobs store', () => {
  it('a refused cancel puts the job back to running, and the next cancel goes through', async () => {
    const cancels: string[] = [];
    let refuse = true;
    (globalThis as { bulwark?: unknown }).bulwark = {
      on: () => () => undefined,
      async 'keys:audit'(r: { jobId: string }) {
        await sleep(300);
        return { ok: true, value: { jobId: r.jobId, results: [] } };
      },
      async 'jobs:cancel'(r: { jobId: string }) {
        cancels.push(r.jobId);
        return refuse ? { ok: false, error: { code: 'INTERNAL', message: 'main could not cancel' } } : { ok: true, value: { cancelled: true } };
      },
    };
    const running = useJobsStore.getState().start({ op: 'audit', hostIds: ['id-1'] }, HOSTS).catch(() => undefined);
    await sleep(20);
    await expect(useJobsStore.getState().cancel()).rejects.toThrow(/could not cancel/);
    expect(useJobsStore.getState().job?.state).toBe('running');
    refuse = false;
    await useJobsStore.getState().cancel();
    expect(cancels).toHaveLength(2);
    await running;
  });
});
