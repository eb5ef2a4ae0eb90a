/**
 * The staged sshd port change on real hosts: with UFW and Bulwark's fail2ban jail in place the
 * host ends reachable on the new port only, and when the new port is blocked (an iptables DROP
 * the test adds) the fresh connection fails and everything rolls back to the old port.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyOnHost } from '../../../main/services/hardening/apply-host';
import { fail2ban, fail2banParams } from '../../../main/services/hardening/controls/fail2ban';
import { sshdPort, sshdPortParams } from '../../../main/services/hardening/controls/sshd-port';
import { ufw, ufwParams } from '../../../main/services/hardening/controls/ufw';
import type { ControlSelection } from '../../../main/services/hardening/host-plan';
import type { Fleet, FleetHost } from '../../fleet/fleet';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('sshd port change on real hosts', () => {
  let bed: Bed;
  let fleet: Fleet;
  const portSel = (port: number): ControlSelection => ({ control: sshdPort, params: sshdPortParams.parse({ port }) });
  const open = async (h: FleetHost, port: number) =>
    (await fleet.attacker.exec(`timeout 3 bash -c 'echo > /dev/tcp/${h.address}/${port}' && echo open || echo closed`)).stdout.trim();
  const onPort = (h: FleetHost, port: number, command: string) => bed.engine().exec({ host: h.address, port, user: 'root', name: h.name }, command);

  beforeAll(async () => {
    bed = await startBed({ count: 2, variant: 'mixed' });
    fleet = bed.fleet;
  }, 300_000);
  afterAll(() => bed?.close());

  it('moves sshd, UFW and the fail2ban jail to the new port in two verified stages, then changes nothing', async () => {
    const h = fleet.hosts[0]!;
    const selections = [
      { control: ufw, params: ufwParams.parse({}) },
      { control: fail2ban, params: fail2banParams.parse({}) },
      portSel(2222),
    ];
    const a = bed.access(h, { user: 'root' });
    const r = await applyOnHost(a, selections, 'it-port-00001');
    console.log(`apply ufw+fail2ban+port on ${h.name}: ${JSON.stringify(r.timings)}`);
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    expect(r.newPort).toBe(2222);
    expect(r.plan.stages?.map((s) => s.name)).toEqual(['open port 2222 beside 22', 'close 22']);
    expect(r.after?.map((c) => `${c.id} ${c.check.status}`)).toEqual(['ufw compliant', 'fail2ban compliant', 'sshd-port compliant']);

    expect(await open(h, 22)).toBe('closed');
    expect(await open(h, 2222)).toBe('open');
    expect((await onPort(h, 2222, 'sshd -T | grep "^port "')).stdout.trim()).toBe('port 2222');
    const status = (await onPort(h, 2222, 'ufw status')).stdout;
    expect(status).toMatch(/^Status: active$/m);
    expect(status).toMatch(/^2222\/tcp\s+ALLOW\s+Anywhere/m);
    expect(status).not.toMatch(/^22\/tcp/m);
    expect((await onPort(h, 2222, 'cat /etc/fail2ban/jail.d/zz-bulwark-sshd.local')).stdout).toMatch(/^port = 2222$/m);
    expect((await onPort(h, 2222, "fail2ban-client get sshd actionproperties iptables-multiport port 2>/dev/null || fail2ban-client status sshd")).code).toBe(0);
    // both stages disarmed
    expect((await onPort(h, 2222, 'systemctl list-timers --all --no-legend | grep -c bulwark-rollback || true')).stdout.trim()).toBe('0');

    // the inventory now says 2222: the next apply over it changes nothing
    const again = await applyOnHost({ ...bed.access(h, { user: 'root' }), target: { host: h.address, port: 2222, user: 'root', name: h.name } }, selections, 'it-port-00002');
    expect(again.reason).toBeUndefined();
    expect(again.status).toBe('unchanged');
  }, 180_000);

  it('rolls everything back when the new port cannot be reached, and the host still answers on the old one', async () => {
    const h = fleet.hosts[1]!;
    await fleet.ssh(h, 'iptables -I INPUT -p tcp --dport 2223 -j DROP');
    const r = await applyOnHost(bed.access(h), [portSel(2223)], 'it-port-00003');
    expect(r.status).toBe('rolled-back');
    expect(r.reason).toMatch(/a fresh connection on the new port 2223 failed.*sshd is back on 22 only/);
    expect(r.newPort).toBeUndefined();
    expect((await fleet.ssh(h, 'sshd -T | grep "^port "')).stdout.trim()).toBe('port 22');
    expect((await fleet.ssh(h, 'test -e /etc/ssh/sshd_config.d/00-bulwark.conf; echo $?')).stdout.trim()).toBe('1');
    expect((await fleet.ssh(h, "ss -Hltn 'sport = :2223' | wc -l")).stdout.trim()).toBe('0');
    expect((await fleet.ssh(h, 'systemctl list-timers --all --no-legend | grep -c bulwark-rollback || true')).stdout.trim()).toBe('0');
    expect(await open(h, 22)).toBe('open');
  }, 180_000);
});
