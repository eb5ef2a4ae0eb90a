import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundAllowed, startPveSim, type PveSim, type SimState } from '../../pve-sim';
import { ADMIN_TOKEN, sampleFleet, tokenHeader } from '../../pve-sim/sample-fleet';
import { callSim } from '../../pve-sim/test-client';

const admin = { token: tokenHeader(ADMIN_TOKEN) };

function stateWith(firewall: Partial<SimState['firewall']>): SimState {
  return {
    version: 8, clusterName: null, nodes: [{ name: 'pve1', ip: '192.168.1.10' }], guests: [],
    localNetwork: '192.168.1.0/24', safetyNetSeconds: 60,
    firewall: { options: { enable: 1 }, rules: [], ipsets: [], ...firewall },
  };
}

describe('inboundAllowed (what pve-firewall lets through to the host)', () => {
  it('lets everything through while the firewall is off, and applies policy_in when on', () => {
    expect(inboundAllowed(stateWith({ options: {} }), '203.0.113.7', 8006)).toBe(true);
    expect(inboundAllowed(stateWith({}), '203.0.113.7', 8006)).toBe(false);
    expect(inboundAllowed(stateWith({ options: { enable: 1, policy_in: 'ACCEPT' } }), '203.0.113.7', 8006)).toBe(true);
  });

  it('keeps the local network on the management ports via the implicit management ipset', () => {
    const state = stateWith({});
    expect(inboundAllowed(state, '192.168.1.77', 8006)).toBe(true);
    expect(inboundAllowed(state, '::ffff:192.168.1.77', 22)).toBe(true);
    expect(inboundAllowed(state, '192.168.1.77', 80)).toBe(false);
    expect(inboundAllowed(stateWith({ ipsets: [{ name: 'management', entries: [{ cidr: '10.8.0.0/16' }] }] }), '10.8.3.4', 8006)).toBe(true);
  });

  it('honours enabled in-rules in order: port, macro, source and ipset references', () => {
    const accept8006 = { type: 'in' as const, action: 'ACCEPT', proto: 'tcp', dport: '8006', source: '203.0.113.0/24', enable: 1 };
    expect(inboundAllowed(stateWith({ rules: [accept8006] }), '203.0.113.7', 8006)).toBe(true);
    expect(inboundAllowed(stateWith({ rules: [{ ...accept8006, enable: 0 }] }), '203.0.113.7', 8006)).toBe(false);
    expect(inboundAllowed(stateWith({ rules: [accept8006] }), '198.51.100.1', 8006)).toBe(false);
    expect(inboundAllowed(stateWith({ rules: [{ type: 'in', action: 'ACCEPT', macro: 'SSH', enable: 1 }] }), '198.51.100.1', 22)).toBe(true);
    const ipsetRule = { type: 'in' as const, action: 'ACCEPT', proto: 'tcp', dport: '22,8000:8010', source: '+dc/admins', enable: 1 };
    const withIpset = stateWith({ rules: [ipsetRule], ipsets: [{ name: 'admins', entries: [{ cidr: '198.51.100.0/24' }, { cidr: '198.51.100.9', nomatch: 1 }] }] });
    expect(inboundAllowed(withIpset, '198.51.100.1', 8006)).toBe(true);
    expect(inboundAllowed(withIpset, '198.51.100.9', 8006)).toBe(false);
    const dropFirst = stateWith({ rules: [{ type: 'in', action: 'DROP', proto: 'tcp', dport: '8006', enable: 1 }] });
    expect(inboundAllowed(dropFirst, '192.168.1.77', 8006)).toBe(false);
  });

  it('treats an expired unconfirmed enable as off', () => {
    const now = 1_800_000_000;
    const state = stateWith({ options: { enable: now - 61 } });
    expect(inboundAllowed(state, '203.0.113.7', 8006, now)).toBe(true);
    expect(inboundAllowed({ ...state, firewall: { ...state.firewall, options: { enable: now - 30 } } }, '203.0.113.7', 8006, now)).toBe(false);
  });
});

describe('pve-sim firewall on its own API port', () => {
  let sim: PveSim;
  beforeAll(async () => {
    // The node's subnet is not 127.0.0.0/8, so the test client counts as "from another subnet".
    sim = await startPveSim(sampleFleet({ safetyNetSeconds: 1 }));
  });
  afterAll(() => sim.close());

  it('drops new connections once policy_in DROP locks the client out, then recovers via the safety net', async () => {
    expect((await callSim(sim, 'PUT', '/cluster/firewall/options', { ...admin, params: { enable: '2', policy_in: 'DROP' } })).status).toBe(200);
    await expect(callSim(sim, 'GET', '/version', admin)).rejects.toThrow(/ECONNRESET|socket hang up|disconnected before secure TLS/);
    expect(sim.droppedConnections).toBe(1);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await callSim(sim, 'GET', '/cluster/firewall/options', admin)).data).toMatchObject({ enable: 0 });
  });

  it('lets the client back in when it is added to the management ipset', async () => {
    sim.state.firewall.options = { enable: 1, policy_in: 'DROP' };
    await expect(callSim(sim, 'GET', '/version', admin)).rejects.toThrow();
    sim.state.firewall.ipsets.push({ name: 'management', entries: [{ cidr: '127.0.0.1' }] });
    expect((await callSim(sim, 'GET', '/version', admin)).status).toBe(200);
  });
});
