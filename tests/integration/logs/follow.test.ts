/**
 * Log collection on real hosts: one host with rsyslog's auth.log, one journald-only. Real
 * failed logins from the attacker namespace, fail2ban bans and an unban through Bulwark, and
 * the stream surviving a killed connection, a reboot and a log rotation with every line
 * exactly once (marker lines written with logger in sshd's own format, numbered).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LogEvent } from '../../../shared/domain/logs';
import { runBanAction } from '../../../main/services/logs/ban-actions';
import { type HostStreamStatus, LogCollector } from '../../../main/services/logs/collector';
import type { Fleet, FleetHost } from '../../fleet/fleet';
import { type Bed, startBed } from '../hardening/bed';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('following auth and fail2ban logs on real hosts', () => {
  let bed: Bed;
  let fleet: Fleet;
  let collector: LogCollector;
  const events: Array<LogEvent & { at: number }> = [];
  const statuses = new Map<string, HostStreamStatus>();

  const waitFor = async <T>(what: string, probe: () => T | undefined | false, ms = 15_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; states: ${JSON.stringify([...statuses.values()].map((s) => [s.host, s.state]))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const streaming = (h: FleetHost) => waitFor(`${h.name} streaming`, () => statuses.get(h.name)?.state.state === 'streaming', 60_000);
  /** A line in sshd's format with a unique user, through the host's syslog (auth.log or the journal). */
  const mark = (h: FleetHost, tag: string) => bed.asRoot(h, `logger -p auth.info -t sshd -i 'Invalid user ${tag} from 192.0.2.7 port 4242'`);
  const seen = (h: FleetHost, tag: string) => events.filter((e) => e.host === h.name && e.user === tag);

  beforeAll(async () => {
    bed = await startBed({ count: 2, variant: 'mixed' });
    fleet = bed.fleet;
    collector = new LogCollector({
      engine: bed.engine(),
      backoff: { firstMs: 300, maxMs: 2_000 },
      onBatch: (batch) => events.push(...batch.map((e) => ({ ...e, at: Date.now() }))),
      onStatus: (s) => statuses.set(s.host, s),
    });
    for (const h of fleet.hosts) collector.follow({ name: h.name, target: { host: h.address, user: 'admin', name: h.name }, sudoPassword: h.adminPassword });
  }, 300_000);
  afterAll(async () => {
    await collector?.close();
    await bed?.close();
  });

  it.each([0, 1])('host %i: a real failed login from the attacker is a typed event within a second', async (i) => {
    const h = fleet.hosts[i]!;
    await streaming(h);
    expect((statuses.get(h.name)!.state as { sources: string[] }).sources[0]).toBe(h.variant === 'journald' ? 'journald' : 'auth.log');
    const before = events.length;
    await fleet.attacker.tryPassword(h, 'root', 'not-the-password');
    const e = await waitFor('the failed login', () => events.slice(before).find((x) => x.host === h.name && x.kind === 'auth.failed_password' && x.ip === fleet.attacker.address), 5_000);
    expect(e).toMatchObject({ user: 'root', method: 'password', source: h.variant === 'journald' ? 'journald' : 'auth.log' });
    expect(e.port).toBeGreaterThan(0);
    // the hosts share this machine's clock: the line's own timestamp to the event in hand
    const latency = e.at - Date.parse(e.time!);
    console.log(`${h.name} (${h.variant}): failed login received ${latency} ms after sshd logged it`);
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThan(1_000);
    // the stream's count follows without a state change (reported at most once a second)
    const delivered = events.filter((x) => x.host === h.name).length;
    await waitFor('the received count reported', () => statuses.get(h.name)!.received >= delivered, 3_000);
  }, 60_000);

  it.each([0, 1])('host %i: a killed connection and a reboot lose no line and repeat none', async (i) => {
    const h = fleet.hosts[i]!;
    await streaming(h);
    const tag = (n: number) => `gap${i}x${n}`;
    for (let n = 0; n < 3; n++) await mark(h, tag(n));
    await waitFor('the first marks', () => seen(h, tag(2)).length === 1);
    // the connection dies under the follower (sshd's session processes for admin killed)
    await fleet.ssh(h, 'pkill -KILL -u admin -x sshd || true');
    for (let n = 3; n < 6; n++) await mark(h, tag(n));
    await waitFor('the marks written while disconnected', () => seen(h, tag(5)).length === 1, 30_000);
    // a reboot: lines written just before it are read after it, from where the stream stopped
    for (let n = 6; n < 9; n++) await mark(h, tag(n));
    await fleet.restartHost(h.name);
    for (let n = 9; n < 12; n++) await mark(h, tag(n));
    await waitFor('every mark', () => seen(h, tag(11)).length === 1, 60_000);
    // what the host itself kept: a line still queued in its logger when it went down is gone there too
    const onHost = (await bed.asRoot(h, h.variant === 'journald' ? `journalctl -o cat SYSLOG_IDENTIFIER=sshd | grep -o 'gap${i}x[0-9]*'` : `cat /var/log/auth.log* | grep -o 'gap${i}x[0-9]*'`)).stdout.split('\n').filter(Boolean);
    const lostByHost = Array.from({ length: 12 }, (_, n) => tag(n)).filter((t) => !onHost.includes(t));
    if (lostByHost.length) console.log(`${h.name} (${h.variant}) itself kept no ${lostByHost.join(', ')} across its reboot`);
    // written while connected, while disconnected, and after the reboot: the host has them all
    for (const n of [0, 1, 2, 3, 4, 5, 9, 10, 11]) expect(onHost, tag(n)).toContain(tag(n));
    for (let n = 0; n < 12; n++) expect(seen(h, tag(n)).map((e) => e.kind), tag(n)).toEqual(onHost.includes(tag(n)) ? ['auth.invalid_user'] : []);
  }, 240_000);

  it('logrotate -f on auth.log, with the stream cut across it: nothing lost, nothing twice', async () => {
    const h = fleet.hosts[0]!; // rsyslog
    await streaming(h);
    const tag = (n: number) => `rot${n}`;
    for (let n = 0; n < 3; n++) await mark(h, tag(n));
    await bed.asRoot(h, 'logrotate -f /etc/logrotate.d/rsyslog');
    for (let n = 3; n < 6; n++) await mark(h, tag(n));
    await waitFor('marks around a live rotation', () => seen(h, tag(5)).length === 1);
    // now cut the connection, write, rotate, write, and let the follower resume by inode and offset
    await fleet.ssh(h, 'pkill -KILL -u admin -x sshd || true');
    for (let n = 6; n < 9; n++) await mark(h, tag(n));
    await bed.asRoot(h, 'logrotate -f /etc/logrotate.d/rsyslog');
    for (let n = 9; n < 12; n++) await mark(h, tag(n));
    await waitFor('marks around a rotation while disconnected', () => seen(h, tag(11)).length === 1, 30_000);
    for (let n = 0; n < 12; n++) expect(seen(h, tag(n)).length, tag(n)).toBe(1);
  }, 120_000);

  it('fail2ban bans the attacker and the ban is an event; unban through Bulwark, checked with fail2ban-client', async () => {
    const h = fleet.hosts[0]!; // rsyslog: Debian's stock sshd jail runs (maxretry 5)
    await streaming(h);
    for (let n = 0; n < 6; n++) await fleet.attacker.tryPassword(h, 'root', `wrong-${n}`);
    const ban = await waitFor('the ban', () => events.find((e) => e.host === h.name && e.kind === 'f2b.ban' && e.ip === fleet.attacker.address), 30_000);
    expect(ban).toMatchObject({ jail: 'sshd', source: 'fail2ban.log' });
    const r = await runBanAction(bed.engine(), { host: h.address, user: 'admin', name: h.name }, { action: 'unban', jail: 'sshd', ip: fleet.attacker.address, sudoPassword: h.adminPassword });
    expect(r).toMatchObject({ ok: true, output: '1' });
    const banned = (await bed.asRoot(h, 'fail2ban-client status sshd')).stdout;
    expect(banned).not.toContain(fleet.attacker.address);
    await waitFor('the unban event', () => events.find((e) => e.host === h.name && e.kind === 'f2b.unban' && e.ip === fleet.attacker.address), 15_000);
  }, 120_000);
});
