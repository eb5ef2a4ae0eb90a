/**
 * Automatic security updates on a real host: unattended-upgrades really installed by apt-get
 * from the fleet's local repository (tests/fleet/apt-repo.ts: the hosts have no network),
 * enabled, compliant on re-audit, and unchanged the second time.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyOnHost, planOnHost } from '../../../main/services/hardening/apply-host';
import { unattendedUpgrades } from '../../../main/services/hardening/controls/unattended-upgrades';
import type { Fleet } from '../../fleet/fleet';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');
const sel = [{ control: unattendedUpgrades, params: {} }];

describe.skipIf(!setup)('unattended-upgrades control on a real host', () => {
  let bed: Bed;
  let fleet: Fleet;

  beforeAll(async () => {
    bed = await startBed({ count: 1, variant: 'journald' });
    fleet = bed.fleet;
  }, 300_000);
  afterAll(() => bed?.close());

  it('installs and enables unattended-upgrades from the local repo, then is compliant and unchanged', async () => {
    expect(fleet.rootfs.aptRepo, 'the fleet has no local apt repo (see tests/fleet/apt-repo.ts)').toBeTruthy();
    const h = fleet.hosts[0]!;
    expect((await fleet.ssh(h, "dpkg-query -W -f='${Status}' unattended-upgrades 2>&1 || true")).stdout).not.toMatch(/install ok installed/);

    const r = await applyOnHost(bed.access(h), sel, 'it-uu-000001');
    console.log(`apply unattended-upgrades: ${JSON.stringify(r.timings)}`);
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    expect(r.after?.[0]?.check.status).toBe('compliant');
    expect((await fleet.ssh(h, "dpkg-query -W -f='${Status}' unattended-upgrades")).stdout).toBe('install ok installed');
    const conf = (await fleet.ssh(h, 'apt-config dump | grep "^APT::Periodic::"')).stdout;
    expect(conf).toMatch(/^APT::Periodic::Update-Package-Lists "1";$/m);
    expect(conf).toMatch(/^APT::Periodic::Unattended-Upgrade "1";$/m);
    expect((await fleet.ssh(h, 'systemctl is-enabled apt-daily.timer apt-daily-upgrade.timer')).stdout.trim().split('\n')).toEqual(['enabled', 'enabled']);
    // the program itself runs on the host (a dry run: nothing is reachable to upgrade from)
    expect((await fleet.ssh(h, 'unattended-upgrade --dry-run; echo rc=$?')).stdout).toMatch(/rc=0/);

    const audit = await planOnHost(bed.access(h), sel);
    expect(audit.controls[0]!.check.status).toBe('compliant');
    const again = await applyOnHost(bed.access(h), sel, 'it-uu-000002');
    expect(again.status).toBe('unchanged');
  }, 240_000);
});
