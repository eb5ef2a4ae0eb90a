import { describe, expect, it } from 'vitest';
import { unattendedUpgrades } from '../../../main/services/hardening/controls/unattended-upgrades';
import { parseFacts } from '../../../main/services/hardening/facts';
import { planHost } from '../../../main/services/hardening/host-plan';
import { debianFacts } from './facts-fixture';

const login = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };
const plan = (facts = debianFacts()) => planHost({ facts, login }, [{ control: unattendedUpgrades, params: {} }]);

describe('unattended-upgrades control', () => {
  it('installs the package, then writes 20auto-upgrades (backed up), without a dead-man switch', () => {
    const p = plan();
    expect(p.controls[0]!.check.status).toBe('drift');
    expect(p.commands).toEqual([
      'apt-get update -q || :',
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -q unattended-upgrades',
      `printf '%s\\n' 'APT::Periodic::Update-Package-Lists "1";' 'APT::Periodic::Unattended-Upgrade "1";' > '/etc/apt/apt.conf.d/20auto-upgrades'`,
      `apt-config dump | grep -q '^APT::Periodic::Unattended-Upgrade "1";'`,
    ]);
    expect(p.apply?.touch).toEqual(['/etc/apt/apt.conf.d/20auto-upgrades']);
    expect(p.apply?.deadmanSeconds).toBe(0);
  });

  it('enables the apt timers when they are off, and is compliant when all three hold', () => {
    const off = plan(debianFacts({ unattendedUpgrades: { installed: true, enabled: true, timers: false } }));
    expect(off.commands).toContain('systemctl enable --quiet apt-daily.timer apt-daily-upgrade.timer');
    expect(off.commands.some((c) => c.includes('apt-get install'))).toBe(false);
    const on = plan(debianFacts({ unattendedUpgrades: { installed: true, enabled: true, timers: true } }));
    expect(on.controls[0]!.check.status).toBe('compliant');
    expect(on.apply).toBeNull();
  });

  it('is not applicable without apt', () => {
    expect(plan(debianFacts({ packageManager: 'dnf' })).controls[0]!.check.status).toBe('not-applicable');
  });

  it('reads the facts: both periodic settings must be "1", both timers enabled', () => {
    const m = '@@x';
    const out = (conf: string, timer: string) =>
      `${m} units\nId=apt-daily.timer\nActiveState=active\nUnitFileState=enabled\n\nId=apt-daily-upgrade.timer\nActiveState=active\nUnitFileState=${timer}\n${m} unattended-upgrades\ninstall ok installed\n${conf}\n`;
    const both = 'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";';
    expect(parseFacts(out(both, 'enabled'), m, '').unattendedUpgrades).toEqual({ installed: true, enabled: true, timers: true });
    expect(parseFacts(out(both.replace('Lists "1"', 'Lists "0"'), 'disabled'), m, '').unattendedUpgrades).toEqual({ installed: true, enabled: false, timers: false });
  });
});
