/**
 * The Proxmox store against a stand-in for window.bulwark: state loads on open, a sync shows its
 * pve:syncProgress and never runs twice for one endpoint, a failed sync keeps its error next to
 * the endpoint until one succeeds, accepting reloads the inventory when hosts changed, the secret
 * (token secret or password) is never kept, trusting a new certificate clears that endpoint's
 * pin-mismatch error, and locking the vault forgets everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { useHostsStore } from '../../../renderer/src/stores/hosts';
import { useProxmoxStore } from '../../../renderer/src/stores/proxmox';
import { clearSensitive } from '../../../renderer/src/stores/sensitive';
import { useUiStore } from '../../../renderer/src/stores/ui';

type Listener = (payload: unknown) => void;
type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

const endpoint = (over: Record<string, unknown> = {}) => ({
  id: 'ep1',
  name: 'homelab',
  address: '192.0.2.10',
  port: 8006,
  auth: 'token',
  user: 'bulwark@pve!inv',
  pin: 'ca',
  fingerprint: 'AA',
  hasSecret: true,
  createdAt: 1,
  updatedAt: 1,
  lastSync: null,
  guests: [],
  changes: [],
  ...over,
});

function installBridge() {
  const listeners = new Map<string, Set<Listener>>();
  const calls: { channel: string; request: unknown }[] = [];
  const pending: ((reply: Reply) => void)[] = [];
  let state: unknown[] = [endpoint()];
  let nextSync: Reply | null = null;
  let nextTrust: Reply | null = null;
  const ok = (value: unknown) => Promise.resolve({ ok: true, value });
  const record = (channel: string, request: unknown) => calls.push({ channel, request });
  const bridge = {
    on(event: string, listener: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    },
    'pve:state': (request: unknown) => (record('pve:state', request), ok(state)),
    'pve:sync': (request: unknown) => {
      record('pve:sync', request);
      if (nextSync) return Promise.resolve(nextSync);
      return new Promise<Reply>((resolve) => pending.push(resolve));
    },
    'pve:accept': (request: { guestIds: string[] }) => {
      record('pve:accept', request);
      return ok(request.guestIds.map((guestId) => ({ guestId, guest: 'web', host: { name: 'web', action: 'created' } })));
    },
    'pve:create': (request: unknown) => {
      record('pve:create', request);
      return ok({ endpoint: endpoint(), pinned: { kind: 'ca', sha256: 'CC', subject: 'CN=Proxmox Virtual Environment', note: null }, version: '8.2.4', privileges: {}, missing: [] });
    },
    'pve:trust': (request: { id: string; fingerprint: string; pin: string }) => {
      record('pve:trust', request);
      if (nextTrust) return Promise.resolve(nextTrust);
      const pinned = { kind: request.pin, sha256: request.fingerprint, subject: 'CN=pve1', note: null };
      return ok({ endpoint: endpoint({ id: request.id, pin: request.pin, fingerprint: request.fingerprint }), pinned });
    },
    'pve:delete': (request: unknown) => (record('pve:delete', request), ok({ deleted: 1 })),
    'hosts:list': (request: unknown) => (record('hosts:list', request), ok([])),
  };
  (globalThis as { bulwark?: unknown }).bulwark = bridge;
  return {
    calls,
    emit: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
    listenerCount: (event: string) => listeners.get(event)?.size ?? 0,
    finishSync: (reply: Reply) => pending.shift()?.(reply),
    setState: (next: unknown[]) => (state = next),
    failSyncs: (code: string, message: string) => (nextSync = { ok: false, error: { code, message } }),
    failTrust: (code: string, message: string) => (nextTrust = { ok: false, error: { code, message } }),
    succeedSyncs: () => (nextSync = { ok: true, value: { endpointId: 'ep1', clusterName: null, nodes: [], unreachableNodes: [], syncedAt: 5, guests: [], changes: [] } }),
  };
}

const syncReply = (): Reply => ({ ok: true, value: { endpointId: 'ep1', clusterName: 'lab', nodes: [], unreachableNodes: [], syncedAt: 5, guests: [], changes: [] } });
const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  clearSensitive();
  useUiStore.setState({ toasts: [] });
  delete (globalThis as { bulwark?: unknown }).bulwark;
});

describe('proxmox store', () => {
  it('loads the endpoints on open and subscribes to progress once', async () => {
    const bridge = installBridge();
    await useProxmoxStore.getState().open();
    await useProxmoxStore.getState().open();
    expect(useProxmoxStore.getState().loadState).toBe('ready');
    expect(useProxmoxStore.getState().endpoints.map((e) => e.name)).toEqual(['homelab']);
    expect(bridge.listenerCount('pve:syncProgress')).toBe(1);
  });

  it('shows progress while a sync runs, ignores a second sync of the same endpoint, then reloads and toasts', async () => {
    const bridge = installBridge();
    await useProxmoxStore.getState().open();
    const first = useProxmoxStore.getState().sync('ep1');
    expect(useProxmoxStore.getState().syncing).toEqual({ ep1: null });
    void useProxmoxStore.getState().sync('ep1', { quiet: true });
    expect(bridge.calls.filter((c) => c.channel === 'pve:sync')).toHaveLength(1);

    bridge.emit('pve:syncProgress', { endpointId: 'ep1', done: 3, total: 5 });
    expect(useProxmoxStore.getState().syncing['ep1']).toEqual({ done: 3, total: 5 });
    // progress of an endpoint that is not syncing here is not invented into a running sync
    bridge.emit('pve:syncProgress', { endpointId: 'other', done: 1, total: 2 });
    expect(useProxmoxStore.getState().syncing['other']).toBeUndefined();

    bridge.setState([endpoint({ lastSync: { endpointId: 'ep1', clusterName: 'lab', nodes: [], unreachableNodes: [], syncedAt: 5 } })]);
    bridge.finishSync(syncReply());
    await first;
    expect(useProxmoxStore.getState().syncing).toEqual({});
    expect(useProxmoxStore.getState().endpoints[0]!.lastSync?.clusterName).toBe('lab');
    expect(useUiStore.getState().toasts.map((t) => t.title)).toContain('homelab synced');

    // a late progress event after the reply does not bring the finished sync back
    bridge.emit('pve:syncProgress', { endpointId: 'ep1', done: 5, total: 5 });
    expect(useProxmoxStore.getState().syncing).toEqual({});
  });

  it('keeps a failed sync error next to the endpoint until a sync succeeds; quiet syncs do not toast', async () => {
    const bridge = installBridge();
    await useProxmoxStore.getState().open();
    bridge.failSyncs('TLS_PIN_MISMATCH', 'The certificate changed');
    await useProxmoxStore.getState().sync('ep1');
    expect(useProxmoxStore.getState().syncErrors['ep1']?.code).toBe('TLS_PIN_MISMATCH');
    expect(useProxmoxStore.getState().syncing).toEqual({});

    bridge.succeedSyncs();
    await useProxmoxStore.getState().sync('ep1', { quiet: true });
    expect(useProxmoxStore.getState().syncErrors).toEqual({});
    expect(useUiStore.getState().toasts).toEqual([]);
  });

  it('accept passes addHost, reloads the state and the inventory', async () => {
    const bridge = installBridge();
    await useProxmoxStore.getState().open();
    const results = await useProxmoxStore.getState().accept(['g1'], { user: 'admin' });
    expect(results[0]!.host?.action).toBe('created');
    expect(bridge.calls.find((c) => c.channel === 'pve:accept')?.request).toEqual({ guestIds: ['g1'], addHost: { user: 'admin' } });
    expect(bridge.calls.filter((c) => c.channel === 'pve:state')).toHaveLength(2);
    expect(bridge.calls.some((c) => c.channel === 'hosts:list')).toBe(true);
    await useProxmoxStore.getState().accept(['g2']);
    expect(bridge.calls.filter((c) => c.channel === 'pve:accept')[1]!.request).toEqual({ guestIds: ['g2'] });
  });

  it('create sends the secret to main and keeps nothing of it; delete reloads', async () => {
    const bridge = installBridge();
    await useProxmoxStore.getState().open();
    const secret = 'a1b2c3d4-secret-value';
    const added = await useProxmoxStore.getState().create({ name: 'homelab', address: '192.0.2.10', port: 8006, auth: 'password', user: 'root@pam', secret, fingerprint: 'AA', pin: 'ca' });
    expect(added.pinned.kind).toBe('ca');
    expect(bridge.calls.find((c) => c.channel === 'pve:create')?.request).toEqual({
      node: { name: 'homelab', address: '192.0.2.10', port: 8006, auth: 'password', user: 'root@pam', secret, fingerprint: 'AA', pin: 'ca' },
    });
    expect(JSON.stringify(useProxmoxStore.getState())).not.toContain(secret);
    await useProxmoxStore.getState().remove('ep1');
    expect(bridge.calls.find((c) => c.channel === 'pve:delete')?.request).toEqual({ id: 'ep1' });
  });

  it('trust re-pins with exactly the compared fingerprint, clears only that endpoint\'s sync error and reloads', async () => {
    const bridge = installBridge();
    bridge.setState([endpoint(), endpoint({ id: 'ep2', name: 'office' })]);
    await useProxmoxStore.getState().open();
    bridge.failSyncs('TLS_PIN_MISMATCH', 'Refused to talk to homelab');
    await useProxmoxStore.getState().sync('ep1');
    await useProxmoxStore.getState().sync('ep2');
    expect(Object.keys(useProxmoxStore.getState().syncErrors).sort()).toEqual(['ep1', 'ep2']);

    bridge.setState([endpoint({ pin: 'certificate', fingerprint: 'BB' }), endpoint({ id: 'ep2', name: 'office' })]);
    const loadsBefore = bridge.calls.filter((c) => c.channel === 'pve:state').length;
    const result = await useProxmoxStore.getState().trust('ep1', 'BB', 'certificate');

    expect(bridge.calls.find((c) => c.channel === 'pve:trust')?.request).toEqual({ id: 'ep1', fingerprint: 'BB', pin: 'certificate' });
    expect(result.pinned).toEqual({ kind: 'certificate', sha256: 'BB', subject: 'CN=pve1', note: null });
    expect(Object.keys(useProxmoxStore.getState().syncErrors)).toEqual(['ep2']);
    expect(bridge.calls.filter((c) => c.channel === 'pve:state')).toHaveLength(loadsBefore + 1);
    expect(useProxmoxStore.getState().endpoints[0]).toMatchObject({ pin: 'certificate', fingerprint: 'BB' });
  });

  it('a refused trust keeps the sync error and reaches the dialog as a BulwarkError', async () => {
    const bridge = installBridge();
    await useProxmoxStore.getState().open();
    bridge.failSyncs('TLS_PIN_MISMATCH', 'Refused to talk to homelab');
    await useProxmoxStore.getState().sync('ep1');
    bridge.failTrust('TLS_PIN_MISMATCH', 'homelab presents yet another certificate');

    const refused = await useProxmoxStore.getState().trust('ep1', 'BB', 'ca').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BulwarkError);
    expect((refused as BulwarkError).code).toBe('TLS_PIN_MISMATCH');
    expect(useProxmoxStore.getState().syncErrors['ep1']?.code).toBe('TLS_PIN_MISMATCH');
  });

  it('locking the vault forgets the endpoints and drops a sync reply that arrives after', async () => {
    const bridge = installBridge();
    await useProxmoxStore.getState().open();
    const running = useProxmoxStore.getState().sync('ep1');
    clearSensitive();
    bridge.finishSync(syncReply());
    await running;
    await flush();
    expect(useProxmoxStore.getState().endpoints).toEqual([]);
    expect(useProxmoxStore.getState().syncing).toEqual({});
    expect(useProxmoxStore.getState().loadState).toBe('idle');
    expect(bridge.listenerCount('pve:syncProgress')).toBe(0);
    expect(useHostsStore.getState().hosts).toEqual([]);
  });
});
