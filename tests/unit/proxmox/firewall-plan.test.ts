/** Planning the datacenter firewall step, and the lockout guard's evaluation of the result. */
import { describe, expect, it } from 'vitest';
import { type FwState, inbound, planFirewall } from '../../../main/services/proxmox/firewall-plan';

const fresh: FwState = { enable: false, policyIn: 'DROP', policyOut: 'ACCEPT', rules: [], management: null };
const params = { sshPort: 22, sshFrom: ['192.168.1.0/24'], internalCidr: '10.10.0.0/16', webUiFrom: ['192.168.1.20'] };
const lan = { self: '192.168.1.20', localNetwork: '192.168.1.0/24' };

describe('datacenter firewall plan', () => {
  it('a fresh cluster: enable, the SSH and internal rules, the web UI address in management; everyone guarded still gets in', () => {
    const plan = planFirewall(fresh, params, lan);
    expect(plan.options).toEqual([{ key: 'enable', from: '0', to: '1' }]);
    expect(plan.rules.map((r) => [r.op, r.rule.source, r.rule.dport ?? '', r.rule.comment])).toEqual([
      ['add', '192.168.1.0/24', '22', 'bulwark: SSH from 192.168.1.0/24'],
      ['add', '10.10.0.0/16', '', 'bulwark: internal network'],
    ]);
    expect(plan.management).toEqual([{ op: 'add', cidr: '192.168.1.20' }]);
    expect(plan.guard.map((g) => [g.address, g.who, g.port, g.allowed])).toEqual([
      ['192.168.1.20', 'Bulwark', 8006, true],
      ['192.168.1.20', 'Bulwark', 22, true],
    ]);
    const other = planFirewall(fresh, { ...params, webUiFrom: ['192.168.1.20', '192.168.1.21'] }, lan);
    expect(other.guard.map((g) => [g.address, g.who, g.by])).toEqual([
      ['192.168.1.20', 'Bulwark', 'the management IPSet'],
      ['192.168.1.20', 'Bulwark', 'rule "bulwark: SSH from 192.168.1.0/24"'],
      ['192.168.1.21', 'web UI', 'the management IPSet'],
      ['192.168.1.21', 'web UI', 'rule "bulwark: SSH from 192.168.1.0/24"'],
    ]);
    expect(plan.refused).toBeNull();
    expect(plan.compliant).toBe(false);
  });

  it('refuses when Bulwark itself (from outside the node subnet) would lose 8006 or SSH', () => {
    const plan = planFirewall(fresh, params, { self: '203.0.113.5', localNetwork: '192.168.1.0/24' });
    expect(plan.refused).toBe('Refused: after this change 203.0.113.5 (Bulwark) could not reach port 8006 (policy_in DROP); 203.0.113.5 (Bulwark) could not reach port 22 (policy_in DROP). Add those addresses to the web UI addresses (management IPSet) or to the SSH sources.');
    // named as a web UI address it is in the management IPSet: 8006 and 22 both open
    expect(planFirewall(fresh, { ...params, webUiFrom: ['203.0.113.5'] }, { self: '203.0.113.5', localNetwork: '192.168.1.0/24' }).refused).toBeNull();
  });

  it('the local network counts as management only for clients on it; a custom SSH port needs its rule', () => {
    const after: FwState = { enable: true, policyIn: 'DROP', policyOut: 'ACCEPT', rules: [], management: [] };
    expect(inbound(after, '192.168.1.77', 8006, '192.168.1.0/24')).toEqual({ allowed: true, by: "the management IPSet (the node's local network)" });
    expect(inbound(after, '192.168.2.77', 8006, '192.168.1.0/24')).toEqual({ allowed: false, by: 'policy_in DROP' });
    expect(inbound(after, '192.168.1.77', 2222, '192.168.1.0/24').allowed).toBe(false);
    const plan = planFirewall(fresh, { ...params, sshPort: 2222, webUiFrom: [] }, lan);
    expect(plan.guard.find((g) => g.port === 2222)).toMatchObject({ allowed: true, by: 'rule "bulwark: SSH from 192.168.1.0/24"' });
  });

  it("the user's rules are kept and read in order: an earlier DROP for 8006 cuts the web UI and the plan refuses", () => {
    const state: FwState = { ...fresh, rules: [{ type: 'in', action: 'DROP', enable: true, proto: 'tcp', dport: '8006', pos: 0, comment: 'no web ui' }], management: [] };
    const plan = planFirewall(state, params, lan);
    expect(plan.rules.find((r) => !r.mine)).toMatchObject({ op: 'keep', rule: { comment: 'no web ui' } });
    // the new ACCEPT rules go on top, but none opens 8006
    expect(plan.refused).toMatch(/192\.168\.1\.20 \(Bulwark\) could not reach port 8006 \(rule "no web ui"\)/);
    // a DROP naming an alias Bulwark cannot resolve counts as matching
    expect(inbound({ ...state, enable: true, rules: [{ type: 'in', action: 'DROP', enable: true, source: 'office_net' }] }, '192.168.1.20', 8006, null).allowed).toBe(false);
  });

  it('stale Bulwark rules are removed, the user rules never; an applied plan is compliant', () => {
    const applied: FwState = {
      enable: true,
      policyIn: 'DROP',
      policyOut: 'ACCEPT',
      rules: [
        { type: 'in', action: 'ACCEPT', enable: true, proto: 'tcp', dport: '22', source: '192.168.1.0/24', comment: 'bulwark: SSH from 192.168.1.0/24', pos: 0 },
        { type: 'in', action: 'ACCEPT', enable: true, source: '10.10.0.0/16', comment: 'bulwark: internal network', pos: 1 },
        { type: 'in', action: 'ACCEPT', enable: true, proto: 'tcp', dport: '22', source: '172.16.0.0/12', comment: 'bulwark: SSH from 172.16.0.0/12', pos: 2 },
        { type: 'in', action: 'ACCEPT', enable: true, proto: 'tcp', dport: '443', comment: 'reverse proxy', pos: 3 },
      ],
      management: ['192.168.1.20'],
    };
    const plan = planFirewall(applied, params, lan);
    expect(plan.rules.filter((r) => r.op !== 'keep').map((r) => [r.op, r.rule.comment])).toEqual([['remove', 'bulwark: SSH from 172.16.0.0/12']]);
    const done = { ...applied, rules: applied.rules.filter((r) => r.pos !== 2) };
    expect(planFirewall(done, params, lan).compliant).toBe(true);
  });

  it('bad settings are refused with the field named', () => {
    expect(() => planFirewall(fresh, { ...params, sshFrom: [] }, lan)).toThrow(/sshFrom list at least one address/);
    expect(() => planFirewall(fresh, { ...params, sshPort: 0, internalCidr: '10.0.0.0/33' }, lan)).toThrow(/sshPort must be a port from 1 to 65535; internalCidr "10.0.0.0\/33" has a prefix length outside 0-32/);
  });
});
