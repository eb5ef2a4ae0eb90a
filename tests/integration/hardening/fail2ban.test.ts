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
});
