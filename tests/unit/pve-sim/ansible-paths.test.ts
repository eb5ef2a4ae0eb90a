/**
 * The paths Ansible's community.general.proxmox inventory plugin reads (with want_facts) that
 * Bulwark does not: per-node guest indexes, snapshot lists, resource pools; and the simulated
 * per-request latency the pve-sync bench uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPveSim, type PveSim, type SimToken } from '../../pve-sim';
import { ADMIN_TOKEN, LIMITED_TOKEN, sampleFleet, tokenHeader } from '../../pve-sim/sample-fleet';
import { callSim } from '../../pve-sim/test-client';

const POOL_AUDITOR: SimToken = { id: 'inv@pve!ansible', secret: 'pool-secret', privileges: { '/': ['VM.Audit', 'Pool.Audit'] } };
/** Pool.Audit on one pool only. */
const ONE_POOL: SimToken = { id: 'ops@pve!pool', secret: 'one-pool', privileges: { '/pool/prod': ['Pool.Audit'] } };
const admin = { token: tokenHeader(ADMIN_TOKEN) };
const limited = { token: tokenHeader(LIMITED_TOKEN) };
const auditor = { token: tokenHeader(POOL_AUDITOR) };

function fleet(version: 8 | 9) {
  const base = sampleFleet({ version, tokens: [ADMIN_TOKEN, LIMITED_TOKEN, POOL_AUDITOR, ONE_POOL] });
  const guests = (base.guests ?? []).map((g) =>
    g.vmid === 100
      ? { ...g, snapshots: [{ name: 'pre-upgrade', snaptime: 1_790_000_000, description: 'before apt upgrade' }, { name: 'after', snaptime: 1_790_000_600, vmstate: true }] }
      : g,
  );
  return { ...base, guests, pools: [{ poolid: 'prod', comment: 'production', vmids: [200, 100, 999] }, { poolid: 'lab', vmids: [102] }] };
}

describe('pve-sim: per-node guest indexes, snapshots, pools (PVE 8)', () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim(fleet(8));
  });
  afterAll(() => sim.close());

  it('lists the qemu guests of one node with numeric vmids, a pid only while running', async () => {
    const res = await callSim(sim, 'GET', '/nodes/pve1/qemu', admin);
    const list = res.data as Record<string, unknown>[];
    expect(list.map((g) => g.vmid)).toEqual([100, 101, 102]);
    expect(list[0]).toMatchObject({ vmid: 100, name: 'web', status: 'running', tags: 'prod;web', cpus: 2 });
    expect(list[0]!.pid).toEqual(expect.any(Number));
    expect(list[0]).not.toHaveProperty('memhost');
  });

  it('lists containers with a string vmid on version 8 (pve-container before 5.0.10)', async () => {
    const list = (await callSim(sim, 'GET', '/nodes/pve1/lxc', admin)).data as Record<string, unknown>[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ vmid: '200', type: 'lxc', name: 'dns', status: 'running' });
  });

  it('filters the indexes silently by VM.Audit, and answers 595 for an offline node', async () => {
    expect(((await callSim(sim, 'GET', '/nodes/pve1/qemu', limited)).data as { vmid: number }[]).map((g) => g.vmid)).toEqual([100]);
    expect((await callSim(sim, 'GET', '/nodes/pve1/lxc', limited)).data).toEqual([]);
    expect(await callSim(sim, 'GET', '/nodes/pve2/qemu', admin)).toMatchObject({ status: 595, reason: 'No route to host' });
  });

  it('lists snapshots oldest first, then "current" with the config digest and the last snapshot as parent', async () => {
    const snaps = (await callSim(sim, 'GET', '/nodes/pve1/qemu/100/snapshot', admin)).data as Record<string, unknown>[];
    const config = (await callSim(sim, 'GET', '/nodes/pve1/qemu/100/config', admin)).data as Record<string, unknown>;
    expect(config.parent).toBe('after');
    expect(snaps).toEqual([
      { name: 'pre-upgrade', snaptime: 1_790_000_000, vmstate: 0, description: 'before apt upgrade' },
      { name: 'after', snaptime: 1_790_000_600, vmstate: 1, description: '', parent: 'pre-upgrade' },
      { name: 'current', digest: config.digest, running: 1, description: 'You are here!', parent: 'after' },
    ]);
  });

  it('gives a guest without snapshots only "current" (containers have no vmstate); VM.Audit and the config file are checked', async () => {
    const ct = (await callSim(sim, 'GET', '/nodes/pve1/lxc/200/snapshot', admin)).data as Record<string, unknown>[];
    expect(ct).toEqual([{ name: 'current', digest: expect.stringMatching(/^[0-9a-f]{40}$/), running: 1, description: 'You are here!' }]);
    const noParent = (await callSim(sim, 'GET', '/nodes/pve1/lxc/200/config', admin)).data as Record<string, unknown>;
    expect(noParent).not.toHaveProperty('parent');
    expect(await callSim(sim, 'GET', '/nodes/pve1/qemu/101/snapshot', limited)).toMatchObject({ status: 403, reason: 'Permission check failed (/vms/101, VM.Audit)' });
    expect(await callSim(sim, 'GET', '/nodes/pve1/qemu/999/snapshot', admin)).toMatchObject({ status: 500, reason: "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist" });
  });

  it('lists pools sorted, only those with Pool.Audit on /pool/{id}', async () => {
    expect((await callSim(sim, 'GET', '/pools', auditor)).data).toEqual([{ poolid: 'lab' }, { poolid: 'prod', comment: 'production' }]);
    expect((await callSim(sim, 'GET', '/pools', { token: tokenHeader(ONE_POOL) })).data).toEqual([{ poolid: 'prod', comment: 'production' }]);
    expect((await callSim(sim, 'GET', '/pools', admin)).data).toEqual([]);
  });

  it('reads a pool: members like /cluster/resources entries by vmid, a vanished guest left out; 403 and 500 otherwise', async () => {
    const pool = (await callSim(sim, 'GET', '/pools/prod', auditor)).data as { comment: string; members: Record<string, unknown>[] };
    expect(pool.comment).toBe('production');
    expect(pool.members.map((m) => [m.id, m.name, m.node])).toEqual([['qemu/100', 'web', 'pve1'], ['lxc/200', 'dns', 'pve1']]);
    expect(await callSim(sim, 'GET', '/pools/lab', { token: tokenHeader(ONE_POOL) })).toMatchObject({ status: 403, reason: 'Permission check failed (/pool/lab, Pool.Audit)' });
    expect(await callSim(sim, 'GET', '/pools/nope', auditor)).toMatchObject({ status: 500, reason: "pool 'nope' does not exist" });
  });
});

describe('pve-sim: per-node indexes on version 9', () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim(fleet(9));
  });
  afterAll(() => sim.close());

  it('has numeric container vmids and memhost for qemu guests', async () => {
    expect(((await callSim(sim, 'GET', '/nodes/pve1/lxc', admin)).data as Record<string, unknown>[])[0]).toMatchObject({ vmid: 200 });
    expect(((await callSim(sim, 'GET', '/nodes/pve1/qemu', admin)).data as Record<string, unknown>[])[0]).toHaveProperty('memhost');
  });
});

describe('pve-sim latency', () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim(sampleFleet({ latencyMs: 60, guestAgentLatencyMs: 90 }));
  });
  afterAll(() => sim.close());

  const timed = async (path: string) => {
    const t0 = performance.now();
    const res = await callSim(sim, 'GET', path, admin);
    return { ms: performance.now() - t0, status: res.status };
  };

  it('delays every answer by latencyMs, guest calls by latencyMs + guestAgentLatencyMs', async () => {
    const plain = await timed('/nodes/pve1/qemu/100/config');
    expect(plain.status).toBe(200);
    expect(plain.ms).toBeGreaterThanOrEqual(59);
    const agent = await timed('/nodes/pve1/qemu/100/agent/network-get-interfaces');
    expect(agent.ms).toBeGreaterThanOrEqual(149);
    const ct = await timed('/nodes/pve1/lxc/200/interfaces');
    expect(ct.ms).toBeGreaterThanOrEqual(149);
  });

  it('serves requests concurrently while they wait', async () => {
    const t0 = performance.now();
    const all = await Promise.all(Array.from({ length: 6 }, () => callSim(sim, 'GET', '/version', admin)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    // six one after another would take at least 360 ms
    expect(performance.now() - t0).toBeLessThan(300);
  });
});
