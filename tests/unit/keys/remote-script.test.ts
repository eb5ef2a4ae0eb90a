/**
 * The deploy/remove scripts run for real: `sh -c <script>` against temporary home directories.
 * As root, the "root edits another account's file" path runs too (as nobody), and a full disk
 * is a real 64 KiB tmpfs in a private mount namespace.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  KEY_SCRIPT_EXIT,
  addKey,
  deployKeyScript,
  parseKeyScriptOutput,
  parsePublicKeyLine,
  removeKey,
  removeKeyScript,
} from '../../../main/services/keys';
import { EXPECTED, expectCode, fixture, removeTempDirs, tempDir } from './helpers';

afterAll(removeTempDirs);
// every run forks a dozen processes and fsyncs twice: slow on a busy machine
vi.setConfig({ testTimeout: 60_000 });

const ME = userInfo().username;
const IS_ROOT = process.getuid?.() === 0;
const NOBODY = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
const NOBODY_UID = NOBODY.status === 0 ? Number(NOBODY.stdout.trim()) : -1;
const NOBODY_GID = NOBODY.status === 0 ? Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim()) : -1;
const CAN_DROP = IS_ROOT && NOBODY_UID > 0;
const CAN_TMPFS = IS_ROOT && spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { stdio: 'ignore' }).status === 0;

const NASTY = fixture('authorized_keys.nasty');
const pub = (name: string) => EXPECTED[name]!.publicKey;
const blob = (name: string) => pub(name).split(' ')[1]!;
const NEW_KEY = pub('pkcs8-rsa-3072');
const ED = 'openssh-ed25519';

/** Shells to run the scripts with: dash (Debian's sh) and bash in POSIX mode, when installed. */
const SHELLS = ['dash', 'bash'].filter((s) => spawnSync('sh', ['-c', `command -v ${s}`]).status === 0);

/** A PATH whose `sh` is `shell`, so the inner script runs in it too; extra shims go first. */
function pathFor(shell: string, shims: Record<string, string> = {}): string {
  const bin = tempDir('bulwark-bin-');
  const real = spawnSync('sh', ['-c', `command -v ${shell}`], { encoding: 'utf8' }).stdout.trim();
  symlinkSync(real, join(bin, 'sh'));
  for (const [name, body] of Object.entries(shims)) writeFileSync(join(bin, name), `#!${real}\n${body}\n`, { mode: 0o755 });
  return `${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, opts: { home: string; shell?: string; shims?: Record<string, string>; as?: { uid: number; gid: number } }): Run {
  const shell = opts.shell ?? 'sh';
  const r = spawnSync(shell === 'sh' ? 'sh' : shell, ['-c', script], {
    env: { PATH: pathFor(shell === 'sh' ? 'dash' : shell, opts.shims), HOME: opts.home },
    encoding: 'utf8',
    ...(opts.as ?? {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A home directory (traversable by other users, for the privilege-drop tests). */
function newHome(content?: string, mode = 0o600): { home: string; ak: string; ssh: string } {
  const base = tempDir('bulwark-home-');
  chmodSync(base, 0o755);
  const home = join(base, "it's home");
  mkdirSync(home, { mode: 0o755 });
  const ssh = join(home, '.ssh');
  const ak = join(ssh, 'authorized_keys');
  if (content !== undefined) {
    mkdirSync(ssh, { mode: 0o700 });
    writeFileSync(ak, content, { mode });
    chmodSync(ak, mode);
  }
  return { home, ak, ssh };
}

const deploy = (line = NEW_KEY, account = ME) => deployKeyScript({ account, publicKeyLine: line });
const remove = (key: string, account = ME) => removeKeyScript({ account, key });
const mode = (p: string) => statSync(p).mode & 0o777;
const leftovers = (ssh: string) => readdirSync(ssh).filter((f) => f !== 'authorized_keys');

describe.each(SHELLS)('deploy script under %s', (shell) => {
  it('creates ~/.ssh (700) and authorized_keys (600), then does nothing the second time', () => {
    const { home, ak, ssh } = newHome();
    const script = deploy();
    const first = run(script, { home, shell });
    expect(first, first.stderr).toMatchObject({ code: 0, stdout: 'added\n', stderr: '' });
    expect(readFileSync(ak, 'utf8')).toBe(`${NEW_KEY}\n`);
    expect(mode(ssh)).toBe(0o700);
    expect(mode(ak)).toBe(0o600);
    const before = statSync(ak);
    const second = run(script, { home, shell });
    expect(second).toMatchObject({ code: 0, stdout: 'unchanged\n' });
    expect(statSync(ak).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(ak).ino).toBe(before.ino);
    expect(leftovers(ssh)).toEqual([]);
  });

  it.each([
    ['the nasty fixture', NASTY],
    ['it with CRLF', NASTY.replace(/\n/g, '\r\n')],
    ['it without a final newline', NASTY.slice(0, -1)],
    ['an empty file', ''],
    ['a file of comments only, no final newline', '# a\n# b'],
  ])('adds to %s exactly what addKey does, keeping the mode', (_what, content) => {
    const { home, ak, ssh } = newHome(content, 0o644);
    const r = run(deploy(), { home, shell });
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: 'added\n' });
    expect(readFileSync(ak, 'utf8')).toBe(addKey(content, NEW_KEY).text);
    expect(mode(ak)).toBe(0o644);
    expect(leftovers(ssh)).toEqual([]);
  });

  it('sees a key present with other options and comment, but not a commented-out copy', () => {
    const { home, ak } = newHome(NASTY);
    expect(run(deploy(`no-pty ${blob(ED)}`.replace(/^no-pty /, 'no-pty ssh-ed25519 ')), { home, shell }).stdout).toBe('unchanged\n');
    expect(readFileSync(ak, 'utf8')).toBe(NASTY);
    const commented = newHome(`#${NEW_KEY}\n`);
    expect(run(deploy(), { home: commented.home, shell }).stdout).toBe('added\n');
  });

  it('writes hostile comments and options verbatim, executing nothing', () => {
    const canary = join(tempDir(), 'pwned');
    const line = `command="echo '$(touch ${canary})' \\"\`touch ${canary}\`\\"" ${NEW_KEY.split(' ').slice(0, 2).join(' ')} it's $(touch ${canary}); \`touch ${canary}\` $HOME \\ '\\''`;
    const { home, ak } = newHome('');
    const r = run(deploy(line), { home, shell });
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: 'added\n' });
    expect(readFileSync(ak, 'utf8')).toBe(`${line}\n`);
    expect(existsSync(canary)).toBe(false);
  });
});

describe.each(SHELLS)('remove script under %s', (shell) => {
  it.each([
    ['the nasty fixture', NASTY],
    ['it with CRLF', NASTY.replace(/\n/g, '\r\n')],
    ['it without a final newline', NASTY.slice(0, -1)],
  ])('removes from %s exactly what removeKey does', { timeout: 60_000 }, (_what, content) => {
    for (const name of [ED, 'openssh-ed25519-enc', 'openssh-ecdsa-256']) {
      const { home, ak, ssh } = newHome(content, 0o640);
      const expected = removeKey(content, parsePublicKeyLine(pub(name)).blob);
      const r = run(remove(pub(name)), { home, shell });
      expect(r, r.stderr).toMatchObject({ code: 0, stdout: `removed ${expected.removed}\n` });
      expect(readFileSync(ak, 'utf8')).toBe(expected.text);
      expect(mode(ak)).toBe(0o640);
      expect(leftovers(ssh)).toEqual([]);
      expect(run(remove(blob(name)), { home, shell }).stdout).toBe('absent\n');
    }
  });

  it('sees keys on lines ending in stray CRs, as sshd does', () => {
    for (const content of [`ssh-ed25519 ${blob(ED)}\r`, `# x\r\nssh-ed25519 ${blob(ED)}\r\r\n`]) {
      const { home, ak } = newHome(content);
      expect(run(deploy(pub(ED)), { home, shell }).stdout).toBe('unchanged\n');
      expect(run(remove(pub(ED)), { home, shell }).stdout).toBe('removed 1\n');
      expect(readFileSync(ak, 'utf8')).toBe(removeKey(content, blob(ED)).text);
    }
  });

  it('answers absent without creating anything', () => {
    const { home, ssh } = newHome();
    expect(run(remove(NEW_KEY), { home, shell })).toMatchObject({ code: 0, stdout: 'absent\n' });
    expect(existsSync(ssh)).toBe(false);
    const other = newHome(NASTY);
    expect(run(remove(NEW_KEY), { home: other.home, shell }).stdout).toBe('absent\n');
    expect(readFileSync(other.ak, 'utf8')).toBe(NASTY);
  });

  it('agrees with addKey/removeKey on 12 random files', { timeout: 120_000 }, () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const lines = NASTY.slice(0, -1).split('\n');
    for (let n = 0; n < 12; n++) {
      let text = '';
      const count = Math.floor(next() * 8);
      for (let i = 0; i < count; i++) text += lines[Math.floor(next() * lines.length)]! + (next() < 0.3 ? '\r\n' : '\n');
      if (next() < 0.3) text = text.replace(/\r?\n$/, '');
      const { home, ak } = newHome(text);
      run(deploy(), { home, shell });
      expect(readFileSync(ak, 'utf8')).toBe(addKey(text, NEW_KEY).text);
      writeFileSync(ak, text);
      run(remove(pub(ED)), { home, shell });
      expect(readFileSync(ak, 'utf8')).toBe(removeKey(text, blob(ED)).text);
    }
  });
});

describe('refusals and failures leave the file intact', () => {
  it('refuses a symlinked authorized_keys or ~/.ssh (exit 4) and touches neither target', () => {
    const target = join(tempDir(), 'elsewhere');
    writeFileSync(target, 'precious\n');
    const a = newHome('');
    const link = a.ak;
    spawnSync('rm', [link]);
    symlinkSync(target, link);
    const r = run(deploy(), { home: a.home });
    expect(r.code).toBe(KEY_SCRIPT_EXIT.UNSAFE_PATH);
    expect(r.stderr).toMatch(/symbolic link/);
    expect(run(remove(pub(ED)), { home: a.home }).code).toBe(KEY_SCRIPT_EXIT.UNSAFE_PATH);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);

    const b = newHome();
    const dir = tempDir();
    symlinkSync(dir, b.ssh);
    expect(run(deploy(), { home: b.home }).code).toBe(KEY_SCRIPT_EXIT.UNSAFE_PATH);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses when authorized_keys is a directory', () => {
    const { home, ssh } = newHome();
    mkdirSync(join(ssh, 'authorized_keys'), { recursive: true });
    expect(run(deploy(), { home }).code).toBe(KEY_SCRIPT_EXIT.UNSAFE_PATH);
  });

  // what a full or failing disk looks like to the script, simulated by commands on PATH
  const AWK = spawnSync('sh', ['-c', 'command -v awk'], { encoding: 'utf8' }).stdout.trim();
  it.each([
    ['a copy that comes out short', 'deploy', { cp: 'head -c 10 "$3" > "$4"' }, /bytes instead of/],
    ['a filtered copy that comes out short', 'remove', { awk: `case "$*" in *mode=write*) ${AWK} "$@" | head -c 10 ;; *) exec ${AWK} "$@" ;; esac` }, /has 10 bytes instead of/],
    ['a flush that fails', 'both', { sync: 'exit 1' }, /could not flush/],
    ['a rename that fails', 'both', { mv: 'exit 1' }, /could not replace/],
    ['a copy that fails', 'both', { cp: 'echo "cp: No space left on device" >&2; exit 1' }, /cannot write a copy/],
  ])('fails cleanly (exit 5) on %s', (_what, which, shims, message) => {
    const scripts = { deploy: [deploy()], remove: [remove(pub(ED))], both: [deploy(), remove(pub(ED))] }[which]!;
    for (const script of scripts) {
      const { home, ak, ssh } = newHome(NASTY, 0o644);
      const r = run(script, { home, shims });
      expect(r.code, r.stdout).toBe(KEY_SCRIPT_EXIT.WRITE_FAILED);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
      expect(readFileSync(ak, 'utf8')).toBe(NASTY);
      expect(leftovers(ssh)).toEqual([]);
    }
  });

  it.skipIf(!CAN_DROP)('as root for another account: creates ~/.ssh, chowns it, and writes as that account', () => {
    const { home, ak, ssh } = newHome();
    chownSync(home, NOBODY_UID, NOBODY_GID);
    const r = run(deployKeyScript({ account: 'nobody', publicKeyLine: NEW_KEY, home }), { home: '/root' });
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: 'added\n' });
    for (const p of [ssh, ak]) expect([statSync(p).uid, statSync(p).gid]).toEqual([NOBODY_UID, NOBODY_GID]);
    expect([mode(ssh), mode(ak)]).toEqual([0o700, 0o600]);
    expect(run(removeKeyScript({ account: 'nobody', key: NEW_KEY, home }), { home: '/root' }).stdout).toBe('removed 1\n');
    expect(readFileSync(ak, 'utf8')).toBe('');
  });

  it.skipIf(!CAN_DROP)('refuses unknown accounts, and other accounts when not run as root (exit 3)', () => {
    const { home } = newHome();
    const unknown = run(deployKeyScript({ account: 'no_such_user_x', publicKeyLine: NEW_KEY }), { home: '/root' });
    expect(unknown).toMatchObject({ code: KEY_SCRIPT_EXIT.ACCOUNT, stdout: '' });
    expect(unknown.stderr).toMatch(/no account named no_such_user_x/);
    const notRoot = run(deployKeyScript({ account: 'root', publicKeyLine: NEW_KEY }), { home, as: { uid: NOBODY_UID, gid: NOBODY_GID } });
    expect(notRoot.code).toBe(KEY_SCRIPT_EXIT.ACCOUNT);
    expect(notRoot.stderr).toMatch(/run this as root or as root \(not as nobody\)/);
  });

  it.skipIf(!CAN_DROP)('cannot be turned against root through a symlink planted by the account', () => {
    const { home, ssh } = newHome();
    chownSync(home, NOBODY_UID, NOBODY_GID);
    const rootOwned = join(tempDir(), 'root-file');
    writeFileSync(rootOwned, 'root only\n', { mode: 0o600 });
    mkdirSync(ssh);
    chownSync(ssh, NOBODY_UID, NOBODY_GID);
    symlinkSync(rootOwned, join(ssh, 'authorized_keys'));
    const r = run(deployKeyScript({ account: 'nobody', publicKeyLine: NEW_KEY, home }), { home: '/root' });
    expect(r.code).toBe(KEY_SCRIPT_EXIT.UNSAFE_PATH);
    expect(readFileSync(rootOwned, 'utf8')).toBe('root only\n');
  });

  it('fails cleanly (exit 5) in a read-only ~/.ssh', () => {
    const { home, ak, ssh } = newHome(NASTY);
    let as: { uid: number; gid: number } | undefined;
    if (IS_ROOT) {
      if (!CAN_DROP) return;
      for (const p of [home, ssh, ak]) chownSync(p, NOBODY_UID, NOBODY_GID);
      as = { uid: NOBODY_UID, gid: NOBODY_GID };
    }
    chmodSync(ssh, 0o500);
    try {
      const account = IS_ROOT ? 'nobody' : ME;
      for (const script of [deploy(NEW_KEY, account), remove(pub(ED), account)]) {
        const r = run(script, { home, ...(as ? { as } : {}) });
        expect(r.code, r.stderr).toBe(KEY_SCRIPT_EXIT.WRITE_FAILED);
        expect(r.stderr).toMatch(/read-only or full/);
        expect(readFileSync(ak, 'utf8')).toBe(NASTY);
        expect(leftovers(ssh)).toEqual([]);
      }
    } finally {
      chmodSync(ssh, 0o700);
    }
  });

  it.skipIf(!CAN_TMPFS)('fails cleanly (exit 5) on a full disk (a 64 KiB tmpfs)', () => {
    const mnt = tempDir('bulwark-tmpfs-');
    const big = `${Array.from({ length: 500 }, (_v, i) => `# padding line ${i} ${'x'.repeat(60)}`).join('\n')}\n${NASTY}`;
    const bigFile = join(tempDir(), 'big');
    writeFileSync(bigFile, big);
    const scriptFile = join(tempDir(), 'deploy.sh');
    writeFileSync(scriptFile, deploy());
    // inside a private mount namespace: a tiny tmpfs home holding a ~40 KiB authorized_keys
    const r = spawnSync(
      'unshare',
      [
        '-m',
        'sh',
        '-c',
        `set -e
mount -t tmpfs -o size=64k tmpfs "$1"
mkdir -m 700 "$1/.ssh"
cp "$2" "$1/.ssh/authorized_keys"
before=$(sha256sum < "$1/.ssh/authorized_keys")
set +e
HOME="$1" sh "$3"; code=$?
after=$(sha256sum < "$1/.ssh/authorized_keys")
echo "code=$code same=$([ "$before" = "$after" ] && echo yes || echo no) files=$(ls -A "$1/.ssh" | tr '\\n' ' ')"`,
        'sh',
        mnt,
        bigFile,
        scriptFile,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stdout.trim(), r.stderr).toBe(`code=${KEY_SCRIPT_EXIT.WRITE_FAILED} same=yes files=authorized_keys`);
    expect(r.stderr).toMatch(/No space left|read-only or full|disk full/);
  });
});

describe('script generation', () => {
  it('validates the account, the home and the key before writing any shell', () => {
    for (const account of ['root;id', '$(id)', "o'neil", '-rf', '', 'a'.repeat(40)]) {
      expectCode(() => deployKeyScript({ account, publicKeyLine: NEW_KEY }), 'VALIDATION', /account/);
    }
    expectCode(() => deployKeyScript({ account: 'root', publicKeyLine: NEW_KEY, home: 'relative' }), 'VALIDATION', /home/);
    expectCode(() => deployKeyScript({ account: 'root', publicKeyLine: NEW_KEY, home: '/a\nb' }), 'VALIDATION', /home/);
    expectCode(() => deployKeyScript({ account: 'root', publicKeyLine: `${NEW_KEY}\nssh-ed25519 AAAA` }), 'KEY_INVALID');
    expectCode(() => deployKeyScript({ account: 'root', publicKeyLine: 'rm -rf /' }), 'KEY_INVALID');
    expectCode(() => removeKeyScript({ account: 'root', key: parsePublicKeyLine(NEW_KEY).fingerprint }), 'KEY_INVALID', /fingerprint/);
    expectCode(() => removeKeyScript({ account: 'root', key: 'nonsense' }), 'KEY_INVALID');
  });

  it('passes sh -n and names the key in its header', () => {
    const s = deploy();
    expect(s.startsWith('#!/bin/sh\n# Add key SHA256:')).toBe(true);
    for (const script of [s, remove(NEW_KEY)]) expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
  });

  it('reads the outcome line', () => {
    expect(parseKeyScriptOutput('added\n')).toEqual({ result: 'added' });
    expect(parseKeyScriptOutput('motd\nunchanged\n')).toEqual({ result: 'unchanged' });
    expect(parseKeyScriptOutput('removed 2\n')).toEqual({ result: 'removed', lines: 2 });
    expect(parseKeyScriptOutput('absent')).toEqual({ result: 'absent' });
    expect(parseKeyScriptOutput('something else')).toBeNull();
  });
});
