/**
 * The datacenter firewall panel's derivations: address lists as typed, the plan request built
 * from the form (and what it refuses before asking main), when Apply is blocked, the rule cells,
 * and the texts for outcomes and a stale plan.
 */
import { describe, expect, it } from 'vitest';
import type { FirewallPlanView } from '../../../shared/domain/proxmox-firewall';
import {
  applyBlocker,
  buildFirewallRequest,
  EMPTY_FIREWALL_DRAFT,
  firewallErrorText,
  outcomeText,
  parseAddressList,
  ruleCells,
} from '../../../renderer/src/features/proxmox/firewall-derive';

const plan = (over: Partial<FirewallPlanView> = {}): FirewallPlanView => ({
  options: [],
  rules: [],
  management: [],
  guard: [],
  refused: null,
  compliant: false,
  self: '192.0.2.50',
  localNetwork: null,
  digests: { options: 'd1', rules: null },
  ...over,
});

describe('parseAddressList', () => {
  it('splits on commas, spaces and newlines, dropping blanks and repeats', () => {
    expect(parseAddressList(' 10.0.0.0/8, 192.0.2.5\n\n192.0.2.5 ,2001:db8::/32 ')).toEqual(['10.0.0.0/8', '192.0.2.5', '2001:db8::/32']);
    expect(parseAddressList('  \n , ')).toEqual([]);
  });
});

describe('buildFirewallRequest', () => {
  it('builds the params main expects, with no self when none is given', () => {
    const { request, errors } = buildFirewallRequest({ ...EMPTY_FIREWALL_DRAFT, sshFrom: '10.0.0.0/8', sshPort: '2222', webUiFrom: '192.0.2.7\n192.0.2.8' });
    expect(errors).toEqual({});
    expect(request).toEqual({ params: { sshPort: 2222, sshFrom: ['10.0.0.0/8'], internalCidr: null, webUiFrom: ['192.0.2.7', '192.0.2.8'] } });
  });

  it('keeps the internal network and the stated address, trimmed', () => {
    const { request } = buildFirewallRequest({ ...EMPTY_FIREWALL_DRAFT, sshFrom: '10.0.0.1', internalCidr: ' 10.0.0.0/24 ', self: ' 198.51.100.4 ' });
    expect(request).toEqual({ params: { sshPort: 22, sshFrom: ['10.0.0.1'], internalCidr: '10.0.0.0/24', webUiFrom: [] }, self: '198.51.100.4' });
  });

  it('an empty port means 22', () => {
    expect(buildFirewallRequest({ ...EMPTY_FIREWALL_DRAFT, sshFrom: '10.0.0.1', sshPort: ' ' }).request?.params.sshPort).toBe(22);
  });

  it('refuses no SSH source and a port that is not one, by field', () => {
    const { request, errors } = buildFirewallRequest({ ...EMPTY_FIREWALL_DRAFT, sshFrom: ' , ', sshPort: '70000' });
    expect(request).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['sshFrom', 'sshPort']);
    expect(buildFirewallRequest({ ...EMPTY_FIREWALL_DRAFT, sshFrom: 'x', sshPort: '22.5' }).errors.sshPort).toBeTruthy();
  });
});

describe('applyBlocker', () => {
  it('blocks a refused plan whatever the host, and any plan without the node host', () => {
    expect(applyBlocker(plan({ refused: 'cut off' }), 'h1')).toMatch(/refused/);
    expect(applyBlocker(plan(), '')).toMatch(/inventory host/);
    expect(applyBlocker(plan(), 'h1')).toBeNull();
  });
});

describe('ruleCells', () => {
  it('shows DIR, ACTION, PROTO, PORT, SOURCE, COMMENT with "any" for what is unset', () => {
    expect(ruleCells({ type: 'in', action: 'ACCEPT', enable: true, proto: 'tcp', dport: '22', source: '+management', comment: 'bulwark: ssh' })).toEqual([
      'in',
      'ACCEPT',
      'tcp',
      '22',
      '+management',
      'bulwark: ssh',
    ]);
    expect(ruleCells({ type: 'in', action: 'DROP', enable: false, macro: 'SSH' })).toEqual(['in', 'DROP (off)', 'macro SSH', 'any', 'any', '']);
  });
});

describe('texts', () => {
  it('says each outcome, with its reason', () => {
    expect(outcomeText({ outcome: 'applied', reason: null })).toMatch(/^Applied: the firewall is on/);
    expect(outcomeText({ outcome: 'rolled back', reason: 'SSH login to pve1 failed' })).toMatch(/^Rolled back: .*: SSH login to pve1 failed$/);
    expect(outcomeText({ outcome: 'reverted by the safety net', reason: null })).toMatch(/^Reverted by Proxmox's 60-second safety net.*\.$/);
  });

  it('tells to plan again when the firewall changed since the plan', () => {
    expect(firewallErrorText({ code: 'PVE_DIGEST_MISMATCH', message: 'changed' })).toMatch(/^The firewall changed since this plan; plan again\./);
    expect(firewallErrorText({ code: 'PVE_UNREACHABLE', message: 'no answer' })).toBe('no answer');
  });
});
