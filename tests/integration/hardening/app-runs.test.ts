/**
 * Hardening runs as the app does them: the real services composed as the app composes them,
 * called through the real IPC router, on 2 real Debian hosts. Covers runs:progress events per
 * host step, the grouped reply, jobs:cancel, and the history runs:list/runs:get read back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventName } from '../../../shared/contract';
import type { Host } from '../../../shared/domain/host';
import type { RunListEntry, RunProgress, RunReply } from '../../../shared/domain/hardening';
import { createAppServices, type AppServices } from '../../../main/services/app';
import { createHandlers } from '../../../main/ipc/handlers';
import { createRouter } from '../../../main/ipc/router';
import { startFleet, type Fleet } from '../../fleet/fleet';

const setup = inject('bulwarkFleet');
const ORIGIN = 'http://127.0.0.1:1';
const SENDER = { frameUrl: `${ORIGIN}/`, isMainFrame: true };

describe.skipIf(!setup)('hardening runs through the app services and the IPC router', () => {
  let fleet: Fleet;
  let dir: string;
  let s: AppServices;
  let call: <T = unknown>(channel: string, payload: unknown) => Promise<T>;
  const progress: RunProgress[] = [];
  let hosts: Host[];
  let seq = 0;
  const jobId = () => `runjob-${String(++seq).padStart(4, '0')}`;
  const ids = () => hosts.map((h) => h.id);
  const eventsOf = (job: string, host: string) => progress.filter((p) => p.jobId === job && p.host === host).map((p) => p.phase);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-app-runs-'));
    fleet = await startFleet({ count: 2, variant: 'journald' });
    s = createAppServices({
      vaultPath: join(dir, 'vault.db'),
      keychain: { status: () => ({ available: false, reason: 'test' }), encrypt: () => Buffer.alloc(0), decrypt: () => '' } as never,
      dialogs: { chooseSavePath: async () => null, chooseOpenPath: async () => null },
      sshConfigPath: join(dir, 'ssh_config'),
      kdf: { N: 1024, r: 8, p: 1 },
      ssh: { readyTimeoutMs: 5_000, keepaliveIntervalMs: 1_000 },
    });
    s.events.subscribe((event: EventName, payload) => {
      if (event === 'runs:progress') progress.push(payload as RunProgress);
    });
    const router = createRouter({ handlers: createHandlers(s), allowedOrigins: [ORIGIN] });
    call = async <T,>(channel: string, payload: unknown) => {
      const r = await router(channel, payload, SENDER);
      if (!r.ok) throw Object.assign(new Error(`${channel}: ${r.error.code}: ${r.error.message}`), { data: r.error });
      return r.value as T;
    };
    await call('vault:create', { passphrase: 'granite orbit lantern 47 meadow' });
    const login = await call<{ key: { id: string } }>('keys:import', { key: { name: 'fleet-login', text: readFileSync(fleet.testKey.privateKeyPath, 'utf8') } });
    hosts = [];
    for (const h of fleet.hosts) {
      const host = await call<Host>('hosts:create', { host: { name: h.name, address: h.address, user: 'admin', loginKeyId: login.key.id } });
      await call('hosts:setSudoPassword', { id: host.id, password: h.adminPassword });
      hosts.push(host);
    }
    for (const p of await call<{ hostId: string; key: string }[]>('ssh:probe', { hostIds: ids() })) await call('ssh:trust', { hostId: p.hostId, key: p.key });
  }, 300_000);

  afterAll(async () => {
    await s?.dispose();
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the profiles with their controls and reasons', async () => {
    const profiles = await call<{ id: string; controls: { id: string; reason: string }[] }[]>('hardening:profiles', {});
    expect(profiles.map((p) => p.id)).toContain('guide-baseline');
    expect(profiles.every((p) => p.controls.every((c) => c.reason.length > 0))).toBe(true);
  });

  it('a plan is one group for both hosts and changes nothing; progress goes queued, facts, done', async () => {
    const job = jobId();
    const r = await call<RunReply>('hardening:plan', { jobId: job, profileId: 'guide-baseline', hostIds: ids() });
    expect(r.results.map((x) => x.status)).toEqual(['planned', 'planned']);
    expect(r.grouped.changes).toHaveLength(1);
    expect(r.grouped.changes[0]!.hosts).toEqual(hosts.map((h) => h.name));
    expect(r.grouped.changes[0]!.files.map((f) => f.path)).toContain('/etc/ssh/sshd_config.d/00-bulwark.conf');
    for (const h of hosts) expect(eventsOf(job, h.name)).toEqual(['queued', 'facts', 'done']);
    const on = await fleet.ssh(fleet.hosts[0]!, 'test -e /etc/ssh/sshd_config.d/00-bulwark.conf; echo $?');
    expect(on.stdout.trim()).toBe('1');
  }, 120_000);

  it('cancelling an apply before it starts skips every host and changes nothing', async () => {
    const job = jobId();
    const pending = call<RunReply>('hardening:apply', { jobId: job, profileId: 'guide-baseline', hostIds: ids() });
    expect(await call('jobs:cancel', { jobId: job })).toEqual({ cancelled: true });
    const r = await pending;
    expect(r.cancelled).toBe(true);
    expect(r.results.every((x) => x.status === 'skipped' || x.status === 'failed')).toBe(true);
    expect(r.grouped.skipped.length + r.grouped.failed.length).toBe(2);
    for (const h of fleet.hosts) expect((await fleet.ssh(h, 'test -e /etc/ssh/sshd_config.d/00-bulwark.conf; echo $?')).stdout.trim()).toBe('1');
  }, 120_000);

  it('applies with progress per step, then history has every run and runs:get gives the reply back', async () => {
    const job = jobId();
    const r = await call<RunReply>('hardening:apply', { jobId: job, profileId: 'guide-baseline', hostIds: ids(), canary: 1 });
    expect(r.results.map((x) => [x.status, x.reason])).toEqual([
      ['applied', undefined],
      ['applied', undefined],
    ]);
    for (const h of hosts) {
      expect(eventsOf(job, h.name)).toEqual(['queued', 'facts', 'applying', 'verifying', 'done']);
      expect(progress.filter((p) => p.jobId === job && p.host === h.name && p.phase === 'done')[0]!.status).toBe('applied');
    }
    expect(r.results.every((x) => x.after?.every((c) => c.status === 'compliant' || c.status === 'not-applicable'))).toBe(true);
    // root may no longer log in: read sshd -T as admin through sudo, over OpenSSH
    const h1 = fleet.hosts[1]!;
    const sshd = await fleet.ssh(h1, `sudo -S -p '' sh -c 'sshd -T | grep -E "^passwordauthentication "'`, { user: 'admin', input: `${h1.adminPassword}\n` });
    expect(sshd.stdout).toBe('passwordauthentication no\n');

    const list = await call<RunListEntry[]>('runs:list', {});
    expect(list.map((x) => x.mode)).toEqual(['apply', 'apply', 'plan']);
    expect(list.every((x) => x.via === 'app')).toBe(true);
    expect(await call<RunReply>('runs:get', { id: r.id })).toEqual(r);
    await expect(call('runs:get', { id: 'nope' })).rejects.toThrow(/NOT_FOUND/);
  }, 300_000);

  it('a bastion keeps the forwarding ProxyJump needs: strict SSH on host 0 while host 1 is reached through it', async () => {
    const [bastion, behind] = hosts as [Host, Host];
    // a second inventory entry for host 1, reached through host 0 by its inventory name
    const via = await call<Host>('hosts:create', { host: { name: 'behind-bastion', address: behind.address, user: 'admin', loginKeyId: behind.loginKeyId, jumpHost: bastion.name } });
    await call('hosts:setSudoPassword', { id: via.id, password: fleet.hosts[1]!.adminPassword });
    await call('profiles:save', { profile: { id: 'strict-sshd-only', name: 'sshd strict only', controls: [{ id: 'sshd-strict' }] } });

    const r = await call<RunReply>('hardening:apply', { jobId: jobId(), profileId: 'strict-sshd-only', hostIds: [bastion.id] });
    expect(r.results.map((x) => [x.status, x.reason])).toEqual([['applied', undefined]]);
    expect(r.results[0]!.controls[0]!.notes).toContain('AllowTcpForwarding local, not no: behind-bastion reach SSH through this host (ProxyJump needs local forwarding).');
    const sshdT = await fleet.ssh(fleet.hosts[0]!, `sudo -S -p '' sh -c 'sshd -T | grep -E "^allowtcpforwarding "'`, { user: 'admin', input: `${fleet.hosts[0]!.adminPassword}\n` });
    expect(sshdT.stdout).toBe('allowtcpforwarding local\n');

    // the host behind still answers through the hardened bastion, from a fresh login
    const audit = await call<RunReply>('hardening:audit', { jobId: jobId(), profileId: 'strict-sshd-only', hostIds: [via.id, bastion.id] });
    expect(audit.results.map((x) => [x.host, x.status === 'failed' ? x.reason : 'read'])).toEqual([
      ['behind-bastion', 'read'],
      [bastion.name, 'read'],
    ]);
    expect(audit.results[1]!.controls[0]!.status).toBe('compliant');
  }, 300_000);
});
