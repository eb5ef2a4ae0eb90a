/**
 * The firewall store against a stand-in for window.bulwark: a plan keeps the request it answers,
 * apply sends exactly that request with the plan's digests and the node host, pve:firewallStep
 * events land only on the endpoint whose apply is in flight, a stale plan is dropped, a changed
 * form discards the plan, and locking the vault forgets everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FirewallRequest } from '../../../renderer/src/features/proxmox/firewall-derive';
import { useFirewallStore } from '../../../renderer/src/stores/proxmox-firewall';
import { clearSensitive } from '../../../renderer/src/stores/sensitive';

type Listener = (payload: unknown) => void;
type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };

const planView = {
  options: [{ key: 'enable', from: '0', to: '1' }],
  rules: [{ op: 'add', rule: { type: 'in', action: 'ACCEPT', enable: true, proto: 'tcp', dport: '22', source: '10.0.0.0/8', comment: 'bulwark: ssh' }, mine: true }],
  management: [{ op: 'add', cidr: '192.0.2.7' }],
  guard: [{ address: '192.0.2.50', who: 'Bulwark', port: 8006, allowed: true, by: 'management IPSet' }],
  refused: null,
  compliant: false,
  self: '192.0.2.50',
  digests: { options: 'opt-digest', rules: 'rules-digest' },
};
const applied = { outcome: 'applied', steps: ['ipset: added 192.0.2.7', 'firewall on', 'confirmed'], reason: null, plan: { ...planView } };
const request: FirewallRequest = { params: { sshPort: 22, sshFrom: ['10.0.0.0/8'], internalCidr: null, webUiFrom: ['192.0.2.7'] } };

function installBridge() {
  const listeners = new Map<string, Set<Listener>>();
  const calls: { channel: string; request: unknown }[] = [];
  const pending: ((reply: Reply) => void)[] = [];
  let nextPlan: Reply = { ok: true, value: planView };
  const record = (channel: string, req: unknown) => calls.push({ channel, request: req });
  const bridge = {
    on(event: string, listener: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    },
    'pve:firewallPlan': (req: unknown) => (record('pve:firewallPlan', req), Promise.resolve(nextPlan)),
    'pve:firewallApply': (req: unknown) => {
      record('pve:firewallApply', req);
      return new Promise<Reply>((resolve) => pending.push(resolve));
    },
  };
  (globalThis as { bulwark?: unknown }).bulwark = bridge;
  return {
    calls,
    emit: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
    listenerCount: (event: string) => listeners.get(event)?.size ?? 0,
    finishApply: (reply: Reply) => pending.shift()?.(reply),
    failPlans: (error: { code: string; message: string; fields?: Record<string, string> }) => (nextPlan = { ok: false, error }),
  };
}

const entry = (id = 'ep1') => useFirewallStore.getState().byEndpoint[id];

afterEach(() => {
  clearSensitive();
  delete (globalThis as { bulwark?: unknown }).bulwark;
});

describe('firewall store', () => {
  it('plans with the endpoint id and keeps the request the plan answers', async () => {
    const bridge = installBridge();
    await useFirewallStore.getState().plan('ep1', { ...request, self: '198.51.100.4' });
    expect(bridge.calls).toEqual([{ channel: 'pve:firewallPlan', request: { id: 'ep1', ...request, self: '198.51.100.4' } }]);
    expect(entry()?.plan?.digests).toEqual({ options: 'opt-digest', rules: 'rules-digest' });
    expect(entry()?.planned).toEqual({ ...request, self: '198.51.100.4' });
    expect(entry()?.busy).toBeNull();
  });

  it('keeps a refused plan’s field errors for the form', async () => {
    const bridge = installBridge();
    bridge.failPlans({ code: 'VALIDATION', message: 'bad', fields: { 'params.sshFrom.0': 'Not an address or CIDR' } });
    await useFirewallStore.getState().plan('ep1', request);
    expect(entry()?.plan).toBeNull();
    expect(entry()?.error?.code).toBe('VALIDATION');
    expect(entry()?.error?.fields).toEqual({ 'params.sshFrom.0': 'Not an address or CIDR' });
  });

  it('applies the planned request with its digests, collects only its own steps, then shows the outcome', async () => {
    const bridge = installBridge();
    await useFirewallStore.getState().plan('ep1', request);
    await useFirewallStore.getState().plan('ep2', request);
    const running = useFirewallStore.getState().apply('ep1', 'host-1');
    expect(bridge.calls.at(-1)).toEqual({ channel: 'pve:firewallApply', request: { id: 'ep1', ...request, sshHostId: 'host-1', digests: planView.digests } });
    expect(entry()?.busy).toBe('applying');
    expect(bridge.listenerCount('pve:firewallStep')).toBe(1);

    bridge.emit('pve:firewallStep', { endpointId: 'ep1', step: 'ipset: added 192.0.2.7' });
    // another endpoint's step, and one for an endpoint not applying, land nowhere
    bridge.emit('pve:firewallStep', { endpointId: 'ep2', step: 'elsewhere' });
    bridge.emit('pve:firewallStep', { endpointId: 'ep9', step: 'unknown' });
    expect(entry()?.steps).toEqual(['ipset: added 192.0.2.7']);
    expect(entry('ep2')?.steps).toEqual([]);
    expect(entry('ep9')).toBeUndefined();

    bridge.finishApply({ ok: true, value: applied });
    await running;
    expect(entry()?.result?.outcome).toBe('applied');
    // the reply's full list is the record; the plan is spent
    expect(entry()?.steps).toEqual(applied.steps);
    expect(entry()?.plan).toBeNull();
    // a late step after the reply does not grow the finished list
    bridge.emit('pve:firewallStep', { endpointId: 'ep1', step: 'late' });
    expect(entry()?.steps).toEqual(applied.steps);
  });

  it('ignores a second apply while one runs, and drops a stale plan on PVE_DIGEST_MISMATCH', async () => {
    const bridge = installBridge();
    await useFirewallStore.getState().plan('ep1', request);
    const running = useFirewallStore.getState().apply('ep1', 'host-1');
    void useFirewallStore.getState().apply('ep1', 'host-1');
    expect(bridge.calls.filter((c) => c.channel === 'pve:firewallApply')).toHaveLength(1);
    bridge.finishApply({ ok: false, error: { code: 'PVE_DIGEST_MISMATCH', message: 'changed' } });
    await running;
    expect(entry()?.error?.code).toBe('PVE_DIGEST_MISMATCH');
    expect(entry()?.plan).toBeNull();
  });

  it('keeps the plan after another apply error, so it can be tried again', async () => {
    const bridge = installBridge();
    await useFirewallStore.getState().plan('ep1', request);
    const running = useFirewallStore.getState().apply('ep1', 'host-1');
    bridge.finishApply({ ok: false, error: { code: 'NOT_FOUND', message: 'no such host' } });
    await running;
    expect(entry()?.error?.code).toBe('NOT_FOUND');
    expect(entry()?.plan).not.toBeNull();
  });

  it('discards the plan when the form changes, but not during an apply', async () => {
    const bridge = installBridge();
    await useFirewallStore.getState().plan('ep1', request);
    useFirewallStore.getState().discard('ep1');
    expect(entry()?.plan).toBeNull();

    await useFirewallStore.getState().plan('ep1', request);
    const running = useFirewallStore.getState().apply('ep1', 'host-1');
    useFirewallStore.getState().discard('ep1');
    expect(entry()?.plan).not.toBeNull();
    bridge.finishApply({ ok: true, value: applied });
    await running;
  });

  it('forgets everything and unsubscribes when the vault locks, and a late reply brings nothing back', async () => {
    const bridge = installBridge();
    await useFirewallStore.getState().plan('ep1', request);
    const running = useFirewallStore.getState().apply('ep1', 'host-1');
    clearSensitive();
    expect(useFirewallStore.getState().byEndpoint).toEqual({});
    expect(bridge.listenerCount('pve:firewallStep')).toBe(0);
    bridge.finishApply({ ok: true, value: applied });
    await running;
    expect(useFirewallStore.getState().byEndpoint).toEqual({});
  });
});
