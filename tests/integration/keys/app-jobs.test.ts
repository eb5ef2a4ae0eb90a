/**
 * The desktop app's key jobs end to end below the UI: the real services composed as the app
 * composes them, called through the real IPC router, against 3 real Debian hosts. Covers host
 * key trust through ssh:probe/ssh:trust, per-host progress events, login keys, the sudo routes
 * (no password stored, the right one, a wrong one) and cancelling a job.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventName } from '../../../shared/contract';
import type { Host } from '../../../shared/domain/host';
import type { JobProgress } from '../../../shared/domain/keys';
import { createAppServices, type AppServices } from '../../../main/services/app';
import { createHandlers } from '../../../main/ipc/handlers';
import { createRouter } from '../../../main/ipc/router';
import { startFleet, type Fleet } from '../../fleet/fleet';

const setup = inject('bulwarkFleet');
const ORIGIN = 'http://127.0.0.1:1';
const SENDER = { frameUrl: `${ORIGIN}/`, isMainFrame: true };
const ADMIN_PW = 'fleet-admin-pw';

describe.skipIf(!setup)('key jobs through the app services and the IPC router', () => {
  let fleet: Fleet;
  let dir: string;
  let s: AppServices;
  let call: <T = unknown>(channel: string, payload: unknown) => Promise<T>;
  const progress: JobProgress[] = [];
  let hosts: Host[];
  let jobSeq = 0;
  const jobId = () => `itjob-${String(++jobSeq).padStart(4, '0')}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-app-jobs-'));
    fleet = await startFleet({ count: 3, variant: 'mixed' });
    s = createAppServices({
      vaultPath: join(dir, 'vault.db'),
      keychain: { status: () => ({ available: false, reason: 'test' }), encrypt: () => Buffer.alloc(0), decrypt: () => '' } as never,
      dialogs: { chooseSavePath: async () => null, chooseOpenPath: async () => null },
      sshConfigPath: join(dir, 'ssh_config'),
      kdf: { N: 1024, r: 8, p: 1 },
      ssh: { readyTimeoutMs: 4_000, keepaliveIntervalMs: 1_000 },
    });
    s.events.subscribe((event: EventName, payload) => {
      if (event === 'jobs:progress') progress.push(payload as JobProgress);
    });
    const router = createRouter({ handlers: createHandlers(s), allowedOrigins: [ORIGIN] });
    call = async <T,>(channel: string, payload: unknown) => {
      const r = await router(channel, payload, SENDER);
      if (!r.ok) throw Object.assign(new Error(`${channel}: ${r.error.code}: ${r.error.message}`), { data: r.error });
      return r.value as T;
    };
    await call('vault:create', { passphrase: 'granite orbit lantern 47 meadow' });
    const login = await call<{ key: { id: string } }>('keys:import', {
      key: { name: 'fleet-login', text: readFileSync(fleet.testKey.privateKeyPath, 'utf8') },
    });
    hosts = [];
    for (const h of fleet.hosts) {
      hosts.push(await call<Host>('hosts:create', { host: { name: h.name, address: h.address, user: 'admin', loginKeyId: login.key.id } }));
    }
  }, 300_000);

  afterAll(async () => {
    await s?.dispose();
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const ids = () => hosts.map((h) => h.id);
  const eventsOf = (id: string) => progress.filter((p) => p.jobId === id);

  it('refuses unknown host keys per host, then pins exactly what ssh:probe showed', async () => {
    const key = await call<{ id: string }>('keys:generate', { key: { name: 'ops' } });
    const job = jobId();
    const r = await call<{ results: { host: string; status: string; error?: { code: string } }[] }>('keys:deploy', { jobId: job, keyId: key.id, hostIds: ids() });
    expect(r.results.map((x) => [x.status, x.error?.code])).toEqual(Array(3).fill(['failed', 'UNKNOWN_HOST_KEY']));
    expect(eventsOf(job).filter((e) => e.phase === 'failed')).toHaveLength(3);

    const probes = await call<{ hostId: string; status: string; key: string; fingerprint: string }[]>('ssh:probe', { hostIds: ids() });
    expect(probes.map((p) => p.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(probes.map((p) => p.fingerprint)).toEqual(fleet.hosts.map((h) => h.hostKeyFingerprint));
    for (const p of probes) {
      const t = await call<{ fingerprint: string }>('ssh:trust', { hostId: p.hostId, key: p.key });
      expect(t.fingerprint).toBe(p.fingerprint);
    }
    expect((await call<{ status: string }[]>('ssh:probe', { hostIds: ids() })).map((p) => p.status)).toEqual(['trusted', 'trusted', 'trusted']);
  }, 120_000);

  it('deploys to the login account with per-host progress, then finds nothing to add', async () => {
    const key = (await call<{ id: string; name: string; publicKey: string }[]>('keys:list', {})).find((k) => k.name === 'ops')!;
    const job = jobId();
    const r = await call<{ results: { status: string }[]; summary: { byStatus: Record<string, number> } }>('keys:deploy', { jobId: job, keyId: key.id, hostIds: ids() });
    expect(r.summary.byStatus).toEqual({ added: 3 });
    for (const h of fleet.hosts) {
      expect(eventsOf(job).filter((e) => e.host === h.name).map((e) => e.phase)).toEqual(['connecting', 'running', 'done']);
      const on = await fleet.ssh(h, `grep -c -F -- '${key.publicKey.split(' ')[1]}' /home/admin/.ssh/authorized_keys`);
      expect(on.stdout.trim()).toBe('1');
    }
    const again = await call<{ summary: { byStatus: Record<string, number> } }>('keys:deploy', { jobId: jobId(), keyId: key.id, hostIds: ids() });
    expect(again.summary.byStatus).toEqual({ unchanged: 3 });
  }, 120_000);

  it('audits only the login account while sudo wants a password, and every account once it has one', async () => {
    const before = await call<{ results: { scope: string; problems: { message: string }[] }[] }>('keys:audit', { jobId: jobId(), hostIds: ids() });
    expect(before.results.map((r) => r.scope)).toEqual(['login', 'login', 'login']);
    expect(before.results[0]!.problems[0]!.message).toMatch(/only the login account was read.*password/i);

    for (const h of hosts) await call('hosts:setSudoPassword', { id: h.id, password: ADMIN_PW });
    expect((await call<{ sudoPassword: string[] }>('hosts:secretStatus', {})).sudoPassword.sort()).toEqual(ids().sort());
    const after = await call<{ results: { scope: string }[]; rows: { host: string; account: string; knownKeyName: string | null }[] }>('keys:audit', {
      jobId: jobId(),
      hostIds: ids(),
    });
    expect(after.results.map((r) => r.scope)).toEqual(['all-login-shells', 'all-login-shells', 'all-login-shells']);
    for (const h of fleet.hosts) {
      const accounts = after.rows.filter((r) => r.host === h.name && r.knownKeyName === 'fleet-login').map((r) => r.account).sort();
      expect(accounts).toEqual(['admin', 'root']);
      expect(after.rows.some((r) => r.host === h.name && r.account === 'admin' && r.knownKeyName === 'ops')).toBe(true);
    }
  }, 120_000);

  it("deploys to another account through sudo with the stored password; a wrong one fails only that host", async () => {
    const key = await call<{ id: string; publicKey: string }>('keys:generate', { key: { name: 'root-ops' } });
    await call('hosts:setSudoPassword', { id: hosts[1]!.id, password: 'not-the-password' });
    const r = await call<{ results: { host: string; status: string; error?: { code: string; message: string } }[] }>('keys:deploy', {
      jobId: jobId(),
      keyId: key.id,
      hostIds: ids(),
      account: 'root',
    });
    expect(r.results.map((x) => x.status)).toEqual(['added', 'failed', 'added']);
    expect(r.results[1]!.error?.code).toBe('SUDO_AUTH_FAILED');
    const blob = key.publicKey.split(' ')[1];
    const counts = await Promise.all(fleet.hosts.map(async (h) => (await fleet.ssh(h, `grep -c -F -- '${blob}' /root/.ssh/authorized_keys || true`)).stdout.trim()));
    expect(counts).toEqual(['1', '0', '1']);
    await call('hosts:setSudoPassword', { id: hosts[1]!.id, password: ADMIN_PW });
  }, 120_000);

  it('a full disk on one host fails that host with its reason and leaves its authorized_keys as it was', async () => {
    const key = await call<{ id: string; publicKey: string }>('keys:generate', { key: { name: 'disk-full' } });
    const h = fleet.hosts[0]!;
    const file = '/home/admin/.ssh/authorized_keys';
    // admin's ~/.ssh on a 16 KiB tmpfs filled up except for the current file
    const fill = [
      'set -e',
      `cp ${file} /tmp/ak.orig`,
      'mount -t tmpfs -o size=16k,mode=700 tmpfs /home/admin/.ssh',
      'chown admin:admin /home/admin/.ssh',
      `cp /tmp/ak.orig ${file} && chown admin:admin ${file} && chmod 600 ${file}`,
      'dd if=/dev/zero of=/home/admin/.ssh/filler bs=1k count=64 2>/dev/null || true',
      'sha256sum /tmp/ak.orig',
    ].join('\n');
    const before = (await fleet.ssh(h, fill)).stdout.split(' ')[0];
    try {
      const r = await call<{ results: { host: string; status: string; error?: { code: string; message: string } }[] }>('keys:deploy', {
        jobId: jobId(),
        keyId: key.id,
        hostIds: ids(),
      });
      expect(r.results.map((x) => x.status)).toEqual(['failed', 'added', 'added']);
      expect(r.results[0]!.error?.code).toBe('KEY_WRITE_FAILED');
      expect(r.results[0]!.error?.message).toMatch(/disk full|No space left|read-only or full/);
      const after = (await fleet.ssh(h, `sha256sum ${file}; ls -A /home/admin/.ssh`)).stdout;
      expect(after.split(' ')[0]).toBe(before);
      // no temporary copy left behind
      expect(after).not.toMatch(/bulwark/);
    } finally {
      await fleet.ssh(h, 'umount /home/admin/.ssh');
    }
  }, 120_000);

  it('cancels a job: a host that stopped answering ends as ABORTED while the others finished', async () => {
    const key = await call<{ id: string }>('keys:generate', { key: { name: 'cancel-me' } });
    // a fresh connection, so the cut-off host hangs in the handshake instead of on a pooled one
    await s.access.close();
    await fleet.cutOff(fleet.hosts[2]!.name);
    try {
      const job = jobId();
      const pending = call<{ results: { status: string; error?: { code: string } }[] }>('keys:deploy', { jobId: job, keyId: key.id, hostIds: ids() });
      const t0 = Date.now();
      while (eventsOf(job).filter((e) => e.phase === 'done').length < 2) {
        if (Date.now() - t0 > 30_000) throw new Error('the reachable hosts never finished');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await call<{ cancelled: boolean }>('jobs:cancel', { jobId: job })).toEqual({ cancelled: true });
      const r = await pending;
      expect(r.results.map((x) => x.status)).toEqual(['added', 'added', 'failed']);
      expect(r.results[2]!.error?.code).toBe('ABORTED');
      expect(await call<{ cancelled: boolean }>('jobs:cancel', { jobId: job })).toEqual({ cancelled: false });
    } finally {
      await fleet.restore(fleet.hosts[2]!.name);
    }
  }, 120_000);

  it('refuses to delete the key the hosts log in with', async () => {
    const login = (await call<{ id: string; name: string }[]>('keys:list', {})).find((k) => k.name === 'fleet-login')!;
    await expect(call('keys:delete', { id: login.id })).rejects.toThrow(/CONFLICT: "fleet-login" is the login key of 3 hosts/);
  });
});
