import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { generateKeyPair } from '../../../main/services/keys';
import { Cli } from './harness';

const KEY_PASS = 'plum rocket 19 quartz lantern';

let cli: Cli;
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
});
afterEach(() => cli.cleanup());

interface KeyJson {
  name: string;
  type: string;
  bits: number;
  fingerprint: string;
  publicKey: string;
  comment: string;
  source: string;
  createdAt: number;
}

async function list(): Promise<KeyJson[]> {
  return JSON.parse(await cli.ok(['keys', 'list', '--json'])) as KeyJson[];
}

describe('bulwark keys gen / list / export-public / rm', () => {
  it('generates an ed25519 key and prints name, type, ssh-keygen -l fingerprint line and public key', async () => {
    const out = await cli.ok(['keys', 'gen', '--name', 'deploy']);
    const lines = out.split('\n');
    expect(lines[0]).toBe('Generated key deploy');
    expect(lines[1]).toBe('  type:        ed25519');
    expect(lines[2]).toMatch(/^ {2}fingerprint: 256 SHA256:[A-Za-z0-9+/]{43} deploy@bulwark \(ED25519\)$/);
    expect(lines[3]).toMatch(/^ {2}public key: {2}ssh-ed25519 AAAA\S+ deploy@bulwark$/);

    const keys = await list();
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(['bits', 'comment', 'createdAt', 'fingerprint', 'name', 'publicKey', 'source', 'type']);
    expect(keys[0]).toMatchObject({ name: 'deploy', type: 'ed25519', bits: 256, comment: 'deploy@bulwark', source: 'generated' });
    expect(lines[2]).toContain(keys[0]!.fingerprint);
    expect(JSON.stringify(keys)).not.toMatch(/PRIVATE KEY/);

    expect(await cli.ok(['keys', 'export-public', 'DEPLOY'])).toBe(`${keys[0]!.publicKey}\n`);
    expect(JSON.parse(await cli.ok(['--json', 'keys', 'export-public', 'deploy']))).toEqual({ name: 'deploy', publicKey: keys[0]!.publicKey });

    const table = await cli.ok(['keys', 'list']);
    expect(table.split('\n')[0]).toBe('NAME    TYPE     BITS  FINGERPRINT                                         SOURCE     COMMENT');

    const rm = await cli.run(['keys', 'rm', 'deploy']);
    expect(rm).toMatchObject({ code: 0, stdout: `Removed key deploy (${keys[0]!.fingerprint})\n` });
    expect(await list()).toEqual([]);
    expect(await cli.ok(['keys', 'list'])).toBe('No keys.\n');
    expect((await cli.run(['keys', 'rm', 'deploy'])).code).toBe(ExitCode.NOT_FOUND);
    expect((await cli.run(['keys', 'export-public', 'nope'])).code).toBe(ExitCode.NOT_FOUND);
  });

  it('gen --json, --type rsa with --comment; a duplicate name is a conflict; a bad type is exit 5', async () => {
    const rsa = JSON.parse(await cli.ok(['--json', 'keys', 'gen', '--name', 'old-box', '--type', 'rsa', '--bits', '3072', '--comment', 'me@laptop'])) as KeyJson;
    expect(rsa).toMatchObject({ name: 'old-box', type: 'rsa', bits: 3072, comment: 'me@laptop', source: 'generated' });
    expect(rsa.publicKey).toMatch(/^ssh-rsa AAAA\S+ me@laptop$/);
    expect((await cli.run(['keys', 'gen', '--name', 'OLD-BOX'])).code).toBe(ExitCode.CONFLICT);
    const bad = await cli.run(['keys', 'gen', '--name', 'x', '--type', 'dsa']);
    expect(bad.code).toBe(ExitCode.VALIDATION);
    expect(bad.stdout).toBe('');
  });
});

describe('bulwark keys import', () => {
  it('imports an unencrypted key without asking for a key passphrase', async () => {
    const pair = await generateKeyPair({ type: 'ed25519', comment: 'plain@test' });
    const file = cli.write('id_plain', pair.privateKey);
    const out = JSON.parse(await cli.ok(['--json', 'keys', 'import', file, '--name', 'plain'])) as KeyJson & { format: string };
    expect(out).toMatchObject({ name: 'plain', fingerprint: pair.fingerprint, publicKey: pair.publicKey, source: 'imported', format: 'openssh' });
    expect(cli.shownPrompts).toEqual([]);
    // the same key again, under another name
    expect((await cli.run(['keys', 'import', file, '--name', 'again'])).code).toBe(ExitCode.CONFLICT);
  });

  it('decrypts an encrypted key with the passphrase from the environment, a file or the prompt', async () => {
    const pair = await generateKeyPair({ type: 'ed25519', comment: 'enc@test', passphrase: KEY_PASS });
    expect(pair.encrypted).toBe(true);
    const file = cli.write('id_enc', pair.privateKey);

    const human = await cli.ok(['keys', 'import', file, '--name', 'enc'], { env: { BULWARK_KEY_PASSPHRASE: KEY_PASS } });
    expect(human).toContain('Imported key enc');
    expect(human).toContain(pair.fingerprint);
    expect((await list())[0]).toMatchObject({ name: 'enc', fingerprint: pair.fingerprint, source: 'imported' });

    await cli.ok(['keys', 'rm', 'enc']);
    const passFile = cli.write('keypass', `${KEY_PASS}\n`);
    await cli.ok(['keys', 'import', file, '--name', 'enc2', '--key-passphrase-file', passFile]);
    await cli.ok(['keys', 'rm', 'enc2']);

    await cli.ok(['keys', 'import', file, '--name', 'enc3'], { prompts: [KEY_PASS] });
    expect(cli.shownPrompts).toEqual([`Passphrase for ${file}: `]);
    expect((await list()).map((k) => k.name)).toEqual(['enc3']);
  });

  it('wrong key passphrase is exit 3, none available is exit 2, and nothing is stored', async () => {
    const pair = await generateKeyPair({ type: 'ed25519', passphrase: KEY_PASS });
    const file = cli.write('id_enc', pair.privateKey);
    const wrong = await cli.run(['keys', 'import', file, '--name', 'enc'], { env: { BULWARK_KEY_PASSPHRASE: 'not the passphrase 99' } });
    expect(wrong.code).toBe(ExitCode.AUTH);
    expect(wrong.stderr).not.toContain('not the passphrase');
    const none = await cli.run(['keys', 'import', file, '--name', 'enc']);
    expect(none.code).toBe(ExitCode.USAGE);
    expect(none.stderr).toContain('--key-passphrase-file');
    expect(await list()).toEqual([]);
  });

  it('refuses a key passphrase on argv; a missing file is exit 8; garbage is exit 5', async () => {
    const argv = await cli.run(['keys', 'import', 'x', '--name', 'k', '--key-passphrase=hunter2']);
    expect(argv.code).toBe(ExitCode.USAGE);
    expect(argv.stderr).not.toContain('hunter2');
    expect((await cli.run(['keys', 'import', 'missing', '--name', 'k'])).code).toBe(ExitCode.NOT_FOUND);
    const junk = cli.write('junk', 'not a key\n');
    expect((await cli.run(['keys', 'import', junk, '--name', 'k'])).code).toBe(ExitCode.VALIDATION);
    expect(fs.existsSync(cli.vault)).toBe(true);
  });
});
