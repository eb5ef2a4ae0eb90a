/**
 * The Ansible export on real hosts: guide-baseline and strict-ssh exported as playbooks, run by
 * the real ansible-playbook (Debian's package) on two fleet hosts, one logging to auth.log
 * (rsyslog) and one journald-only, then audited by Bulwark's runner: every change control is
 * compliant, so the playbook did what Bulwark's apply does. A second run changes nothing. The
 * files are compared with what Bulwark would write, and fail2ban's jail really runs.
 *
 * Slow: each ansible-playbook run took 180-280 s on 2 hosts with the build machine at load 12
 * (a Python start per task per host), hence the long timeouts.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ansibleConfig, parseRecap } from '../../../bench/push/ansible';
import { profileToAnsible } from '../../../main/services/hardening/ansible-export';
import { findProfile, selectionsOf } from '../../../main/services/hardening/profiles';
import { type RunAccess, type RunHostRef, runHardening } from '../../../main/services/hardening/runner';
import { HostLocks } from '../../../main/services/ssh';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('Ansible export on real hosts', () => {
  let bed: Bed;
  let dir: string;
  let access: RunAccess;
  let hosts: RunHostRef[];

  async function playbook(profileId: string): Promise<{ changed: number[]; out: string; ms: number }> {
    const file = profileToAnsible(findProfile(profileId));
    const path = join(dir, file.fileName);
    writeFileSync(path, file.text);
    const t0 = performance.now();
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('ansible-playbook', [path], { env: { ...process.env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_FORCE_COLOR: '0', HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('close', (c) => resolve({ code: c, out: text }));
    });
    const ms = performance.now() - t0;
    const recap = parseRecap(out);
    if (code !== 0 || recap.length !== hosts.length || recap.some((r) => r.failed || r.unreachable)) throw new Error(`ansible-playbook ${profileId} exited ${String(code)}:\n${out.slice(-4000)}`);
    return { changed: hosts.map((h) => recap.find((r) => r.host === h.name)!.changed), out, ms };
  }

  async function audit(profileId: string) {
    const profile = findProfile(profileId);
    const r = await runHardening(access, hosts, { mode: 'audit', selections: selectionsOf(profile) });
    return r.results.map((x) => ({ host: x.host, status: x.status, controls: Object.fromEntries((x.plan?.controls ?? []).map((c) => [c.id, c.check.status])) }));
  }

  /** What a change control must say after the playbook, per profile. */
  const compliantChanges = (profileId: string) =>
    Object.fromEntries(
      selectionsOf(findProfile(profileId))
        .filter((s) => s.control.kind === 'change')
        .map((s) => [s.control.id, 'compliant']),
    );

  beforeAll(async () => {
    bed = await startBed({ count: 2, variant: 'mixed' });
    dir = mkdtempSync(join(tmpdir(), 'bulwark-ansible-export-'));
    mkdirSync(join(dir, 'host_vars'), { mode: 0o700 });
    mkdirSync(join(dir, 'cp'), { mode: 0o700 });
    writeFileSync(
      join(dir, 'inventory.ini'),
      ['[fleet]', ...bed.fleet.hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=22 ansible_user=admin ansible_ssh_private_key_file=${bed.fleet.testKey.privateKeyPath}`), ''].join('\n'),
    );
    // the sudo password only in 0600 files, never on a command line
    for (const h of bed.fleet.hosts) writeFileSync(join(dir, 'host_vars', `${h.name}.yml`), `ansible_become_password: ${JSON.stringify(h.adminPassword)}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'ansible.cfg'), ansibleConfig({ dir, forks: 2, knownHostsPath: bed.fleet.knownHostsPath, controlPathDir: join(dir, 'cp'), controlPersist: '30s' }));
    const shared = bed.engine();
    access = { engine: () => shared, freshEngine: () => bed.engine(), sudoPasswordFor: (h) => bed.fleet.host(h.name).adminPassword, locks: new HostLocks() };
    hosts = bed.fleet.hosts.map((h) => ({ name: h.name, address: h.address, port: 22, user: 'admin', jumpHost: '' }));
    expect(bed.fleet.hosts.map((h) => h.variant).sort()).toEqual(['journald', 'rsyslog']);
  }, 300_000);

  afterAll(async () => {
    await bed?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('guide-baseline: the playbook leaves both hosts compliant by Bulwark\'s audit, and a second run changes nothing', async () => {
    const before = await audit('guide-baseline');
    expect(before.map((b) => b.controls['sshd-auth'])).toEqual(['drift', 'drift']);

    const first = await playbook('guide-baseline');
    console.log(`ansible guide-baseline on 2 hosts: ${Math.round(first.ms)} ms, changed ${first.changed.join('/')}`);
    expect(first.changed.every((n) => n > 0)).toBe(true);

    const after = await audit('guide-baseline');
    for (const a of after) {
      expect(a.controls, a.host).toMatchObject(compliantChanges('guide-baseline'));
      expect(a.status, a.host).toBe('compliant');
    }

    // what Bulwark itself would do now: nothing
    const plan = await runHardening(access, hosts, { mode: 'plan', selections: selectionsOf(findProfile('guide-baseline')) });
    expect(plan.results.map((r) => [r.host, r.status, r.plan?.files.map((f) => f.path)])).toEqual(hosts.map((h) => [h.name, 'unchanged', []]));

    for (const h of bed.fleet.hosts) {
      const jail = (await bed.asRoot(h, 'cat /etc/fail2ban/jail.d/zz-bulwark-sshd.local; fail2ban-client status sshd >/dev/null && echo JAIL-UP')).stdout;
      expect(jail, h.name).toContain(h.variant === 'journald' ? 'backend = systemd' : 'logpath = /var/log/auth.log');
      expect(jail, h.name).toMatch(/^ignoreip = 127\.0\.0\.1\/8 ::1 \d+\.\d+\.\d+\.\d+$/m);
      expect(jail, h.name).toContain('JAIL-UP');
    }

    const second = await playbook('guide-baseline');
    console.log(`ansible guide-baseline again: ${Math.round(second.ms)} ms, changed ${second.changed.join('/')}`);
    expect(second.changed).toEqual([0, 0]);
  }, 900_000);

  it('strict-ssh on top: compliant (crypto, host keys, moduli, automatic updates), and Bulwark still gets in', async () => {
    const first = await playbook('strict-ssh');
    console.log(`ansible strict-ssh on 2 hosts: ${Math.round(first.ms)} ms, changed ${first.changed.join('/')}`);
    const after = await audit('strict-ssh');
    for (const a of after) {
      expect(a.controls, a.host).toMatchObject(compliantChanges('strict-ssh'));
      expect(a.status, a.host).toBe('compliant');
    }
    for (const h of bed.fleet.hosts) {
      expect((await bed.asRoot(h, "awk '!/^#/ && NF >= 7 && $5 < 3071' /etc/ssh/moduli | wc -l")).stdout.trim(), h.name).toBe('0');
      expect((await bed.asRoot(h, 'sshd -T | grep -E "^(loglevel|maxauthtries) "')).stdout.trim().split('\n').sort(), h.name).toEqual(['loglevel VERBOSE', 'maxauthtries 4']);
    }
    const second = await playbook('strict-ssh');
    console.log(`ansible strict-ssh again: ${Math.round(second.ms)} ms, changed ${second.changed.join('/')}`);
    expect(second.changed).toEqual([0, 0]);
  }, 900_000);
});
