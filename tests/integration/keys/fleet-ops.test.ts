/**
 * Key fleet operations (deploy, audit, rotate, revoke) against 10 real Debian hosts (tests/fleet),
 * with a real vault holding the keys and every host key pinned before use.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KeyFleetOps, type FleetHostRef, type FleetProgress } from '../../../main/services/keys/fleet-ops';
import { KeyStore, generateKeyPair, type SshKeyView } from '../../../main/services/keys';
import { HostKeyStore, SshEngine } from '../../../main/services/ssh';
import { Vault } from '../../../main/services/vault';
import { startFleet, type Fleet, type FleetHost } from '../../fleet/fleet';

const setup = inject('bulwarkFleet');
const COUNT = 10;

describe.skipIf(!setup)('key fleet operations on real hosts', () => {
  let fleet: Fleet;
  let dir: string;
  let vault: Vault;
  let keys: KeyStore;
  let engine: SshEngine;
  let ops: KeyFleetOps;
  let loginKey: SshKeyView;
  let hosts: FleetHostRef[];
  let keyA: SshKeyView;
  let keyB: SshKeyView;
  let cutHost: FleetHost;

  const blobOf = (k: { publicKey: string }) => k.publicKey.split(' ')[1]!;
  /** Lines of root's authorized_keys holding the key, counted on the host with grep. */
  const countOn = async (h: FleetHost, k: { publicKey: string }, file = '/root/.ssh/authorized_keys'): Promise<number> => {
    const r = await fleet.ssh(h, `grep -c -F -- '${blobOf(k)}' ${file} || true`);
    return Number(r.stdout.trim());
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-keys-it-'));
    vault = new Vault({ path: join(dir, 'vault.db'), kdf: { N: 2 ** 14, r: 8, p: 1 } });
    vault.create('granite orbit lantern 47 meadow');
    const hostKeys = new HostKeyStore(vault);
    keys = new KeyStore(vault);
    const t0 = Date.now();
    fleet = await startFleet({ count: COUNT, variant: 'mixed' });
    console.log(`fleet of ${COUNT} booted in ${Date.now() - t0} ms`);
    loginKey = keys.import({ name: 'fleet-login', text: readFileSync(fleet.testKey.privateKeyPath, 'utf8') }).key;
    const loginPrivate = keys.getPrivate(loginKey.id).privateKey;
    // labelled with the vault id: revoke reads it back from ConnectionInfo to spot the login key
    engine = new SshEngine({
      hostKeys,
      credentials: () => ({ keys: [{ privateKey: loginPrivate, label: loginKey.id }] }),
      readyTimeoutMs: 5_000,
      keepaliveIntervalMs: 1_000,
      keepaliveCountMax: 2,
    });
    for (const h of fleet.hosts) {
      const probe = await engine.probeHostKey(h.address, 22);
      engine.trust(h.address, 22, probe.key);
    }
    hosts = fleet.hosts.map((h) => ({ name: h.name, address: h.address, port: 22, user: 'root', jumpHost: '' }));
    ops = new KeyFleetOps({ engine, keys, timeoutMs: 20_000 });
  }, 300_000);

  afterAll(async () => {
    await engine?.dispose();
    await fleet?.stop();
    vault?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('deploys a key to 10 hosts, then again without duplicating it', async () => {
    keyA = await keys.generate({ name: 'deploy-a' });
    const events: FleetProgress[] = [];
    const t0 = Date.now();
    const first = await ops.deploy(keyA.id, hosts, { onProgress: (e) => events.push(e) });
    console.log(`deploy to ${COUNT} hosts: ${Date.now() - t0} ms (per host max ${Math.max(...first.results.map((r) => r.durationMs))} ms)`);
    expect(first.results.map((r) => r.status)).toEqual(Array(COUNT).fill('added'));
    expect(first.summary).toMatchObject({ total: COUNT, ok: COUNT, failed: 0, byStatus: { added: COUNT } });
    for (const h of hosts) {
      expect(events.filter((e) => e.host === h.name).map((e) => e.phase)).toEqual(['connecting', 'running', 'done']);
    }

    const t1 = Date.now();
    const again = await ops.deploy(keyA.id, hosts);
    console.log(`re-deploy to ${COUNT} hosts: ${Date.now() - t1} ms`);
    expect(again.results.map((r) => r.status)).toEqual(Array(COUNT).fill('unchanged'));
    expect(again.summary.byStatus).toEqual({ unchanged: COUNT });

    const h = fleet.hosts[2]!;
    expect(await countOn(h, keyA)).toBe(1);
    const modes = await fleet.ssh(h, 'stat -c %a /root/.ssh /root/.ssh/authorized_keys');
    expect(modes.stdout.trim().split('\n')).toEqual(['700', '600']);

    // root login, another account: the script drops to that account; file owned by it
    const other = await ops.deploy(keyA.id, [hosts[2]!], { account: 'admin' });
    expect(other.results[0]).toMatchObject({ status: 'added', account: 'admin' });
    expect(await countOn(h, keyA, '/home/admin/.ssh/authorized_keys')).toBe(1);
    const owner = await fleet.ssh(h, 'stat -c "%U %a" /home/admin/.ssh/authorized_keys');
    expect(owner.stdout.trim()).toBe('admin 600');
  });

  it('audit marks a hand-planted key unknown and the deployed keys known', async () => {
    const planted = await generateKeyPair({ comment: 'planted@by-hand' });
    const h = fleet.hosts[3]!;
    const line = `from="10.0.0.0/8",no-pty ${planted.publicKey.split(' ').slice(0, 2).join(' ')} planted@by-hand`;
    await fleet.ssh(h, `printf '%s\\n' '${line}' >> /root/.ssh/authorized_keys`);

    const audit = await ops.audit(hosts);
    expect(audit.summary).toMatchObject({ total: COUNT, ok: COUNT, failed: 0 });
    expect(audit.results.every((r) => r.scope === 'all-login-shells')).toBe(true);

    const plantedRows = audit.rows.filter((r) => r.fingerprint === planted.fingerprint);
    expect(plantedRows).toEqual([
      {
        host: h.name,
        account: 'root',
        fingerprint: planted.fingerprint,
        type: 'ssh-ed25519',
        comment: 'planted@by-hand',
        options: 'from="10.0.0.0/8",no-pty',
        knownKeyId: null,
        knownKeyName: null,
      },
    ]);
    const aRows = audit.rows.filter((r) => r.fingerprint === keyA.fingerprint);
    expect(aRows.filter((r) => r.account === 'root').map((r) => r.host).sort()).toEqual(hosts.map((x) => x.name).sort());
    expect(aRows.every((r) => r.knownKeyId === keyA.id && r.knownKeyName === 'deploy-a')).toBe(true);
    // other accounts with a login shell are read too (admin on host 3 got key A in the first test)
    expect(aRows.some((r) => r.account === 'admin' && r.host === fleet.hosts[2]!.name)).toBe(true);
    // the login key is known on every host, for root and admin
    const loginRows = audit.rows.filter((r) => r.knownKeyId === loginKey.id);
    expect(new Set(loginRows.map((r) => `${r.host}/${r.account}`)).size).toBe(COUNT * 2);

    // login-account only
    const login = await ops.audit([hosts[3]!], { accounts: 'login' });
    expect(new Set(login.rows.map((r) => r.account))).toEqual(new Set(['root']));
    expect(login.rows.some((r) => r.knownKeyId === null)).toBe(true);
  });

  it('rotates on 10 hosts with one cut off: 9 rotated, the cut-off host keeps the old key', async () => {
    keyB = await keys.generate({ name: 'deploy-b' });
    cutHost = fleet.hosts[4]!;
    await fleet.cutOff(cutHost.name);
    let rotation;
    try {
      const t0 = Date.now();
      rotation = await ops.rotate(keyA.id, keyB.id, hosts);
      console.log(`rotation on ${COUNT} hosts (one cut off): ${Date.now() - t0} ms`);
    } finally {
      await fleet.restore(cutHost.name);
    }
    expect(rotation.summary).toMatchObject({ total: COUNT, ok: COUNT - 1, failed: 1, byStatus: { rotated: COUNT - 1, failed: 1 } });
    const failed = rotation.results.find((r) => r.status === 'failed')!;
    expect(failed.host).toBe(cutHost.name);
    console.log(`cut-off host: ${failed.error?.code}: ${failed.error?.message}`);
    expect(failed.reached).toBe('none');
    expect(['SSH_UNREACHABLE', 'SSH_CONNECTION_LOST', 'TIMEOUT']).toContain(failed.error?.code);
    for (const r of rotation.results.filter((x) => x.status === 'rotated')) {
      expect(r).toMatchObject({ reached: 'removed', added: true, newKeyRemoved: false, removedLines: 1 });
    }

    for (const h of fleet.hosts) {
      if (h.name === cutHost.name) {
        expect(await countOn(h, keyA)).toBe(1);
        expect(await countOn(h, keyB)).toBe(0);
      } else {
        expect(await countOn(h, keyA)).toBe(0);
        expect(await countOn(h, keyB)).toBe(1);
      }
    }
  });

  it('a rotation whose fresh login fails keeps the old key and takes the new one back', async () => {
    // the new key is deployed to admin's file, but the verify logs in as admin... with a key
    // that sshd refuses: make admin's authorized_keys unusable for sshd (StrictModes: world-writable home)
    const h = fleet.hosts[6]!;
    const keyC = await keys.generate({ name: 'deploy-c' });
    const keyD = await keys.generate({ name: 'deploy-d' });
    await ops.deploy(keyC.id, [hosts[6]!], { account: 'admin' });
    await fleet.ssh(h, 'chmod 777 /home/admin');
    try {
      const r = await ops.rotate(keyC.id, keyD.id, [hosts[6]!], { account: 'admin' });
      expect(r.results[0]).toMatchObject({ status: 'failed', reached: 'deployed', added: true, newKeyRemoved: true, error: { code: 'KEY_VERIFY_FAILED' } });
    } finally {
      await fleet.ssh(h, 'chmod 755 /home/admin');
    }
    expect(await countOn(h, keyC, '/home/admin/.ssh/authorized_keys')).toBe(1);
    expect(await countOn(h, keyD, '/home/admin/.ssh/authorized_keys')).toBe(0);
  });

  it('revoke removes a key everywhere and refuses the login key unless forced', async () => {
    const revoked = await ops.revoke(keyB.id, hosts);
    expect(revoked.summary).toMatchObject({ total: COUNT, failed: 0, byStatus: { removed: COUNT - 1, unchanged: 1 } });
    expect(revoked.results.find((r) => r.status === 'unchanged')!.host).toBe(cutHost.name);
    for (const h of fleet.hosts) expect(await countOn(h, keyB)).toBe(0);

    // the login key, found from the connection the engine authenticated with
    const refused = await ops.revoke(loginKey.id, hosts);
    expect(refused.summary).toMatchObject({ failed: COUNT, byStatus: { failed: COUNT } });
    for (const r of refused.results) {
      expect(r.error?.code).toBe('CONFLICT');
      expect(r.error?.message).toMatch(/logs in .* with/);
    }
    for (const h of fleet.hosts) expect(await countOn(h, loginKey)).toBe(1);

    // force, on a key declared as the login key (the real one would lock the test out)
    const declared = new KeyFleetOps({ engine, keys, loginKeyId: keyA.id });
    const noForce = await declared.revoke(keyA.id, [hosts[4]!]);
    expect(noForce.results[0]?.error?.code).toBe('CONFLICT');
    expect(await countOn(cutHost, keyA)).toBe(1);
    const forced = await declared.revoke(keyA.id, [hosts[4]!], { force: true });
    expect(forced.results[0]).toMatchObject({ status: 'removed', removedLines: 1 });
    expect(await countOn(cutHost, keyA)).toBe(0);
  });
});
