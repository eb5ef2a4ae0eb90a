/**
 * The SSH engine against real Debian hosts (tests/fleet): trust on first use, refusal after the
 * host comes back with a new host key, real sudo with a password on stdin, ProxyJump through a
 * fleet host, and authentication through a real ssh-agent.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { HostKeyStore, SshEngine, type Credentials } from '../../../main/services/ssh';
import { Vault } from '../../../main/services/vault';
import { startFleet, type Fleet, type FleetHost } from '../../fleet/fleet';

const setup = inject('bulwarkFleet');

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return e instanceof BulwarkError ? e.code : String(e);
  }
}

describe.skipIf(!setup)('SSH engine on real hosts', () => {
  let fleet: Fleet;
  let dir: string;
  let vault: Vault;
  let hostKeys: HostKeyStore;
  let a: FleetHost;
  let b: FleetHost;
  let testKey: string;
  const engines: SshEngine[] = [];
  const engine = (credentials: Credentials) => {
    const e = new SshEngine({ hostKeys, credentials: () => credentials, readyTimeoutMs: 15_000 });
    engines.push(e);
    return e;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-ssh-it-'));
    vault = new Vault({ path: join(dir, 'vault.db'), kdf: { N: 2 ** 14, r: 8, p: 1 } });
    vault.create('granite orbit lantern 47 meadow');
    hostKeys = new HostKeyStore(vault);
    fleet = await startFleet({ count: 2, variant: 'mixed' });
    [a, b] = fleet.hosts as [FleetHost, FleetHost];
    testKey = readFileSync(fleet.testKey.privateKeyPath, 'utf8');
  }, 300_000);

  afterAll(async () => {
    for (const e of engines) await e.dispose();
    await fleet?.stop();
    vault?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trust on first use, then refusal after the host restarts with a new host key', async () => {
    const ssh = engine({ keys: [{ privateKey: testKey, label: 'fleet test key' }] });
    const target = { host: a.address, user: 'root' };
    expect(await codeOf(ssh.exec(target, 'true'))).toBe('UNKNOWN_HOST_KEY');

    const probe = await ssh.probeHostKey(a.address, 22);
    expect(probe.status).toBe('unknown');
    expect(probe.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    // what the engine shows is one of the keys the host really has, as ssh-keygen prints it
    const hostFingerprints = a.hostPublicKeys.map((line) => {
      const out = execFileSync('ssh-keygen', ['-l', '-f', '-'], { input: `${line}\n` }).toString();
      return out.split(' ')[1];
    });
    expect(hostFingerprints).toContain(probe.fingerprint);
    ssh.trust(a.address, 22, probe.key);
    expect((await ssh.exec(target, 'hostname')).stdout.trim()).toBe(a.name);
    await ssh.dispose();

    await fleet.restartHost(a.name, { regenerateHostKeys: true });
    const after = engine({ keys: [{ privateKey: testKey }] });
    let err: unknown;
    try {
      await after.exec(target, 'true');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BulwarkError);
    expect((err as BulwarkError).code).toBe('HOST_KEY_CHANGED');
    expect((err as BulwarkError).message).toMatch(/host key changed/i);
  });

  it('sudo with the password on stdin works, and a wrong password is refused', async () => {
    const ssh = engine({ keys: [{ privateKey: testKey }] });
    const probe = await ssh.probeHostKey(b.address, 22);
    ssh.trust(b.address, 22, probe.key);
    const target = { host: b.address, user: 'admin' };
    const ok = await ssh.sudo(target, 'id -u', { password: b.adminPassword, timeoutMs: 30_000 });
    expect(ok.stdout.trim()).toBe('0');
    expect(ok.stdout).not.toContain(b.adminPassword);
    expect(await codeOf(ssh.sudo(target, 'id -u', { password: 'not-the-password', timeoutMs: 30_000 }))).toBe('SUDO_AUTH_FAILED');
  });

  it('reaches a host through a jump host, each hop verified', async () => {
    const ssh = engine({ keys: [{ privateKey: testKey }] });
    for (const h of [a, b]) {
      const probe = await ssh.probeHostKey(h.address, 22);
      if (probe.status !== 'trusted') ssh.trust(h.address, 22, probe.key, { replace: true });
    }
    const viaJump = await ssh.exec({ host: b.address, user: 'root', jump: `root@${a.address}` }, 'echo "$SSH_CONNECTION"');
    // b sees the connection coming from a, not from the test machine
    expect(viaJump.stdout.split(' ')[0]).toBe(a.address);
  });

  it('authenticates through a real ssh-agent', async () => {
    const sock = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50; i++) {
        try {
          execFileSync('ssh-add', [fleet.testKey.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const ssh = engine({ agent: sock });
      const conn = await ssh.connect({ host: b.address, user: 'root' });
      expect(JSON.stringify(conn)).toMatch(/agent/);
      expect((await ssh.exec({ host: b.address, user: 'root' }, 'whoami')).stdout.trim()).toBe('root');
    } finally {
      agent.kill();
    }
  });
});
