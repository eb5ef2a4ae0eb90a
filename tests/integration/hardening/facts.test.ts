/** Facts gathered from real Debian 12 hosts of both variants, as root and through sudo. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gatherFacts } from '../../../main/services/hardening/gather';
import type { SshEngine } from '../../../main/services/ssh';
import type { Fleet } from '../../fleet/fleet';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('host facts', () => {
  let bed: Bed;
  let fleet: Fleet;
  let engine: SshEngine;

  beforeAll(async () => {
    bed = await startBed({ count: 2, variant: 'mixed' });
    fleet = bed.fleet;
    engine = bed.engine();
  }, 300_000);
  afterAll(() => bed?.close());

  it('reads a stock host as root: Debian 12, sshd -T, ssh.service, ufw off, fail2ban as shipped, listening sshd', async () => {
    const h = fleet.hosts[0]!;
    const t0 = Date.now();
    const f = await gatherFacts(engine, { host: h.address, user: 'root', name: h.name });
    console.log(`facts of ${h.name} (${h.variant}) in ${Date.now() - t0} ms`);
    expect(f.os).toMatchObject({ id: 'debian', versionId: '12' });
    expect(f.opensshVersion).toMatch(/^9\.2p1$/);
    expect(f.sshd.testError).toBeNull();
    expect(f.sshd.effective.get('port')).toEqual(['22']);
    expect(f.sshd.effective.get('permitrootlogin')).toEqual(['yes']);
    expect(f.sshd.effective.get('passwordauthentication')).toEqual(['yes']);
    expect(f.sshd.mainConfig).toMatch(/^Include \/etc\/ssh\/sshd_config\.d\/\*\.conf$/m);
    expect(f.sshService).toBe('ssh');
    expect(f.sshSocketActive).toBe(false);
    expect(f.ufw).toMatchObject({ installed: true, active: false, defaults: { incoming: 'DROP', outgoing: 'ACCEPT', routed: 'DROP' }, rules: [] });
    expect(f.fail2ban).toMatchObject({ installed: true, version: '1.0.2' });
    // Debian's stock sshd jail wants /var/log/auth.log: without rsyslog fail2ban cannot start
    if (h.variant === 'journald') expect(f.fail2ban.state).not.toBe('active');
    expect(f.fail2ban.jailFiles).toEqual([{ path: '/etc/fail2ban/jail.d/defaults-debian.conf', content: '[sshd]\nenabled = true' }]);
    expect(f.authLog).toBe(h.variant === 'rsyslog' ? '/var/log/auth.log' : null);
    expect(f.packageManager).toBe('apt-get');
    expect(f.listening).toContainEqual({ proto: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd' });
    expect(f.docker.present).toBe(false);
    expect(f.connection?.serverAddress).toBe(h.address);
    expect(f.connection?.clientAddress).toBe(fleet.gateway);
  });

  it('reads the same facts as admin through sudo with the password, and refuses without it', async () => {
    const h = fleet.hosts[1]!;
    const target = { host: h.address, user: 'admin', name: h.name };
    const f = await gatherFacts(engine, target, { sudoPassword: h.adminPassword });
    expect(f.sshd.effective.get('port')).toEqual(['22']);
    expect(f.ufw.installed).toBe(true);
    expect(f.connection?.serverAddress).toBe(h.address);
    await expect(gatherFacts(engine, target)).rejects.toMatchObject({ code: 'SUDO_AUTH_FAILED' });
  });

  it('sees ufw rules, fail2ban jails and a drop-in once they exist', async () => {
    const h = fleet.hosts[0]!;
    await fleet.ssh(
      h,
      [
        'ufw allow from 10.9.8.0/24 to any port 22 proto tcp >/dev/null',
        'ufw allow 22/tcp >/dev/null',
        'ufw --force enable >/dev/null',
        "printf 'PasswordAuthentication no\\n' > /etc/ssh/sshd_config.d/50-test.conf",
        "printf '[sshd]\\nenabled = true\\nbackend = systemd\\nmaxretry = 4\\n' > /etc/fail2ban/jail.d/test.local",
        'systemctl restart fail2ban',
        'for i in $(seq 50); do fail2ban-client status sshd >/dev/null 2>&1 && break; sleep 0.2; done',
      ].join('\n'),
    );
    try {
      const f = await gatherFacts(engine, { host: h.address, user: 'root', name: h.name });
      expect(f.ufw.rules).toContainEqual(expect.objectContaining({ action: 'allow', proto: 'tcp', port: '22', from: '10.9.8.0/24', direction: 'in' }));
      expect(f.sshd.dropins).toEqual([{ path: '/etc/ssh/sshd_config.d/50-test.conf', content: 'PasswordAuthentication no' }]);
      expect(f.sshd.effective.get('passwordauthentication')).toEqual(['no']);
      expect(f.fail2ban.state).toBe('active');
      expect(f.fail2ban.jailFiles.map((j) => j.path)).toEqual(['/etc/fail2ban/jail.d/defaults-debian.conf', '/etc/fail2ban/jail.d/test.local']);
      expect(f.ufw).toMatchObject({ active: true, defaults: { incoming: 'DROP', outgoing: 'ACCEPT', routed: 'DROP' } });
    } finally {
      await fleet.ssh(h, 'ufw --force reset >/dev/null; rm -f /etc/ssh/sshd_config.d/50-test.conf /etc/fail2ban/jail.d/test.local; systemctl stop fail2ban');
    }
  });
});
