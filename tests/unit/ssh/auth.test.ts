/** Authentication methods against a real in-process server: key, agent, password, order. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { AUTH_ORDER, type Credentials, HostKeyStore, type SshEngine, type SshEvent } from '../../../main/services/ssh';
import { testVault, SSH_ADD, SSH_AGENT, SSH_KEYGEN, expectCode, hasTool, makeEngine, makeKey, run, tempDir } from './helpers';
import { type TestServer, startServer } from './test-server';

const PASSWORD = 'Tr0ub4dor&3-but-longer';
const PASSPHRASE = 'key passphrase 9!';
const userKey = makeKey({ comment: 'alice@bulwark' });
const lockedKey = makeKey({ passphrase: PASSPHRASE });
const strangerKey = makeKey();
const tmp = tempDir();

let server: TestServer;
let hostKeys: HostKeyStore;
beforeAll(async () => {
  server = await startServer({
    users: {
      alice: { password: PASSWORD, keys: [userKey.parsed, lockedKey.parsed] },
      kbd: { password: PASSWORD, keyboardOnly: true },
      keyonly: { keys: [userKey.parsed] },
    },
  });
  hostKeys = new HostKeyStore(testVault());
  hostKeys.trust('127.0.0.1', server.port, server.hostKey.blob);
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

let engine: SshEngine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

async function connectAs(user: string, creds: Credentials, events?: SshEvent[]) {
  engine = makeEngine({ hostKeys, credentials: () => creds, ...(events ? { onEvent: (e: SshEvent) => events.push(e) } : {}) });
  return engine.connect({ host: '127.0.0.1', port: server.port, user });
}

describe('authentication', () => {
  it('defines the order: vault keys, agent, password, keyboard-interactive', () => {
    expect(AUTH_ORDER).toEqual(['publickey', 'agent', 'password', 'keyboard-interactive']);
  });

  it('by password', async () => {
    const info = await connectAs('alice', { password: PASSWORD });
    expect(info.hops[0]!.auth).toEqual({ method: 'password' });
  });

  it('by a private key from the vault (string or Buffer), reporting which key', async () => {
    expect((await connectAs('alice', { keys: [{ privateKey: userKey.private, label: 'alice-ed25519' }] })).hops[0]!.auth).toEqual({
      method: 'publickey',
      key: 'publickey (alice-ed25519)',
    });
    await engine!.dispose();
    const info = await connectAs('alice', { keys: [{ privateKey: Buffer.from(lockedKey.private), passphrase: PASSPHRASE }] });
    expect(info.hops[0]!.auth.method).toBe('publickey');
  });

  it('keys come before the password, and a refused key falls through to the next method', async () => {
    const before = server.stats.authAttempts.length;
    const info = await connectAs('alice', {
      keys: [
        { privateKey: strangerKey.private, label: 'stranger' },
        { privateKey: userKey.private, label: 'mine' },
      ],
      password: PASSWORD,
    });
    expect(info.hops[0]!.auth).toEqual({ method: 'publickey', key: 'publickey (mine)' });
    const methods = server.stats.authAttempts.slice(before).map((a) => a.method);
    expect(methods).not.toContain('password');
    expect(methods).not.toContain('none');

    await engine!.dispose();
    const info2 = await connectAs('alice', { keys: [{ privateKey: strangerKey.private }], password: PASSWORD });
    expect(info2.hops[0]!.auth).toEqual({ method: 'password' });
  });

  it('by keyboard-interactive when the server only asks that way', async () => {
    const info = await connectAs('kbd', { password: PASSWORD });
    expect(info.hops[0]!.auth).toEqual({ method: 'keyboard-interactive' });
  });

  it('SSH_AUTH_FAILED lists what was tried and never echoes secrets', async () => {
    const events: SshEvent[] = [];
    const err = await expectCode(
      connectAs(
        'alice',
        {
          keys: [
            { privateKey: strangerKey.private, label: 'stranger' },
            { privateKey: lockedKey.private, passphrase: 'wrong passphrase', label: 'locked' },
          ],
          password: 'not-the-password',
        },
        events,
      ),
      'SSH_AUTH_FAILED',
    );
    expect(err.message).toMatch(/Authentication as alice on 127\.0\.0\.1:\d+ failed: tried publickey \(stranger\), password; the server accepts password, publickey/);
    expect(err.message).toMatch(/locked: wrong or missing passphrase/);
    expect(err.message).toMatch(/the server accepts/);
    const everything = JSON.stringify([err.message, err.fields, events]);
    for (const secret of ['not-the-password', 'wrong passphrase', PASSWORD, PASSPHRASE, 'PRIVATE KEY']) expect(everything).not.toContain(secret);
  });

  it('skips methods the server does not accept', async () => {
    const before = server.stats.authAttempts.length;
    const info = await connectAs('keyonly', { password: 'whatever', keys: [{ privateKey: userKey.private }] });
    expect(info.hops[0]!.auth.method).toBe('publickey');
    expect(server.stats.authAttempts.slice(before).map((a) => a.method)).not.toContain('password');
  });

  it('an agent socket that does not answer is noted and skipped', async () => {
    const info = await connectAs('alice', { agent: join(tmp.dir, 'no-such-agent.sock'), password: PASSWORD });
    expect(info.hops[0]!.auth).toEqual({ method: 'password' });
    await engine!.dispose();
    await expectCode(connectAs('alice', { agent: join(tmp.dir, 'no-such-agent.sock') }), 'SSH_AUTH_FAILED', /the SSH agent could not be used/);
  });

  it('no credentials at all is an auth failure that says so', async () => {
    await expectCode(connectAs('alice', {}), 'SSH_AUTH_FAILED', /no usable credentials/);
  });

  it('a failing credential provider (vault locked) surfaces its own error', async () => {
    engine = makeEngine({
      hostKeys,
      credentials: () => {
        throw new BulwarkError('VAULT_LOCKED', 'The vault is locked.');
      },
    });
    await expectCode(engine.connect({ host: '127.0.0.1', port: server.port, user: 'alice' }), 'VAULT_LOCKED');
  });
});

describe.skipIf(!hasTool(SSH_AGENT) || !hasTool(SSH_ADD) || !hasTool(SSH_KEYGEN))('authentication by ssh-agent', () => {
  let agent: ChildProcess;
  const sock = join(tmp.dir, 'agent.sock');
  beforeAll(async () => {
    agent = spawn(SSH_AGENT, ['-D', '-a', sock], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
    const keyFile = join(tmp.dir, 'id_agent');
    writeFileSync(keyFile, userKey.private, { mode: 0o600 });
    run(SSH_ADD, ['-q', keyFile], { ...process.env, SSH_AUTH_SOCK: sock });
  });
  afterAll(() => {
    if (agent.pid) process.kill(agent.pid, 'SIGTERM');
  });

  it('uses a real ssh-agent given by socket path', async () => {
    const info = await connectAs('alice', { agent: sock });
    expect(info.hops[0]!.auth).toEqual({ method: 'agent' });
  });

  it('uses $SSH_AUTH_SOCK for agent: true, before the password', async () => {
    const saved = process.env.SSH_AUTH_SOCK;
    process.env.SSH_AUTH_SOCK = sock;
    try {
      const info = await connectAs('alice', { agent: true, password: PASSWORD });
      expect(info.hops[0]!.auth).toEqual({ method: 'agent' });
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
    }
  });

  it('notes a missing agent and goes on', async () => {
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const info = await connectAs('alice', { agent: true, password: PASSWORD });
      expect(info.hops[0]!.auth).toEqual({ method: 'password' });
      await engine!.dispose();
      await expectCode(connectAs('alice', { agent: true }), 'SSH_AUTH_FAILED', /SSH_AUTH_SOCK is not set/);
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
  });
});
