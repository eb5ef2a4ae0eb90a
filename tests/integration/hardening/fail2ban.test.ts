/** The fail2ban control on both host variants: the jail runs, bans a real attacker, spares Bulwark. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyOnHost } from '../../../main/services/hardening/apply-host';
import { fail2ban, fail2banParams } from '../../../main/services/hardening/controls/fail2ban';
import type { Fleet } from '../../fleet/fleet';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('fail2ban control on real hosts', () => {
  let bed: Bed;
  let fleet: Fleet;
  const sel = [{ control: fail2ban, params: fail2banParams.parse({}) }];

  beforeAll(async () => {
    bed = await startBed({ count: 2, variant: 'mixed' });
    fleet = bed.fleet;
  }, 300_000);
  afterAll(() => bed?.close());

  it.each([0, 1])('runs the sshd jail on host %i, bans the attacker after 3 failures, never Bulwark', async (i) => {
    const h = fleet.hosts[i]!;
    const r = await applyOnHost(bed.access(h, { user: 'root' }), sel, `it-f2b-0000${i}`);
    console.log(`apply fail2ban on ${h.name} (${h.variant}): ${JSON.stringify(r.timings)}`);
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    const jail = (await fleet.ssh(h, `cat /etc/fail2ban/jail.d/zz-bulwark-sshd.local`)).stdout;
    expect(jail).toMatch(h.variant === 'journald' ? /^backend = systemd$/m : /^logpath = \/var\/log\/auth\.log$/m);
    expect(jail).toMatch(new RegExp(`^ignoreip = 127\\.0\\.0\\.1/8 ::1 ${fleet.gateway.replace(/\./g, '\\.')}$`, 'm'));

    for (let n = 0; n < 3; n++) await fleet.attacker.tryPassword(h, 'root', `wrong-${n}`);
    let banned = '';
    for (let t = 0; t < 40 && !banned.includes('10.'); t++) {
      banned = (await fleet.ssh(h, "fail2ban-client status sshd | sed -n 's/.*Banned IP list:[[:space:]]*//p'")).stdout.trim();
      if (!banned) await new Promise((res) => setTimeout(res, 250));
    }
    expect(banned.split(/\s+/)).toContain(fleet.attacker.address);
    expect(banned).not.toContain(fleet.gateway);

    const again = await applyOnHost(bed.access(h, { user: 'root' }), sel, `it-f2b-0001${i}`);
    expect(again.status).toBe('unchanged');
  }, 120_000);

  it("someone else's unreadable file in jail.d: the reload fails, Bulwark restores its jail file and the running jail stays up", async () => {
    const h = fleet.hosts[0]!; // rsyslog: fail2ban runs (the test above left Bulwark's jail there)
    const before = (await fleet.ssh(h, 'cat /etc/fail2ban/jail.d/zz-bulwark-sshd.local')).stdout;
    await fleet.ssh(h, "printf '[sshd\\nmaxretry = 9\\n' > /etc/fail2ban/jail.d/broken.local");
    try {
      const r = await applyOnHost(bed.access(h, { user: 'root' }), [{ control: fail2ban, params: fail2banParams.parse({ maxretry: 5 }) }], 'it-f2b-broken');
      expect(r.status).toBe('rolled-back');
      expect(r.reason).toMatch(/fail2ban-client reload failed.*no section headers/s);
      expect((await fleet.ssh(h, 'cat /etc/fail2ban/jail.d/zz-bulwark-sshd.local')).stdout).toBe(before);
      // the server kept the jail Bulwark set up before (maxretry 3), and was not restarted into the broken file
      expect((await fleet.ssh(h, 'fail2ban-client get sshd maxretry')).stdout.trim()).toBe('3');
      expect((await fleet.ssh(h, 'systemctl is-active fail2ban')).stdout.trim()).toBe('active');
    } finally {
      await fleet.ssh(h, 'rm -f /etc/fail2ban/jail.d/broken.local');
    }
  }, 120_000);
});
