import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, LIMITED_TOKEN, sampleFleet, tokenHeader } from '../../pve-sim/sample-fleet';
import { callSim } from '../../pve-sim/test-client';

const admin = { token: tokenHeader(ADMIN_TOKEN) };
const limited = { token: tokenHeader(LIMITED_TOKEN) };

describe('pve-sim as PVE 8', () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim(sampleFleet({ version: 8, tokens: [ADMIN_TOKEN, LIMITED_TOKEN, { id: 'vm@pve!t', secret: 's', privileges: { '/vms': ['VM.Audit'] } }] }));
  });
  afterAll(() => sim.close());

  it('lists qemu and lxc guests with 0/1 booleans, ;-tags, string lxc vmids and unknown status on offline nodes', async () => {
    const res = await callSim(sim, 'GET', '/cluster/resources', { ...admin, params: { type: 'vm' } });
    const entries = res.data as Record<string, unknown>[];
    expect(entries.map((e) => e.id)).toEqual(['qemu/100', 'qemu/101', 'qemu/102', 'lxc/200', 'qemu/300']);
    expect(entries[0]).toMatchObject({ type: 'qemu', vmid: 100, tags: 'prod;web', template: 0, status: 'running' });
    expect(entries[0]).not.toHaveProperty('memhost');
    expect(entries[3]).toMatchObject({ type: 'lxc', vmid: '200', name: 'dns' });
    expect(entries[4]).toEqual({ id: 'qemu/300', type: 'qemu', vmid: 300, node: 'pve2', status: 'unknown' });
  });

  it("lists a node's interfaces, its bridge holding the node's IP with the local network's prefix; Sys.Audit on the node needed", async () => {
    const ifaces = (await callSim(sim, 'GET', '/nodes/pve1/network', admin)).data as Record<string, unknown>[];
    expect(ifaces.map((i) => [i.iface, i.type, i.cidr])).toEqual([
      ['lo', 'loopback', undefined],
      ['eno1', 'eth', undefined],
      ['vmbr0', 'bridge', '192.168.1.10/24'],
    ]);
    const vmOnly = await callSim(sim, 'GET', '/nodes/pve1/network', { token: 'vm@pve!t=s' });
    expect(vmOnly).toMatchObject({ status: 403, reason: 'Permission check failed (/nodes/pve1, Sys.Audit)' });
    expect((await callSim(sim, 'GET', '/nodes/pve2/network', admin)).status).toBe(595);
  });

  it('filters lists silently by VM.Audit, propagating from parent paths', async () => {
    const vms = (await callSim(sim, 'GET', '/cluster/resources', { ...limited, params: { type: 'vm' } })).data as { vmid: number }[];
    expect(vms.map((v) => v.vmid)).toEqual([100]);
    const nodes = (await callSim(sim, 'GET', '/cluster/resources', { ...limited, params: { type: 'node' } })).data as { node: string; status: string }[];
    expect(nodes).toEqual([expect.objectContaining({ node: 'pve1', status: 'online', maxcpu: 8 }), expect.objectContaining({ node: 'pve2', status: 'offline' })]);
  });

  it('lists every node, but without figures when the caller lacks Sys.Audit on it', async () => {
    const vmOnly = { token: 'vm@pve!t=s' };
    const nodes = (await callSim(sim, 'GET', '/cluster/resources', { ...vmOnly, params: { type: 'node' } })).data;
    expect(nodes).toEqual([
      { id: 'node/pve1', type: 'node', node: 'pve1', level: '', status: 'online' },
      { id: 'node/pve2', type: 'node', node: 'pve2', level: '', status: 'offline' },
    ]);
  });

  it('answers single objects with 403 and only the reason phrase', async () => {
    const res = await callSim(sim, 'GET', '/nodes/pve1/qemu/101/config', limited);
    expect(res.status).toBe(403);
    expect(res.reason).toBe('Permission check failed (/vms/101, VM.Audit)');
    expect(res.json).toEqual({ data: null });
  });

  it('reports the caller\'s effective permissions', async () => {
    const res = await callSim(sim, 'GET', '/access/permissions', limited);
    expect(res.data).toEqual({ '/nodes': { 'Sys.Audit': 1 }, '/vms/100': { 'VM.Audit': 1 } });
  });

  it('describes the cluster, its nodes and the serving node\'s certificate', async () => {
    const status = (await callSim(sim, 'GET', '/cluster/status', admin)).data as Record<string, unknown>[];
    expect(status[0]).toMatchObject({ type: 'cluster', name: 'homelab', nodes: 2, quorate: 0 });
    expect(status.slice(1)).toEqual([
      expect.objectContaining({ type: 'node', name: 'pve1', online: 1, local: 1, ip: '192.168.1.10' }),
      expect.objectContaining({ type: 'node', name: 'pve2', online: 0, local: 0 }),
    ]);
    const nodes = (await callSim(sim, 'GET', '/nodes', admin)).data as Record<string, unknown>[];
    expect(nodes[0]).toMatchObject({ node: 'pve1', status: 'online', ssl_fingerprint: sim.fingerprint() });
    expect(nodes[1]).toEqual({ node: 'pve2', id: 'node/pve2', type: 'node', level: '', status: 'offline' });
  });

  it('answers unknown paths with 501 and unreachable nodes with 595', async () => {
    expect(await callSim(sim, 'GET', '/foo', admin)).toMatchObject({ status: 501, reason: "Method 'GET /foo' not implemented" });
    expect(await callSim(sim, 'GET', '/nodes/pve2/qemu/300/status/current', admin)).toMatchObject({ status: 595, reason: 'No route to host' });
  });
});

describe('pve-sim as PVE 9, standalone', () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim(sampleFleet({ version: 9, clusterName: null, nodes: [{ name: 'pve1', ip: '192.168.1.10' }] }));
  });
  afterAll(() => sim.close());

  it('reports version 9 and only a node entry in /cluster/status', async () => {
    expect((await callSim(sim, 'GET', '/version', admin)).data).toMatchObject({ release: '9.1' });
    expect((await callSim(sim, 'GET', '/cluster/status', admin)).data).toEqual([
      { type: 'node', id: 'node/pve1', name: 'pve1', ip: '192.168.1.10', nodeid: 0, online: 1, local: 1, level: '' },
    ]);
  });

  it('adds a "message" field to error bodies', async () => {
    const res = await callSim(sim, 'GET', '/nodes/pve1/qemu/101/config', limited);
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ data: null, message: 'Permission check failed (/vms/101, VM.Audit)\n' });
  });

  it('lists lxc vmids as numbers and guests with memhost', async () => {
    const entries = (await callSim(sim, 'GET', '/cluster/resources', { ...admin, params: { type: 'vm' } })).data as Record<string, unknown>[];
    expect(entries.find((e) => e.type === 'lxc')).toMatchObject({ vmid: 200 });
    expect(entries.find((e) => e.vmid === 100)).toHaveProperty('memhost');
  });
});
