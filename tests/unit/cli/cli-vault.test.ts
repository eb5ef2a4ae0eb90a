import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { Cli, OTHER_PASSPHRASE, PASSPHRASE } from './harness';

let cli: Cli;
beforeEach(() => {
  cli = new Cli();
});
afterEach(() => cli.cleanup());

describe('bulwark vault init', () => {
  it('creates the vault and prints the recovery key once, with a warning on stderr', async () => {
    const r = await cli.run(['vault', 'init']);
    expect(r.code).toBe(0);
    expect(fs.existsSync(cli.vault)).toBe(true);
    const keys = r.stdout.match(/[0-9A-Z]{4}(-[0-9A-Z]{4}){13}/g);
    expect(keys).toHaveLength(1);
    expect(r.stderr).toMatch(/shown only this once/);
    expect(r.stdout + r.stderr).not.toContain(PASSPHRASE);
  });

  it('--json prints only {path, recoveryKey} on stdout', async () => {
    const r = await cli.run(['--json', 'vault', 'init']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { path: string; recoveryKey: string };
    expect(out.path).toBe(cli.vault);
    expect(out.recoveryKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){13}$/);
  });

  it('asks twice on a terminal and refuses a mismatch', async () => {
    const env = { BULWARK_PASSPHRASE: undefined };
    const bad = await cli.run(['vault', 'init'], { env, prompts: [PASSPHRASE, PASSPHRASE + 'x'] });
    expect(bad.code).toBe(ExitCode.VALIDATION);
    expect(bad.stderr).toMatch(/do not match/);
    expect(fs.existsSync(cli.vault)).toBe(false);

    const good = await cli.run(['vault', 'init'], { env, prompts: [PASSPHRASE, PASSPHRASE] });
    expect(good.code).toBe(0);
    expect(cli.shownPrompts).toEqual(['New vault passphrase: ', 'Repeat the passphrase: ']);
  });

  it('rejects a weak passphrase with the strength feedback', async () => {
    const r = await cli.run(['vault', 'init'], { env: { BULWARK_PASSPHRASE: 'proxmox123' } });
    expect(r.code).toBe(ExitCode.VALIDATION);
    expect(r.stderr).toMatch(/^bulwark: the passphrase is too weak .*Avoid common words like "proxmox"/);
    expect(fs.existsSync(cli.vault)).toBe(false);
  });

  it('refuses to overwrite an existing vault', async () => {
    await cli.init();
    const r = await cli.run(['vault', 'init']);
    expect(r.code).toBe(ExitCode.VAULT_STATE);
    expect(r.stderr).toMatch(/already exists/);
  });

  it('honours --vault over BULWARK_VAULT', async () => {
    const other = `${cli.dir}/nested/dir/other.db`;
    expect(await cli.ok(['--vault', other, 'vault', 'init'])).toMatch(/Created vault/);
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.existsSync(cli.vault)).toBe(false);
  });
});

describe('passphrase sources', () => {
  beforeEach(async () => {
    await cli.init();
  });

  it('exits 3 on a wrong passphrase', async () => {
    const r = await cli.run(['hosts', 'list'], { env: { BULWARK_PASSPHRASE: OTHER_PASSPHRASE } });
    expect(r.code).toBe(ExitCode.AUTH);
    expect(r.stderr).toBe('bulwark: Wrong passphrase.\n');
    expect(r.stdout).toBe('');
  });

  it('refuses clearly when there is no passphrase and stdin is not a terminal', async () => {
    const r = await cli.run(['hosts', 'list'], { env: { BULWARK_PASSPHRASE: undefined } });
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/no passphrase available: use --passphrase-file FILE or set BULWARK_PASSPHRASE/);
  });

  it('prompts on a terminal', async () => {
    const r = await cli.run(['hosts', 'list'], { env: { BULWARK_PASSPHRASE: undefined }, prompts: [PASSPHRASE] });
    expect(r.code).toBe(0);
    expect(cli.shownPrompts).toEqual(['Vault passphrase: ']);
  });

  it('reads the first line of --passphrase-file, which beats the environment', async () => {
    const file = cli.write('pass.txt', `${PASSPHRASE}\r\nsecond line\n`);
    const r = await cli.run(['--passphrase-file', file, 'hosts', 'list'], { env: { BULWARK_PASSPHRASE: 'wrong one entirely' } });
    expect(r.code).toBe(0);
  });

  it('warns when the passphrase file is readable by others', async () => {
    const file = cli.write('pass.txt', `${PASSPHRASE}\n`, 0o644);
    fs.chmodSync(file, 0o644);
    const r = await cli.run(['hosts', 'list', '--passphrase-file', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/readable by other users/);
  });

  it('refuses an empty or missing passphrase file', async () => {
    const empty = cli.write('empty.txt', '\nsecret on line two\n');
    const r1 = await cli.run(['--passphrase-file', empty, 'hosts', 'list']);
    expect(r1.code).toBe(ExitCode.USAGE);
    expect(r1.stderr).toMatch(/first line .* is empty/);
    const r2 = await cli.run(['--passphrase-file', 'nope.txt', 'hosts', 'list']);
    expect(r2.code).toBe(ExitCode.FAILURE);
    expect(r2.stderr).toMatch(/cannot read nope.txt \(ENOENT\)/);
  });

  it('never accepts a secret on argv, and never echoes it', async () => {
    for (const arg of ['--passphrase=hunter2hunter2', '--passphrase', '--recovery-key=ABCD', '--new-passphrase=x']) {
      const r = await cli.run(['hosts', 'list', arg]);
      expect(r.code).toBe(ExitCode.USAGE);
      expect(r.stderr).toMatch(/secrets never go on the command line/);
      expect(r.stderr).not.toMatch(/hunter2|ABCD|=x/);
    }
    const typo = await cli.run(['hosts', 'list', '--passphrase-fil=hunter2hunter2']);
    expect(typo.code).toBe(ExitCode.USAGE);
    expect(typo.stderr).not.toContain('hunter2');
  });

  it('exits 1 while another process has the vault open', async () => {
    const { openVault } = await import('../../../main/cli/services');
    const other = openVault(cli.vault, { BULWARK_TEST_KDF: 'fast', NODE_ENV: 'test' });
    other.vault.unlock(PASSPHRASE);
    other.hosts.list();
    try {
      const r = await cli.run(['hosts', 'list']);
      expect(r.code).toBe(ExitCode.FAILURE);
      expect(r.stderr).toMatch(/in use by another Bulwark process/);
    } finally {
      await other.close();
    }
    expect((await cli.run(['hosts', 'list'])).code).toBe(0);
  });

  it('exits 4 when there is no vault', async () => {
    const r = await cli.run(['--vault', `${cli.dir}/missing.db`, 'hosts', 'list']);
    expect(r.code).toBe(ExitCode.VAULT_STATE);
    expect(r.stderr).toMatch(/no vault at .*missing\.db .*bulwark vault init/);
  });
});

describe('bulwark vault check', () => {
  beforeEach(async () => {
    await cli.init();
    await cli.ok(['hosts', 'add', 'a', '--address', '10.0.0.1']);
    await cli.ok(['hosts', 'add', 'b', '--address', '10.0.0.2']);
  });

  it('reports counts per kind', async () => {
    const r = await cli.run(['vault', 'check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is intact: 2 records decrypted\.\n {2}host: 2\n/);
    const json = JSON.parse(await cli.ok(['vault', 'check', '--json'])) as { ok: boolean; records: number; kinds: Record<string, number> };
    expect(json).toMatchObject({ ok: true, records: 2, kinds: { host: 2 } });
  });

  it('also checks kinds the CLI does not know about', async () => {
    // a record of a future kind, written through the service
    const { openVault } = await import('../../../main/cli/services');
    const h = openVault(cli.vault, { BULWARK_TEST_KDF: 'fast', NODE_ENV: 'test' });
    h.vault.unlock(PASSPHRASE);
    h.vault.put('ssh-key', 'k1', { name: 'k' });
    await h.close();
    const json = JSON.parse(await cli.ok(['vault', 'check', '--json'])) as { kinds: Record<string, number> };
    expect(json.kinds).toEqual({ host: 2, 'ssh-key': 1 });
  });

  it('exits 6 VAULT_TAMPERED when a record was modified', async () => {
    const db = new Database(cli.vault);
    const row = db.prepare("SELECT id, data FROM records WHERE kind = 'host' LIMIT 1").get() as { id: string; data: Buffer };
    row.data.writeUInt8(row.data.readUInt8(row.data.length - 1) ^ 1, row.data.length - 1);
    db.prepare("UPDATE records SET data = ? WHERE kind = 'host' AND id = ?").run(row.data, row.id);
    db.close();
    const r = await cli.run(['vault', 'check']);
    expect(r.code).toBe(ExitCode.VAULT_DAMAGED);
    expect(r.stderr).toMatch(/^bulwark: Record host\/.* failed its integrity check/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 6 for a truncated vault', async () => {
    const size = fs.statSync(cli.vault).size;
    fs.truncateSync(cli.vault, size - 1024);
    const r = await cli.run(['vault', 'check']);
    expect(r.code).toBe(ExitCode.VAULT_DAMAGED);
    expect(r.stderr).toMatch(/truncated/);
  });

  it('exits 6 for a file that is not a vault', async () => {
    fs.writeFileSync(cli.vault, 'just some text, not a database\n');
    const r = await cli.run(['vault', 'check']);
    expect(r.code).toBe(ExitCode.VAULT_DAMAGED);
    expect(r.stderr).toMatch(/not a Bulwark vault/);
  });

  it('exits 7 for a vault written by a newer Bulwark', async () => {
    const db = new Database(cli.vault);
    db.pragma('user_version = 99');
    db.close();
    const r = await cli.run(['vault', 'check']);
    expect(r.code).toBe(ExitCode.VAULT_TOO_NEW);
    expect(r.stderr).toMatch(/newer Bulwark/);
  });
});

describe('bulwark vault export / import', () => {
  const EXPORT_PASS = 'export lantern cobalt 7 meadow';

  it('round-trips records into another vault', async () => {
    await cli.init();
    await cli.ok(['hosts', 'add', 'pve1', '--address', 'pve1.lan', '--tag', 'pve']);
    await cli.ok(['hosts', 'add', 'web', '--address', '10.1.1.1', '--notes', 'nginx']);
    const env = { BULWARK_EXPORT_PASSPHRASE: EXPORT_PASS };
    const out = JSON.parse(await cli.ok(['vault', 'export', 'backup.bwx', '--json'], { env })) as { records: number };
    expect(out.records).toBe(2);

    // refuses to overwrite without --force
    const again = await cli.run(['vault', 'export', 'backup.bwx'], { env });
    expect(again.code).toBe(ExitCode.CONFLICT);
    expect((await cli.run(['vault', 'export', 'backup.bwx', '--force'], { env })).code).toBe(0);

    const other = new Cli();
    try {
      await other.init();
      const wrong = await other.run(['vault', 'import', `${cli.dir}/backup.bwx`], { env: { BULWARK_EXPORT_PASSPHRASE: OTHER_PASSPHRASE } });
      expect(wrong.code).toBe(ExitCode.AUTH);
      const file = other.write('export-pass', `${EXPORT_PASS}\n`);
      const r = await other.run(['vault', 'import', `${cli.dir}/backup.bwx`, '--export-passphrase-file', file]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/2 added, 0 updated/);
      expect(await other.hosts()).toEqual(await cli.hosts());
    } finally {
      other.cleanup();
    }
  });

  it('asks for the export passphrase twice on a terminal and rejects a weak one', async () => {
    await cli.init();
    const weak = await cli.run(['vault', 'export', 'x.bwx'], { prompts: ['password1', 'password1'] });
    expect(weak.code).toBe(ExitCode.VALIDATION);
    expect(weak.stderr).toMatch(/export passphrase is too weak/);
    const ok = await cli.run(['vault', 'export', 'x.bwx'], { prompts: [EXPORT_PASS, EXPORT_PASS] });
    expect(ok.code).toBe(0);
    expect(cli.shownPrompts).toEqual(['Passphrase for the export file: ', 'Repeat the export passphrase: ']);
  });

  it('reports a missing or invalid export file', async () => {
    await cli.init();
    const env = { BULWARK_EXPORT_PASSPHRASE: EXPORT_PASS };
    expect((await cli.run(['vault', 'import', 'none.bwx'], { env })).code).toBe(ExitCode.NOT_FOUND);
    cli.write('junk.bwx', 'not an export\n');
    const r = await cli.run(['vault', 'import', 'junk.bwx'], { env });
    expect(r.code).toBe(ExitCode.VALIDATION);
    expect(r.stderr).toMatch(/not a valid Bulwark export/);
  });
});

describe('bulwark vault passwd / recover', () => {
  it('changes the passphrase', async () => {
    await cli.init();
    const r = await cli.run(['vault', 'passwd'], { env: { BULWARK_NEW_PASSPHRASE: OTHER_PASSPHRASE } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Passphrase changed.\n');
    expect((await cli.run(['hosts', 'list'])).code).toBe(ExitCode.AUTH);
    expect((await cli.run(['hosts', 'list'], { env: { BULWARK_PASSPHRASE: OTHER_PASSPHRASE } })).code).toBe(0);
  });

  it('rejects a weak new passphrase and keeps the old one', async () => {
    await cli.init();
    const r = await cli.run(['vault', 'passwd'], { env: { BULWARK_NEW_PASSPHRASE: 'aaaaaaaa' } });
    expect(r.code).toBe(ExitCode.VALIDATION);
    expect((await cli.run(['hosts', 'list'])).code).toBe(0);
  });

  it('prompts for current and new passphrase on a terminal', async () => {
    await cli.init();
    const r = await cli.run(['vault', 'passwd'], {
      env: { BULWARK_PASSPHRASE: undefined },
      prompts: [PASSPHRASE, OTHER_PASSPHRASE, OTHER_PASSPHRASE],
    });
    expect(r.code).toBe(0);
    expect(cli.shownPrompts).toEqual(['Vault passphrase: ', 'New vault passphrase: ', 'Repeat the new passphrase: ']);
  });

  it('new-recovery-key prints a new key once; the old one stops working', async () => {
    const oldKey = await cli.init();
    const r = await cli.run(['vault', 'new-recovery-key', '--json']);
    expect(r.code).toBe(0);
    const { recoveryKey } = JSON.parse(r.stdout) as { recoveryKey: string };
    expect(recoveryKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){13}$/);
    expect(recoveryKey).not.toBe(oldKey);
    const env = { BULWARK_PASSPHRASE: undefined, BULWARK_NEW_PASSPHRASE: OTHER_PASSPHRASE };
    expect((await cli.run(['vault', 'recover'], { env: { ...env, BULWARK_RECOVERY_KEY: oldKey } })).code).toBe(ExitCode.AUTH);
    expect((await cli.run(['vault', 'recover'], { env: { ...env, BULWARK_RECOVERY_KEY: recoveryKey } })).code).toBe(0);
  });

  it('recovers with the recovery key from the environment', async () => {
    const key = await cli.init();
    const wrong = await cli.run(['vault', 'recover'], {
      env: { BULWARK_PASSPHRASE: undefined, BULWARK_RECOVERY_KEY: key.replace(/^..../, 'ZZZZ'), BULWARK_NEW_PASSPHRASE: OTHER_PASSPHRASE },
    });
    expect(wrong.code).toBe(ExitCode.AUTH);
    const r = await cli.run(['vault', 'recover'], {
      env: { BULWARK_PASSPHRASE: undefined, BULWARK_RECOVERY_KEY: key.toLowerCase(), BULWARK_NEW_PASSPHRASE: OTHER_PASSPHRASE },
    });
    expect(r.code).toBe(0);
    expect((await cli.run(['hosts', 'list'], { env: { BULWARK_PASSPHRASE: OTHER_PASSPHRASE } })).code).toBe(0);
  });

  it('prompts for the recovery key, and reads it from --recovery-key-file', async () => {
    const key = await cli.init();
    const viaPrompt = await cli.run(['vault', 'recover'], {
      env: { BULWARK_PASSPHRASE: undefined },
      prompts: [key, OTHER_PASSPHRASE, OTHER_PASSPHRASE],
    });
    expect(viaPrompt.code).toBe(0);
    expect(cli.shownPrompts[0]).toBe('Recovery key: ');
    const file = cli.write('rk.txt', `${key}\n`);
    const viaFile = await cli.run(['vault', 'recover', '--recovery-key-file', file], { env: { BULWARK_NEW_PASSPHRASE: PASSPHRASE } });
    expect(viaFile.code).toBe(0);
  });

  it('refuses to recover without a recovery key source when stdin is not a terminal', async () => {
    await cli.init();
    const r = await cli.run(['vault', 'recover'], { env: { BULWARK_NEW_PASSPHRASE: OTHER_PASSPHRASE } });
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/no recovery key available: use --recovery-key-file FILE or set BULWARK_RECOVERY_KEY/);
  });
});
