/**
 * The datacenter firewall step applied on the project's Proxmox API simulator (tests/pve-sim,
 * a simulator of the public PVE API whose firewall really drops new API connections from
 * addresses it does not allow): applied and confirmed, refused by the lockout guard, stopped by
 * a concurrent change, and rolled back when a fresh connection cannot get in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { PveClient } from '../../../main/services/proxmox/client';
import { applyFirewallPlan, readFirewall } from '../../../main/services/proxmox/firewall-apply';
import { planFirewall } from '../../../main/services/proxmox/firewall-plan';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, sampleFleet } from '../../pve-sim/sample-fleet';

let sim: PveSim;
const clients: PveClient[] = [];
const client = () => {
  const c = new PveClient({ name: 'homelab', baseUrl: sim.url, pin: { sha256: sim.fingerprint() }, auth: { kind: 'token', tokenId: ADMIN_TOKEN.id, secret: ADMIN_TOKEN.secret }, timeoutMs: 5_000 });
  clients.push(c);
  return c;
};
const params = { sshPort: 22, sshFrom: ['192.168.1.0/24'], internalCidr: '10.10.0.0/16', webUiFrom: ['127.0.0.1'] };
const checks = (ssh: () => Promise<string | null> = async () => null) => ({ freshClient: client, sshCheck: ssh, safetyNetMs: 2_000 });
const writes = () => sim.requests.filter((r) => r.method !== 'GET').length;

beforeEach(async () => {
  sim = await startPveSim(sampleFleet({ safetyNetSeconds: 2, localNetwork: '192.168.1.0/24' }));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await sim.close();
});

describe('datacenter firewall on the simulator', () => {
  it('applies with the safety net, confirms after fresh API and SSH checks; a second plan is compliant', async () => {
    const c = client();
    const before = await readFirewall(c);
    const plan = planFirewall(before, params, { self: '127.0.0.1', localNetwork: '192.168.1.0/24' });
    expect(plan.refused).toBeNull();
    const steps: string[] = [];
    const r = await applyFirewallPlan(c, plan, before, { ...checks(), onStep: (s) => steps.push(s) });
    expect(r.outcome).toBe('applied');
    expect(steps).toEqual([
      'created the management IPSet',
      'added 127.0.0.1 to the management IPSet',
      'added rule "bulwark: internal network"',
      'added rule "bulwark: SSH from 192.168.1.0/24"',
      'turned the firewall on for 60 seconds (Proxmox turns it off again unless confirmed)',
      'a fresh API call and a fresh SSH login succeeded',
      'confirmed: the firewall stays on',
    ]);
    expect(sim.state.firewall.options.enable).toBe(1);
    const after = await readFirewall(client());
    expect(after.rules.map((x) => x.comment)).toEqual(['bulwark: SSH from 192.168.1.0/24', 'bulwark: internal network']);
    expect(planFirewall(after, params, { self: '127.0.0.1', localNetwork: '192.168.1.0/24' }).compliant).toBe(true);
    // confirmed: it outlives the safety net
    await new Promise((res) => setTimeout(res, 2_500));
    expect((await readFirewall(client())).enable).toBe(true);
  });

  it('the lockout guard refuses a plan that would cut Bulwark off, and nothing is written', async () => {
    const c = client();
    const before = await readFirewall(c);
    const plan = planFirewall(before, { ...params, webUiFrom: [] }, { self: '127.0.0.1', localNetwork: '192.168.1.0/24' });
    expect(plan.refused).toMatch(/127\.0\.0\.1 \(Bulwark\) could not reach port 8006/);
    const w = writes();
    await expect(applyFirewallPlan(c, plan, before, checks())).rejects.toThrow(/Refused: after this change/);
    expect(writes()).toBe(w);
  });

  it('a concurrent change of the options stops the apply and takes back what it added', async () => {
    const c = client();
    const before = await readFirewall(c);
    const plan = planFirewall(before, params, { self: '127.0.0.1', localNetwork: '192.168.1.0/24' });
    sim.changeBeforeNextWrite('options');
    const e = await applyFirewallPlan(c, plan, before, checks()).catch((err: unknown) => err);
    expect((e as BulwarkError).code).toBe('PVE_DIGEST_MISMATCH');
    const now = await readFirewall(client());
    expect(now.rules).toEqual([]);
    expect(now.management).toBeNull();
    expect(now.enable).toBe(false);
  });

  it('a failed fresh SSH login rolls everything back through the API', async () => {
    const c = client();
    const before = await readFirewall(c);
    const plan = planFirewall(before, params, { self: '127.0.0.1', localNetwork: '192.168.1.0/24' });
    const r = await applyFirewallPlan(c, plan, before, checks(async () => 'ssh admin@pve1: connection timed out'));
    expect(r).toMatchObject({ outcome: 'rolled back', reason: 'ssh admin@pve1: connection timed out' });
    expect(r.steps.slice(-6)).toEqual([
      'check failed: ssh admin@pve1: connection timed out',
      'restored the firewall options',
      'removed the added rule "bulwark: SSH from 192.168.1.0/24"',
      'removed the added rule "bulwark: internal network"',
      'removed 127.0.0.1 from the management IPSet',
      'removed the management IPSet',
    ]);
    const now = await readFirewall(client());
    expect([now.enable, now.rules, now.management]).toEqual([false, [], null]);
  });

  it('cut off completely (even the open connection): the Proxmox safety net turns the firewall off, then Bulwark cleans up', async () => {
    await sim.close();
    sim = await startPveSim(sampleFleet({ safetyNetSeconds: 2, localNetwork: '192.168.1.0/24', statelessFirewall: true }));
    const c = client();
    const before = await readFirewall(c);
    const plan = planFirewall(before, { ...params, webUiFrom: [] }, { self: '192.168.1.20', localNetwork: '192.168.1.0/24' });
    const r = await applyFirewallPlan(c, plan, before, checks());
    expect(r.outcome).toBe('reverted by the safety net');
    expect(r.steps).toContain('the safety net turned the firewall off; the API answers again');
    const now = await readFirewall(client());
    expect([now.enable, now.rules]).toEqual([false, []]);
  }, 60_000);

  it('a wrong idea of its own address: the fresh API connection is dropped, the change is rolled back', async () => {
    const c = client();
    const before = await readFirewall(c);
    // Bulwark believes it is 192.168.1.20 (the node's subnet, so management lets it in), but it connects from 127.0.0.1
    const plan = planFirewall(before, { ...params, webUiFrom: [] }, { self: '192.168.1.20', localNetwork: '192.168.1.0/24' });
    expect(plan.refused).toBeNull();
    const r = await applyFirewallPlan(c, plan, before, checks());
    // Bulwark's own, already open connection survives (as established connections do on a node)
    expect(r.outcome).toBe('rolled back');
    expect(r.reason).toMatch(/a fresh API connection failed/);
    expect(sim.droppedConnections).toBeGreaterThan(0);
    const now = await readFirewall(client());
    expect([now.enable, now.rules]).toEqual([false, []]);
  }, 60_000);
});
