/**
 * `bulwark profile|audit|plan|apply|runs` below the hosts: option checks before the vault
 * opens, the confirmation paths of apply (refused without a terminal, asked on one, "no"
 * changes nothing), unreachable hosts failing alone with exit 13, and every run landing in the
 * history that `runs list|show` read back. What the commands do to real hosts is tested on the
 * fleet (tests/integration/cli/hardening-cli.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunListEntry, RunReply } from '../../../shared/domain/hardening';
import { ExitCode } from '../../../main/cli/exit-codes';
import { Cli, closedPort } from './harness';

let cli: Cli;
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
  const port = String(await closedPort());
  await cli.ok(['hosts', 'add', 'dead-1', '--address', '127.0.0.1', '--port', port, '--tag', 'lab']);
  await cli.ok(['hosts', 'add', 'dead-2', '--address', '127.0.0.1', '--port', port, '--tag', 'lab']);
});
afterEach(() => cli.cleanup());

const runsOf = async () => JSON.parse(await cli.ok(['--json', 'runs', 'list'])) as RunListEntry[];

describe('profile list|show', () => {
  it('lists the built-in profiles and shows a profile with parameters after defaults and reasons', async () => {
    const list = JSON.parse(await cli.ok(['--json', 'profile', 'list'])) as { id: string }[];
    expect(list.map((p) => p.id)).toEqual(['guide-baseline', 'strict-ssh', 'proxmox-node']);
    const show = JSON.parse(await cli.ok(['--json', 'profile', 'show', 'guide-baseline'])) as { controls: { id: string; params: Record<string, unknown>; reason: string; kind: string }[] };
    expect(show.controls.map((c) => c.id)).toEqual(['ssh-key-access', 'sshd-auth', 'ufw', 'fail2ban', 'containers']);
    expect(show.controls.find((c) => c.id === 'fail2ban')!.params).toMatchObject({ maxretry: 3, bantime: 3600, findtime: 600 });
    expect(show.controls.find((c) => c.id === 'ssh-key-access')!.kind).toBe('check');
    for (const c of show.controls) expect(c.reason.length).toBeGreaterThan(10);
    const text = await cli.ok(['profile', 'show', 'strict-ssh']);
    expect(text).toMatch(/^sshd-strict {2}/m);
    expect(text).toContain('parameters: permitRootLogin=no');
    const unknown = await cli.run(['profile', 'show', 'nope']);
    expect(unknown.code).toBe(ExitCode.NOT_FOUND);
    expect(unknown.stderr).toContain('built in: guide-baseline, strict-ssh, proxmox-node');
  });
});

describe('audit|plan|apply: what is checked before the vault opens', () => {
  it('refuses bad options with the right code and no passphrase prompt', async () => {
    const noPass = { env: { BULWARK_PASSPHRASE: undefined } };
    const cases: Array<[string[], number, string]> = [
      [['audit', '--hosts', 'dead-1'], ExitCode.USAGE, 'choose a profile with --profile'],
      [['plan', '--profile', 'guide-baseline'], ExitCode.USAGE, 'choose hosts with --hosts'],
      // not even the shape of a custom profile id: refused before the vault is asked for custom ones
      [['audit', '--profile', 'No_Such', '--tag', 'lab'], ExitCode.NOT_FOUND, 'No profile "No_Such"'],
      [['apply', '--profile', 'guide-baseline', '--tag', 'lab', '--yes', '--canary', '0'], ExitCode.USAGE, '--canary must be'],
      [['apply', '--profile', 'guide-baseline', '--tag', 'lab', '--yes', '--stop-after', 'two'], ExitCode.USAGE, '--stop-after must be'],
      [['plan', '--profile', 'guide-baseline', '--tag', 'lab', '--timeout', 'soon'], ExitCode.USAGE, '--timeout must be'],
      // no --yes and stdin is not a terminal: nothing can be asked, nothing is done
      [['apply', '--profile', 'guide-baseline', '--tag', 'lab'], ExitCode.USAGE, 'pass --yes'],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli.run(args, noPass);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
    expect(await runsOf()).toEqual([]);
  });

  it('an unknown host name is NOT_FOUND and records no run', async () => {
    const r = await cli.run(['audit', '--profile', 'guide-baseline', '--hosts', 'dead-1,nosuch']);
    expect(r.code).toBe(ExitCode.NOT_FOUND);
    expect(r.stderr).toContain('nosuch');
    expect(await runsOf()).toEqual([]);
  });
});

describe('runs on unreachable hosts', () => {
  it('audit: each host fails alone (exit 13), the matrix says so and the run is recorded', async () => {
    const r = await cli.run(['audit', '--profile', 'guide-baseline', '--tag', 'lab', '--timeout', '3']);
    expect(r.code).toBe(ExitCode.HOSTS_FAILED);
    expect(r.stdout).toMatch(/^HOST {4}SCORE$/m);
    expect(r.stdout).toMatch(/^dead-1 {2}-$/m);
    expect(r.stdout).toMatch(/^Not checked:\n {2}dead-1: failed: .*connect/m);
    expect(r.stdout).toMatch(/audit guide-baseline: 2 hosts: 2 failed/);
    expect(r.stderr).toMatch(/\[1\/2\] dead-\d: failed: /);
    expect(r.stderr).toContain('2 of 2 hosts failed');
    const runs = await runsOf();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ mode: 'audit', profileId: 'guide-baseline', via: 'cli', hosts: ['dead-1', 'dead-2'], summary: { total: 2, failed: 2 } });
  });

  it('plan --json prints one RunReply document with the grouped view', async () => {
    const r = await cli.run(['--json', 'plan', '--profile', 'guide-baseline', '--hosts', 'dead-2', '--timeout', '3']);
    expect(r.code).toBe(ExitCode.HOSTS_FAILED);
    const reply = JSON.parse(r.stdout) as RunReply;
    expect(reply.mode).toBe('plan');
    expect(reply.results).toEqual([expect.objectContaining({ host: 'dead-2', status: 'failed', controls: [], files: [] })]);
    expect(reply.grouped).toEqual({ changes: [], unchanged: [], refused: [], failed: [{ host: 'dead-2', reason: reply.results[0]!.reason }], skipped: [] });
    // the progress lines stay out of --json runs; only the final message is on stderr
    expect(r.stderr).not.toMatch(/\[1\/1\]/);
    const shown = JSON.parse(await cli.ok(['--json', 'runs', 'show', reply.id])) as RunReply;
    expect(shown).toEqual(reply);
  });

  it('apply on a terminal shows the plan and asks; "no" changes nothing and exits 1', async () => {
    const r = await cli.run(['apply', '--profile', 'guide-baseline', '--tag', 'lab', '--timeout', '3'], { prompts: ['no'] });
    expect(r.code).toBe(ExitCode.FAILURE);
    expect(cli.shownPrompts).toEqual(['Apply guide-baseline to 2 hosts (0 hosts to change)? [y/N] ']);
    expect(r.stderr).toMatch(/dead-1: failed: /);
    expect(r.stderr).toContain('not confirmed: nothing was changed');
    expect((await runsOf()).map((x) => x.mode)).toEqual(['plan']);
  });

  it('apply on a terminal goes ahead on "yes": both hosts fail alone, exit 13, plan and apply recorded', async () => {
    const r = await cli.run(['apply', '--profile', 'guide-baseline', '--tag', 'lab', '--timeout', '3', '--stop-after', '1'], { prompts: ['yes'] });
    expect(r.code).toBe(ExitCode.HOSTS_FAILED);
    expect(r.stdout).toMatch(/^HOST {4}STATUS {2}SCORE {2}FILES {2}TIME/m);
    expect(r.stdout).toMatch(/apply guide-baseline: 2 hosts: .*; 0 hosts changed/);
    const runs = await runsOf();
    expect(runs.map((x) => x.mode)).toEqual(['apply', 'plan']);
    const apply = JSON.parse(await cli.ok(['--json', 'runs', 'show', runs[0]!.id])) as RunReply;
    expect(apply.options).toEqual({ stopAfterFailures: 1 });
    expect(apply.summary.failed).toBeGreaterThanOrEqual(1);
    const text = await cli.ok(['runs', 'show', runs[0]!.id]);
    expect(text).toContain(`run ${runs[0]!.id}: apply guide-baseline by `);
    expect(await cli.ok(['runs', 'list', '--limit', '1'])).toMatch(/^ID .*\n\S+ .* apply +guide-baseline +2 /);
  });

  it('apply --yes asks nothing', async () => {
    const r = await cli.run(['apply', '--profile', 'guide-baseline', '--hosts', 'dead-1', '--yes', '--timeout', '3'], { prompts: [] });
    expect(r.code).toBe(ExitCode.HOSTS_FAILED);
    expect(cli.shownPrompts).toEqual([]);
    expect((await runsOf()).map((x) => x.mode)).toEqual(['apply']);
  });

  it('runs show names the way to list runs for an unknown id', async () => {
    const r = await cli.run(['runs', 'show', 'nope']);
    expect(r.code).toBe(ExitCode.NOT_FOUND);
    expect(r.stderr).toContain('bulwark runs list');
  });
});
