/** ProxyJump: parsing, inventory resolution, and a real chain through two in-process jump hosts. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Hop, HostKeyStore, type InventoryHostRef, type SshEngine, parseJumpSpec, resolveChain, targetFromHost } from '../../../main/services/ssh';
import { testVault, expectCode, makeEngine, makeKey } from './helpers';
import { type TestServer, startServer } from './test-server';

describe('jump specs', () => {
  it('parses [user@]host[:port] lists, bracketed IPv6 and ssh:// URIs', () => {
    expect(parseJumpSpec('')).toEqual([]);
    expect(parseJumpSpec('none')).toEqual([]);
    expect(parseJumpSpec('bastion')).toEqual([{ host: 'bastion', bracketed: false }]);
    expect(parseJumpSpec('ops@gw.example.org:2222, [2001:db8::1]:22,ssh://u@h2/')).toEqual([
      { user: 'ops', host: 'gw.example.org', port: 2222, bracketed: false },
      { host: '2001:db8::1', port: 22, bracketed: true },
      { user: 'u', host: 'h2', bracketed: false },
    ]);
    for (const bad of ['a b', 'h:99999', 'u@', '@h', 'h:']) expect(() => parseJumpSpec(bad)).toThrow(/not of the form/);
  });

  it('resolves inventory names recursively, with their own users, ports and jumps', () => {
    const inv: Record<string, InventoryHostRef> = {
      edge: { name: 'edge', address: '203.0.113.1', port: 2222, user: 'ops', jumpHost: '' },
      bastion: { name: 'Bastion', address: '10.0.0.1', port: 22, user: 'jump', jumpHost: 'edge' },
      loop1: { name: 'loop1', address: '10.9.9.1', port: 22, user: 'x', jumpHost: 'loop2' },
      loop2: { name: 'loop2', address: '10.9.9.2', port: 22, user: 'x', jumpHost: 'loop1' },
    };
    const resolve = (n: string) => inv[n.toLowerCase()];
    const chain = resolveChain(targetFromHost({ name: 'web1', address: '10.0.0.5', port: 22, user: 'root', jumpHost: 'bastion,admin@10.0.0.2:2200' }), resolve);
    const view = (h: Hop) => `${h.role}:${h.user}@${h.host}:${h.port}${h.name ? `(${h.name})` : ''}`;
    expect(chain.map(view)).toEqual([
      'jump:ops@203.0.113.1:2222(edge)',
      'jump:jump@10.0.0.1:22(Bastion)',
      'jump:admin@10.0.0.2:2200',
      'target:root@10.0.0.5:22(web1)',
    ]);
    // a hop's own user and port override the inventory's
    expect(resolveChain({ host: 'h', user: 'me', jump: 'other@bastion:2022' }, resolve)[1]).toMatchObject({ user: 'other', port: 2022 });
    // a plain hop without user takes the target's user
    expect(resolveChain({ host: 'h', user: 'me', jump: '198.51.100.7' }, resolve)[0]).toMatchObject({ user: 'me', port: 22, host: '198.51.100.7' });
    expect(() => resolveChain({ host: 'h', user: 'me', jump: 'loop1' }, resolve)).toThrow(/loop/);
  });
});

describe('ProxyJump through two in-process jump servers', () => {
  const PW = { j1: 'jump-one-pass', j2: 'jump-two-pass', t: 'target-pass' };
  let j1: TestServer;
  let j2: TestServer;
  let t: TestServer;
  let hostKeys: HostKeyStore;
  let engine: SshEngine | undefined;
  const creds = vi.fn((hop: Hop) => ({ password: hop.user === 'hop1' ? PW.j1 : hop.user === 'hop2' ? PW.j2 : PW.t }));

  beforeAll(async () => {
    [j1, j2, t] = await Promise.all([
      startServer({ users: { hop1: { password: PW.j1 } }, forwarding: true }),
      startServer({ users: { hop2: { password: PW.j2 } }, forwarding: true }),
      startServer({ users: { admin: { password: PW.t } } }),
    ]);
  });
  afterAll(() => Promise.all([j1.close(), j2.close(), t.close()]));
  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
    creds.mockClear();
  });

  const pinAll = () => {
    hostKeys = new HostKeyStore(testVault());
    for (const s of [j1, j2, t]) hostKeys.trust('127.0.0.1', s.port, s.hostKey.blob);
  };
  const target = () => ({ host: '127.0.0.1', port: t.port, user: 'admin', jump: `hop1@127.0.0.1:${j1.port},hop2@127.0.0.1:${j2.port}` });

  it('runs commands on the target through both hops, each with its own key and credentials', async () => {
    pinAll();
    engine = makeEngine({ hostKeys, credentials: creds });
    const before = { j1: j1.stats.forwards.length, j2: j2.stats.forwards.length };
    const r = await engine.exec(target(), 'echo "on target"');
    expect(r.stdout).toBe('on target\n');
    expect(j1.stats.forwards.slice(before.j1)).toEqual([{ host: '127.0.0.1', port: j2.port }]);
    expect(j2.stats.forwards.slice(before.j2)).toEqual([{ host: '127.0.0.1', port: t.port }]);
    expect(creds.mock.calls.map(([h]) => `${h.role}:${h.user}`)).toEqual(['jump:hop1', 'jump:hop2', 'target:admin']);
    const info = await engine.connect(target());
    expect(info.hops.map((h) => [h.role, h.user, h.hostKey, h.auth.method])).toEqual([
      ['jump', 'hop1', j1.fingerprint, 'password'],
      ['jump', 'hop2', j2.fingerprint, 'password'],
      ['target', 'admin', t.fingerprint, 'password'],
    ]);
    // reused: no new tunnels for more commands
    await engine.exec(target(), 'true');
    expect(j1.stats.forwards.length - before.j1).toBe(1);
  });

  it('resolves jump hosts named in the inventory', async () => {
    pinAll();
    const inv: Record<string, InventoryHostRef> = {
      gw: { name: 'gw', address: '127.0.0.1', port: j1.port, user: 'hop1', jumpHost: '' },
      inner: { name: 'inner', address: '127.0.0.1', port: j2.port, user: 'hop2', jumpHost: 'gw' },
    };
    engine = makeEngine({ hostKeys, credentials: creds, resolveHostName: (n) => inv[n] });
    const r = await engine.exec({ host: '127.0.0.1', port: t.port, user: 'admin', jump: 'inner', name: 'app' }, 'echo via inventory');
    expect(r.stdout).toBe('via inventory\n');
  });

  it('verifies the second hop on its own: an unknown key there stops the chain before the target', async () => {
    hostKeys = new HostKeyStore(testVault());
    hostKeys.trust('127.0.0.1', j1.port, j1.hostKey.blob);
    hostKeys.trust('127.0.0.1', t.port, t.hostKey.blob);
    engine = makeEngine({ hostKeys, credentials: creds });
    const authBefore = { j2: j2.stats.authAttempts.length, t: t.stats.connections };
    const err = await expectCode(engine.exec(target(), 'true'), 'UNKNOWN_HOST_KEY', /jump host 127\.0\.0\.1:\d+/);
    expect(err.fields).toMatchObject({ port: String(j2.port), fingerprint: j2.fingerprint });
    expect(j2.stats.authAttempts.length).toBe(authBefore.j2);
    expect(t.stats.connections).toBe(authBefore.t);
    expect(creds.mock.calls.map(([h]) => h.user)).toEqual(['hop1']);

    // probing through the first hop shows the second hop's key
    const probe = await engine.probeHostKey('127.0.0.1', j2.port, { jump: `hop1@127.0.0.1:${j1.port}` });
    expect(probe).toMatchObject({ status: 'unknown', fingerprint: j2.fingerprint });
    engine.trust('127.0.0.1', j2.port, probe.key);
    expect((await engine.exec(target(), 'echo now')).stdout).toBe('now\n');
  });

  it('a changed key on the target behind two hops is refused before authentication', async () => {
    pinAll();
    hostKeys.trust('127.0.0.1', t.port, makeKey().blob, { replace: true });
    engine = makeEngine({ hostKeys, credentials: creds });
    const before = t.stats.authAttempts.length;
    await expectCode(engine.exec(target(), 'true'), 'HOST_KEY_CHANGED', /127\.0\.0\.1:\d+/);
    expect(t.stats.authAttempts.length).toBe(before);
    expect(creds.mock.calls.map(([h]) => h.user)).toEqual(['hop1', 'hop2']);
  });

  it('a target the last hop cannot reach is SSH_UNREACHABLE naming the hop', async () => {
    pinAll();
    engine = makeEngine({ hostKeys, credentials: creds });
    const closedPort = 1; // nothing listens on tcp/1 here
    await expectCode(
      engine.exec({ ...target(), port: closedPort }, 'true'),
      'SSH_UNREACHABLE',
      new RegExp(`127\\.0\\.0\\.1:1 is unreachable from jump host 127\\.0\\.0\\.1:${j2.port}`),
    );
  });

  it('a chain whose first hop died while idle is rebuilt transparently', async () => {
    pinAll();
    engine = makeEngine({ hostKeys, credentials: creds });
    await engine.exec(target(), 'true');
    const before = j1.stats.connections;
    j1.killConnections();
    expect((await engine.exec(target(), 'echo again')).stdout).toBe('again\n');
    expect(j1.stats.connections).toBe(before + 1);
  });

  it('losing the first hop takes the whole chain down, and the next call rebuilds it', async () => {
    pinAll();
    engine = makeEngine({ hostKeys, credentials: creds });
    await engine.exec(target(), 'true');
    const p = engine.exec(target(), 'sleep 3').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    j1.killConnections();
    expect(await p).toMatchObject({ code: 'SSH_CONNECTION_LOST' });
    expect((await engine.exec(target(), 'echo rebuilt')).stdout).toBe('rebuilt\n');
  });
});
