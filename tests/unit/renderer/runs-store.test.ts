/**
 * The runs store against a stand-in for window.bulwark (the IPC boundary; main's side is covered
 * by the integration tests): progress events are applied in batches, not one state update per
 * event, the reply is authoritative, and locking the vault drops a run still in flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunProgress, RunReply } from '../../../shared/domain/hardening';
import { clearSensitive } from '../../../renderer/src/stores/sensitive';
import { finishedCount, useRunsStore } from '../../../renderer/src/stores/runs';

const HOSTS = Array.from({ length: 500 }, (_, i) => ({ id: `id-${i}`, name: `web${i}` }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Listener = (payload: unknown) => void;

function replyFor(jobId: string, status: 'planned' | 'failed'): RunReply {
  return {
    id: `run-${jobId}`,
    mode: 'plan',
    profileId: 'guide-baseline',
    who: 'tester',
    via: 'app',
    startedAt: 0,
    finishedAt: 1,
    options: {},
    cancelled: false,
    results: HOSTS.map((h, i) => ({
      host: h.name,
      hostId: h.id,
      status: i === 0 ? 'failed' : status,
      ...(i === 0 ? { reason: 'unreachable' } : {}),
      controls: [],
      files: [],
      commands: [],
      cutsAccess: false,
      score: { compliant: 0, applicable: 0 },
      durationMs: 5,
    })),
    summary: { total: HOSTS.length, byStatus: { planned: HOSTS.length - 1, failed: 1 }, failed: 1 },
    grouped: { changes: [], unchanged: [], refused: [], failed: [], skipped: [] },
  };
}

/** window.bulwark with a plan that streams 3 events per host, then replies after `replyAfterMs`. */
function installBridge(replyAfterMs: number) {
  const listeners = new Set<Listener>();
  const seen = { progressed: 0 };
  const bridge = {
    on(event: string, listener: Listener) {
      if (event !== 'runs:progress') return () => undefined;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async 'hardening:plan'(request: { jobId: string }) {
      for (const phase of ['queued', 'facts', 'done'] as const) {
        for (const h of HOSTS) {
          const e: RunProgress = { jobId: request.jobId, host: h.name, phase, ...(phase === 'done' ? { status: 'planned' as const } : {}) };
          for (const l of listeners) l(e);
          seen.progressed++;
        }
        await sleep(0);
      }
      await sleep(replyAfterMs);
      return { ok: true, value: replyFor(request.jobId, 'planned') };
    },
  };
  (globalThis as { bulwark?: unknown }).bulwark = bridge;
  return seen;
}

afterEach(() => {
  clearSensitive();
  delete (globalThis as { bulwark?: unknown }).bulwark;
});

describe('runs store', () => {
  it('applies 1,500 progress events for 500 hosts in a handful of updates, then the reply wins', async () => {
    const seen = installBridge(300);
    let updates = 0;
    let sawAllDoneBeforeReply = false;
    const unsubscribe = useRunsStore.subscribe((s) => {
      updates++;
      if (s.live && s.live.state === 'running' && finishedCount(s.live.rows) === HOSTS.length) sawAllDoneBeforeReply = true;
    });
    const reply = await useRunsStore.getState().start('plan', { profileId: 'guide-baseline', hostIds: HOSTS.map((h) => h.id) }, HOSTS);
    unsubscribe();

    expect(seen.progressed).toBe(1500);
    // events went through (every row done before the reply arrived), in very few store updates
    expect(sawAllDoneBeforeReply).toBe(true);
    expect(updates).toBeLessThan(10);
    const live = useRunsStore.getState().live!;
    expect(reply?.id).toBe(`run-${live.jobId}`);
    expect(live.state).toBe('finished');
    // the reply's word is final: web0 failed although its events said done
    expect(live.rows[0]).toMatchObject({ name: 'web0', phase: 'failed', status: 'failed', reason: 'unreachable' });
    expect(live.rows[499]).toMatchObject({ phase: 'done', status: 'planned' });
  });

  it('refuses a second run while one is in progress', async () => {
    installBridge(200);
    const first = useRunsStore.getState().start('plan', { profileId: 'guide-baseline', hostIds: ['id-1'] }, HOSTS.slice(1, 2));
    await expect(useRunsStore.getState().start('plan', { profileId: 'guide-baseline', hostIds: ['id-1'] }, HOSTS.slice(1, 2))).rejects.toThrow(/still in progress/);
    await first;
  });

  it('locking the vault drops the run in flight, and its late reply does not bring it back', async () => {
    installBridge(200);
    const pending = useRunsStore.getState().start('plan', { profileId: 'guide-baseline', hostIds: HOSTS.map((h) => h.id) }, HOSTS);
    await sleep(50);
    expect(useRunsStore.getState().live?.state).toBe('running');
    clearSensitive();
    expect(useRunsStore.getState().live).toBeNull();
    expect(await pending).toBeNull();
    await sleep(150);
    expect(useRunsStore.getState().live).toBeNull();
  });
});
