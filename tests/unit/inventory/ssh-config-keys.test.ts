/**
 * The ssh_config import with keys, end to end over a real vault, real key files made by
 * ssh-keygen in a temp home directory, and the real file reader.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_KEY_TEXT } from '../../../shared/domain/keys';
import { mergeSshConfigReports, type SshConfigImportReport } from '../../../shared/domain/ssh-config-import';
import {
  HostStore,
  importSshConfigWithKeys,
  nodeKeyFiles,
  prepareSshConfigImport,
  type KeyFileReader,
  type SshConfigKeysOptions,
} from '../../../main/services/inventory';
import { KeyStore } from '../../../main/services/keys';
import { tempDir } from './helpers';
import { makeKey, publicKeyOf, textOf } from './ssh-keys-fixtures';
import { openVault, type OpenVault } from './vault-fixture';

const PASS = 'tulip anchor 77 gravel';

let v: OpenVault;
let hosts: HostStore;
let keys: KeyStore;
let home: string;
let removeHome: () => void;

beforeEach(() => {
  v = openVault();
  hosts = new HostStore(v.vault);
  keys = new KeyStore(v.vault, { loginKeyOf: (id) => hosts.usingLoginKey(id).map((h) => h.name) });
  ({ dir: home, cleanup: removeHome } = tempDir('bulwark-inv-home-'));
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
});
afterEach(() => {
  v.close();
  removeHome();
});

const ssh = (name: string) => join(home, '.ssh', name);
const stores = () => ({ hosts, keys, vault: v.vault });
const options = (extra: Partial<SshConfigKeysOptions> & { passphrases?: Record<string, string> } = {}) => ({
  home,
  defaultUser: 'me',
  localUser: 'alice',
  env: {},
  ...extra,
});
const run = (config: string, extra: Parameters<typeof options>[0] = {}) => importSshConfigWithKeys(stores(), config, options(extra));
const loginKeyName = (host: string) => {
  const id = hosts.findByName(host)?.loginKeyId;
  return id ? keys.get(id)?.name : id;
};
const emptyKeys = { imported: [], reused: [], needPassphrase: [], failed: [], warnings: [], linked: [] };

describe('importing the keys an ssh_config names', () => {
  it('imports a plain key under its file name and links it to every host that uses it', () => {
    const fp = makeKey(ssh('id_ed25519'));
    const r = run('Host pve1 pve2\n  IdentityFile ~/.ssh/id_ed25519\nHost nas\n  HostName 10.0.0.9\n');

    expect(r.added.sort()).toEqual(['nas', 'pve1', 'pve2']);
    expect(r.keys).toEqual({
      ...emptyKeys,
      imported: [{ path: ssh('id_ed25519'), name: 'id_ed25519', fingerprint: fp }],
      linked: [
        { host: 'pve1', key: 'id_ed25519', path: ssh('id_ed25519') },
        { host: 'pve2', key: 'id_ed25519', path: ssh('id_ed25519') },
      ],
    });
    const stored = keys.findByName('id_ed25519')!;
    expect(stored).toMatchObject({ fingerprint: fp, source: 'ssh-config' });
    expect(stored.publicKey.split(' ').slice(0, 2).join(' ')).toBe(publicKeyOf(ssh('id_ed25519')));
    expect(loginKeyName('pve1')).toBe('id_ed25519');
    expect(loginKeyName('pve2')).toBe('id_ed25519');
    expect(hosts.findByName('nas')!.loginKeyId).toBeNull();
  });

  it('expands tokens per host and resolves relative paths under ~/.ssh', () => {
    const web = makeKey(ssh('web1.example.net-deploy'));
    const rel = makeKey(ssh('keys/lab'));
    const r = run('Host web1\n  HostName web1.example.net\n  User deploy\n  IdentityFile %d/.ssh/%h-%r\nHost lab\n  IdentityFile keys/lab\n');
    expect(r.keys.imported.map((k) => [k.path, k.fingerprint])).toEqual([
      [ssh('web1.example.net-deploy'), web],
      [ssh('keys/lab'), rel],
    ]);
    expect(loginKeyName('web1')).toBe('web1.example.net-deploy');
    expect(loginKeyName('lab')).toBe('lab');
  });

  it('links the first IdentityFile that imports, in the order the blocks accumulate them', () => {
    makeKey(ssh('id_web'));
    makeKey(ssh('id_common'));
    const config = ['Host web1', '  IdentityFile ~/.ssh/missing', '  IdentityFile ~/.ssh/id_web', 'Host *', '  IdentityFile ~/.ssh/id_common', ''].join('\n');
    const r = run(config);
    expect(r.keys.failed).toEqual([{ path: ssh('missing'), reason: 'no such file' }]);
    expect(r.keys.imported.map((k) => k.name)).toEqual(['id_web', 'id_common']);
    expect(r.keys.linked).toEqual([{ host: 'web1', key: 'id_web', path: ssh('id_web') }]);
  });

  it('reads each file once however many hosts name it', () => {
    makeKey(ssh('id_ed25519'));
    const reads: string[] = [];
    const real = nodeKeyFiles();
    const counting: KeyFileReader = { read: (p) => (reads.push(p), real.read(p)) };
    const config = Array.from({ length: 20 }, (_, i) => `Host h${i}\n  IdentityFile ~/.ssh/id_ed25519\n  IdentityFile ~/.ssh/gone`).join('\n');
    const r = run(config, { keyFiles: counting });
    expect(reads).toEqual([ssh('id_ed25519'), ssh('gone')]);
    expect(r.keys.linked).toHaveLength(20);
    expect(r.keys.failed).toEqual([{ path: ssh('gone'), reason: 'no such file' }]);
  });

  it('reuses a key already in the vault (by fingerprint): no duplicate, no CONFLICT', () => {
    makeKey(ssh('id_ed25519'));
    const mine = keys.import({ name: 'my-laptop', text: textOf(ssh('id_ed25519')) }).key;
    copyFileSync(ssh('id_ed25519'), ssh('copy_of_it'));
    const r = run('Host a\n  IdentityFile ~/.ssh/id_ed25519\nHost b\n  IdentityFile ~/.ssh/copy_of_it\n');
    expect(r.keys.imported).toEqual([]);
    expect(r.keys.reused).toEqual([
      { path: ssh('id_ed25519'), name: 'my-laptop' },
      { path: ssh('copy_of_it'), name: 'my-laptop' },
    ]);
    expect(keys.list()).toHaveLength(1);
    expect(hosts.findByName('a')!.loginKeyId).toBe(mine.id);
    expect(hosts.findByName('b')!.loginKeyId).toBe(mine.id);
  });

  it('stores one key found at two paths in the same import once', () => {
    makeKey(ssh('id_ed25519'));
    copyFileSync(ssh('id_ed25519'), ssh('backup'));
    const r = run('Host a\n  IdentityFile ~/.ssh/id_ed25519\n  IdentityFile ~/.ssh/backup\n');
    expect(r.keys.imported.map((k) => k.path)).toEqual([ssh('id_ed25519')]);
    expect(r.keys.reused).toEqual([{ path: ssh('backup'), name: 'id_ed25519' }]);
    expect(keys.list()).toHaveLength(1);
  });

  it('makes names unique: a taken name gets -2, -3 ...', () => {
    const other = join(home, 'elsewhere');
    makeKey(join(other, 'unrelated'));
    keys.import({ name: 'ID_ED25519', text: textOf(join(other, 'unrelated')) });
    makeKey(ssh('id_ed25519'));
    makeKey(join(home, 'work', 'id_ed25519'));
    makeKey(ssh('my key (old).pem'));
    const r = run('Host a\n  IdentityFile ~/.ssh/id_ed25519\n  IdentityFile ~/work/id_ed25519\n  IdentityFile "~/.ssh/my key (old).pem"\n');
    expect(r.keys.imported.map((k) => k.name)).toEqual(['id_ed25519-2', 'id_ed25519-3', 'my-key-old-.pem']);
    expect(r.keys.failed).toEqual([]);
  });
});

describe('encrypted keys', () => {
  it('reports the file as needing a passphrase, imports the hosts, then imports and links the key on the second call', () => {
    const fp = makeKey(ssh('id_enc'), { passphrase: PASS });
    makeKey(ssh('id_plain'));
    const config = 'Host pve1\n  IdentityFile ~/.ssh/id_enc\n  IdentityFile ~/.ssh/id_plain\nHost pve2\n  IdentityFile ~/.ssh/id_enc\n';

    const first = run(config);
    expect(first.added.sort()).toEqual(['pve1', 'pve2']);
    expect(first.keys.needPassphrase).toEqual([ssh('id_enc')]);
    expect(first.keys.failed).toEqual([]);
    // meanwhile pve1 logs in with the key that could be imported; pve2 has none yet
    expect(first.keys.linked).toEqual([{ host: 'pve1', key: 'id_plain', path: ssh('id_plain') }]);
    expect(hosts.findByName('pve2')!.loginKeyId).toBeNull();

    const second = run(config, { passphrases: { [ssh('id_enc')]: PASS } });
    expect(second.keys.imported).toEqual([{ path: ssh('id_enc'), name: 'id_enc', fingerprint: fp }]);
    expect(second.keys.reused).toEqual([{ path: ssh('id_plain'), name: 'id_plain' }]);
    expect(second.keys.needPassphrase).toEqual([]);
    expect(second.updated.sort()).toEqual(['pve1', 'pve2']);
    expect(loginKeyName('pve1')).toBe('id_enc');
    expect(loginKeyName('pve2')).toBe('id_enc');
    // stored decrypted (the vault's encryption protects it), same public key as the file
    expect(keys.getPrivate(keys.findByName('id_enc')!.id).privateKey).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(keys.findByName('id_enc')!.publicKey.split(' ').slice(0, 2).join(' ')).toBe(publicKeyOf(ssh('id_enc'), PASS));

    // merged for the dialog: what the first call added stays added
    const merged = mergeSshConfigReports(first, second);
    expect(merged.added.sort()).toEqual(['pve1', 'pve2']);
    expect(merged.updated).toEqual([]);
    expect(merged.keys.imported.map((k) => k.name)).toEqual(['id_plain', 'id_enc']);
    expect(merged.keys.reused).toEqual([]);

    // and a third import, without passphrases, recognises the encrypted key without opening it
    const third = run(config);
    expect(third.keys).toMatchObject({ imported: [], needPassphrase: [], failed: [] });
    expect(third.keys.reused.map((k) => k.name)).toEqual(['id_enc', 'id_plain']);
    expect(third.updated).toEqual([]);
  });

  it('reports a wrong passphrase for that file only', () => {
    makeKey(ssh('id_a'), { passphrase: PASS });
    makeKey(ssh('id_b'), { passphrase: 'another one 42', type: 'ecdsa' });
    const r = run('Host a\n  IdentityFile ~/.ssh/id_a\nHost b\n  IdentityFile ~/.ssh/id_b\n', {
      passphrases: { [ssh('id_a')]: 'not it', [ssh('id_b')]: 'another one 42' },
    });
    expect(r.keys.failed).toEqual([{ path: ssh('id_a'), reason: 'wrong passphrase' }]);
    expect(r.keys.imported.map((k) => k.name)).toEqual(['id_b']);
    expect(r.keys.needPassphrase).toEqual([]);
    expect(hosts.findByName('a')!.loginKeyId).toBeNull();
    expect(loginKeyName('b')).toBe('id_b');
    expect(JSON.stringify(r)).not.toContain('not it');
  });

  it('lets a caller retry a wrong passphrase before writing anything (the CLI prompt)', () => {
    makeKey(ssh('id_a'), { passphrase: PASS, format: 'pem', type: 'rsa' });
    const prepared = prepareSshConfigImport(stores(), 'Host a\n  IdentityFile ~/.ssh/id_a\n', options());
    expect(prepared.needPassphrase()).toEqual([ssh('id_a')]);
    expect(prepared.unlock(ssh('id_a'), 'nope')).toBe('wrong-passphrase');
    expect(hosts.list()).toEqual([]);
    expect(prepared.unlock(ssh('id_a'), PASS)).toBe('imported');
    expect(prepared.unlock(ssh('id_a'), PASS)).toBe('not-needed');
    const r = prepared.apply();
    expect(r.keys.imported.map((k) => k.name)).toEqual(['id_a']);
    expect(loginKeyName('a')).toBe('id_a');
  });

  it('keeps the login key of an existing host when its key cannot be imported', () => {
    makeKey(ssh('id_old'));
    run('Host pve1\n  IdentityFile ~/.ssh/id_old\n');
    const before = hosts.findByName('pve1')!.loginKeyId;
    makeKey(ssh('id_new'), { passphrase: PASS });
    const r = run('Host pve1\n  IdentityFile ~/.ssh/id_new\n');
    expect(r.keys.needPassphrase).toEqual([ssh('id_new')]);
    expect(hosts.findByName('pve1')!.loginKeyId).toBe(before);
    expect(r.skipped).toEqual([{ name: 'pve1', reason: 'unchanged' }]);
  });
});

describe('what is refused or warned about', () => {
  it('reports a missing file without failing the host', () => {
    const r = run('Host a\n  IdentityFile ~/.ssh/nowhere\n');
    expect(r.added).toEqual(['a']);
    expect(r.keys.failed).toEqual([{ path: ssh('nowhere'), reason: 'no such file' }]);
    expect(hosts.findByName('a')!.loginKeyId).toBeNull();
  });

  it('imports a key other users can read, with a warning', () => {
    makeKey(ssh('id_open'), { mode: 0o644 });
    const r = run('Host a\n  IdentityFile ~/.ssh/id_open\n');
    expect(r.keys.imported.map((k) => k.name)).toEqual(['id_open']);
    expect(r.keys.warnings).toEqual([
      { path: ssh('id_open'), message: 'permissions 0644 are too open: ssh refuses to use this key until you run chmod 600 on it (imported anyway)' },
    ]);
  });

  it('follows a symlink to a key file but refuses one to a directory, a directory, a FIFO and an oversized file', () => {
    makeKey(ssh('real'));
    symlinkSync(ssh('real'), ssh('link'));
    mkdirSync(ssh('adir'));
    symlinkSync(ssh('adir'), ssh('link-to-dir'));
    execFileSync('mkfifo', [ssh('fifo')]);
    writeFileSync(ssh('huge'), 'x'.repeat(MAX_KEY_TEXT + 1));
    const r = run('Host a\n' + ['link', 'link-to-dir', 'adir', 'fifo', 'huge'].map((f) => `  IdentityFile ~/.ssh/${f}`).join('\n'));
    expect(r.keys.imported.map((k) => k.path)).toEqual([ssh('link')]);
    expect(r.keys.failed).toEqual([
      { path: ssh('link-to-dir'), reason: 'a symbolic link to a directory, not a key file: refused' },
      { path: ssh('adir'), reason: 'a directory, not a key file: refused' },
      { path: ssh('fifo'), reason: 'a named pipe, not a key file: refused' },
      { path: ssh('huge'), reason: `larger than ${MAX_KEY_TEXT} bytes, too large to be a private key: refused` },
    ]);
  });

  it('reports a public key, an unexpandable token and a refused key type with their reasons', () => {
    makeKey(ssh('agent_key'), { keepPub: true });
    const r = run('Host a\n  IdentityFile ~/.ssh/agent_key.pub\n  IdentityFile ~/.ssh/%C\n  IdentityFile ~/.ssh/agent_key\n');
    expect(r.keys.failed).toEqual([
      { path: ssh('agent_key.pub'), reason: expect.stringMatching(/^This is a public key \(ssh-ed25519, SHA256:.+\); import needs the private key\.$/) },
      { path: '~/.ssh/%C', reason: 'IdentityFile uses %C, which Bulwark cannot expand (it expands %d %u %h %r %n %p %i %%)' },
    ]);
    // the .pub companion next to a private key is not read; the private key is
    expect(r.keys.linked).toEqual([{ host: 'a', key: 'agent_key', path: ssh('agent_key') }]);
  });

  it('reads IdentityFiles named in pasted text (no Include access) the same way', () => {
    makeKey(ssh('id_ed25519'));
    const r = run('Include other.conf\nHost a\n  IdentityFile ~/.ssh/id_ed25519\n');
    expect(r.skipped[0]!.reason).toMatch(/^not followed: the config was given as text/);
    expect(r.keys.linked.map((l) => l.host)).toEqual(['a']);
  });
});

describe('re-importing', () => {
  it('changes nothing the second time', () => {
    makeKey(ssh('id_ed25519'));
    makeKey(ssh('id_rsa'), { type: 'rsa' });
    const config = 'Host a b\n  IdentityFile ~/.ssh/id_ed25519\nHost c\n  IdentityFile ~/.ssh/id_rsa\n  IdentityFile ~/.ssh/missing\n';
    run(config);
    const hostsBefore = hosts.list();
    const keysBefore = keys.list();
    const again: SshConfigImportReport = run(config);
    expect(again.added).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.keys.imported).toEqual([]);
    expect(again.keys.reused.map((k) => k.name)).toEqual(['id_ed25519', 'id_rsa']);
    expect(hosts.list()).toEqual(hostsBefore);
    expect(keys.list()).toEqual(keysBefore);
  });
});
