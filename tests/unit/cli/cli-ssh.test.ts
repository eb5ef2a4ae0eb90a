import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { openVault } from '../../../main/cli/services';
import { HostKeyStore, fingerprintOf } from '../../../main/services/ssh';
import { makeKey } from '../ssh/helpers';
import { type TestServer, startServer } from '../ssh/test-server';
import { Cli, PASSPHRASE, closedPort } from './harness';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ users: { alice: { password: 'unused-password-123' } } });
});
afterAll(() => server.close());

let cli: Cli;
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
  await cli.ok(['hosts', 'add', 'lab', '--address', '127.0.0.1', '--port', String(server.port), '--user', 'alice']);
});
afterEach(() => cli.cleanup());

/** Pins `blob` for host:port directly in the vault (as a stale pin would be). */
async function pin(port: number, blob: Buffer): Promise<void> {
  const h = openVault(cli.vault, cli.baseEnv());
  try {
    h.vault.unlock(PASSPHRASE);
    new HostKeyStore(h.vault).trust('127.0.0.1', port, blob);
  } finally {
    await h.close();
  }
}

describe('bulwark ssh trust', () => {
  it("pins the server's key, prints its fingerprint, and says so when it is already trusted", async () => {
    const first = await cli.run(['ssh', 'trust', 'lab']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(`lab  ssh-ed25519  ${server.fingerprint}  trusted (pinned)\n`);

    const again = await cli.run(['ssh', 'trust', 'LAB']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`lab  ssh-ed25519  ${server.fingerprint}  already trusted\n`);

    const json = JSON.parse(await cli.ok(['--json', 'ssh', 'trust', 'lab'])) as unknown;
    expect(json).toEqual([{ host: 'lab', fingerprint: server.fingerprint, keyType: 'ssh-ed25519', status: 'already-trusted' }]);
    expect(server.stats.authAttempts).toEqual([]);
  });

  it('refuses a different pinned key with both fingerprints (exit 10) unless --replace', async () => {
    const stale = makeKey();
    await pin(server.port, stale.blob);
    const staleFp = fingerprintOf(stale.blob);

    const r = await cli.run(['--json', 'ssh', 'trust', 'lab']);
    expect(r.code).toBe(ExitCode.HOST_KEY);
    const [res] = JSON.parse(r.stdout) as Array<{ status: string; error: string; fingerprint: string }>;
    expect(res).toMatchObject({ host: 'lab', status: 'changed', fingerprint: server.fingerprint });
    expect(res!.error).toContain(staleFp);
    expect(res!.error).toContain(server.fingerprint);
    expect(r.stderr).toContain('HOST KEY CHANGED for lab');
    expect(r.stderr).toContain('--replace');

    const human = await cli.run(['ssh', 'trust', 'lab']);
    expect(human.code).toBe(ExitCode.HOST_KEY);
    expect(human.stdout).toBe(`lab  ssh-ed25519  ${server.fingerprint}  CHANGED (not pinned)\n`);

    const replaced = await cli.run(['ssh', 'trust', 'lab', '--replace']);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toBe(`lab  ssh-ed25519  ${server.fingerprint}  trusted (pinned)\n`);
    expect((await cli.run(['ssh', 'trust', 'lab'])).stdout).toContain('already trusted');
  });

  it('reports an unreachable host, carries on with the others, and exits non-zero at the end', async () => {
    await cli.ok(['hosts', 'add', 'dead', '--address', '127.0.0.1', '--port', String(await closedPort())]);
    const r = await cli.run(['ssh', 'trust', 'dead', 'lab']);
    expect(r.code).toBe(ExitCode.UNREACHABLE);
    expect(r.stdout).toBe(`dead  -  -  failed\nlab  ssh-ed25519  ${server.fingerprint}  trusted (pinned)\n`);
    expect(r.stderr).toMatch(/^bulwark: dead: .*unreachable/m);
    expect(r.stderr).toContain('bulwark: 1 of 2 hosts not trusted');

    const json = await cli.run(['--json', 'ssh', 'trust', 'lab', 'dead']);
    expect(json.code).toBe(ExitCode.UNREACHABLE);
    const results = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(results.map((x) => [x.host, x.status])).toEqual([
      ['lab', 'already-trusted'],
      ['dead', 'failed'],
    ]);
    expect(results[1]).toMatchObject({ fingerprint: null, keyType: null, error: expect.stringMatching(/unreachable/) });
  });

  it('an unknown host name is exit 8 before anything is probed; no name is exit 2', async () => {
    const r = await cli.run(['ssh', 'trust', 'lab', 'nope']);
    expect(r.code).toBe(ExitCode.NOT_FOUND);
    expect(r.stdout).toBe('');
    expect((await cli.run(['ssh', 'trust'])).code).toBe(ExitCode.USAGE);
  });
});
