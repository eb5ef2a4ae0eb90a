/**
 * `bulwark ssh exec` against the in-process ssh2 server (real SSH over loopback, commands run by
 * a real /bin/sh): exit status pass-through, quoting, --json, --timeout, --sudo, Ctrl-C, and the
 * connection failures that keep Bulwark's own exit codes.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { remoteStatus } from '../../../main/cli/commands/ssh-exec';
import { type KeyPair, makeKey } from '../ssh/helpers';
import { type TestServer, startServer } from '../ssh/test-server';
import { Cli, ManualInterrupts, closedPort, startChild, tempDir, waitFor } from './harness';

const SUDO_PASSWORD = "pw with 'quotes' and $(dollar)";
/** sudo -n says a password is needed; sudo -S checks the first stdin line against $FAKE_SUDO_PW_FILE. */
const FAKE_SUDO = `#!/bin/sh
nonint=0
while [ $# -gt 0 ]; do
  case "$1" in -n) nonint=1 ;; -S|-k) ;; -p) shift ;; --) shift; break ;; *) break ;; esac
  shift
done
if [ $nonint = 1 ]; then echo "sudo: a password is required" >&2; exit 1; fi
IFS= read -r pw || pw=
if [ "$pw" != "$(cat "$FAKE_SUDO_PW_FILE")" ]; then echo "Sorry, try again." >&2; echo "sudo: 1 incorrect password attempt" >&2; exit 1; fi
SUDO_USER=$USER exec "$@"
`;

let server: TestServer;
let key: KeyPair;
const scratch = tempDir('bulwark-exec-');

beforeAll(async () => {
  key = makeKey({ comment: 'exec-test' });
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'sudo'), FAKE_SUDO);
  chmodSync(join(bin, 'sudo'), 0o755);
  writeFileSync(join(scratch, 'sudo-pw'), SUDO_PASSWORD);
  server = await startServer({
    users: { alice: { keys: [key.parsed] }, bob: { password: 'bob pw' } },
    binDir: bin,
    env: { FAKE_SUDO_PW_FILE: join(scratch, 'sudo-pw') },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

let cli: Cli;
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
  await cli.ok(['keys', 'import', cli.write('id_test', key.private), '--name', 'k']);
  await cli.ok(['hosts', 'add', 'lab', '--address', '127.0.0.1', '--port', String(server.port), '--user', 'alice']);
});
afterEach(() => cli.cleanup());

describe('bulwark ssh exec: host keys are never trusted implicitly', () => {
  it('an unpinned host key is exit 10, says to run "ssh trust", and sends nothing', async () => {
    const before = server.stats.authAttempts.length;
    const r = await cli.run(['ssh', 'exec', 'lab', '--', 'true']);
    expect(r.code).toBe(ExitCode.HOST_KEY);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(server.fingerprint);
    expect(r.stderr).toContain('Run "bulwark ssh trust lab"');
    expect(server.stats.authAttempts.length).toBe(before);
  });
});

describe('bulwark ssh exec on a trusted host', () => {
  beforeEach(async () => {
    await cli.ok(['ssh', 'trust', 'lab']);
  });

  it("passes stdout, stderr and the remote exit status through", async () => {
    const r = await cli.run(['ssh', 'exec', 'lab', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    const ok = await cli.run(['ssh', 'exec', 'LAB', '--', 'printf', 'no newline']);
    expect(ok).toEqual({ code: 0, stdout: 'no newline', stderr: '' });
  });

  it('quotes every word, so each reaches the program as one argument and nothing is evaluated', async () => {
    const words = ['a b', "it's", '$HOME', '`id`', '; echo pwned', '*', '--json', ''];
    const r = await cli.run(['ssh', 'exec', 'lab', '--', 'printf', '[%s]\\n', ...words]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(words.map((w) => `[${w}]\n`).join(''));
    expect(server.stats.commands.at(-1)).toBe(`'printf' '[%s]\\n' 'a b' 'it'\\''s' '$HOME' '\`id\`' '; echo pwned' '*' '--json' ''`);
  });

  it('--json prints {host, code, signal, stdout, stderr} and still exits with the remote status', async () => {
    const r = await cli.run(['ssh', 'exec', 'lab', '--json', '--', 'sh', '-c', 'echo hi; echo oops >&2; exit 7']);
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout)).toEqual({ host: 'lab', code: 7, signal: null, stdout: 'hi\n', stderr: 'oops\n' });
    expect(r.stderr).toBe('');
  });

  it('a command killed by signal N exits 128+N', async () => {
    // the login shell itself dies (the server's `sh -c` runs the command as its child)
    const r = await cli.run(['--json', 'ssh', 'exec', 'lab', '--', 'sh', '-c', 'kill -TERM $PPID']);
    expect(r.code).toBe(128 + 15);
    expect(JSON.parse(r.stdout)).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(r.stderr).toContain('killed by SIGTERM');
  });

  it('--timeout stops the command and exits 124', async () => {
    const t0 = Date.now();
    const r = await cli.run(['ssh', 'exec', 'lab', '--timeout', '1', '--', 'sleep', '30']);
    expect(r.code).toBe(ExitCode.COMMAND_TIMEOUT);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.stderr).toMatch(/did not finish within 1 s; it was stopped/);
    expect(server.stats.signals).toContain('KILL');
  });

  it('--sudo runs through sudo with the password stored by "hosts set-sudo-password"', async () => {
    const without = await cli.run(['ssh', 'exec', 'lab', '--sudo', '--', 'sh', '-c', 'echo "as $SUDO_USER"']);
    expect(without.code).toBe(ExitCode.FAILURE);
    expect(without.stderr).toContain('needs alice\'s password and none was given');
    expect(without.stderr).toContain('bulwark hosts set-sudo-password lab');

    await cli.ok(['hosts', 'set-sudo-password', 'lab'], { stdin: `${SUDO_PASSWORD}\n` });
    const r = await cli.run(['ssh', 'exec', 'lab', '--sudo', '--', 'sh', '-c', 'echo "as $SUDO_USER"; exit 4']);
    expect(r).toEqual({ code: 4, stdout: 'as alice\n', stderr: '' });
    // the password went to sudo's stdin, never into a command line
    expect(server.stats.commands.join('\n')).not.toContain('quotes');
  });

  it('logs in by the password stored with "hosts set-login-password" when no key gets in', async () => {
    await cli.ok(['hosts', 'add', 'pw', '--address', '127.0.0.1', '--port', String(server.port), '--user', 'bob']);
    const without = await cli.run(['ssh', 'exec', 'pw', '--', 'true']);
    expect(without.code).toBe(ExitCode.REMOTE_AUTH);
    await cli.ok(['hosts', 'set-login-password', 'pw'], { stdin: 'bob pw\n' });
    expect(await cli.run(['ssh', 'exec', 'pw', '--', 'echo', 'in']).then((r) => r.stdout)).toBe('in\n');
    expect(server.stats.commands.join('\n')).not.toContain('bob pw');
    const cleared = await cli.ok(['hosts', 'clear-login-password', 'pw']);
    expect(cleared).toBe('Removed the login password of pw\n');
    expect((await cli.run(['ssh', 'exec', 'pw', '--', 'true'])).code).toBe(ExitCode.REMOTE_AUTH);
  });

  it('Ctrl-C stops the remote command and exits 130', async () => {
    const interrupts = new ManualInterrupts();
    const running = cli.run(['ssh', 'exec', 'lab', '--', 'sleep', '30'], { interrupts });
    await waitFor(() => interrupts.listening && server.stats.activeExecs > 0, 'the command to start');
    const t0 = Date.now();
    interrupts.fire();
    const r = await running;
    expect(r.code).toBe(ExitCode.INTERRUPTED);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(r.stderr).toContain('interrupted; the remote command was stopped');
    expect(server.stats.signals).toContain('KILL');
  });

  it('a real SIGINT to the bulwark process does the same', async () => {
    const marker = `sigint-${process.hrtime.bigint()}`;
    const c = startChild(['ssh', 'exec', 'lab', '--', 'sh', '-c', `echo ${marker}; sleep 30`], cli.baseEnv() as Record<string, string>);
    c.child.stdin.end();
    await waitFor(() => server.stats.commands.some((x) => x.includes(marker)), 'the command to start', 30_000);
    c.child.kill('SIGINT');
    const r = await c.done;
    expect(r.code).toBe(ExitCode.INTERRUPTED);
    expect(r.stderr).toContain('interrupted; the remote command was stopped');
  }, 40_000);
});

describe('bulwark ssh exec: failures before the command runs keep their own exit codes', () => {
  it('authentication refused is exit 12', async () => {
    await cli.ok(['hosts', 'add', 'eve', '--address', '127.0.0.1', '--port', String(server.port), '--user', 'eve']);
    await cli.ok(['ssh', 'trust', 'eve']);
    const r = await cli.run(['ssh', 'exec', 'eve', '--', 'true']);
    expect(r.code).toBe(ExitCode.REMOTE_AUTH);
    expect(r.stderr).toMatch(/^bulwark: Authentication as eve .*failed/m);
  });

  it('an unreachable host is exit 11', async () => {
    await cli.ok(['hosts', 'add', 'dead', '--address', '127.0.0.1', '--port', String(await closedPort())]);
    const r = await cli.run(['ssh', 'exec', 'dead', '--', 'true']);
    expect(r.code).toBe(ExitCode.UNREACHABLE);
    expect(r.stderr).toMatch(/unreachable|refused/);
  });

  it('usage errors are exit 2, an unknown host exit 8', async () => {
    const usage = [
      ['ssh', 'exec', 'lab', 'true'], // no --
      ['ssh', 'exec', '--', 'lab', 'true'], // host after --
      ['ssh', 'exec', 'lab', '--'], // no command
      ['ssh', 'exec', 'lab', '--timeout', '0', '--', 'true'],
      ['ssh', 'exec', 'lab', '--timeout', '1.5', '--', 'true'],
    ];
    for (const args of usage) {
      const r = await cli.run(args);
      expect({ args, code: r.code }).toEqual({ args, code: ExitCode.USAGE });
      expect(r.stdout).toBe('');
    }
    expect((await cli.run(['ssh', 'exec', 'lab', 'true'])).stderr).toContain('put the remote command after --');
    const unknown = await cli.run(['ssh', 'exec', 'nope', '--', 'true']);
    expect(unknown.code).toBe(ExitCode.NOT_FOUND);
    expect(unknown.stderr).toContain('no host named "nope"');
  });
});

describe('remoteStatus', () => {
  it('maps exit codes, signals and "nothing reported"', () => {
    expect(remoteStatus({ code: 0, signal: null })).toBe(0);
    expect(remoteStatus({ code: 255, signal: null })).toBe(255);
    expect(remoteStatus({ code: null, signal: 'SIGKILL' })).toBe(137);
    expect(remoteStatus({ code: null, signal: 'HUP' })).toBe(129);
    expect(remoteStatus({ code: null, signal: 'SIGBOGUS' })).toBe(ExitCode.NO_EXIT_STATUS);
    expect(remoteStatus({ code: null, signal: null })).toBe(ExitCode.NO_EXIT_STATUS);
  });
});
