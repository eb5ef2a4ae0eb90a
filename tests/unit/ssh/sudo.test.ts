/**
 * sudo over a real in-process server. The server runs commands in a real sh with a fake `sudo`
 * first in PATH that behaves like sudo 1.9 for -n/-S/-p/-k: it reads ONE line from stdin as the
 * password when the policy wants one, prints sudo's messages, then execs the command.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostKeyStore, type SshEngine, type SshEvent, sudoCommand } from '../../../main/services/ssh';
import { testVault, expectCode, makeEngine, tempDir } from './helpers';
import { type TestServer, startServer } from './test-server';

const SUDO_PASSWORD = "s3cret 'quoted' $(pw) \\ end";
const FAKE_SUDO = `#!/bin/sh
# fake sudo: mode and password come from $FAKE_SUDO_DIR
mode=$(cat "$FAKE_SUDO_DIR/mode")
nonint=0; stdin=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) nonint=1 ;;
    -S) stdin=1 ;;
    -k) ;;
    -p) shift; printf '%s' "$1" >&2 ;;
    --) shift; break ;;
    -*) echo "sudo: unknown option $1" >&2; exit 1 ;;
    *) break ;;
  esac
  shift
done
echo "argv: $*" >> "$FAKE_SUDO_DIR/log"
case "$mode" in
  nopasswd) ;;
  password|denied)
    if [ $nonint = 1 ]; then echo "sudo: a password is required" >&2; exit 1; fi
    if [ $stdin = 0 ]; then echo "sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper" >&2; exit 1; fi
    if ! IFS= read -r pw; then echo "sudo: no password was provided" >&2; echo "sudo: 1 incorrect password attempt" >&2; exit 1; fi
    if [ "$pw" != "$(cat "$FAKE_SUDO_DIR/password")" ]; then
      echo "Sorry, try again." >&2
      echo "sudo: 1 incorrect password attempt" >&2
      exit 1
    fi
    echo "password accepted" >> "$FAKE_SUDO_DIR/log"
    if [ "$mode" = denied ]; then echo "sudo: $USER is not in the sudoers file." >&2; exit 1; fi
    ;;
esac
exec "$@"
`;

const tmp = tempDir();
const bin = join(tmp.dir, 'bin');
const state = join(tmp.dir, 'state');
let server: TestServer;
let engine: SshEngine;
const events: SshEvent[] = [];
const target = () => ({ host: '127.0.0.1', port: server.port, user: 'alice' });
const setMode = (m: 'nopasswd' | 'password' | 'denied') => writeFileSync(join(state, 'mode'), m);
const log = () => readFileSync(join(state, 'log'), 'utf8');

beforeAll(async () => {
  mkdirSync(bin);
  mkdirSync(state);
  writeFileSync(join(bin, 'sudo'), FAKE_SUDO);
  chmodSync(join(bin, 'sudo'), 0o755);
  writeFileSync(join(state, 'password'), SUDO_PASSWORD);
  server = await startServer({ users: { alice: { password: 'login-pw' }, root: { password: 'root-pw' } }, binDir: bin, env: { FAKE_SUDO_DIR: state } });
  const hostKeys = new HostKeyStore(testVault());
  hostKeys.trust('127.0.0.1', server.port, server.hostKey.blob);
  engine = makeEngine({ hostKeys, credentials: (h) => ({ password: h.user === 'root' ? 'root-pw' : 'login-pw' }), onEvent: (e) => events.push(e) });
});
afterAll(async () => {
  await engine.dispose();
  await server.close();
  tmp.cleanup();
});
beforeEach(() => writeFileSync(join(state, 'log'), ''));

describe('sudo', () => {
  it('builds the documented command lines', () => {
    expect(sudoCommand("echo 'hi'", 'password')).toBe(`env LC_ALL=C sudo -S -p '' -k -- sh -c 'echo '\\''hi'\\'''`);
    expect(sudoCommand('id -u', 'nopasswd')).toBe(`env LC_ALL=C sudo -n -k -- sh -c 'id -u'`);
  });

  it('writes the password to stdin, never on a command line; the prompt stays out of stdout', async () => {
    setMode('password');
    const cmdsBefore = server.stats.commands.length;
    const r = await engine.sudo(target(), `printf '%s\\n' "it's" "$HOME"; echo to-err >&2`, { password: SUDO_PASSWORD });
    expect(r).toMatchObject({ stdout: "it's\n/tmp\n", stderr: 'to-err\n', code: 0, signal: null });
    expect(log()).toContain('password accepted');
    const sent = server.stats.commands.slice(cmdsBefore);
    expect(sent).toHaveLength(2); // sudo -n first (refused: a password is required), then -S
    expect(sent[0]).toMatch(/^env LC_ALL=C sudo -n -k -- sh -c '/);
    expect(sent[1]).toMatch(/^env LC_ALL=C sudo -S -p '' -k -- sh -c '/);
    for (const c of sent) {
      expect(c).not.toContain(SUDO_PASSWORD);
      expect(c).not.toContain('s3cret');
    }
    expect(JSON.stringify(events)).not.toContain('s3cret');
  });

  it('passes the caller stdin through after the password line', async () => {
    setMode('password');
    const r = await engine.sudo(target(), 'cat', { password: SUDO_PASSWORD, stdin: 'payload line\n' });
    expect(r.stdout).toBe('payload line\n');
  });

  it('a reply reaches the command as root after the password line, in both modes, once', async () => {
    for (const mode of ['password', 'nopasswd'] as const) {
      setMode(mode);
      const replies: string[] = [];
      const r = await engine.sudo(target(), 'read a; echo "facts $a"; read b; echo "then $b"', {
        password: SUDO_PASSWORD,
        stdin: 'first\n',
        reply: { after: 'facts', write: async (so) => (replies.push(so.toString()), 'second\n') },
      });
      expect(r.stdout).toBe('facts first\nthen second\n');
      // the refused `sudo -n` attempt (password mode) printed nothing, so it was never answered
      expect(replies).toEqual(['facts first\n']);
    }
  });

  it('NOPASSWD: one call, no password written, stdin untouched', async () => {
    setMode('nopasswd');
    const cmdsBefore = server.stats.commands.length;
    const r = await engine.sudo(target(), 'cat; echo "[eof]"', { password: SUDO_PASSWORD, stdin: 'only this\n' });
    expect(r.stdout).toBe('only this\n[eof]\n'); // the password did not reach the command
    expect(server.stats.commands.slice(cmdsBefore)).toEqual([expect.stringMatching(/^env LC_ALL=C sudo -n -k -- sh -c /)]);
    // no password needed, none given: fine
    expect((await engine.sudo(target(), 'echo ok')).stdout).toBe('ok\n');
  });

  it('a wrong password is SUDO_AUTH_FAILED and runs nothing', async () => {
    setMode('password');
    const marker = join(tmp.dir, 'should-not-exist');
    const err = await expectCode(engine.sudo(target(), `touch ${marker}`, { password: 'wrong password' }), 'SUDO_AUTH_FAILED', /incorrect password/);
    expect(err.message).not.toContain('wrong password');
    expect(log()).not.toContain('password accepted');
    expect(existsSync(marker)).toBe(false);
  });

  it('a password needed but not given is SUDO_AUTH_FAILED', async () => {
    setMode('password');
    await expectCode(engine.sudo(target(), 'true'), 'SUDO_AUTH_FAILED', /needs alice's password/);
  });

  it('a user not allowed to sudo is SUDO_DENIED', async () => {
    setMode('denied');
    await expectCode(engine.sudo(target(), 'true', { password: SUDO_PASSWORD }), 'SUDO_DENIED', /may not run commands as root/);
  });

  it("the command's own failures are results, not sudo errors", async () => {
    setMode('password');
    const r = await engine.sudo(target(), 'echo "sudo: a password is required" >&2; exit 1', { password: SUDO_PASSWORD });
    // the first (sudo -n) attempt was refused by sudo itself; the second ran the command
    expect(r).toMatchObject({ code: 1, stderr: 'sudo: a password is required\n' });
    setMode('nopasswd');
    expect((await engine.sudo(target(), 'exit 7')).code).toBe(7);
  });

  it('timeoutMs bounds the whole sudo call', async () => {
    setMode('password');
    const t0 = Date.now();
    await expectCode(engine.sudo(target(), 'sleep 5', { password: SUDO_PASSWORD, timeoutMs: 600 }), 'TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('refuses passwords with line breaks and env', async () => {
    setMode('password');
    await expectCode(engine.sudo(target(), 'true', { password: 'a\nb' }), 'VALIDATION');
    await expectCode(engine.sudo(target(), 'true', { env: { A: 'b' } } as never), 'VALIDATION');
  });

  it('as root, runs the command directly (no sudo needed or installed)', async () => {
    const cmdsBefore = server.stats.commands.length;
    const r = await engine.sudo({ ...target(), user: 'root' }, 'echo "$0"', { password: 'unused' });
    expect(r.stdout).toBe('sh\n');
    expect(server.stats.commands.slice(cmdsBefore)).toEqual([`sh -c 'echo "$0"'`]);
  });

  it('sudo missing on the host is SUDO_DENIED', async () => {
    renameSync(join(bin, 'sudo'), join(bin, 'sudo.off'));
    try {
      // the test server's PATH has no real sudo either
      const r = await engine.exec(target(), 'command -v sudo || echo none');
      if (r.stdout.trim() !== 'none') return; // a real sudo exists on this machine: skip
      await expectCode(engine.sudo(target(), 'true'), 'SUDO_DENIED', /not installed/);
    } finally {
      renameSync(join(bin, 'sudo.off'), join(bin, 'sudo'));
    }
  });
});
