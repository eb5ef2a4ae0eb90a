/** Host key verification against a real in-process server: TOFU, changed keys, probing. */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Vault } from '../../../main/services/vault';
import { type Hop, HostKeyStore, type SshEngine } from '../../../main/services/ssh';
import { testVault, expectCode, makeEngine, makeKey, tempDir } from './helpers';
import { type TestServer, startServer } from './test-server';

let server: TestServer;
const PASSWORD = 'hunter2-correct-horse';
beforeAll(async () => {
  server = await startServer({ users: { alice: { password: PASSWORD } } });
});
afterAll(() => server.close());

let engine: SshEngine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

describe('host key verification', () => {
  it('first contact: UNKNOWN_HOST_KEY with the fingerprint, nothing sent; trust; connect', async () => {
    const hostKeys = new HostKeyStore(testVault());
    const credentials = vi.fn((_hop: Hop) => ({ password: PASSWORD }));
    engine = makeEngine({ hostKeys, credentials });
    const target = { host: '127.0.0.1', port: server.port, user: 'alice' };
    const before = server.stats.authAttempts.length;

    const err = await expectCode(engine.exec(target, 'echo hi'), 'UNKNOWN_HOST_KEY', /Unknown host key for 127\.0\.0\.1:\d+: ssh-ed25519 SHA256:/);
    expect(err.fields).toMatchObject({ host: '127.0.0.1', port: String(server.port), keyType: 'ssh-ed25519', fingerprint: server.fingerprint });
    expect(err.fields!.key).toBe(server.hostKey.blob.toString('base64'));
    expect(err.message).not.toContain(PASSWORD);
    expect(server.stats.authAttempts.length).toBe(before);
    expect(credentials).not.toHaveBeenCalled();

    // the dialog probes, shows the fingerprint, the user trusts exactly that key
    const probe = await engine.probeHostKey('127.0.0.1', server.port);
    expect(probe).toMatchObject({ status: 'unknown', keyType: 'ssh-ed25519', fingerprint: server.fingerprint, pinned: [] });
    expect(server.stats.authAttempts.length).toBe(before);
    engine.trust('127.0.0.1', server.port, probe.key);
    expect((await engine.probeHostKey('127.0.0.1', server.port)).status).toBe('trusted');

    const r = await engine.exec(target, 'echo hi');
    expect(r).toMatchObject({ stdout: 'hi\n', stderr: '', code: 0, signal: null });
    expect(credentials).toHaveBeenCalledTimes(1);
    expect(credentials.mock.calls[0]![0]).toMatchObject({ host: '127.0.0.1', port: server.port, user: 'alice', role: 'target' });
  });

  it('changed key: HOST_KEY_CHANGED with both fingerprints, aborted before authentication', async () => {
    const hostKeys = new HostKeyStore(testVault());
    const old = makeKey();
    const pinned = hostKeys.trust('127.0.0.1', server.port, old.blob);
    const credentials = vi.fn((_hop: Hop) => ({ password: PASSWORD }));
    const events: unknown[] = [];
    engine = makeEngine({ hostKeys, credentials, onEvent: (e) => events.push(e) });
    const before = { auth: server.stats.authAttempts.length, commands: server.stats.commands.length };

    const err = await expectCode(engine.exec({ host: '127.0.0.1', port: server.port, user: 'alice' }, 'echo hi'), 'HOST_KEY_CHANGED', /host key changed/);
    expect(err.message).toContain(pinned.fingerprint);
    expect(err.message).toContain(server.fingerprint);
    expect(err.fields).toMatchObject({ fingerprint: server.fingerprint, oldFingerprints: pinned.fingerprint, oldKeyTypes: 'ssh-ed25519' });
    // the server's authentication handler was never reached, no credential was even loaded
    expect(server.stats.authAttempts.length).toBe(before.auth);
    expect(server.stats.commands.length).toBe(before.commands);
    expect(credentials).not.toHaveBeenCalled();
    expect(events).toContainEqual(expect.objectContaining({ type: 'host-key-refused', status: 'changed', fingerprint: server.fingerprint }));

    // the pin is untouched; probing reports the change
    expect(hostKeys.list()).toEqual([pinned]);
    const probe = await engine.probeHostKey('127.0.0.1', server.port);
    expect(probe).toMatchObject({ status: 'changed', fingerprint: server.fingerprint, pinned: [{ keyType: 'ssh-ed25519', fingerprint: pinned.fingerprint }] });
    await expectCode(Promise.resolve().then(() => engine!.trust('127.0.0.1', server.port, probe.key)), 'HOST_KEY_CHANGED');
    engine.trust('127.0.0.1', server.port, probe.key, { replace: true });
    expect((await engine.exec({ host: '127.0.0.1', port: server.port, user: 'alice' }, 'echo ok')).stdout).toBe('ok\n');
  });

  it('a key pinned for another port of the same address does not count', async () => {
    const hostKeys = new HostKeyStore(testVault());
    hostKeys.trust('127.0.0.1', server.port + 1 > 65535 ? 1 : server.port + 1, server.hostKey.blob);
    engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }) });
    await expectCode(engine.exec({ host: '127.0.0.1', port: server.port, user: 'alice' }, 'true'), 'UNKNOWN_HOST_KEY');
  });

  it('a locked vault is VAULT_LOCKED, not a host key problem', async () => {
    const tmp = tempDir();
    try {
      const vault = new Vault({ path: join(tmp.dir, 'vault.db'), kdf: { N: 1024, r: 8, p: 1 } });
      vault.create('granite-otter-velvet-97');
      const hostKeys = new HostKeyStore(vault);
      hostKeys.trust('127.0.0.1', server.port, server.hostKey.blob);
      engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }) });
      expect((await engine.exec({ host: '127.0.0.1', port: server.port, user: 'alice' }, 'echo open')).stdout).toBe('open\n');
      await engine.dispose();
      vault.lock();
      engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }) });
      await expectCode(engine.exec({ host: '127.0.0.1', port: server.port, user: 'alice' }, 'true'), 'VAULT_LOCKED');
      vault.close();
    } finally {
      tmp.cleanup();
    }
  });

  it('connect() reports the pinned fingerprint and the auth method per hop', async () => {
    const hostKeys = new HostKeyStore(testVault());
    hostKeys.trust('127.0.0.1', server.port, server.hostKey.blob);
    engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }) });
    const info = await engine.connect({ host: '127.0.0.1', port: server.port, user: 'alice' });
    expect(info.hops).toEqual([{ host: '127.0.0.1', port: server.port, user: 'alice', role: 'target', auth: { method: 'password' }, hostKey: server.fingerprint }]);
  });
});
