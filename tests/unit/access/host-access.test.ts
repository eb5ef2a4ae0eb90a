/**
 * What ties hosts to credentials: login-key links, sudo passwords, the credential provider
 * (checked against a real SSH server on loopback), and FleetAccess's engine lifecycle.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetAccess, vaultCredentials } from '../../../main/services/access';
import { HOST_SECRET_KIND, HostSecrets, HostStore } from '../../../main/services/inventory';
import { KeyStore } from '../../../main/services/keys';
import { expectCode, expectRejects } from '../../helpers/expect-error';
import { PASSPHRASE } from '../inventory/helpers';
import { openVault, type OpenVault } from '../inventory/vault-fixture';
import { startServer, type TestServer } from '../ssh/test-server';

let v: OpenVault;
let hosts: HostStore;
let keys: KeyStore;
let secrets: HostSecrets;

beforeEach(() => {
  v = openVault();
  hosts = new HostStore(v.vault);
  keys = new KeyStore(v.vault, { loginKeyOf: (id) => hosts.usingLoginKey(id).map((h) => h.name) });
  secrets = new HostSecrets(v.vault, (id) => hosts.get(id) !== undefined);
});
afterEach(() => v.close());

describe('login key links', () => {
  it('stores a link to a vault key and refuses one to a key that does not exist', async () => {
    const k = await keys.generate({ name: 'ops' });
    const h = hosts.create({ name: 'web1', address: '10.0.0.1', loginKeyId: k.id });
    expect(hosts.get(h.id)?.loginKeyId).toBe(k.id);
    expectCode(() => hosts.create({ name: 'web2', address: '10.0.0.2', loginKeyId: 'nope' }), 'VALIDATION', /No SSH key with id nope/);
    expectCode(() => hosts.update(h.id, { name: 'web1', address: '10.0.0.1', loginKeyId: 'nope' }), 'VALIDATION');
    expect(hosts.get(h.id)?.loginKeyId).toBe(k.id);
  });

  it('refuses to delete a key hosts log in with, naming them, and allows it once unlinked', async () => {
    const k = await keys.generate({ name: 'ops' });
    const h = hosts.create({ name: 'web1', address: '10.0.0.1', loginKeyId: k.id });
    expectCode(() => keys.delete(k.id), 'CONFLICT', /"ops" is the login key of 1 host \(web1\)/);
    expect(keys.get(k.id)).toBeDefined();
    hosts.update(h.id, { name: 'web1', address: '10.0.0.1', loginKeyId: null });
    expect(keys.delete(k.id)).toBe(1);
  });

  it('reads hosts written before the field existed as having no login key', () => {
    v.vault.put('host', 'old', { id: 'old', name: 'old1', address: '10.0.0.9', port: 22, user: 'root', jumpHost: '', tags: [], notes: '', guest: null, createdAt: 1, updatedAt: 1 });
    expect(hosts.get('old')?.loginKeyId).toBeNull();
    expect(hosts.list()[0]?.loginKeyId).toBeNull();
  });
});

describe('sudo passwords', () => {
  it('are set, told apart from unset, cleared, and removed with their host', () => {
    const a = hosts.create({ name: 'a', address: '10.0.0.1' });
    const b = hosts.create({ name: 'b', address: '10.0.0.2' });
    secrets.setSudoPassword(a.id, 'pa ss');
    secrets.setSudoPassword(b.id, 'other');
    expect(secrets.sudoPassword(a.id)).toBe('pa ss');
    expect(secrets.withSudoPassword().sort()).toEqual([a.id, b.id].sort());
    expect(secrets.clearSudoPassword(a.id)).toBe(true);
    expect(secrets.clearSudoPassword(a.id)).toBe(false);
    expect(secrets.hasSudoPassword(a.id)).toBe(false);
    hosts.delete([b.id]);
    expect(v.vault.list(HOST_SECRET_KIND)).toEqual([]);
  });

  it('refuses passwords sudo could not read, and hosts that do not exist', () => {
    const a = hosts.create({ name: 'a', address: '10.0.0.1' });
    expectCode(() => secrets.setSudoPassword(a.id, ''), 'VALIDATION', /must not be empty/);
    expectCode(() => secrets.setSudoPassword(a.id, 'two\nlines'), 'VALIDATION', /one line/);
    expectCode(() => secrets.setSudoPassword(a.id, 'x'.repeat(1025)), 'VALIDATION', /at most 1024/);
    expectCode(() => secrets.setSudoPassword('missing', 'pw'), 'NOT_FOUND');
    expect(secrets.hasSudoPassword(a.id)).toBe(false);
  });

  it('are encrypted at rest like every record (never readable with the vault locked)', () => {
    const a = hosts.create({ name: 'a', address: '10.0.0.1' });
    secrets.setSudoPassword(a.id, 'hunter2-sudo');
    v.vault.lock('user');
    expectCode(() => secrets.sudoPassword(a.id), 'VAULT_LOCKED');
    v.vault.unlock(PASSPHRASE);
    expect(secrets.sudoPassword(a.id)).toBe('hunter2-sudo');
  });
});

describe('login passwords', () => {
  it('are stored beside the sudo password, stand in for it when it is missing, and clear on their own', () => {
    const a = hosts.create({ name: 'a', address: '10.0.0.1' });
    secrets.set(a.id, 'loginPassword', 'login-pw');
    expect(secrets.sudoPassword(a.id)).toBe('login-pw');
    secrets.set(a.id, 'sudoPassword', 'sudo-pw');
    expect(secrets.sudoPassword(a.id)).toBe('sudo-pw');
    expect(secrets.hostsWith('loginPassword')).toEqual([a.id]);
    expect(secrets.clear(a.id, 'loginPassword')).toBe(true);
    expect(secrets.get(a.id, 'loginPassword')).toBeUndefined();
    expect(secrets.get(a.id, 'sudoPassword')).toBe('sudo-pw');
    expect(secrets.clear(a.id, 'sudoPassword')).toBe(true);
    expect(v.vault.list(HOST_SECRET_KIND)).toEqual([]);
    expectCode(() => secrets.set(a.id, 'loginPassword', 'a\nb'), 'VALIDATION', /login password must be one line/);
  });
});

describe('credentials offered to a real SSH server', () => {
  let server: TestServer;
  let other: TestServer;
  afterEach(async () => {
    await server?.close();
    await other?.close();
  });

  it("offers only the host's login key when it has one, and every vault key otherwise, labelled by vault id", async () => {
    const k1 = await keys.generate({ name: 'one' });
    const k2 = await keys.generate({ name: 'two' });
    const k3 = await keys.generate({ name: 'three' });
    const { utils } = await import('ssh2');
    const parsed = utils.parseKey(keys.exportPublic(k3.id));
    if (parsed instanceof Error) throw parsed;
    server = await startServer({ users: { root: { keys: [parsed] } } });
    other = await startServer({ users: { root: { keys: [parsed] } } });
    const withLink = hosts.create({ name: 'linked', address: '127.0.0.1', port: server.port, loginKeyId: k3.id });
    hosts.create({ name: 'unlinked', address: '127.0.0.1', port: other.port });
    const provider = vaultCredentials({ findHost: (n) => hosts.findByName(n), keys });

    const linked = await provider({ host: '127.0.0.1', port: server.port, user: 'root', role: 'target', name: withLink.name });
    expect(linked?.keys?.map((k) => k.label)).toEqual([k3.id]);
    const all = await provider({ host: '127.0.0.1', port: server.port, user: 'root', role: 'target', name: 'unlinked' });
    expect(all?.keys?.map((k) => k.label).sort()).toEqual([k1.id, k2.id, k3.id].sort());
    expect(all?.agent).toBeUndefined();

    // through the engine: the linked host logs in with exactly one key attempt
    const access = new FleetAccess({ vault: v.vault, hosts, keys, secrets, engine: { keepaliveIntervalMs: 0 } });
    try {
      const engine = access.engine();
      engine.trust('127.0.0.1', server.port, server.hostKey.blob);
      const publickeyAttempts = (s: TestServer) => s.stats.authAttempts.filter((a) => a.method === 'publickey').length;
      const info = await engine.connect({ host: '127.0.0.1', port: server.port, user: 'root', name: 'linked' });
      expect(info.hops[0]?.auth.method).toBe('publickey');
      expect(info.hops[0]?.auth.key).toContain(k3.id);
      // one key: ssh2 asks whether the key is acceptable, then signs (2 requests)
      expect(publickeyAttempts(server)).toBe(2);
      // unlinked: "one" is offered and refused before "three" (sorted by name) gets in
      engine.trust('127.0.0.1', other.port, other.hostKey.blob);
      await engine.connect({ host: '127.0.0.1', port: other.port, user: 'root', name: 'unlinked' });
      expect(publickeyAttempts(other)).toBe(1 + 2);
    } finally {
      await access.dispose();
    }
  });
});

describe('FleetAccess logging in', () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it('logs in with the stored login password when the host has no key, and not without it', async () => {
    server = await startServer({ users: { admin: { password: 'pw-of-admin' } } });
    const h = hosts.create({ name: 'pwhost', address: '127.0.0.1', port: server.port, user: 'admin' });
    const access = new FleetAccess({ vault: v.vault, hosts, keys, secrets, engine: { keepaliveIntervalMs: 0, readyTimeoutMs: 5_000 } });
    try {
      access.engine().trust('127.0.0.1', server.port, server.hostKey.blob);
      const target = { host: '127.0.0.1', port: server.port, user: 'admin', name: 'pwhost' };
      await expectRejects(access.engine().connect(target), 'SSH_AUTH_FAILED');
      secrets.set(h.id, 'loginPassword', 'pw-of-admin');
      const info = await access.engine().connect(target);
      expect(info.hops[0]?.auth.method).toBe('password');
    } finally {
      await access.dispose();
    }
  });
});

describe('FleetAccess', () => {
  it('refuses while locked, and closes its engine when the vault locks', async () => {
    const access = new FleetAccess({ vault: v.vault, hosts, keys, secrets, engine: { keepaliveIntervalMs: 0 } });
    const first = access.engine();
    expect(access.engine()).toBe(first);
    v.vault.lock('user');
    expectCode(() => access.engine(), 'VAULT_LOCKED');
    await expectRejects(first.exec({ host: '127.0.0.1', user: 'root' }, 'true'), 'ABORTED', /shut down/);
    v.vault.unlock(PASSPHRASE);
    expect(access.engine()).not.toBe(first);
    await access.dispose();
  });

  it("finds the sudo password of the host an operation names", () => {
    const access = new FleetAccess({ vault: v.vault, hosts, keys, secrets });
    const h = hosts.create({ name: 'Web1', address: '10.0.0.1', user: 'admin' });
    expect(access.sudoPasswordFor({ name: 'web1' })).toBeUndefined();
    secrets.setSudoPassword(h.id, 's3cret');
    expect(access.sudoPasswordFor({ name: 'web1' })).toBe('s3cret');
    void access.dispose();
  });
});
