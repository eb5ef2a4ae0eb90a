import { describe, expect, it } from 'vitest';
import { ufw, ufwParams } from '../../../main/services/hardening/controls/ufw';
import { planHost } from '../../../main/services/hardening/host-plan';
import { parseUfwTuples } from '../../../main/services/hardening/facts';
import { debianFacts } from './facts-fixture';

const admin = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };
const params = (p: object = {}) => ufwParams.parse(p);
const plan = (facts = debianFacts(), p: object = {}) => planHost({ facts, login: admin }, [{ control: ufw, params: params(p) }]);

describe('UFW control', () => {
  it('on an inactive ufw: allow SSH, then enable, with the rule files backed up and the switch armed', () => {
    const p = plan();
    expect(p.controls[0]!.check.status).toBe('drift');
    expect(p.commands).toEqual(["ufw allow proto tcp from 'any' to any port 22 comment 'bulwark: ssh'", 'ufw --force enable']);
    expect(p.apply?.touch).toContain('/etc/ufw/user.rules');
    expect(p.apply?.deadmanSeconds).toBe(90);
    expect(p.apply?.onRestore[0]).toMatch(/ufw reload; else ufw --force disable/);
  });

  it('is compliant (and plans nothing) once active with the rule and the defaults', () => {
    const rules = parseUfwTuples('### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in comment=62756c7761726b3a20737368\n');
    const facts = debianFacts({ ufw: { installed: true, active: true, defaults: { incoming: 'DROP', outgoing: 'ACCEPT', routed: 'DROP' }, rules } });
    const p = plan(facts);
    expect(p.controls[0]!.check.status).toBe('compliant');
    expect(p.apply).toBeNull();
  });

  it('refuses SSH from a subnet that excludes Bulwark, naming its address', () => {
    const p = plan(debianFacts(), { sshFrom: '192.168.50.0/24' });
    expect(p.controls[0]!.refused?.reason).toMatch(/No rule would let Bulwark's address 10\.0\.0\.1 reach SSH on port 22/);
    expect(p.controls[0]!.refused?.fix).toMatch(/includes 10\.0\.0\.1/);
    expect(p.apply).toBeNull();
  });

  it('accepts that subnet when the LAN rule covers Bulwark', () => {
    const p = plan(debianFacts(), { sshFrom: '192.168.50.0/24', lanCidr: '10.0.0.0/24' });
    expect(p.controls[0]!.refused).toBeUndefined();
    expect(p.commands).toEqual([
      "ufw allow proto tcp from '192.168.50.0/24' to any port 22 comment 'bulwark: ssh'",
      "ufw allow from '10.0.0.0/24' comment 'bulwark: lan'",
      'ufw --force enable',
    ]);
  });

  it('refuses when an existing deny rule for Bulwark comes first (ufw: first match wins)', () => {
    const rules = parseUfwTuples('### tuple ### deny any any 0.0.0.0/0 any 10.0.0.0/8 in\n');
    const p = plan(debianFacts({ ufw: { ...debianFacts().ufw, rules } }));
    expect(p.controls[0]!.refused?.reason).toMatch(/first matching rule is: deny any any 0\.0\.0\.0\/0 any 10\.0\.0\.0\/8 in/);
  });

  it('rejects hostile parameters before anything is planned', () => {
    expect(() => params({ sshFrom: '10.0.0.0/8; reboot' })).toThrow();
    expect(() => params({ lanCidr: '$(id)' })).toThrow();
    expect(() => params({ sshFrom: '10.0.0.0/8', extra: 1 })).toThrow();
  });
});
