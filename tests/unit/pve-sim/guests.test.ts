import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, sampleFleet, tokenHeader } from '../../pve-sim/sample-fleet';
import { callSim } from '../../pve-sim/test-client';

const admin = { token: tokenHeader(ADMIN_TOKEN) };
const monitorOnly = { id: 'mon@pve!t', secret: 's', privileges: { '/vms': ['VM.Monitor'] } };
const guestAgentAudit = { id: 'ga@pve!t', secret: 's', privileges: { '/vms': ['VM.GuestAgent.Audit'] } };
const tokens = [ADMIN_TOKEN, monitorOnly, guestAgentAudit];

describe('pve-sim guests (PVE 8)', () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim(sampleFleet({ tokens }));
  });
  afterAll(() => sim.close());

  it('reads qemu and lxc configs with a digest', async () => {
    const qemu = (await callSim(sim, 'GET', '/nodes/pve1/qemu/100/config', admin)).data as Record<string, unknown>;
    expect(qemu).toMatchObject({ name: 'web', agent: '1', net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0', tags: 'prod;web' });
    expect(qemu.digest).toMatch(/^[0-9a-f]{40}$/);
    const lxc = (await callSim(sim, 'GET', '/nodes/pve1/lxc/200/config', admin)).data as Record<string, unknown>;
    expect(lxc).toMatchObject({ hostname: 'dns', net0: 'name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:02,ip=192.168.1.53/24,type=veth' });
  });

  it('answers a missing guest with 500 and the config file path', async () => {
    const res = await callSim(sim, 'GET', '/nodes/pve1/qemu/999/config', admin);
    expect(res).toMatchObject({ status: 500, reason: "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist" });
  });

  it('returns guest agent interfaces, loopback included', async () => {
    const res = await callSim(sim, 'GET', '/nodes/pve1/qemu/100/agent/network-get-interfaces', admin);
    const result = (res.data as { result: Record<string, unknown>[] }).result;
    expect(result.map((r) => r.name)).toEqual(['lo', 'ens18']);
    expect(result[1]).toEqual({
      name: 'ens18', 'hardware-address': 'BC:24:11:00:00:01',
      'ip-addresses': [
        { 'ip-address': '192.168.1.50', 'ip-address-type': 'ipv4', prefix: 24 },
        { 'ip-address': 'fe80::be24:11ff:fe00:1', 'ip-address-type': 'ipv6', prefix: 64 },
      ],
    });
  });

  it('reports an agent that is not running, or not configured, as 500', async () => {
    expect(await callSim(sim, 'GET', '/nodes/pve1/qemu/101/agent/network-get-interfaces', admin)).toMatchObject({ status: 500, reason: 'QEMU guest agent is not running' });
    expect(await callSim(sim, 'GET', '/nodes/pve1/qemu/102/agent/network-get-interfaces', admin)).toMatchObject({ status: 500, reason: 'No QEMU guest agent configured' });
  });

  it('guards the agent with VM.Monitor', async () => {
    const path = '/nodes/pve1/qemu/100/agent/network-get-interfaces';
    expect((await callSim(sim, 'GET', path, { token: 'mon@pve!t=s' })).status).toBe(200);
    expect(await callSim(sim, 'GET', path, { token: 'ga@pve!t=s' })).toMatchObject({ status: 403, reason: 'Permission check failed (/vms/100, VM.Monitor)' });
  });

  it('lists container interfaces with inet/inet6, and null for a stopped container', async () => {
    const res = await callSim(sim, 'GET', '/nodes/pve1/lxc/200/interfaces', admin);
    expect((res.data as unknown[])[1]).toEqual({ name: 'eth0', hwaddr: 'BC:24:11:00:00:02', inet: '192.168.1.53/24', inet6: 'fd00::53/64' });
    const ct = sim.state.guests.find((g) => g.vmid === 200);
    if (ct) ct.status = 'stopped';
    expect(await callSim(sim, 'GET', '/nodes/pve1/lxc/200/interfaces', admin)).toMatchObject({ status: 200, data: null });
    if (ct) ct.status = 'running';
  });

  it('follows state changes made by the test (drift)', async () => {
    const guest = sim.state.guests.find((g) => g.vmid === 100);
    if (guest) guest.status = 'stopped';
    const status = (await callSim(sim, 'GET', '/nodes/pve1/qemu/100/status/current', admin)).data as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'stopped', uptime: 0, agent: 1 });
    expect(await callSim(sim, 'GET', '/nodes/pve1/qemu/100/agent/network-get-interfaces', admin)).toMatchObject({ status: 500, reason: 'VM 100 is not running' });
  });
});

describe('pve-sim guests (PVE 9)', () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim(sampleFleet({ version: 9, tokens }));
  });
  afterAll(() => sim.close());

  it('adds hardware-address and ip-addresses to container interfaces', async () => {
    const res = await callSim(sim, 'GET', '/nodes/pve1/lxc/200/interfaces', admin);
    expect((res.data as unknown[])[1]).toEqual({
      name: 'eth0', hwaddr: 'BC:24:11:00:00:02', inet: '192.168.1.53/24', inet6: 'fd00::53/64', 'hardware-address': 'BC:24:11:00:00:02',
      'ip-addresses': [
        { 'ip-address-type': 'inet', 'ip-address': '192.168.1.53', prefix: 24 },
        { 'ip-address-type': 'inet6', 'ip-address': 'fd00::53', prefix: 64 },
      ],
    });
  });

  it('guards the agent with VM.GuestAgent.Audit instead of VM.Monitor', async () => {
    const path = '/nodes/pve1/qemu/100/agent/network-get-interfaces';
    expect((await callSim(sim, 'GET', path, { token: 'ga@pve!t=s' })).status).toBe(200);
    expect(await callSim(sim, 'GET', path, { token: 'mon@pve!t=s' })).toMatchObject({ status: 403, reason: 'Permission check failed (/vms/100, VM.GuestAgent.Audit)' });
  });
});
