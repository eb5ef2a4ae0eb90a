/**
 * `bulwark hosts set-sudo-password|clear-sudo-password|set-login-key`, checked against what the
 * vault holds afterwards (read back through the services, as the SSH engine would).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { openVault } from '../../../main/cli/services';
import { Cli, PASSPHRASE } from './harness';

let cli: Cli;
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
  await cli.ok(['hosts', 'add', 'web1', '--address', '10.0.0.5', '--user', 'admin']);
  await cli.ok(['keys', 'gen', '--name', 'deploy']);
});
afterEach(() => cli.cleanup());

/** What the vault holds for web1: its sudo password and login key id. */
async function stored(): Promise<{ sudo: string | undefined; loginKeyId: string | null; deployId: string | undefined }> {
  const h = openVault(cli.vault, cli.baseEnv());
  try {
    h.vault.unlock(PASSPHRASE);
    const host = h.hosts.findByName('web1')!;
    return { sudo: h.hostSecrets.sudoPassword(host.id), loginKeyId: host.loginKeyId, deployId: h.keys.findByName('deploy')?.id };
  } finally {
    await h.close();
  }
}

describe('bulwark hosts set-sudo-password', () => {
  it('reads one line from a piped stdin, exactly (spaces, quotes, no newline)', async () => {
    const pw = ` it's "spaced" $(x) `;
    const r = await cli.run(['hosts', 'set-sudo-password', 'WEB1'], { stdin: `${pw}\r\n` });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('Stored the sudo password of admin on web1\n');
    expect(r.stdout + r.stderr).not.toContain(pw.trim());
    expect((await stored()).sudo).toBe(pw);

    const json = await cli.run(['--json', 'hosts', 'set-sudo-password', 'web1'], { stdin: 'second' });
    expect(JSON.parse(json.stdout)).toEqual({ host: 'web1', user: 'admin', sudoPassword: true });
    expect((await stored()).sudo).toBe('second');
  });

  it('asks twice without echo on a terminal, and refuses two different answers', async () => {
    // the vault passphrase comes from the prompt too here: it is asked first
    const env = { BULWARK_PASSPHRASE: undefined };
    await cli.ok(['hosts', 'set-sudo-password', 'web1'], { env, prompts: [PASSPHRASE, 'typed-pw', 'typed-pw'] });
    expect(cli.shownPrompts).toEqual(['Vault passphrase: ', 'sudo password of admin on web1: ', 'Repeat the sudo password: ']);
    expect((await stored()).sudo).toBe('typed-pw');

    const r = await cli.run(['hosts', 'set-sudo-password', 'web1'], { env, prompts: [PASSPHRASE, 'one', 'other'] });
    expect(r.code).toBe(ExitCode.VALIDATION);
    expect(r.stderr).toContain('the two sudo passwords do not match');
    expect((await stored()).sudo).toBe('typed-pw');
  });

  it('refuses empty or multi-line stdin, an unknown host, and the password on argv', async () => {
    expect((await cli.run(['hosts', 'set-sudo-password', 'web1'], { stdin: '' })).code).toBe(ExitCode.USAGE);
    expect((await cli.run(['hosts', 'set-sudo-password', 'web1'], { stdin: '\n' })).code).toBe(ExitCode.USAGE);
    const two = await cli.run(['hosts', 'set-sudo-password', 'web1'], { stdin: 'a\nb\n' });
    expect(two.code).toBe(ExitCode.VALIDATION);
    expect(two.stderr).toContain('one line');
    const unknown = await cli.run(['hosts', 'set-sudo-password', 'nope'], { stdin: 'pw\n' });
    expect(unknown.code).toBe(ExitCode.NOT_FOUND);
    const argv = await cli.run(['hosts', 'set-sudo-password', 'web1', '--password=hunter2'], { stdin: 'pw\n' });
    expect(argv.code).toBe(ExitCode.USAGE);
    expect(argv.stderr).not.toContain('hunter2');
    expect((await stored()).sudo).toBeUndefined();
  });

  it('notes that sudo is not used on a host that logs in as root', async () => {
    await cli.ok(['hosts', 'add', 'pve1', '--address', '10.0.0.6']);
    const r = await cli.run(['hosts', 'set-sudo-password', 'pve1'], { stdin: 'pw\n' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('pve1 logs in as root');
  });
});

describe('bulwark hosts clear-sudo-password', () => {
  it('removes it, and says so when there was none', async () => {
    await cli.ok(['hosts', 'set-sudo-password', 'web1'], { stdin: 'pw\n' });
    expect(await cli.ok(['hosts', 'clear-sudo-password', 'web1'])).toBe('Removed the sudo password of web1\n');
    expect((await stored()).sudo).toBeUndefined();
    expect(JSON.parse(await cli.ok(['--json', 'hosts', 'clear-sudo-password', 'web1']))).toEqual({ host: 'web1', cleared: false });
    expect((await cli.run(['hosts', 'clear-sudo-password', 'nope'])).code).toBe(ExitCode.NOT_FOUND);
  });

  it('says when sudo will fall back to a stored login password', async () => {
    const h = openVault(cli.vault, cli.baseEnv());
    try {
      h.vault.unlock(PASSPHRASE);
      h.hostSecrets.set(h.hosts.findByName('web1')!.id, 'loginPassword', 'login-pw');
    } finally {
      await h.close();
    }
    await cli.ok(['hosts', 'set-sudo-password', 'web1'], { stdin: 'sudo-pw\n' });
    const r = await cli.run(['hosts', 'clear-sudo-password', 'web1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('sudo on web1 will use its stored login password');
    expect((await stored()).sudo).toBe('login-pw');
  });
});

describe('bulwark hosts set-login-key', () => {
  it('sets the key by name, and --none clears it', async () => {
    const out = await cli.ok(['hosts', 'set-login-key', 'web1', 'DEPLOY']);
    expect(out).toContain('web1 logs in with deploy only');
    expect(out).toContain('bulwark keys deploy deploy --hosts web1');
    const s = await stored();
    expect(s.loginKeyId).toBe(s.deployId);
    // the rest of the host is untouched
    expect(await cli.hosts()).toMatchObject([{ name: 'web1', address: '10.0.0.5', user: 'admin', loginKeyId: s.deployId }]);

    const none = JSON.parse(await cli.ok(['--json', 'hosts', 'set-login-key', 'web1', '--none']));
    expect(none).toEqual({ host: 'web1', loginKey: null });
    expect((await stored()).loginKeyId).toBeNull();
  });

  it('needs exactly one of KEYNAME and --none; unknown names are exit 8', async () => {
    expect((await cli.run(['hosts', 'set-login-key', 'web1'])).code).toBe(ExitCode.USAGE);
    expect((await cli.run(['hosts', 'set-login-key', 'web1', 'deploy', '--none'])).code).toBe(ExitCode.USAGE);
    expect((await cli.run(['hosts', 'set-login-key', 'web1', 'nokey'])).code).toBe(ExitCode.NOT_FOUND);
    expect((await cli.run(['hosts', 'set-login-key', 'nohost', 'deploy'])).code).toBe(ExitCode.NOT_FOUND);
    expect((await stored()).loginKeyId).toBeNull();
  });

  it('a login key in use cannot be deleted from the vault', async () => {
    await cli.ok(['hosts', 'set-login-key', 'web1', 'deploy']);
    const r = await cli.run(['keys', 'rm', 'deploy']);
    expect(r.code).toBe(ExitCode.CONFLICT);
    expect(r.stderr).toContain('login key of 1 host (web1)');
    await cli.ok(['hosts', 'set-login-key', 'web1', '--none']);
    await cli.ok(['keys', 'rm', 'deploy']);
  });
});
