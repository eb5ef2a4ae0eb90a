/**
 * The logs store against a stand-in for window.bulwark: live batches land once per frame, the
 * store holds at most 100,000 events, a pause counts what arrives and shows it on resume,
 * history merges under live events, statuses follow logs:status, and locking the vault forgets
 * everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LogStreamStatus, StoredLogEvent } from '../../../shared/domain/logs';
import { MAX_EVENTS } from '../../../renderer/src/features/logs/log-derive';
import { useLogsStore } from '../../../renderer/src/stores/logs';
import { clearSensitive } from '../../../renderer/src/stores/sensitive';
import { useUiStore } from '../../../renderer/src/stores/ui';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Listener = (payload: unknown) => void;

let seq = 0;
const ev = (over: Partial<StoredLogEvent> = {}): StoredLogEvent => {
  seq++;
  return { time: null, host: 'web1', source: 'journald', kind: 'auth.failed_password', ip: '203.0.113.7', port: 22, user: 'root', method: 'password', keyFingerprint: null, jail: null, pid: 1, raw: `line ${seq}`, at: seq, ...over };
};

function installBridge(history: StoredLogEvent[] = []) {
  const listeners = new Map<string, Set<Listener>>();
  const calls: { channel: string; request: unknown }[] = [];
  const ok = (value: unknown) => Promise.resolve({ ok: true, value });
  const bridge = {
    on(event: string, listener: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    },
    'logs:status': (request: unknown) => (calls.push({ channel: 'logs:status', request }), ok([])),
    'logs:query': (request: unknown) => (calls.push({ channel: 'logs:query', request }), ok(history)),
    'logs:follow': (request: unknown) => {
      calls.push({ channel: 'logs:follow', request });
      return ok([{ host: 'web1', state: { state: 'connecting' }, received: 0, dropped: 0 }]);
    },
    'logs:banAction': (request: unknown) => {
      calls.push({ channel: 'logs:banAction', request });
      return Promise.resolve({ ok: false, error: { code: 'SSH_AUTH_FAILED', message: 'Permission denied' } });
    },
  };
  (globalThis as { bulwark?: unknown }).bulwark = bridge;
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  return { emit, calls };
}

afterEach(() => {
  clearSensitive();
  delete (globalThis as { bulwark?: unknown }).bulwark;
});

describe('logs store', () => {
  it('loads history oldest first, then applies live batches together, once per frame', async () => {
    const { emit, calls } = installBridge([ev({ at: 3 }), ev({ at: 2 }), ev({ at: 1 })]);
    await useLogsStore.getState().open();
    expect(calls.find((c) => c.channel === 'logs:query')?.request).toMatchObject({ limit: 5000 });
    expect(useLogsStore.getState().events.map((e) => e.at)).toEqual([1, 2, 3]);

    let updates = 0;
    const unsub = useLogsStore.subscribe((s, prev) => {
      if (s.events !== prev.events) updates++;
    });
    for (let i = 0; i < 50; i++) emit('logs:events', { events: [ev({ at: 10 + i * 2 }), ev({ at: 11 + i * 2 })] });
    expect(useLogsStore.getState().events).toHaveLength(3);
    await sleep(150);
    unsub();
    expect(useLogsStore.getState().events).toHaveLength(103);
    expect(updates).toBe(1);
  });

  it('holds at most 100,000 events, dropping the oldest', () => {
    installBridge();
    const s = useLogsStore.getState();
    s.receive(Array.from({ length: 60_000 }, (_, i) => ev({ at: i })));
    s.receive(Array.from({ length: 60_000 }, (_, i) => ev({ at: 60_000 + i })));
    const events = useLogsStore.getState().events;
    expect(events).toHaveLength(MAX_EVENTS);
    expect(events[0]!.at).toBe(20_000);
    expect(events.at(-1)!.at).toBe(119_999);
  });

  it('while paused counts what arrives without showing it, and shows it on resume', () => {
    installBridge();
    const s = useLogsStore.getState();
    s.receive([ev({ at: 1 })]);
    s.pause();
    s.receive([ev({ at: 2 }), ev({ at: 3 })]);
    s.receive([ev({ at: 4 })]);
    expect(useLogsStore.getState()).toMatchObject({ paused: true, heldCount: 3 });
    expect(useLogsStore.getState().events.map((e) => e.at)).toEqual([1]);
    useLogsStore.getState().resume();
    expect(useLogsStore.getState()).toMatchObject({ paused: false, heldCount: 0, held: [] });
    expect(useLogsStore.getState().events.map((e) => e.at)).toEqual([1, 2, 3, 4]);
  });

  it('tracks followed hosts and each stream status, and shows alerts as toasts', async () => {
    const { emit } = installBridge();
    await useLogsStore.getState().follow(['id-1']);
    expect([...useLogsStore.getState().followed]).toEqual(['id-1']);
    expect(useLogsStore.getState().statuses.web1?.state.state).toBe('connecting');
    const reconnecting: LogStreamStatus = { host: 'web1', state: { state: 'reconnecting', reason: 'connection reset', retryInMs: 2000, attempt: 2 }, received: 5, dropped: 1 };
    emit('logs:status', reconnecting);
    expect(useLogsStore.getState().statuses.web1).toEqual(reconnecting);
    emit('logs:alert', { rule: 'root-login', title: 'Root login', body: 'root from 203.0.113.7', host: 'web1', at: 1 });
    expect(useUiStore.getState().toasts.at(-1)).toMatchObject({ kind: 'info', title: 'Root login', detail: 'web1: root from 203.0.113.7' });
  });

  it('reports a refused ban action as data, with its code', async () => {
    const { calls } = installBridge();
    const r = await useLogsStore.getState().banAction({ hostId: 'id-1', action: 'unban', jail: 'sshd', ip: '203.0.113.7' });
    expect(calls.at(-1)).toEqual({ channel: 'logs:banAction', request: { hostId: 'id-1', action: 'unban', jail: 'sshd', ip: '203.0.113.7' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('SSH_AUTH_FAILED');
  });

  it('forgets events, statuses and queued batches when the vault locks', async () => {
    const { emit } = installBridge([ev()]);
    await useLogsStore.getState().open();
    emit('logs:events', { events: [ev()] });
    useLogsStore.getState().pause();
    useLogsStore.getState().receive([ev()]);
    clearSensitive();
    await sleep(150);
    expect(useLogsStore.getState()).toMatchObject({ events: [], statuses: {}, paused: false, heldCount: 0, historyState: 'idle' });
  });
});
