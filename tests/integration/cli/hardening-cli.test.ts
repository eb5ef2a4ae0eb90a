/**
 * audit, plan, apply and runs on 3 real Debian hosts, each a real child process on one vault.
 * Bulwark logs in as the unprivileged admin with its sudo password stored (the baseline turns
 * root login off). What the CLI claims is checked on the hosts over OpenSSH with the fleet's own
 * key: plan leaves every file as it was; apply leaves sshd keys-only and UFW active with SSH
 * allowed.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunListEntry, type RunReply, runReplySchema } from '../../../shared/domain/hardening';
import { ExitCode } from '../../../main/cli/exit-codes';
import { startFleet, type Fleet, type FleetHost } from '../../fleet/fleet';
import { PASSPHRASE, type RunResult, runChild } from '../../unit/cli/harness';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('bulwark audit|plan|apply|runs on real hosts', () => {
  let fleet: Fleet;
  let dir: string;
  let env: Record<string, string>;
  const bulwark = (args: string[], stdin = ''): Promise<RunResult> => runChild(args, env, stdin);
  const ok = async (args: string[], stdin = ''): Promise<string> => {
    const r = await bulwark(args, stdin);
    if (r.code !== 0) throw new Error(`bulwark ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const asRoot = (h: FleetHost, command: string) => fleet.ssh(h, `sudo -S -p '' sh -c '${command.replace(/'/g, "'\\''")}'`, { user: 'admin', input: `${h.adminPassword}\n` });
  /** What plan must leave alone, as the hosts report it. */
  const stateOf = async (h: FleetHost) =>
    (await asRoot(h, 'sha256sum /etc/ssh/sshd_config; ls /etc/ssh/sshd_config.d/ /etc/fail2ban/jail.d/ 2>&1; ufw status; sshd -T | grep -E "^(passwordauthentication|permitrootlogin) "')).stdout;
  const select = ['--profile', 'guide-baseline', '--tag', 'fleet'];
  /** The audit matrix as host -> column -> cell (columns as the header names them). */
  const matrix = (stdout: string): Record<string, Record<string, string>> => {
    const [head, ...rows] = stdout.split('\n\n')[0]!.split('\n');
    const cols = head!.split(/ {2,}/);
    return Object.fromEntries(rows.map((r) => r.split(/ {2,}/)).map((cells) => [cells[0]!, Object.fromEntries(cols.map((c, i) => [c, cells[i]!]))]));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-hardening-cli-'));
    env = { BULWARK_VAULT: join(dir, 'vault.db'), BULWARK_PASSPHRASE: PASSPHRASE };
    fleet = await startFleet({ count: 3, variant: 'mixed' });
    await ok(['vault', 'init']);
    await ok(['keys', 'import', fleet.testKey.privateKeyPath, '--name', 'fleet-login']);
    for (const h of fleet.hosts) {
      await ok(['hosts', 'add', h.name, '--address', h.address, '--user', 'admin', '--tag', 'fleet']);
      await ok(['hosts', 'set-sudo-password', h.name], `${h.adminPassword}\n`);
    }
    await ok(['ssh', 'trust', ...fleet.hosts.map((h) => h.name)]);
  }, 300_000);

  afterAll(async () => {
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('audit finds drift on fresh hosts: the matrix, a score per host, exit 14', async () => {
    const r = await bulwark(['audit', ...select]);
    expect(r.code, r.stderr).toBe(ExitCode.DRIFT);
    const m = matrix(r.stdout);
    expect(Object.keys(m)).toEqual(fleet.hosts.map((h) => h.name));
    for (const h of fleet.hosts) {
      expect(m[h.name]).toMatchObject({ 'ssh-key-access': 'ok', 'sshd-auth': 'DRIFT', ufw: 'DRIFT', fail2ban: 'DRIFT' });
      expect(m[h.name]!.SCORE).toMatch(/^1\/\d+$/);
    }
    expect(r.stdout).toMatch(/passwordauthentication yes \(want no\)/);
    expect(r.stderr).toContain('3 of 3 hosts not compliant');
    const json = JSON.parse((await bulwark(['--json', 'audit', ...select])).stdout) as RunReply;
    expect(json.results.map((x) => x.status)).toEqual(['drift', 'drift', 'drift']);
    expect(json.results[0]!.score.compliant).toBe(1);
    expect(json.results[0]!.score.applicable).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('plan groups identical diffs across hosts and changes nothing on them', async () => {
    const before = await Promise.all(fleet.hosts.map(stateOf));
    const r = await bulwark(['plan', ...select]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('+++ b/etc/ssh/sshd_config.d/00-bulwark.conf');
    expect(r.stdout).toMatch(/^ +\+PasswordAuthentication no$/m);
    expect(r.stdout).toMatch(/; 3 hosts to change$/m);
    const json = JSON.parse((await bulwark(['--json', 'plan', ...select])).stdout) as RunReply;
    // journald hosts (1st and 3rd) get the same change; the rsyslog host's fail2ban jail differs
    const journald = fleet.hosts.filter((h) => h.variant === 'journald').map((h) => h.name);
    expect(json.grouped.changes.map((g) => g.hosts).some((hosts) => journald.every((n) => hosts.includes(n)))).toBe(true);
    expect(json.grouped.changes.flatMap((g) => g.hosts).sort()).toEqual(fleet.hosts.map((h) => h.name).sort());
    for (const g of json.grouped.changes) expect(g.files.map((f) => f.path)).toContain('/etc/ssh/sshd_config.d/00-bulwark.conf');
    expect(await Promise.all(fleet.hosts.map(stateOf))).toEqual(before);
    expect(before[0]).toMatch(/Status: inactive/);
  }, 120_000);

  it('apply --yes hardens all 3 hosts with per-host progress; sshd and ufw say so on the hosts', async () => {
    const r = await bulwark(['apply', ...select, '--yes', '--canary', '1']);
    expect(r.code, r.stderr).toBe(0);
    for (const h of fleet.hosts) {
      expect(r.stderr).toContain(`  ${h.name}: applying`);
      expect(r.stderr).toContain(`  ${h.name}: verifying from a fresh connection`);
      expect(r.stderr).toMatch(new RegExp(`\\[\\d/3\\] ${h.name}: applied`));
      expect(r.stdout).toMatch(new RegExp(`^${h.name} +applied +(\\d+)/\\1 `, 'm'));
    }
    expect(r.stdout).toMatch(/apply guide-baseline: 3 hosts: 3 applied; 3 hosts changed/);
    for (const h of fleet.hosts) {
      const sshd = (await asRoot(h, 'sshd -T | grep -E "^(passwordauthentication|permitrootlogin) " | sort')).stdout;
      expect(sshd).toBe('passwordauthentication no\npermitrootlogin no\n');
      const ufw = (await asRoot(h, 'ufw status')).stdout;
      expect(ufw).toMatch(/^Status: active$/m);
      expect(ufw).toMatch(/^22\/tcp +ALLOW/m);
    }
  }, 300_000);

  it('afterwards audit says all compliant (exit 0) and a second apply changes nothing', async () => {
    const audit = await bulwark(['audit', ...select]);
    expect(audit.code, audit.stderr).toBe(0);
    const m = matrix(audit.stdout);
    for (const h of fleet.hosts) {
      expect(m[h.name]).toMatchObject({ 'ssh-key-access': 'ok', 'sshd-auth': 'ok', ufw: 'ok', fail2ban: 'ok' });
      expect(m[h.name]!.SCORE).toMatch(/^(\d+)\/\1$/);
    }
    const again = await bulwark(['apply', ...select, '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/apply guide-baseline: 3 hosts: 3 unchanged; 0 hosts changed/);
  }, 180_000);

  it('runs list --json shows every run, newest first; runs show has the diffs applied', async () => {
    const runs = JSON.parse(await ok(['--json', 'runs', 'list'])) as RunListEntry[];
    expect(runs.map((x) => x.mode)).toEqual(['apply', 'audit', 'apply', 'plan', 'plan', 'audit', 'audit']);
    for (const x of runs) expect(x).toMatchObject({ profileId: 'guide-baseline', via: 'cli', hosts: fleet.hosts.map((h) => h.name) });
    expect(runs[0]!.summary.byStatus).toEqual({ unchanged: 3 });
    const applied = JSON.parse(await ok(['--json', 'runs', 'show', runs[2]!.id])) as RunReply;
    expect(applied.options).toEqual({ canary: 1 });
    expect(applied.results.every((x) => x.status === 'applied' && x.after?.every((c) => c.status === 'compliant' || c.status === 'not-applicable'))).toBe(true);
    expect(applied.grouped.changes.flatMap((g) => g.files.map((f) => f.path))).toContain('/etc/ssh/sshd_config.d/00-bulwark.conf');
    expect(applied.results[0]!.timings).toHaveProperty('verify');
  });

  it('reports: the apply as HTML (matrix after, diffs applied) and JSON (the run document); audit --report writes its own', async () => {
    const runs = JSON.parse(await ok(['--json', 'runs', 'list'])) as RunListEntry[];
    const applyId = runs.find((x) => x.summary.byStatus.applied === 3)!.id;
    const out = join(dir, 'reports');
    mkdirSync(out);
    await ok(['runs', 'show', applyId, '--report', 'html', '--out', out]);
    const [name, ...more] = readdirSync(out);
    expect(more).toEqual([]);
    expect(name).toMatch(/^bulwark-apply-guide-baseline-\d{4}-\d\d-\d\d-\d{4}\.html$/);
    const html = readFileSync(join(out, name!), 'utf8');
    for (const h of fleet.hosts) {
      expect(html).toMatch(new RegExp(`<tr><th>${h.name}</th>.*<td class="c good">DRIFT \u2192 ok</td>.*<td class="c">(\\d+)/\\1 \\(100%\\)</td></tr>`));
    }
    expect(html).toContain('<span class="add">+PasswordAuthentication no</span>');
    const doc = JSON.parse(await ok(['runs', 'show', applyId, '--report', 'json'])) as Record<string, unknown>;
    expect(doc.format).toBe('bulwark-run-report/1');
    expect(runReplySchema.parse(doc)).toEqual(JSON.parse(await ok(['--json', 'runs', 'show', applyId])));

    const auditFile = join(out, 'audit.json');
    await ok(['audit', ...select, '--report', 'json', '--out', auditFile]);
    const audit = runReplySchema.parse(JSON.parse(readFileSync(auditFile, 'utf8')));
    expect(audit.mode).toBe('audit');
    expect(audit.results.map((x) => x.status)).toEqual(fleet.hosts.map(() => 'compliant'));
  }, 120_000);
});
