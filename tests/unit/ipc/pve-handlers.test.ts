/**
 * The pve channels as the renderer calls them, through the real router and app services with a
 * real vault, against the project's Proxmox API simulator (tests/pve-sim, a simulator of the
 * public PVE API): certificate shown before pinning, an endpoint added only after a real call,
 * the secret never coming back, sync with progress events, accepting guests as hosts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AppHarness, startAppHarness } from './app-harness';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, sampleFleet } from '../../pve-sim/sample-fleet';

let sim: PveSim;

const port = () => Number(new URL(sim.url).port);
const node = (o: Record<string, unknown> = {}) => ({ name: 'homelab', address: '127.0.0.1', port: port(), user: ADMIN_TOKEN.id, secret: ADMIN_TOKEN.secret, fingerprint: sim.fingerprint(), ...o });

beforeAll(async () => {
  sim = await startPveSim(sampleFleet());
});
afterAll(async () => {
  await sim?.close();
});
let app: AppHarness;
let s: AppHarness['services'];
const call = <T>(channel: string, payload: unknown) => app.call<T>(channel, payload);
const fails = (channel: string, payload: unknown) => app.fails(channel, payload);

beforeEach(async () => {
  app = await startAppHarness('bulwark-pve-ipc-');
  s = app.services;
});
afterEach(async () => {
  await app.dispose();
});

describe('pve channels', () => {
  it('certificate, then create: checked for real, the secret never returned; a missing pin or a wrong token stores nothing', async () => {
    const cert = await call<{ sha256: string; subject: string }>('pve:certificate', { name: 'homelab', address: '127.0.0.1', port: port() });
    expect(cert.sha256).toBe(sim.fingerprint());
    expect(cert.subject).toContain('CN=pve1');
    expect((await fails('pve:create', { node: node({ fingerprint: null }) })).code).toBe('TLS_UNPINNED');
    expect((await fails('pve:create', { node: node({ secret: 'wrong-secret-123' }) })).code).toBe('PVE_AUTH_FAILED');
    expect(await call('pve:list', {})).toEqual([]);
    const added = await call<{ endpoint: Record<string, unknown>; pinned: unknown; version: string; missing: unknown[] }>('pve:create', { node: node() });
    // the user confirmed the node certificate; the CA that issued it is what stays pinned
    expect(added.endpoint).toMatchObject({ name: 'homelab', hasSecret: true, pin: 'ca', fingerprint: sim.caFingerprint() });
    expect(added.pinned).toEqual({ kind: 'ca', sha256: sim.caFingerprint(), subject: expect.stringContaining('CN=Proxmox Virtual Environment'), note: null });
    expect(added.endpoint).not.toHaveProperty('secret');
    expect(added.endpoint).not.toHaveProperty('caPem');
    expect(added.missing).toEqual([]);
    expect(JSON.stringify(await call('pve:state', {}))).not.toContain(ADMIN_TOKEN.secret);
  });

  it('firewall: plan as the node sees this machine, refused while it would be cut off; apply checks the node host and the reviewed digests', async () => {
    const { endpoint } = await call<{ endpoint: { id: string } }>('pve:create', { node: node() });
    const params = { sshFrom: ['192.168.1.0/24'], internalCidr: '10.10.0.0/16' };
    const refused = await call<{ refused: string | null; self: string }>('pve:firewallPlan', { id: endpoint.id, params });
    expect(refused.self).toBe('127.0.0.1');
    expect(refused.refused).toMatch(/127\.0\.0\.1 \(Bulwark\) could not reach port 8006/);
    const plan = await call<{ refused: string | null; digests: { options: string; rules: string | null }; rules: { op: string }[] }>('pve:firewallPlan', { id: endpoint.id, params: { ...params, webUiFrom: ['127.0.0.1'] } });
    expect(plan.refused).toBeNull();
    expect(plan.rules.filter((r) => r.op === 'add')).toHaveLength(2);
    expect((await fails('pve:firewallApply', { id: endpoint.id, params, sshHostId: 'no-such-host', digests: plan.digests })).code).toBe('NOT_FOUND');
    const host = await call<{ id: string }>('hosts:create', { host: { name: 'pve1', address: '127.0.0.1' } });
    const stale = await fails('pve:firewallApply', { id: endpoint.id, params: { ...params, webUiFrom: ['127.0.0.1'] }, sshHostId: host.id, digests: { ...plan.digests, options: 'not-the-digest' } });
    expect(stale.code).toBe('PVE_DIGEST_MISMATCH');
    expect(sim.state.firewall.rules).toEqual([]);
    expect((await fails('pve:firewallPlan', { id: endpoint.id, params: { sshFrom: ['10.0.0.0/33'] } })).code).toBe('VALIDATION');
  });

  it('sync emits progress and fills the state; accept adds hosts linked to their guests', async () => {
    const { endpoint } = await call<{ endpoint: { id: string } }>('pve:create', { node: node() });
    const progress: unknown[] = [];
    const off = s.events.subscribe((event, payload) => event === 'pve:syncProgress' && progress.push(payload));
    const r = await call<{ guests: unknown[]; changes: { guestId: string }[] }>('pve:sync', { id: endpoint.id });
    off();
    expect(r.guests).toHaveLength(5);
    expect(progress.at(-1)).toEqual({ endpointId: endpoint.id, done: 5, total: 5 });
    const accepted = await call<{ host: { name: string } | null }[]>('pve:accept', { guestIds: r.changes.map((c) => c.guestId), addHost: { user: 'admin' } });
    expect(accepted.map((a) => a.host?.name)).toEqual(['web', 'dns']);
    const hosts = await call<{ name: string; guest: unknown }[]>('hosts:list', {});
    expect(hosts.map((h) => [h.name, h.guest])).toEqual([
      ['dns', { nodeId: endpoint.id, vmid: 200 }],
      ['web', { nodeId: endpoint.id, vmid: 100 }],
    ]);
    const [state] = await call<{ changes: unknown[]; lastSync: { nodes: unknown[] } }[]>('pve:state', {});
    expect(state!.changes).toEqual([]);
    expect(state!.lastSync.nodes).toHaveLength(2);
    await call('vault:lock', {});
    expect((await fails('pve:state', {})).code).toBe('VAULT_LOCKED');
  });

  it('trust: a certificate from a new CA stops sync until the user pins what is presented now; a wrong fingerprint changes nothing', async () => {
    const own = await startPveSim(sampleFleet());
    try {
      const ownPort = Number(new URL(own.url).port);
      const { endpoint } = await call<{ endpoint: { id: string } }>('pve:create', { node: node({ port: ownPort, fingerprint: own.fingerprint() }) });
      own.rotateCertificate({ sameCa: true });
      expect((await call<{ guests: unknown[] }>('pve:sync', { id: endpoint.id })).guests).toHaveLength(5);

      own.rotateCertificate({ sameCa: false });
      const refused = await fails('pve:sync', { id: endpoint.id });
      expect(refused.code).toBe('TLS_PIN_MISMATCH');
      expect(refused.fields).toEqual({ fingerprint: own.fingerprint() });
      expect(refused.message).toMatch(/not issued by the pinned cluster CA/);
      const presented = await call<{ sha256: string }>('pve:certificate', { name: 'homelab', address: '127.0.0.1', port: ownPort });
      expect(presented.sha256).toBe(own.fingerprint());

      const before = own.requests.length;
      expect((await fails('pve:trust', { id: endpoint.id, fingerprint: sim.fingerprint(), pin: 'ca' })).code).toBe('TLS_PIN_MISMATCH');
      expect(own.requests.length).toBe(before);
      expect((await fails('pve:trust', { id: endpoint.id, fingerprint: 'AB:CD', pin: 'ca' })).code).toBe('VALIDATION');
      expect((await call<{ fingerprint: string }[]>('pve:list', {}))[0]!.fingerprint).not.toBe(own.caFingerprint());

      const trusted = await call<{ endpoint: { pin: string; fingerprint: string }; pinned: { kind: string } }>('pve:trust', { id: endpoint.id, fingerprint: presented.sha256.toLowerCase(), pin: 'ca' });
      expect(trusted.endpoint).toMatchObject({ pin: 'ca', fingerprint: own.caFingerprint() });
      expect((await call<{ guests: unknown[] }>('pve:sync', { id: endpoint.id })).guests).toHaveLength(5);
    } finally {
      await own.close();
    }
  });
});
