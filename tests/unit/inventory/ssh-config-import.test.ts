import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../../shared/errors';
import { nodeConfigFiles, parseSshConfig, type ConfigFiles } from '../../../main/services/inventory';
import { FIXTURES, byName, fieldsForNew, reasonFor, tempDir } from './helpers';

const SSH_DIR = join(FIXTURES, 'ssh');
const configText = readFileSync(join(SSH_DIR, 'config'), 'utf8');
const withFiles = () =>
  parseSshConfig(configText, { files: nodeConfigFiles(), baseDir: SSH_DIR, home: '/home/tester', defaultUser: 'me' });

describe('parseSshConfig on a realistic config', () => {
  // Expected values were checked against `ssh -G` (OpenSSH 9.2) for the same file.
  const parsed = withFiles();
  const hosts = byName(parsed);

  it('imports every concrete alias, including several on one Host line and Included files', () => {
    expect([...hosts.keys()].sort()).toEqual(
      ['bastion', 'db1', 'ha', 'homeassistant', 'jump', 'printer', 'pve1', 'pve2', 'pve3', 'typo', 'web1', 'web2', 'broken-port'].sort(),
    );
  });

  it('applies first-value-wins and wildcard blocks as OpenSSH does', () => {
    expect(fieldsForNew(hosts.get('bastion')!)).toMatchObject({
      address: 'bastion.example.net',
      user: 'ops',
      port: 2201,
      jumpHost: '',
      notes: 'IdentityFile: ~/.ssh/id_ed25519_bastion\nIdentityFile: ~/.ssh/id_ed25519',
    });
    expect(fieldsForNew(hosts.get('jump')!).address).toBe('bastion.example.net');
    // `Host web* db*` comes after web1's own block: it only fills what web1 left unset
    expect(fieldsForNew(hosts.get('web1')!)).toMatchObject({ address: '10.0.10.11', user: 'www', port: 22, jumpHost: 'bastion' });
    expect(fieldsForNew(hosts.get('web2')!)).toMatchObject({
      user: 'deploy',
      jumpHost: 'ops@bastion.example.net:2201,admin@[2001:db8::10]:22',
    });
  });

  it('maps ProxyJump none to no jump host even when a later wildcard sets one', () => {
    expect(fieldsForNew(hosts.get('db1')!)).toMatchObject({ address: '2001:db8::51', port: 5022, jumpHost: '', user: 'www' });
  });

  it('expands %h in HostName', () => {
    expect(fieldsForNew(hosts.get('pve2')!)).toMatchObject({ address: 'pve2.lab.example.net', user: 'root' });
  });

  it('uses the default user only when no block sets User, and only as a default', () => {
    const printer = hosts.get('printer')!;
    expect(fieldsForNew(printer).user).toBe('lp');
    const typo = hosts.get('typo')!;
    expect(typo.defaults).toMatchObject({ user: 'me' });
    expect(typo.input).not.toHaveProperty('user');
  });

  it('keeps the alias as the address when there is no HostName, as a default only', () => {
    const r = parseSshConfig('Host lonely\n  Port 2022\n', { defaultUser: 'me' });
    expect(r.entries[0]!.input).toEqual({ name: 'lonely', port: 2022 });
    expect(r.entries[0]!.defaults).toEqual({ address: 'lonely', user: 'me' });
  });

  it('reports patterns, ProxyCommand and unsupported tokens with reasons', () => {
    expect(reasonFor(parsed, 'web-*')).toMatch(/pattern/);
    expect(reasonFor(parsed, '*.lan')).toMatch(/pattern/);
    expect(reasonFor(parsed, '!printer.lan')).toMatch(/pattern/);
    expect(reasonFor(parsed, '*')).toBeUndefined();
    expect(reasonFor(parsed, 'nas')).toMatch(/ProxyCommand/);
    expect(reasonFor(parsed, 'legacy')).toMatch(/%-tokens/);
  });

  it('does not read files the Include glob does not match', () => {
    expect(hosts.has('ignored')).toBe(false);
  });

  it('leaves value validation (bad port, bad address) to the store, which reports field messages', () => {
    expect(hosts.get('broken-port')!.input).toMatchObject({ port: 99999 });
    expect(hosts.get('typo')!.input).toMatchObject({ address: 'bad_host!name' });
  });
});

describe('parseSshConfig: Include', () => {
  it('reports Include as skipped when the config arrives as text', () => {
    const r = parseSshConfig(configText, { defaultUser: 'me' });
    expect(reasonFor(r, 'Include config.d/*.conf')).toMatch(/not followed/);
    expect(byName(r).has('printer')).toBe(false);
  });

  it('resumes the including block after an Include, as OpenSSH does', () => {
    const files: ConfigFiles = {
      read: (p) => {
        if (p === '/ssh/extra') return 'Host inner\n  HostName inner.example.net\n';
        throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      },
      list: () => [],
    };
    const text = 'Host outer\n  Include extra\n  HostName outer.example.net\n  Include missing\n';
    const r = parseSshConfig(text, { files, baseDir: '/ssh', home: '/home/t', defaultUser: 'me' });
    const hosts = byName(r);
    expect(fieldsForNew(hosts.get('outer')!).address).toBe('outer.example.net');
    expect(fieldsForNew(hosts.get('inner')!).address).toBe('inner.example.net');
    expect(reasonFor(r, 'Include missing')).toMatch(/ENOENT/);
  });

  it('resumes the right block after nested Includes', () => {
    const texts: Record<string, string> = {
      '/ssh/b': 'Include c\nPort 2022\n',
      '/ssh/c': 'Host inner\n  HostName inner.example.net\n',
    };
    const files: ConfigFiles = { read: (p) => texts[p] ?? '', list: () => [] };
    const r = parseSshConfig('Host outer\n  Include b\n  User u-outer\n', { files, baseDir: '/ssh', home: '/h', defaultUser: 'me' });
    const hosts = byName(r);
    expect(fieldsForNew(hosts.get('outer')!)).toMatchObject({ port: 2022, user: 'u-outer' });
    expect(fieldsForNew(hosts.get('inner')!)).toMatchObject({ port: 22, user: 'me' });
  });

  it('expands wildcards in the file name only, in lexical order, skipping dot files', () => {
    const read: string[] = [];
    const files: ConfigFiles = {
      read: (p) => (read.push(p), ''),
      list: () => ['b.conf', '.hidden.conf', 'a.conf', 'notes.txt'],
    };
    const r = parseSshConfig('Include conf.d/*.conf x*/y\n', { files, baseDir: '/ssh', home: '/h', defaultUser: 'me' });
    expect(read).toEqual(['/ssh/conf.d/a.conf', '/ssh/conf.d/b.conf']);
    expect(reasonFor(r, 'Include x*/y')).toMatch(/only supported in the file name/);
  });

  it('stops at 16 nested Includes instead of looping', () => {
    const files: ConfigFiles = { read: () => 'Include self\nHost h\n  HostName h.example.net\n', list: () => [] };
    const r = parseSshConfig('Include self\n', { files, baseDir: '/ssh', home: '/h', defaultUser: 'me' });
    expect(reasonFor(r, 'Include self')).toMatch(/nested/);
    expect(byName(r).has('h')).toBe(true);
  });

  it('resolves ~ against the home directory', () => {
    const seen: string[] = [];
    const files: ConfigFiles = { read: (p) => (seen.push(p), ''), list: () => [] };
    parseSshConfig('Include ~/.ssh/other /etc/ssh/abs\n', { files, baseDir: '/x', home: '/home/t', defaultUser: 'me' });
    expect(seen).toEqual(['/home/t/.ssh/other', '/etc/ssh/abs']);
  });
});

describe('parseSshConfig: safety and errors', () => {
  it('never runs Match exec commands', () => {
    const { dir, cleanup } = tempDir();
    try {
      const marker = join(dir, 'ran');
      const r = parseSshConfig(`Match exec "touch ${marker}"\n  User pwned\nHost box\n  HostName box.example.net\n`, {
        defaultUser: 'me',
      });
      expect(existsSync(marker)).toBe(false);
      expect(fieldsForNew(r.entries[0]!).user).toBe('me');
    } finally {
      cleanup();
    }
  });

  it('ignores CanonicalizeHostName (the library would run nslookup)', () => {
    const r = parseSshConfig('CanonicalizeHostName yes\nCanonicalDomains example.net\nHost a\n  User u\n', { defaultUser: 'me' });
    expect(fieldsForNew(r.entries[0]!)).toMatchObject({ name: 'a', address: 'a', user: 'u' });
  });

  it('applies Match blocks the library can evaluate offline', () => {
    const r = parseSshConfig('Host a b\n  HostName %h.example.net\nMatch originalhost a\n  Port 2200\n', { defaultUser: 'me' });
    const hosts = byName(r);
    expect(fieldsForNew(hosts.get('a')!).port).toBe(2200);
    expect(fieldsForNew(hosts.get('b')!).port).toBe(22);
  });

  it('treats aliases differing only in case as one host (first spelling wins)', () => {
    const r = parseSshConfig('Host Web\n  User a\nHost web\n  Port 2\n', { defaultUser: 'me' });
    expect(r.entries).toHaveLength(1);
    expect(fieldsForNew(r.entries[0]!)).toMatchObject({ name: 'Web', user: 'a', port: 2 });
  });

  it('accepts ssh:// URIs in ProxyJump', () => {
    const r = parseSshConfig('Host a\n  ProxyJump ssh://ops@gw.example.net:2222\n', { defaultUser: 'me' });
    expect(fieldsForNew(r.entries[0]!).jumpHost).toBe('ops@gw.example.net:2222');
  });

  it('rejects a non-numeric Port with a reason', () => {
    const r = parseSshConfig('Host a\n  Port ssh\n', { defaultUser: 'me' });
    expect(reasonFor(r, 'a')).toMatch(/port: "ssh" is not a number/);
  });

  it('throws IMPORT_PARSE with the line for malformed text', () => {
    try {
      parseSshConfig('Host ok\n  User a\nHost "unterminated\n', { defaultUser: 'me' });
      expect.unreachable();
    } catch (e) {
      expect(isBulwarkError(e) && e.code).toBe('IMPORT_PARSE');
      expect((e as Error).message).toMatch(/line 3/);
    }
  });

  it('defaults the user to the local login name when not told otherwise', () => {
    const r = parseSshConfig('Host a\n');
    expect(typeof r.entries[0]!.defaults!.user).toBe('string');
  });
});
