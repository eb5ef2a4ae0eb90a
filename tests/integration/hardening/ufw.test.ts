/** The UFW control on real hosts: enabled without losing Bulwark, idempotent, and the guard. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyOnHost, planOnHost } from '../../../main/services/hardening/apply-host';
import { ufw, ufwParams } from '../../../main/services/hardening/controls/ufw';
import type { Fleet, FleetHost } from '../../fleet/fleet';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('UFW control on real hosts', () => {
  let bed: Bed;
  let fleet: Fleet;
  const access = (h: FleetHost) => bed.access(h, { user: 'root' });
  /** A second service on :8080, up before the test goes on. */
  const listen = (h: FleetHost) =>
    fleet.ssh(h, "systemd-run --quiet --unit=bw-listener python3 -m http.server 8080 --bind 0.0.0.0; for i in $(seq 100); do ss -Hltn 'sport = :8080' | grep -q . && exit 0; sleep 0.1; done; exit 1");
  const sel = (p: object = {}) => [{ control: ufw, params: ufwParams.parse(p) }];

  beforeAll(async () => {
    bed = await startBed({ count: 2, variant: 'mixed' });
    fleet = bed.fleet;
  }, 300_000);
  afterAll(() => bed?.close());

  it('enables ufw with SSH allowed, keeps Bulwark in, drops the rest, and changes nothing the second time', async () => {
    const h = fleet.hosts[0]!;
    // something else listening, to see the firewall drop it
    await listen(h);
    const probe = () => fleet.attacker.exec(`timeout 3 bash -c 'echo > /dev/tcp/${h.address}/8080' && echo open || echo closed`);
    expect((await probe()).stdout.trim()).toBe('open');

    const r = await applyOnHost(access(h), sel({ lanCidr: fleet.subnet }), 'it-ufw-00001');
    console.log(`apply ufw: ${JSON.stringify(r.timings)}`);
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    const status = (await fleet.ssh(h, 'ufw status verbose')).stdout;
    expect(status).toMatch(/^Status: active$/m);
    expect(status).toMatch(/^22\/tcp\s+ALLOW IN\s+Anywhere\s+# bulwark: ssh$/m);
    expect(status).toMatch(new RegExp(`^Anywhere\\s+ALLOW IN\\s+${fleet.subnet.replace(/[./]/g, '\\$&')}\\s+# bulwark: lan$`, 'm'));

    const again = await applyOnHost(access(h), sel({ lanCidr: fleet.subnet }), 'it-ufw-00002');
    expect(again.status).toBe('unchanged');
  }, 120_000);

  it('drops what is not allowed once only SSH is', async () => {
    const h = fleet.hosts[1]!;
    await listen(h);
    const probe = () => fleet.attacker.exec(`timeout 3 bash -c 'echo > /dev/tcp/${h.address}/8080' && echo open || echo closed`);
    expect((await probe()).stdout.trim()).toBe('open');
    const r = await applyOnHost(access(h), sel(), 'it-ufw-00003');
    expect(r.status).toBe('applied');
    expect((await probe()).stdout.trim()).toBe('closed');
    expect((await fleet.attacker.exec(`timeout 3 bash -c 'echo > /dev/tcp/${h.address}/22' && echo open || echo closed`)).stdout.trim()).toBe('open');
  }, 120_000);

  it('refuses a subnet that excludes Bulwark and leaves the firewall as it was', async () => {
    const h = fleet.hosts[1]!;
    await fleet.ssh(h, 'ufw --force reset >/dev/null');
    const plan = await planOnHost(access(h), sel({ sshFrom: '192.168.250.0/24' }));
    expect(plan.controls[0]!.refused?.reason).toMatch(new RegExp(`Bulwark's address ${fleet.gateway.replace(/\./g, '\\.')} reach SSH on port 22`));
    const r = await applyOnHost(access(h), sel({ sshFrom: '192.168.250.0/24' }), 'it-ufw-00004');
    expect(r.status).toBe('refused');
    expect((await fleet.ssh(h, 'ufw status')).stdout).toMatch(/^Status: inactive$/m);
  }, 120_000);
});
