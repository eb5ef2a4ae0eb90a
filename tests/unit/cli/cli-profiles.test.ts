/**
 * `bulwark profile export|import|export-ansible|rm|list|show` with custom profiles in a real
 * vault: a built-in exported, edited and imported as a custom profile (file and stdin), CONFLICT
 * without --replace, validation errors naming the line and exiting 5 before the passphrase is
 * asked, built-in ids protected, export-ansible to a file, list showing custom profiles, and a
 * run (audit) finding the custom profile. Exit codes as main/cli/exit-codes.ts says.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProfileView, RunListEntry } from '../../../shared/domain/hardening';
import { ExitCode } from '../../../main/cli/exit-codes';
import { Cli } from './harness';

let cli: Cli;
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
});
afterEach(() => cli.cleanup());

const noPass = { env: { BULWARK_PASSPHRASE: undefined } };

/** guide-baseline exported and turned into a custom profile with a LAN range. */
async function customYaml(): Promise<string> {
  const text = await cli.ok(['profile', 'export', 'guide-baseline']);
  expect(text).toMatch(/^bulwark-profile: 1$/m);
  return text.replace('id: guide-baseline', 'id: lan-baseline').replace('name: Guide baseline', 'name: LAN baseline').replace('  - id: ufw\n', '  - id: ufw\n    params:\n      lanCidr: 192.168.1.0/24\n');
}

describe('profile import|export|rm', () => {
  it('imports an edited export from a file and from stdin (--replace), and shows it', async () => {
    const file = path.join(cli.dir, 'lan.yml');
    fs.writeFileSync(file, await customYaml());
    const stored = JSON.parse(await cli.ok(['--json', 'profile', 'import', file])) as ProfileView;
    expect(stored).toMatchObject({ id: 'lan-baseline', builtIn: false });
    expect(stored.controls.find((c) => c.id === 'ufw')!.params).toEqual({ sshFrom: 'anywhere', lanCidr: '192.168.1.0/24' });

    const again = await cli.run(['profile', 'import', file]);
    expect(again.code).toBe(ExitCode.CONFLICT);
    expect(again.stderr).toContain('A custom profile "lan-baseline" already exists');

    const edited = fs.readFileSync(file, 'utf8').replace('maxretry: 3', 'maxretry: 5');
    expect(await cli.ok(['profile', 'import', '-', '--replace'], { stdin: edited })).toContain('Stored custom profile lan-baseline');
    const show = await cli.ok(['profile', 'show', 'lan-baseline']);
    expect(show).toContain('lan-baseline: LAN baseline (custom)');
    expect(show).toContain('parameters: maxretry=5 bantime=3600 findtime=600');

    const list = JSON.parse(await cli.ok(['--json', 'profile', 'list'])) as ProfileView[];
    expect(list.map((p) => [p.id, p.builtIn])).toEqual([['guide-baseline', true], ['strict-ssh', true], ['proxmox-node', true], ['lan-baseline', false]]);
    expect(await cli.ok(['profile', 'list'])).toMatch(/^lan-baseline +LAN baseline +custom /m);
    // built-in only: no vault, no passphrase
    const builtIn = JSON.parse(await cli.ok(['--json', 'profile', 'list', '--built-in'], noPass)) as ProfileView[];
    expect(builtIn.map((p) => p.id)).toEqual(['guide-baseline', 'strict-ssh', 'proxmox-node']);

    // the export of the custom profile round-trips
    const out = path.join(cli.dir, 'out.yml');
    expect(await cli.ok(['profile', 'export', 'lan-baseline', '--out', out])).toContain(`Wrote ${out}`);
    expect(fs.readFileSync(out, 'utf8')).toContain('lanCidr: 192.168.1.0/24');
    expect(fs.readFileSync(out, 'utf8')).toContain('maxretry: 5');

    expect(await cli.ok(['profile', 'rm', 'lan-baseline'])).toContain('Deleted custom profile lan-baseline');
    const gone = await cli.run(['profile', 'rm', 'lan-baseline']);
    expect(gone.code).toBe(ExitCode.NOT_FOUND);
    expect((await cli.run(['profile', 'show', 'lan-baseline'])).code).toBe(ExitCode.NOT_FOUND);
  });

  it('refuses bad files with the line, before asking for the passphrase', async () => {
    const file = path.join(cli.dir, 'bad.yml');
    const cases: Array<[string, number, RegExp]> = [
      [(await customYaml()).replace('lanCidr: 192.168.1.0/24', 'lanCidr: "10.0.0.0/8; rm -rf /"'), ExitCode.VALIDATION, /line \d+: control ufw: lanCidr/],
      ['bulwark-profile: 1\nid: x-y\nid: z\n', ExitCode.VALIDATION, /line 3: Map keys must be unique/],
      ['hosts: all\n', ExitCode.VALIDATION, /not a Bulwark profile/],
      ['bulwark-profile: 1\nid: port-move\nname: P\ncontrols:\n  - id: sshd-port\n    params: { port: 99999 }\n', ExitCode.VALIDATION, /line 6: control sshd-port: port/],
    ];
    for (const [text, code, message] of cases) {
      fs.writeFileSync(file, text);
      const r = await cli.run(['profile', 'import', file], noPass);
      expect({ code: r.code, text }).toEqual({ code, text });
      expect(r.stderr).toMatch(message);
    }
    const missing = await cli.run(['profile', 'import', path.join(cli.dir, 'nope.yml')], noPass);
    expect(missing.code).toBe(ExitCode.NOT_FOUND);
    fs.writeFileSync(file, 'x'.repeat(300_000));
    expect((await cli.run(['profile', 'import', file], noPass)).stderr).toContain('a profile is at most 262144');
  });

  it('keeps built-in profiles: not replaced by an import, not deleted', async () => {
    const file = path.join(cli.dir, 'builtin.yml');
    fs.writeFileSync(file, await cli.ok(['profile', 'export', 'strict-ssh'], noPass));
    const r = await cli.run(['profile', 'import', file, '--replace']);
    expect(r.code).toBe(ExitCode.CONFLICT);
    expect(r.stderr).toContain('"strict-ssh" is a built-in profile and cannot be changed');
    const rm = await cli.run(['profile', 'rm', 'guide-baseline'], noPass);
    expect(rm.code).toBe(ExitCode.CONFLICT);
  });

  it('exports a playbook for built-in and custom profiles; a port change is refused with exit 5', async () => {
    const play = await cli.ok(['profile', 'export-ansible', 'guide-baseline'], noPass);
    expect(play).toMatch(/^- name: "Bulwark profile guide-baseline"$/m);
    expect(play).toContain('community.general.ufw:');
    fs.writeFileSync(path.join(cli.dir, 'lan.yml'), await customYaml());
    await cli.ok(['profile', 'import', path.join(cli.dir, 'lan.yml')]);
    const out = path.join(cli.dir, 'lan.ansible.yml');
    const json = JSON.parse(await cli.ok(['--json', 'profile', 'export-ansible', 'lan-baseline', '--out', out])) as { path: string; fileName: string };
    expect(json).toEqual({ path: out, fileName: 'lan-baseline.ansible.yml' });
    expect(fs.readFileSync(out, 'utf8')).toContain('from_ip: "192.168.1.0/24"');

    fs.writeFileSync(path.join(cli.dir, 'port.yml'), 'bulwark-profile: 1\nid: port-move\nname: P\ncontrols:\n  - id: sshd-port\n    params: { port: 2222 }\n');
    await cli.ok(['profile', 'import', path.join(cli.dir, 'port.yml')]);
    const refused = await cli.run(['profile', 'export-ansible', 'port-move']);
    expect(refused.code).toBe(ExitCode.VALIDATION);
    expect(refused.stderr).toContain('not exported to Ansible');
    expect(refused.stdout).toBe('');
  });

  it('runs find custom profiles; an unknown custom id is NOT_FOUND once the vault is open', async () => {
    fs.writeFileSync(path.join(cli.dir, 'lan.yml'), await customYaml());
    await cli.ok(['profile', 'import', path.join(cli.dir, 'lan.yml')]);
    await cli.ok(['hosts', 'add', 'dead-1', '--address', '127.0.0.1', '--port', '1', '--tag', 'lab']);
    const r = await cli.run(['audit', '--profile', 'lan-baseline', '--tag', 'lab', '--timeout', '2']);
    expect(r.code).toBe(ExitCode.HOSTS_FAILED);
    const runs = JSON.parse(await cli.ok(['--json', 'runs', 'list'])) as RunListEntry[];
    expect(runs[0]).toMatchObject({ mode: 'audit', profileId: 'lan-baseline' });
    const unknown = await cli.run(['audit', '--profile', 'no-such', '--tag', 'lab']);
    expect(unknown.code).toBe(ExitCode.NOT_FOUND);
    expect(unknown.stderr).toContain('No profile "no-such"');
  });
});
