/**
 * The sshd authentication control on real hosts, end to end: plan, apply with the dead-man
 * switch, verify from a fresh connection, idempotence, and the lockout guards.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyOnHost, planOnHost } from '../../../main/services/hardening/apply-host';
import { sshdAuth } from '../../../main/services/hardening/controls/sshd-auth';
import { sshKeyAccess } from '../../../main/services/hardening/controls/ssh-key-access';
import type { Credentials } from '../../../main/services/ssh';
import type { Fleet, FleetHost } from '../../fleet/fleet';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');
const selections = [
  { control: sshKeyAccess, params: {} },
  { control: sshdAuth, params: { permitRootLogin: 'no' } },
];

describe.skipIf(!setup)('sshd authentication control on real hosts', () => {
  let bed: Bed;
  let fleet: Fleet;
  const access = (h: FleetHost, creds?: () => Credentials) => bed.access(h, creds ? { creds } : {});
  const effective = async (h: FleetHost, kw: string) => (await bed.asRoot(h, `sshd -T | grep -i "^${kw} "`)).stdout.trim().split(' ')[1];

  beforeAll(async () => {
    bed = await startBed({ count: 3, variant: 'mixed' });
    fleet = bed.fleet;
  }, 300_000);
  afterAll(() => bed?.close());

  it('applies keys-only auth through sudo, verified from a fresh connection, then reports no change', async () => {
    const h = fleet.hosts[0]!;
    const a = access(h);
    expect((await fleet.attacker.tryPassword(h, 'admin', h.adminPassword)).code).toBe(0);
    const r = await applyOnHost(a, selections, 'it-auth-0001');
    console.log(`apply sshd-auth on ${h.name}: ${JSON.stringify(r.timings)}`);
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    expect(r.plan.files.map((f) => f.path)).toEqual(['/etc/ssh/sshd_config.d/00-bulwark.conf']);
    expect(r.plan.files[0]!.diff).toMatch(/^\+PasswordAuthentication no$/m);
    expect(r.after?.find((c) => c.id === 'sshd-auth')?.check.status).toBe('compliant');
    expect(await effective(h, 'passwordauthentication')).toBe('no');
    expect(await effective(h, 'permitrootlogin')).toBe('no');
    // the switch was disarmed: nothing restores it later
    expect((await bed.asRoot(h, 'systemctl list-timers --all --no-legend | grep -c bulwark-rollback || true')).stdout.trim()).toBe('0');
    // a password no longer gets anyone in
    const pw = await fleet.attacker.tryPassword(h, 'admin', h.adminPassword);
    expect(pw.code).not.toBe(0);
    expect(pw.stderr).toMatch(/Permission denied \(publickey\)/);

    const again = await applyOnHost(access(h), selections, 'it-auth-0002');
    expect(again.status).toBe('unchanged');
    expect(again.plan.files).toEqual([]);
  }, 120_000);

  it('refuses to turn passwords off while Bulwark itself logs in with a password, and changes nothing', async () => {
    const h = fleet.hosts[1]!;
    const a = access(h, () => ({ password: h.adminPassword }));
    const plan = await planOnHost(a, selections);
    expect(plan.controls.find((c) => c.id === 'ssh-key-access')?.check.status).toBe('drift');
    expect(plan.controls.find((c) => c.id === 'sshd-auth')?.refused?.reason).toMatch(/with a password: turning password login off would lock it out/);
    expect(plan.apply).toBeNull();
    const r = await applyOnHost(a, selections, 'it-auth-0003');
    expect(r.status).toBe('refused');
    expect(await effective(h, 'passwordauthentication')).toBe('yes');
  }, 120_000);

  it('comments out a conflicting earlier drop-in and shows it in the plan', async () => {
    const h = fleet.hosts[2]!;
    await fleet.ssh(h, "printf '# early\\nPasswordAuthentication yes\\n' > /etc/ssh/sshd_config.d/0-early.conf");
    expect(await effective(h, 'passwordauthentication')).toBe('yes');
    const r = await applyOnHost(access(h), selections, 'it-auth-0004');
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    const early = r.plan.files.find((f) => f.path === '/etc/ssh/sshd_config.d/0-early.conf');
    expect(early?.diff).toMatch(/^-PasswordAuthentication yes$/m);
    expect(early?.diff).toMatch(/^\+# PasswordAuthentication yes {2}# disabled by Bulwark/m);
    expect(await effective(h, 'passwordauthentication')).toBe('no');
  }, 120_000);

  it('rolls back through the open session when the fresh connection cannot log in', async () => {
    const h = fleet.hosts[1]!;
    // this time Bulwark has a key, but the verifying engine gets no credentials: the fresh login fails
    const a = { ...access(h), freshEngine: () => bed.engine(() => ({})) };
    const r = await applyOnHost(a, selections, 'it-auth-0005');
    expect(r.status).toBe('rolled-back');
    expect(r.reason).toMatch(/a fresh connection failed after the change.*everything was restored/);
    expect(await effective(h, 'passwordauthentication')).toBe('yes');
    expect((await bed.asRoot(h, 'test -e /etc/ssh/sshd_config.d/00-bulwark.conf; echo $?')).stdout.trim()).toBe('1');
    expect((await bed.asRoot(h, 'systemctl list-timers --all --no-legend | grep -c bulwark-rollback || true')).stdout.trim()).toBe('0');
  }, 120_000);
});
