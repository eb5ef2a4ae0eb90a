/**
 * The fleet CLI commands against real Debian hosts (tests/fleet), each run as a real child
 * process (`node --import tsx main/cli/bin.ts`) on one vault: ssh trust then ssh exec, sudo with
 * the password stored from stdin, keys deploy/audit/rotate/revoke, a login key set per host, a
 * host cut off mid-fleet, and a real SIGINT. What the commands claim is checked on the hosts
 * themselves through fleet.ssh (OpenSSH with the fleet's own key, not Bulwark).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { generateKeyPair } from '../../../main/services/keys';
import { startFleet, type Fleet, type FleetHost } from '../../fleet/fleet';
import { PASSPHRASE, type RunResult, runChild, startChild, waitFor } from '../../unit/cli/harness';

const setup = inject('bulwarkFleet');
const COUNT = 3;

describe.skipIf(!setup)('bulwark fleet commands on real hosts', () => {
  let fleet: Fleet;
  let dir: string;
  let env: Record<string, string>;
  const timings: Record<string, number> = {};

  /** bulwark ARGS as a child process; records how long it took under `label`. */
  const bulwark = async (args: string[], stdin = '', label?: string): Promise<RunResult> => {
    const t0 = Date.now();
    const r = await runChild(args, env, stdin);
    if (label) timings[label] = Date.now() - t0;
    return r;
  };
  const ok = async (args: string[], stdin = ''): Promise<string> => {
    const r = await bulwark(args, stdin);
    if (r.code !== 0) throw new Error(`bulwark ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const blobOf = (publicKey: string) => publicKey.split(' ')[1]!;
  /** authorized_keys lines holding the key, counted on the host by grep over OpenSSH. */
  const countOn = async (h: FleetHost, publicKey: string, file = '/root/.ssh/authorized_keys'): Promise<number> => {
    const r = await fleet.ssh(h, `grep -c -F -- '${blobOf(publicKey)}' ${file} || true`);
    return Number(r.stdout.trim());
  };
  const publicKeyOf = async (name: string) => (await ok(['keys', 'export-public', name])).trim();
  /** STATUS column of a fleet command's table, by host. */
  const statuses = (stdout: string): Record<string, string> =>
    Object.fromEntries(
      stdout
        .split('\n')
        .slice(1)
        .map((l) => l.split(/ {2,}/))
        .filter((c) => c.length >= 3 && /^fleet-\d+$/.test(c[0]!))
        .map((c) => [c[0]!, c[2]!]),
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-cli-it-'));
    env = { BULWARK_VAULT: join(dir, 'vault.db'), BULWARK_PASSPHRASE: PASSPHRASE };
    const t0 = Date.now();
    fleet = await startFleet({ count: COUNT, variant: 'mixed' });
    console.log(`fleet of ${COUNT} booted in ${Date.now() - t0} ms`);
    // what a child process costs before any SSH (tsx startup): subtract it from the timings below
    await bulwark(['--version'], '', 'bulwark --version');
    await ok(['vault', 'init']);
    await ok(['keys', 'import', fleet.testKey.privateKeyPath, '--name', 'fleet-login']);
    for (const h of fleet.hosts) await ok(['hosts', 'add', h.name, '--address', h.address, '--tag', 'fleet']);
    // the same machine, logging in as the unprivileged sudoer
    await ok(['hosts', 'add', 'admin-01', '--address', fleet.hosts[0]!.address, '--user', 'admin']);
  }, 300_000);

  afterAll(async () => {
    console.log(`CLI timings (ms, child process included): ${JSON.stringify(timings)}`);
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ssh exec refuses an unpinned host key (exit 10); after ssh trust it runs commands', async () => {
    const h = fleet.hosts[0]!;
    const before = await bulwark(['ssh', 'exec', h.name, '--', 'true']);
    expect(before.code).toBe(ExitCode.HOST_KEY);
    expect(before.stderr).toContain(`bulwark ssh trust ${h.name}`);

    const trust = await bulwark(['ssh', 'trust', ...fleet.hosts.map((x) => x.name)], '', 'ssh trust x3');
    expect(trust.code).toBe(0);
    for (const x of fleet.hosts) expect(trust.stdout).toContain(`${x.name}  ssh-ed25519  ${x.hostKeyFingerprint}  trusted (pinned)`);

    const r = await bulwark(['ssh', 'exec', h.name, '--', 'sh', '-c', 'hostname; echo "to stderr" >&2; exit 42'], '', 'ssh exec');
    expect(r).toEqual({ code: 42, stdout: `${h.name}\n`, stderr: 'to stderr\n' });

    const quoted = await bulwark(['ssh', 'exec', h.name, '--', 'printf', '<%s>', 'a b', "it's", '$HOME']);
    expect(quoted).toMatchObject({ code: 0, stdout: "<a b><it's><$HOME>" });

    const json = await bulwark(['--json', 'ssh', 'exec', h.name, '--', 'id', '-un']);
    expect(JSON.parse(json.stdout)).toEqual({ host: h.name, code: 0, signal: null, stdout: 'root\n', stderr: '' });
  });

  it('ssh exec --sudo as admin uses the password stored by hosts set-sudo-password (from stdin)', async () => {
    const whoami = await bulwark(['ssh', 'exec', 'admin-01', '--', 'id', '-un']);
    expect(whoami).toMatchObject({ code: 0, stdout: 'admin\n' });

    const without = await bulwark(['ssh', 'exec', 'admin-01', '--sudo', '--', 'id', '-u']);
    expect(without.code).toBe(ExitCode.FAILURE);
    expect(without.stderr).toContain('bulwark hosts set-sudo-password admin-01');

    const wrong = await bulwark(['hosts', 'set-sudo-password', 'admin-01'], 'not-the-password\n');
    expect(wrong.code).toBe(0);
    const refused = await bulwark(['ssh', 'exec', 'admin-01', '--sudo', '--', 'id', '-u']);
    expect(refused.code).toBe(ExitCode.FAILURE);
    expect(refused.stderr).toMatch(/refused admin's password/);

    await ok(['hosts', 'set-sudo-password', 'admin-01'], `${fleet.hosts[0]!.adminPassword}\n`);
    const r = await bulwark(['ssh', 'exec', 'admin-01', '--sudo', '--', 'sh', '-c', 'id -u; echo "$SUDO_USER"'], '', 'ssh exec --sudo');
    expect(r).toEqual({ code: 0, stdout: '0\nadmin\n', stderr: '' });
    // the password never reached a process list or a log on the host
    const logs = await fleet.ssh(fleet.hosts[0]!, `grep -rlF -- '${fleet.hosts[0]!.adminPassword}' /var/log /run/log 2>/dev/null || true`);
    expect(logs.stdout.trim()).toBe('');

    await ok(['hosts', 'clear-sudo-password', 'admin-01']);
    expect((await bulwark(['ssh', 'exec', 'admin-01', '--sudo', '--', 'true'])).code).toBe(ExitCode.FAILURE);
  });

  it('keys deploy adds a key to 3 hosts, then again changes nothing and adds no duplicate line', async () => {
    await ok(['keys', 'gen', '--name', 'deploy-a']);
    const pub = await publicKeyOf('deploy-a');
    const first = await bulwark(['keys', 'deploy', 'deploy-a', '--tag', 'fleet'], '', 'keys deploy x3');
    expect(first.code).toBe(0);
    expect(statuses(first.stdout)).toEqual({ 'fleet-01': 'added', 'fleet-02': 'added', 'fleet-03': 'added' });
    expect(first.stdout).toContain('deploy: 3 hosts: 3 added');
    for (const h of fleet.hosts) expect(first.stderr).toMatch(new RegExp(`^\\[[123]/3\\] ${h.name} \\(root\\): added$`, 'm'));

    const again = await bulwark(['--json', 'keys', 'deploy', 'deploy-a', '--hosts', 'fleet-01,fleet-02,fleet-03'], '', 'keys deploy x3 (unchanged)');
    expect(again.code).toBe(0);
    const doc = JSON.parse(again.stdout) as { results: Array<{ host: string; status: string; account: string }>; summary: unknown };
    expect(doc.results.map((r) => [r.host, r.account, r.status])).toEqual(fleet.hosts.map((h) => [h.name, 'root', 'unchanged']));
    expect(doc.summary).toEqual({ total: 3, ok: 3, failed: 0, aborted: 0, byStatus: { unchanged: 3 } });
    for (const h of fleet.hosts) expect(await countOn(h, pub)).toBe(1);
    console.log(`re-deploy per host (ms, inside the CLI): ${doc.results.map((r) => (r as { durationMs?: number }).durationMs).join(', ')}`);

    // another account, through root
    const admin = await bulwark(['keys', 'deploy', 'deploy-a', '--hosts', 'fleet-02', '--account', 'admin']);
    expect(statuses(admin.stdout)).toEqual({ 'fleet-02': 'added' });
    expect(await countOn(fleet.hosts[1]!, pub, '/home/admin/.ssh/authorized_keys')).toBe(1);
  });

  it('keys audit --json finds a key planted by hand as unknown, beside the vault keys', async () => {
    const planted = await generateKeyPair({ comment: 'planted@by-hand' });
    const h = fleet.hosts[1]!;
    await fleet.ssh(h, `printf '%s\\n' '${planted.publicKey}' >> /root/.ssh/authorized_keys`);

    const r = await bulwark(['--json', 'keys', 'audit', '--tag', 'fleet'], '', 'keys audit x3');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { rows: Array<{ key: string | null; fingerprint: string; on: Array<{ host: string; account: string }> }> };
    const unknown = doc.rows.find((x) => x.fingerprint === planted.fingerprint);
    expect(unknown).toMatchObject({ key: null, on: [{ host: h.name, account: 'root', comment: 'planted@by-hand' }] });
    const a = doc.rows.find((x) => x.key === 'deploy-a')!;
    expect(a.on.map((p) => `${p.host}/${p.account}`)).toEqual(['fleet-01/root', 'fleet-02/admin', 'fleet-02/root', 'fleet-03/root']);
    const login = doc.rows.find((x) => x.key === 'fleet-login')!;
    expect(new Set(login.on.map((p) => p.host))).toEqual(new Set(fleet.hosts.map((x) => x.name)));

    const human = await bulwark(['keys', 'audit', '--hosts', h.name]);
    expect(human.stdout).toMatch(new RegExp(`^UNKNOWN +${planted.fingerprint.replace(/[+/]/g, '\\$&')} +planted@by-hand +1 +${h.name} \\(root\\)$`, 'm'));
    expect(human.stdout).toMatch(/^deploy-a +SHA256:\S+ +deploy-a@bulwark +1 +fleet-02 \(admin, root\)$/m);
  });

  it('keys rotate replaces deploy-a by deploy-b on every host', async () => {
    await ok(['keys', 'gen', '--name', 'deploy-b']);
    const [a, b] = [await publicKeyOf('deploy-a'), await publicKeyOf('deploy-b')];
    const r = await bulwark(['keys', 'rotate', 'deploy-a', 'deploy-b', '--tag', 'fleet'], '', 'keys rotate x3');
    expect(r.code).toBe(0);
    expect(statuses(r.stdout)).toEqual({ 'fleet-01': 'rotated', 'fleet-02': 'rotated', 'fleet-03': 'rotated' });
    for (const h of fleet.hosts) {
      expect(await countOn(h, a)).toBe(0);
      expect(await countOn(h, b)).toBe(1);
    }
  });

  it('keys revoke refuses the key bulwark logs in with unless --force; set-login-key decides which that is', async () => {
    // Without a login key, bulwark logs in with whichever vault key the host takes first (after
    // the rotation that may be deploy-b); pin it so "the login key" is known.
    for (const h of fleet.hosts) await ok(['hosts', 'set-login-key', h.name, 'fleet-login']);
    const login = await publicKeyOf('fleet-login');
    const refused = await bulwark(['keys', 'revoke', 'fleet-login', '--tag', 'fleet']);
    expect(refused.code).toBe(ExitCode.HOSTS_FAILED);
    expect(statuses(refused.stdout)).toEqual({ 'fleet-01': 'failed', 'fleet-02': 'failed', 'fleet-03': 'failed' });
    expect(refused.stdout).toMatch(/"fleet-login" is the key Bulwark logs in to fleet-01 as root with/);
    expect(refused.stderr).toContain('bulwark: 3 of 3 hosts failed');
    for (const h of fleet.hosts) expect(await countOn(h, login)).toBe(1);

    // fleet-03 logs in with deploy-b only: revoking it there is refused, then forced
    const h3 = fleet.hosts[2]!;
    await ok(['hosts', 'set-login-key', h3.name, 'deploy-b']);
    expect((await bulwark(['ssh', 'exec', h3.name, '--', 'true'])).code).toBe(0);
    const b = await publicKeyOf('deploy-b');
    const guarded = await bulwark(['--json', 'keys', 'revoke', 'deploy-b', '--hosts', h3.name]);
    expect(JSON.parse(guarded.stdout).results[0]).toMatchObject({ status: 'failed', error: { code: 'CONFLICT' } });
    expect(await countOn(h3, b)).toBe(1);
    const forced = await bulwark(['keys', 'revoke', 'deploy-b', '--hosts', h3.name, '--force']);
    expect(forced.code).toBe(0);
    expect(statuses(forced.stdout)).toEqual({ [h3.name]: 'removed' });
    expect(await countOn(h3, b)).toBe(0);
    // as promised: with its only key gone, bulwark cannot log in to fleet-03 any more...
    expect((await bulwark(['ssh', 'exec', h3.name, '--', 'true'])).code).toBe(ExitCode.REMOTE_AUTH);
    // ...until it offers every vault key again
    await ok(['hosts', 'set-login-key', h3.name, '--none']);
    expect((await bulwark(['ssh', 'exec', h3.name, '--', 'true'])).code).toBe(0);

    const rest = await bulwark(['keys', 'revoke', 'deploy-b', '--tag', 'fleet']);
    expect(rest.code).toBe(0);
    expect(statuses(rest.stdout)).toEqual({ 'fleet-01': 'removed', 'fleet-02': 'removed', 'fleet-03': 'unchanged' });
    for (const h of fleet.hosts) expect(await countOn(h, b)).toBe(0);
  });

  it('one host cut off: the others succeed, the command exits 13', async () => {
    await ok(['keys', 'gen', '--name', 'deploy-c']);
    const c = await publicKeyOf('deploy-c');
    const cut = fleet.hosts[2]!;
    await fleet.cutOff(cut.name);
    let r: RunResult;
    try {
      r = await bulwark(['keys', 'deploy', 'deploy-c', '--tag', 'fleet', '--timeout', '3'], '', 'keys deploy x3, one cut off (--timeout 3)');
    } finally {
      await fleet.restore(cut.name);
    }
    expect(r.code).toBe(ExitCode.HOSTS_FAILED);
    expect(statuses(r.stdout)).toEqual({ 'fleet-01': 'added', 'fleet-02': 'added', 'fleet-03': 'failed' });
    expect(r.stdout).toMatch(/^fleet-03 +root +failed +fleet-03 \(.*\) did not complete the SSH handshake within 3 s/m);
    expect(r.stdout).toContain('deploy: 3 hosts: 2 added, 1 failed');
    expect(r.stderr).toContain('bulwark: 1 of 3 hosts failed');
    expect(await countOn(fleet.hosts[0]!, c)).toBe(1);
    expect(await countOn(fleet.hosts[1]!, c)).toBe(1);
    expect(await countOn(cut, c)).toBe(0);
  });

  it('SIGINT during a fleet operation aborts the host not finished and reports the others', async () => {
    const cut = fleet.hosts[2]!;
    await fleet.cutOff(cut.name);
    let r: RunResult;
    let waited: number;
    try {
      const child = startChild(['keys', 'audit', '--tag', 'fleet'], env);
      child.child.stdin.end();
      // fleet-01 and fleet-02 answer; fleet-03 would hold the run for the 20 s connect timeout
      await waitFor(() => (child.stderr().match(/^\[\d\/3\] fleet-0[12]/gm) ?? []).length === 2, 'two hosts to finish', 30_000);
      const t0 = Date.now();
      child.child.kill('SIGINT');
      r = await child.done;
      waited = Date.now() - t0;
    } finally {
      await fleet.restore(cut.name);
    }
    timings['keys audit: SIGINT to exit'] = waited;
    expect(waited).toBeLessThan(3_000);
    expect(r.code).toBe(ExitCode.INTERRUPTED);
    expect(statuses(r.stdout)).toEqual({ 'fleet-01': 'ok', 'fleet-02': 'ok', 'fleet-03': 'aborted' });
    expect(r.stderr).toContain('bulwark: interrupted: 1 of 3 hosts not finished');
  });
});
