import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { Cli } from './harness';

let cli: Cli;
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
});
afterEach(() => cli.cleanup());

describe('bulwark hosts add / list / rm', () => {
  it('init → add → list --json → rm', async () => {
    const added = await cli.run(['hosts', 'add', 'pve1', '--address', '192.168.1.10', '--port', '2222', '--user', 'admin', '--tag', 'PVE', '--tag', 'lab', '--notes', 'rack 1']);
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('Added pve1 (admin@192.168.1.10:2222)\n');
    await cli.ok(['hosts', 'add', 'web-1', '--address', 'web1.lan', '--jump', 'admin@pve1:2222', '--tag', 'web']);

    const list = await cli.hosts();
    expect(list.map((h) => h.name)).toEqual(['pve1', 'web-1']);
    expect(list[0]).toMatchObject({ name: 'pve1', address: '192.168.1.10', port: 2222, user: 'admin', jumpHost: '', tags: ['lab', 'pve'], notes: 'rack 1', guest: null });
    expect(list[1]).toMatchObject({ user: 'root', port: 22, jumpHost: 'admin@pve1:2222', tags: ['web'] });
    expect(typeof list[0]!.id).toBe('string');

    const rm = await cli.run(['hosts', 'rm', 'PVE1']);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toBe('Removed 1 host: pve1\n');
    expect((await cli.hosts()).map((h) => h.name)).toEqual(['web-1']);
  });

  it('prints an aligned table', async () => {
    await cli.ok(['hosts', 'add', 'a', '--address', '10.0.0.1', '--tag', 'x']);
    await cli.ok(['hosts', 'add', 'longer-name', '--address', 'fd00::1', '--jump', 'a']);
    expect(await cli.ok(['hosts', 'list'])).toBe(
      [
        'NAME         ADDRESS   PORT  USER  JUMP  TAGS',
        'a            10.0.0.1  22    root  -     x',
        'longer-name  fd00::1   22    root  a     -',
        '',
      ].join('\n'),
    );
  });

  it('filters by --tag and --search', async () => {
    await cli.ok(['hosts', 'add', 'db1', '--address', '10.0.0.1', '--tag', 'db', '--notes', 'postgres primary']);
    await cli.ok(['hosts', 'add', 'db2', '--address', '10.0.0.2', '--tag', 'db']);
    await cli.ok(['hosts', 'add', 'web', '--address', '10.0.1.1', '--tag', 'web']);
    expect((await cli.hosts(['--tag', 'DB'])).map((h) => h.name)).toEqual(['db1', 'db2']);
    expect((await cli.hosts(['--search', 'postgres'])).map((h) => h.name)).toEqual(['db1']);
    expect((await cli.hosts(['--search', '10.0.0', '--tag', 'db'])).map((h) => h.name)).toEqual(['db1', 'db2']);
    expect(await cli.hosts(['--tag', 'none'])).toEqual([]);
    expect(await cli.ok(['hosts', 'list', '--tag', 'none'])).toBe('No hosts.\n');
  });

  it('prints field errors per field, naming the options, before asking for a passphrase', async () => {
    const r = await cli.run(['hosts', 'add', '.bad', '--address', '[fd00::1]', '--port', '0x16', '--user', '9x', '--jump', 'a b', '--tag', 'ok', '--tag', 'Not Ok'], {
      env: { BULWARK_PASSPHRASE: undefined },
    });
    expect(r.code).toBe(ExitCode.VALIDATION);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'bulwark: invalid host ".bad"',
      '  NAME: may use only letters, digits, ".", "_" and "-", and must not start with "." or "-"',
      '  --address: write IPv6 addresses without brackets',
      '  --port: must be a whole number',
      '  --user: must start with a letter or underscore and use only letters, digits, ".", "_" and "-"',
      '  --jump: "a b" is not of the form [user@]host[:port]',
      '  --tag: "not ok" may use only lowercase letters, digits, "_", ".", "+" and "-"',
      '',
    ]);
  });

  it('exits 9 on a duplicate name (case-insensitive)', async () => {
    await cli.ok(['hosts', 'add', 'pve1', '--address', '10.0.0.1']);
    const r = await cli.run(['hosts', 'add', 'PVE1', '--address', '10.0.0.2']);
    expect(r.code).toBe(ExitCode.CONFLICT);
    expect(r.stderr).toBe('bulwark: A host named "PVE1" already exists\n  NAME: is already used by another host (names are case-insensitive)\n');
  });

  it('exits 2 when --address is missing', async () => {
    const r = await cli.run(['hosts', 'add', 'x']);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/^bulwark: required option '--address <A>' not specified/);
  });

  it('removes by tag, refuses unknown names without removing anything', async () => {
    await cli.ok(['hosts', 'add', 'a', '--address', '10.0.0.1', '--tag', 'old']);
    await cli.ok(['hosts', 'add', 'b', '--address', '10.0.0.2', '--tag', 'old']);
    await cli.ok(['hosts', 'add', 'c', '--address', '10.0.0.3']);
    const missing = await cli.run(['hosts', 'rm', 'c', 'nope', 'zilch']);
    expect(missing.code).toBe(ExitCode.NOT_FOUND);
    expect(missing.stderr).toMatch(/^bulwark: Unknown hosts: nope, zilch/);
    expect(await cli.hosts()).toHaveLength(3);

    const byTag = JSON.parse(await cli.ok(['--json', 'hosts', 'rm', '--tag', 'old'])) as { deleted: number; names: string[] };
    expect(byTag).toEqual({ deleted: 2, names: ['a', 'b'] });
    expect((await cli.run(['hosts', 'rm', '--tag', 'old'])).code).toBe(ExitCode.NOT_FOUND);
    expect((await cli.run(['hosts', 'rm'])).code).toBe(ExitCode.USAGE);
  });
});

describe('bulwark hosts import-ssh-config', () => {
  const CONFIG = [
    'Host pve1',
    '  HostName 192.168.1.10',
    '  Port 2222',
    'Host web',
    '  HostName web.lan',
    '  User deploy',
    '  ProxyJump pve1',
    'Host *.lan',
    '  ForwardAgent no',
    'Host legacy',
    '  ProxyCommand nc -X connect %h %p',
    '# OpenSSH: the first value wins, so defaults go last',
    'Host *',
    '  User fallback',
    '',
  ].join('\n');

  it('prints the report', async () => {
    const file = cli.write('ssh_config', CONFIG);
    const r = await cli.run(['hosts', 'import-ssh-config', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Imported ${file}: 2 added, 0 updated, 2 skipped\n`));
    expect(r.stdout).toMatch(/^ {2}RESULT +HOST +REASON$/m);
    expect(r.stdout).toMatch(/^ {2}added +pve1$/m);
    expect(r.stdout).toMatch(/^ {2}skipped +\*\.lan +a pattern/m);
    expect(r.stdout).toMatch(/^ {2}skipped +legacy +.*ProxyCommand/m);
    const hosts = await cli.hosts();
    expect(hosts.find((h) => h.name === 'pve1')).toMatchObject({ address: '192.168.1.10', port: 2222, user: 'fallback' });
    expect(hosts.find((h) => h.name === 'web')).toMatchObject({ address: 'web.lan', user: 'deploy', jumpHost: 'pve1' });

    // again: nothing changes
    const again = JSON.parse(await cli.ok(['hosts', 'import-ssh-config', file, '--json'])) as { added: string[]; updated: string[]; skipped: { name: string; reason: string }[] };
    expect(again.added).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.skipped.filter((s) => s.reason === 'unchanged').map((s) => s.name).sort()).toEqual(['pve1', 'web']);
  });

  it('reads ~/.ssh/config by default', async () => {
    fs.mkdirSync(path.join(cli.dir, '.ssh'));
    fs.writeFileSync(path.join(cli.dir, '.ssh', 'config'), 'Host only\n  HostName 10.9.9.9\n  User u\n');
    const report = JSON.parse(await cli.ok(['--json', 'hosts', 'import-ssh-config'])) as { added: string[] };
    expect(report.added).toEqual(['only']);
  });

  it('exits 8 when the config does not exist', async () => {
    const r = await cli.run(['hosts', 'import-ssh-config', 'missing']);
    expect(r.code).toBe(ExitCode.NOT_FOUND);
    expect(r.stderr).toMatch(/no such file: .*missing/);
  });
});

describe('bulwark hosts import-ansible / export-ansible', () => {
  it('imports INI with a report, skipping invalid hosts with the reason', async () => {
    const file = cli.write(
      'hosts.ini',
      ['[web]', 'web1 ansible_host=10.0.0.1 ansible_user=deploy', 'web2 ansible_host=10.0.0.999', '', '[db]', 'db1 ansible_port=2200', ''].join('\n'),
    );
    const r = await cli.run(['hosts', 'import-ansible', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: 2 added, 0 updated, 1 skipped/);
    expect(r.stdout).toMatch(/^ {2}skipped +web2 +address: is not a valid IPv4 address/m);
    const hosts = await cli.hosts();
    expect(hosts.map((h) => [h.name, h.address, h.port, h.user, h.tags])).toEqual([
      ['db1', 'db1', 2200, 'root', ['db']],
      ['web1', '10.0.0.1', 22, 'deploy', ['web']],
    ]);
  });

  it('exits 5 on an unparseable inventory', async () => {
    const file = cli.write('bad.yml', 'all:\n  hosts: [unclosed\n');
    const r = await cli.run(['hosts', 'import-ansible', file]);
    expect(r.code).toBe(ExitCode.VALIDATION);
    expect(r.stderr).toMatch(/^bulwark: /);
  });

  it('exports to stdout without FILE, and to FILE with it', async () => {
    await cli.ok(['hosts', 'add', 'pve1', '--address', '192.168.1.10', '--tag', 'pve']);
    const yaml = await cli.ok(['hosts', 'export-ansible']);
    expect(yaml).toMatch(/^# Ansible inventory exported by Bulwark/);
    expect(yaml).toMatch(/ansible_host: "192\.168\.1\.10"/);
    expect(yaml).toMatch(/children:\n {4}pve:\n/);

    const json = JSON.parse(await cli.ok(['--json', 'hosts', 'export-ansible'])) as { path: null; hosts: number; text: string };
    expect(json).toEqual({ path: null, hosts: 1, text: yaml });

    const r = await cli.run(['hosts', 'export-ansible', 'inv.yml']);
    expect(r.stdout).toBe(`Wrote 1 host to ${path.join(cli.dir, 'inv.yml')}\n`);
    expect(fs.readFileSync(path.join(cli.dir, 'inv.yml'), 'utf8')).toBe(yaml);
    expect(fs.statSync(path.join(cli.dir, 'inv.yml')).mode & 0o077).toBe(0);
  });
});
