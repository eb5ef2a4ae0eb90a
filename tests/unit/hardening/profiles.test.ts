import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROFILES, findProfile, selectionsOf } from '../../../main/services/hardening/profiles';
import { planHost } from '../../../main/services/hardening/host-plan';
import { expectCode } from '../../helpers/expect-error';
import { debianFacts } from './facts-fixture';

const login = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };

describe('profiles', () => {
  it('every built-in profile parses and plans against a stock Debian host', () => {
    for (const p of BUILT_IN_PROFILES) {
      const plan = planHost({ facts: debianFacts(), login }, selectionsOf(p));
      expect(plan.controls.map((c) => c.id)).toEqual(p.controls.map((c) => c.id));
      expect(plan.controls.filter((c) => c.refused)).toEqual([]);
      expect(plan.apply).not.toBeNull();
    }
  });

  it('the Proxmox node profile keeps root by key and never touches the firewall', () => {
    const plan = planHost({ facts: debianFacts(), login }, selectionsOf(findProfile('proxmox-node')));
    expect(plan.files.find((f) => f.path.endsWith('00-bulwark.conf'))!.after).toMatch(/^PermitRootLogin prohibit-password$/m);
    expect(plan.commands.some((c) => c.startsWith('ufw'))).toBe(false);
  });

  it('refuses unknown profiles, unknown controls and bad parameters, naming them', () => {
    expectCode(() => findProfile('nope'), 'NOT_FOUND', /guide-baseline, strict-ssh, proxmox-node/);
    expectCode(() => selectionsOf({ id: 'x', name: 'x', description: '', controls: [{ id: 'telnet' }] }), 'VALIDATION', /unknown control "telnet"/);
    expectCode(() => selectionsOf({ id: 'x', name: 'x', description: '', controls: [{ id: 'ufw', params: { lanCidr: '10.0.0.0/8; reboot' } }] }), 'VALIDATION', /control ufw: lanCidr/);
    expectCode(() => selectionsOf({ id: 'x', name: 'x', description: '', controls: [{ id: 'fail2ban', params: { maxretry: 0 } }] }), 'VALIDATION', /control fail2ban: maxretry/);
  });
});

describe('profiles: issue 4 controls', () => {
  it('strict-ssh installs automatic updates; both guide profiles audit containers (check only)', () => {
    const strict = planHost({ facts: debianFacts(), login }, selectionsOf(findProfile('strict-ssh')));
    expect(strict.commands).toContain('DEBIAN_FRONTEND=noninteractive apt-get install -y -q unattended-upgrades');
    for (const id of ['guide-baseline', 'strict-ssh']) {
      const plan = planHost({ facts: debianFacts(), login }, selectionsOf(findProfile(id)));
      expect(plan.controls.find((c) => c.id === 'containers')?.check.status).toBe('not-applicable');
    }
  });
});
