/**
 * `bulwark hosts import-ssh-config` bringing IdentityFile keys into the vault: real keys from
 * ssh-keygen under the run's home directory, the real CLI in-process through the harness.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SshConfigImportReport } from '../../../shared/domain/ssh-config-import';
import { makeKey } from '../inventory/ssh-keys-fixtures';
import { Cli } from './harness';

const KEY_PASS = 'marble kettle 58 orchid';

let cli: Cli;
let sshDir: string;
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
  sshDir = path.join(cli.dir, '.ssh');
});
afterEach(() => cli.cleanup());

const key = (name: string) => path.join(sshDir, name);
type JsonReport = SshConfigImportReport & { retry?: string };

async function importJson(args: string[] = [], opts: Parameters<Cli['run']>[1] = {}): Promise<{ report: JsonReport; stderr: string }> {
  const r = await cli.run(['--json', 'hosts', 'import-ssh-config', cli.write('config', CONFIG), ...args], opts);
  expect(r.code, r.stderr).toBe(0);
  return { report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

const CONFIG = ['Host pve1', '  HostName 10.0.0.1', '  IdentityFile ~/.ssh/id_enc', '  IdentityFile ~/.ssh/id_plain', 'Host pve2', '  IdentityFile ~/.ssh/id_enc', ''].join('\n');

/** Which hosts have a login key ('set') in the vault now (keys list --json shows no ids to compare). */
async function loginKeys(): Promise<Record<string, string | null>> {
  const hosts = await cli.hosts();
  return Object.fromEntries(hosts.map((h) => [h.name as string, h.loginKeyId === null ? null : 'set']));
}

describe('bulwark hosts import-ssh-config: keys', () => {
  it('imports a plain key and links it; --json carries the keys report', async () => {
    const fp = makeKey(key('id_plain'));
    const { report } = await importJson();
    expect(report.added.sort()).toEqual(['pve1', 'pve2']);
    expect(report.keys.imported).toEqual([{ path: key('id_plain'), name: 'id_plain', fingerprint: fp }]);
    expect(report.keys.failed).toEqual([{ path: key('id_enc'), reason: 'no such file' }]);
    expect(report.keys.linked).toEqual([{ host: 'pve1', key: 'id_plain', path: key('id_plain') }]);
    const keys = JSON.parse(await cli.ok(['keys', 'list', '--json'])) as { name: string; source: string }[];
    expect(keys).toMatchObject([{ name: 'id_plain', source: 'ssh-config' }]);
    expect(await loginKeys()).toEqual({ pve1: 'set', pve2: null });
  });

  it('without a terminal or a passphrase source, skips encrypted keys and prints the exact command that imports them', async () => {
    makeKey(key('id_enc'), { passphrase: KEY_PASS });
    makeKey(key('id_plain'));
    const { report, stderr } = await importJson();
    expect(report.keys.needPassphrase).toEqual([key('id_enc')]);
    const expected = `bulwark hosts import-ssh-config ${path.join(cli.dir, 'config')} --key-passphrase-file FILE`;
    expect(report.retry).toBe(expected);
    expect(stderr).toBe(`1 encrypted key was skipped (no passphrase). To import it, run:\n  ${expected}\n`);

    // run exactly that command, with FILE holding the passphrase
    const passFile = cli.write('key-pass', `${KEY_PASS}\n`);
    const argv = expected.replace(/ FILE$/, ` ${passFile}`).split(' ').slice(1);
    const again = await cli.run(['--json', ...argv]);
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout) as JsonReport;
    expect(second.keys.imported.map((k) => k.name)).toEqual(['id_enc']);
    expect(second.keys.needPassphrase).toEqual([]);
    expect(second.retry).toBeUndefined();
    expect(second.keys.linked.map((l) => [l.host, l.key])).toEqual([
      ['pve1', 'id_enc'],
      ['pve2', 'id_enc'],
    ]);
  });

  it('uses $BULWARK_KEY_PASSPHRASE for every encrypted key and reports the file it does not open', async () => {
    makeKey(key('id_enc'), { passphrase: KEY_PASS });
    makeKey(key('id_plain'), { passphrase: 'a different one 9' });
    const { report } = await importJson([], { env: { BULWARK_KEY_PASSPHRASE: KEY_PASS } });
    expect(report.keys.imported.map((k) => k.name)).toEqual(['id_enc']);
    expect(report.keys.failed).toEqual([{ path: key('id_plain'), reason: 'wrong passphrase' }]);
    expect(report.keys.needPassphrase).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(KEY_PASS);
  });

  it('prompts per file on a terminal, without echo, retries a wrong passphrase and lets Enter skip', async () => {
    makeKey(key('id_enc'), { passphrase: KEY_PASS });
    makeKey(key('id_plain'), { passphrase: 'skip me 123' });
    const r = await cli.run(['hosts', 'import-ssh-config', cli.write('config', CONFIG)], { prompts: ['wrong guess', KEY_PASS, ''] });
    expect(r.code, r.stderr).toBe(0);
    expect(cli.shownPrompts).toEqual([
      `Passphrase for ${key('id_enc')} (Enter to skip): `,
      `Passphrase for ${key('id_enc')} (Enter to skip): `,
      `Passphrase for ${key('id_plain')} (Enter to skip): `,
    ]);
    expect(r.stderr).toContain(`wrong passphrase for ${key('id_enc')}\n`);
    expect(r.stdout).toMatch(/^Keys: 1 imported, 0 reused, 1 need a passphrase, 0 failed$/m);
    expect(r.stdout).toMatch(new RegExp(`^ {2}imported +${key('id_enc')} +id_enc SHA256:\\S+$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^ {2}skipped +${key('id_plain')} +encrypted: no passphrase given$`, 'm'));
    expect(r.stdout).toMatch(/^Login keys set: 2\n {2}HOST +KEY\n {2}pve1 +id_enc\n {2}pve2 +id_enc$/m);
    expect(r.stdout + r.stderr).not.toContain(KEY_PASS);
  });

  it('--no-keys imports the hosts only', async () => {
    makeKey(key('id_plain'));
    const { report } = await importJson(['--no-keys']);
    expect(report.added.sort()).toEqual(['pve1', 'pve2']);
    expect(report).not.toHaveProperty('keys');
    expect(await cli.ok(['keys', 'list'])).toBe('No keys.\n');
    expect(await loginKeys()).toEqual({ pve1: null, pve2: null });
  });

  it('changes nothing when run again', async () => {
    makeKey(key('id_plain'), { mode: 0o640 });
    const first = (await importJson()).report;
    expect(first.keys.warnings).toEqual([
      { path: key('id_plain'), message: 'permissions 0640 are too open: ssh refuses to use this key until you run chmod 600 on it (imported anyway)' },
    ]);
    const { report } = await importJson();
    expect(report.added).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(report.keys.imported).toEqual([]);
    expect(report.keys.reused).toEqual([{ path: key('id_plain'), name: 'id_plain' }]);
    expect(report.skipped.map((s) => s.reason)).toEqual(['unchanged', 'unchanged']);
  });
});
