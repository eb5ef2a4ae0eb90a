/**
 * The guide baseline across real hosts through the runner: canary first, a host cut off
 * mid-run failing alone, an audit afterwards, and a second apply that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findProfile, selectionsOf } from '../../../main/services/hardening/profiles';
import { type RunAccess, type RunHostRef, runHardening } from '../../../main/services/hardening/runner';
import { HostLocks } from '../../../main/services/ssh';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('hardening runs over real hosts', () => {
  let bed: Bed;
  let access: RunAccess;
  let hosts: RunHostRef[];
  const baseline = () => selectionsOf(findProfile('guide-baseline'));

  beforeAll(async () => {
    bed = await startBed({ count: 4, variant: 'mixed' });
    const shared = bed.engine();
    access = {
      engine: () => shared,
      freshEngine: () => bed.engine(),
      sudoPasswordFor: (h) => bed.fleet.host(h.name).adminPassword,
      locks: new HostLocks(),
    };
    hosts = bed.fleet.hosts.map((h) => ({ name: h.name, address: h.address, port: 22, user: 'admin', jumpHost: '' }));
  }, 300_000);
  afterAll(() => bed?.close());

  it('stops after the canary when the canary host fails, touching no other host', async () => {
    await bed.fleet.cutOff(hosts[0]!.name);
    try {
      const events: string[] = [];
      const r = await runHardening(access, hosts, { mode: 'apply', selections: baseline(), canary: 1, onProgress: (e) => events.push(`${e.host}:${e.phase}`) });
      expect(r.results.map((x) => x.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
      expect(r.results[1]!.reason).toMatch(/not applied: 1 of the 1 canary host failed/);
      expect(events).toContain(`${hosts[1]!.name}:skipped`);
    } finally {
      await bed.fleet.restore(hosts[0]!.name);
    }
    for (const h of bed.fleet.hosts.slice(1)) expect((await bed.asRoot(h, 'test -e /etc/ssh/sshd_config.d/00-bulwark.conf; echo $?')).stdout.trim()).toBe('1');
  }, 180_000);

  it('applies the baseline with a canary, then audits all hosts compliant, then changes nothing', async () => {
    const t0 = Date.now();
    const r = await runHardening(access, hosts, { mode: 'apply', selections: baseline(), canary: 1, concurrency: 4 });
    console.log(`baseline on ${hosts.length} hosts: ${Date.now() - t0} ms; ${r.results.map((x) => `${x.host} ${JSON.stringify(x.timings)}`).join('; ')}`);
    expect(r.results.map((x) => [x.host, x.status, x.reason])).toEqual(hosts.map((h) => [h.name, 'applied', undefined]));

    const audit = await runHardening(access, hosts, { mode: 'audit', selections: baseline() });
    expect(audit.results.map((x) => x.status)).toEqual(hosts.map(() => 'compliant'));

    const again = await runHardening(access, hosts, { mode: 'apply', selections: baseline() });
    expect(again.results.map((x) => x.status)).toEqual(hosts.map(() => 'unchanged'));
  }, 300_000);

  it('fail2ban bans the attacker after the baseline (password login is off: invalid users count)', async () => {
    const h = bed.fleet.hosts[1]!;
    for (let n = 0; n < 4; n++) await bed.fleet.attacker.exec(`ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 nobody${n}@${h.address} true`);
    let banned = '';
    for (let t = 0; t < 40 && !banned.includes(bed.fleet.attacker.address); t++) {
      banned = (await bed.asRoot(h, "fail2ban-client status sshd | sed -n 's/.*Banned IP list:[[:space:]]*//p'")).stdout;
      if (!banned.includes(bed.fleet.attacker.address)) await new Promise((res) => setTimeout(res, 250));
    }
    expect(banned.split(/\s+/)).toContain(bed.fleet.attacker.address);
  }, 120_000);
});
