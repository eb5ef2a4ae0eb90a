/**
 * Smoke test of the test fleet itself (tests/fleet): three real Debian 12 hosts, checked with the
 * system ssh client. Runs under vitest.integration.config.mts (root); skipped elsewhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { run, runOk, type RunResult } from '../../fleet/exec';
import { findLeftovers, startFleet, type Fleet, type FleetHost } from '../../fleet/fleet';

const setup = inject('bulwarkFleet');

/** The system ssh client with the fleet's test key and a known_hosts file of our own. */
function sysSsh(
  fleet: Fleet,
  host: FleetHost,
  opts: { user: string; knownHosts: string; checking: 'accept-new' | 'yes'; input?: string },
  command: string,
): Promise<RunResult> {
  return run(
    'ssh',
    [
      '-F', '/dev/null', '-i', fleet.testKey.privateKeyPath, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
      '-o', `UserKnownHostsFile=${opts.knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', `StrictHostKeyChecking=${opts.checking}`, '-o', 'ConnectTimeout=10',
      `${opts.user}@${host.address}`, '--', command,
    ],
    { timeoutMs: 60_000, ...(opts.input === undefined ? {} : { input: opts.input }) },
  );
}

async function fingerprintsIn(knownHosts: string): Promise<string[]> {
  const out = await runOk('ssh-keygen', ['-l', '-f', knownHosts]);
  return out.split('\n').map((l) => l.split(' ')[1] ?? '').filter(Boolean);
}

async function until(fn: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return fn();
}

describe.skipIf(!setup)('test fleet: 3 hosts, mixed variants', () => {
  let fleet: Fleet;
  let tmp: string;
  let rsyslogHost: FleetHost;
  let journaldHost: FleetHost;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-fleet-test-'));
    fleet = await startFleet({ count: 3, variant: 'mixed', log: (l) => console.log(`[fleet] ${l}`) });
    rsyslogHost = fleet.hosts.find((h) => h.variant === 'rsyslog') as FleetHost;
    journaldHost = fleet.hosts.find((h) => h.variant === 'journald') as FleetHost;
  }, 300_000);

  afterAll(async () => {
    await fleet?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('boots three hosts with unique names, addresses and host keys, both variants', () => {
    expect(fleet.hosts.map((h) => h.name)).toEqual(['fleet-01', 'fleet-02', 'fleet-03']);
    expect(fleet.hosts.map((h) => h.variant)).toEqual(['rsyslog', 'journald', 'rsyslog']);
    expect(new Set(fleet.hosts.map((h) => h.address)).size).toBe(3);
    for (const h of fleet.hosts) {
      expect(h.address.startsWith(fleet.subnet.replace(/0\/24$/, ''))).toBe(true);
      expect(h.port).toBe(22);
      expect(h.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(['running', 'degraded']).toContain(h.systemState);
    }
    expect(new Set(fleet.hosts.map((h) => h.hostKeyFingerprint)).size).toBe(3);
    expect(fleet.bootMs).toBeGreaterThan(0);
    console.log(`[fleet] boot: ${fleet.hosts.map((h) => `${h.name} ${(h.bootMs / 1000).toFixed(1)} s`).join(', ')}`);
  });

  it('lets root and admin in with the test key; the key sshd presents is the one reported', async () => {
    for (const h of fleet.hosts) {
      const kh = path.join(tmp, `kh-${h.name}`);
      const first = await sysSsh(fleet, h, { user: 'root', knownHosts: kh, checking: 'accept-new' }, 'id -un; hostname');
      expect(first.stderr).toMatch(/Permanently added/);
      expect(first.stdout).toBe(`root\n${h.name}\n`);
      expect(await fingerprintsIn(kh)).toContain(h.hostKeyFingerprint);
      const admin = await sysSsh(fleet, h, { user: 'admin', knownHosts: kh, checking: 'yes' }, 'id -un');
      expect(admin).toMatchObject({ code: 0, stdout: 'admin\n' });
      expect(await fleet.ssh(h, 'echo ok')).toMatchObject({ code: 0, stdout: 'ok\n' });
    }
  });

  it('gives admin sudo with the password, refuses a wrong one, and never stalls on DNS', async () => {
    const h = journaldHost;
    const timed = (pw: string): string =>
      `sudo -k; s=$(date +%s%N); echo '${pw}' | sudo -S -p '' id -u; rc=$?; e=$(date +%s%N); echo "ms=$(( (e - s) / 1000000 )) rc=$rc"`;
    const ok = await fleet.ssh(h, timed(h.adminPassword), { user: 'admin' });
    expect(ok.stdout).toMatch(/^0\nms=\d+ rc=0\n$/);
    expect(Number(/ms=(\d+)/.exec(ok.stdout)?.[1])).toBeLessThan(2_000);

    const wrong = await fleet.ssh(h, timed('not-the-password'), { user: 'admin' });
    expect(wrong.stdout).toMatch(/rc=1\n$/);
    expect(wrong.stderr).toMatch(/Sorry, try again|incorrect password/);

    const noPw = await fleet.ssh(h, 'sudo -k; sudo -n true', { user: 'admin' });
    expect(noPw.code).not.toBe(0);
    expect(noPw.stderr).toMatch(/password is required/);

    const resolve = await fleet.ssh(h, 's=$(date +%s%N); getent hosts "$(hostname)"; e=$(date +%s%N); echo "ms=$(( (e - s) / 1000000 ))"');
    expect(resolve.stdout).toContain(`${h.address}`);
    expect(Number(/ms=(\d+)/.exec(resolve.stdout)?.[1])).toBeLessThan(500);
  });

  it('has /var/log/auth.log on the rsyslog variant only', async () => {
    const probe = 'systemctl is-enabled rsyslog; test -f /var/log/auth.log && echo auth.log || echo no-auth.log';
    expect((await fleet.ssh(rsyslogHost, probe)).stdout).toBe('enabled\nauth.log\n');
    expect((await fleet.ssh(journaldHost, probe)).stdout).toBe('masked\nno-auth.log\n');
  });

  it('logs the attacker namespace\'s failed logins on the target', async () => {
    const route = await fleet.attacker.exec('ip -4 route');
    expect(route.stdout).not.toMatch(/default/);
    for (const h of [rsyslogHost, journaldHost]) {
      const attempt = await fleet.attacker.tryPassword(h, 'root', 'wrong-password');
      expect(attempt.code).toBe(255);
      expect(attempt.stderr).toMatch(/Permission denied/);
      const line = `Failed password for root from ${fleet.attacker.address}`;
      const where = h.variant === 'rsyslog' ? 'cat /var/log/auth.log' : 'journalctl -u ssh --no-pager -o cat';
      expect(await until(async () => (await fleet.ssh(h, where)).stdout.includes(line), 10_000)).toBe(true);
    }
    const good = await fleet.attacker.tryPassword(rsyslogHost, 'admin', rsyslogHost.adminPassword);
    expect(good.code).toBe(0);
  });

  it('keeps the host key across a restart and gets a new one with regenerateHostKeys', async () => {
    const h = fleet.host('fleet-03');
    const kh = path.join(tmp, 'kh-fleet-03'); // holds the key accepted in the login test
    const before = h.hostKeyFingerprint;

    await fleet.restartHost('fleet-03');
    expect(h.hostKeyFingerprint).toBe(before);
    expect((await sysSsh(fleet, h, { user: 'root', knownHosts: kh, checking: 'yes' }, 'true')).code).toBe(0);

    await fleet.restartHost('fleet-03', { regenerateHostKeys: true });
    expect(h.hostKeyFingerprint).not.toBe(before);
    expect(fleet.hosts.filter((o) => o.hostKeyFingerprint === h.hostKeyFingerprint)).toHaveLength(1);
    const changed = await sysSsh(fleet, h, { user: 'root', knownHosts: kh, checking: 'yes' }, 'true');
    expect(changed.code).toBe(255);
    expect(changed.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
    expect((await fleet.ssh(h, 'echo ok')).stdout).toBe('ok\n'); // the fleet's known_hosts follows
  }, 180_000);

  it('cannot reach anything outside its subnet', async () => {
    for (const h of fleet.hosts) {
      const r = await fleet.ssh(h, 'ip -4 route; ip route get 192.0.2.1 2>&1; ip route get 1.1.1.1 2>&1; true');
      expect(r.stdout).not.toMatch(/default/);
      expect(r.stdout.match(/Network is unreachable/g)).toHaveLength(2);
      const routes = r.stdout.split('\n').filter((l) => / dev /.test(l) && !l.startsWith('192.') && !l.startsWith('1.'));
      expect(routes).toHaveLength(1);
      expect(routes[0]?.startsWith(`${fleet.subnet} dev host0 `)).toBe(true);
      expect(routes[0]).toContain(`src ${h.address}`);
    }
    expect(fs.readFileSync(`/proc/sys/net/ipv4/conf/${fleet.bridge}/forwarding`, 'utf8').trim()).toBe('0');
  });

  it('cuts a host off and restores it', async () => {
    const h = fleet.host('fleet-02');
    await fleet.cutOff(h.name);
    const cut = await fleet.ssh(h, 'true', { timeoutMs: 4_000 }); // SYNs vanish: no answer at all
    expect(cut.code).not.toBe(0);
    await fleet.restore(h.name);
    expect((await fleet.ssh(h, 'echo back')).stdout).toBe('back\n');
  }, 60_000);

  it('stop() leaves no processes, links, namespaces, mounts, cgroups or state behind', async () => {
    const { name, bridge } = fleet;
    const netns = fleet.attacker.netns;
    await fleet.stop();
    expect(await findLeftovers(name)).toEqual({ processes: [], links: [], netns: [], mounts: [], cgroups: [], stateDirs: [] });
    expect(await runOk('ip', ['-o', 'link'])).not.toContain(bridge);
    expect(await runOk('ip', ['netns', 'list'])).not.toContain(netns);
    expect(await runOk('ps', ['-eo', 'args'])).not.toMatch(new RegExp(`--machine=bwf-[0-9a-f]{4}-\\d{3}.*${bridge}`));
  }, 60_000);
});
