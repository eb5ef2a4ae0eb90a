import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostKeyStore, fingerprintOf, hashKnownHostsName, knownHostsName, parseKnownHosts } from '../../../main/services/ssh';
import { testVault, SSH_KEYGEN, hasTool, makeKey, run, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const k1 = makeKey({ comment: 'one' });
const k2 = makeKey({ comment: 'two' });
const k3 = makeKey({ comment: 'three' });
const b64 = (k: { blob: Buffer }) => k.blob.toString('base64');

describe('fingerprints', () => {
  it.skipIf(!hasTool(SSH_KEYGEN))('match ssh-keygen -l exactly', () => {
    const file = join(tmp.dir, 'k.pub');
    writeFileSync(file, k1.public);
    const out = run(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', file]);
    const printed = out.split(/\s+/)[1];
    expect(fingerprintOf(k1.blob)).toBe(printed);
    expect(printed).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/); // no padding
  });
});

describe('parseKnownHosts', () => {
  it('reads plain, [host]:port and comma-separated names', () => {
    const text = [
      '# a comment',
      '',
      `web1.example.org ssh-ed25519 ${b64(k1)} root@web1`,
      `[10.0.0.5]:2222,[db.lan]:2222 ssh-ed25519 ${b64(k2)}`,
      `Mixed.Case.Host,192.0.2.7,2001:db8::1 ssh-ed25519 ${b64(k3)}`,
      `[2001:db8::2]:2200 ssh-ed25519 ${b64(k3)}`,
    ].join('\n');
    const { entries, skipped } = parseKnownHosts(text);
    expect(skipped).toEqual([]);
    expect(entries.map((e) => e.names)).toEqual([
      [{ host: 'web1.example.org', port: 22, hashed: false }],
      [
        { host: '10.0.0.5', port: 2222, hashed: false },
        { host: 'db.lan', port: 2222, hashed: false },
      ],
      [
        { host: 'mixed.case.host', port: 22, hashed: false },
        { host: '192.0.2.7', port: 22, hashed: false },
        { host: '2001:db8::1', port: 22, hashed: false },
      ],
      [{ host: '2001:db8::2', port: 2200, hashed: false }],
    ]);
    expect(entries[0]!.key.fingerprint).toBe(fingerprintOf(k1.blob));
    expect(entries[0]!.comment).toBe('root@web1');
  });

  it('skips markers, patterns and broken lines with a reason', () => {
    const text = [
      `@revoked bad.example ssh-ed25519 ${b64(k1)}`,
      `@cert-authority *.example.org ssh-ed25519 ${b64(k2)}`,
      `*.example.org,good.example.org,!evil.example.org ssh-ed25519 ${b64(k3)}`,
      'lonely-line',
      `broken.example ssh-ed25519 AAAA!!!notbase64`,
      `liar.example ssh-rsa ${b64(k1)}`,
    ].join('\n');
    const { entries, skipped } = parseKnownHosts(text);
    expect(entries.map((e) => e.names.map((n) => n.host))).toEqual([['good.example.org']]);
    const reasons = skipped.map((s) => `${s.line}${s.pattern ? ` ${s.pattern}` : ''}: ${s.reason}`);
    expect(reasons[0]).toMatch(/^1: @revoked/);
    expect(reasons[1]).toMatch(/^2: @cert-authority/);
    expect(reasons).toContainEqual(expect.stringMatching(/^3 \*\.example\.org: wildcard/));
    expect(reasons).toContainEqual(expect.stringMatching(/^3 !evil\.example\.org: negated/));
    expect(reasons).toContainEqual(expect.stringMatching(/^4: expected/));
    expect(reasons).toContainEqual(expect.stringMatching(/^5: .*base64/));
    expect(reasons).toContainEqual(expect.stringMatching(/^6: .*says ssh-rsa but holds a ssh-ed25519 key/));
  });
});

describe('known_hosts import into the HostKeyStore', () => {
  it('imports, then verifies hosts by name and port', () => {
    const store = new HostKeyStore(testVault(), { now: () => 1234 });
    const report = store.importKnownHosts(
      [`web1,10.0.0.1 ssh-ed25519 ${b64(k1)}`, `[web1]:2222 ssh-ed25519 ${b64(k2)}`, `@revoked x ssh-ed25519 ${b64(k3)}`].join('\n'),
    );
    expect(report.added.map((a) => a.host)).toEqual(['web1', '10.0.0.1', '[web1]:2222']);
    expect(report.skipped).toHaveLength(1);
    expect(store.check('WEB1', 22, k1.blob).status).toBe('trusted');
    expect(store.check('10.0.0.1', 22, k1.blob).status).toBe('trusted');
    expect(store.check('web1', 2222, k2.blob).status).toBe('trusted');
    expect(store.check('web1', 2222, k1.blob).status).toBe('changed');
    expect(store.check('web2', 22, k1.blob).status).toBe('unknown');
    const rec = store.lookup('web1', 22)[0]!;
    expect(rec).toMatchObject({ host: 'web1', port: 22, hashed: false, keyType: 'ssh-ed25519', source: 'known_hosts', addedAt: 1234 });
    expect(rec.fingerprint).toBe(fingerprintOf(k1.blob));
  });

  it('never overrides a pinned key and reports duplicates', () => {
    const store = new HostKeyStore(testVault());
    store.trust('web1', 22, k1.blob);
    const report = store.importKnownHosts([`web1 ssh-ed25519 ${b64(k2)}`, `web1 ssh-ed25519 ${b64(k1)}`].join('\n'));
    expect(report.added).toEqual([]);
    expect(report.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/conflicts with the pinned ssh-ed25519 key .* not replaced/), 'already known']);
    expect(store.check('web1', 22, k1.blob).status).toBe('trusted');
    // importing the same file twice adds nothing
    const again = store.importKnownHosts(`web2 ssh-ed25519 ${b64(k3)}\nweb2 ssh-ed25519 ${b64(k3)}`);
    expect(again.added).toHaveLength(1);
    expect(again.skipped.map((s) => s.reason)).toEqual(['already known']);
  });

  it('matches a hashed entry computed with HMAC-SHA1 only when asked about that host', () => {
    const salt = randomBytes(20);
    const token = hashKnownHostsName('secret-host.lan', 2222, salt);
    expect(knownHostsName('secret-host.lan', 2222)).toBe('[secret-host.lan]:2222');
    const store = new HostKeyStore(testVault());
    const report = store.importKnownHosts(`${token} ssh-ed25519 ${b64(k1)}`);
    expect(report.added).toEqual([expect.objectContaining({ host: '(hashed)', port: 0 })]);
    const stored = store.list()[0]!;
    expect(stored).toMatchObject({ hashed: true, host: token, port: 0 });
    expect(store.check('secret-host.lan', 2222, k1.blob).status).toBe('trusted');
    expect(store.check('SECRET-HOST.lan', 2222, k1.blob).status).toBe('trusted');
    expect(store.check('secret-host.lan', 22, k1.blob).status).toBe('unknown');
    expect(store.check('other.lan', 2222, k1.blob).status).toBe('unknown');
    expect(store.check('secret-host.lan', 2222, k2.blob).status).toBe('changed');
    expect(store.forget('secret-host.lan', 2222)).toBe(1);
  });

  it.skipIf(!hasTool(SSH_KEYGEN))('matches entries hashed by ssh-keygen -H', () => {
    const file = join(tmp.dir, 'known_hosts');
    writeFileSync(file, [`hashed.example.org ssh-ed25519 ${b64(k1)}`, `[10.1.2.3]:2200 ssh-ed25519 ${b64(k2)}`, ''].join('\n'));
    run(SSH_KEYGEN, ['-H', '-f', file]);
    const hashed = readFileSync(file, 'utf8');
    expect(hashed).not.toContain('hashed.example.org');
    expect(hashed.match(/^\|1\|/gm)).toHaveLength(2);
    const store = new HostKeyStore(testVault());
    const report = store.importKnownHosts(hashed);
    expect(report.added).toHaveLength(2);
    expect(store.check('hashed.example.org', 22, k1.blob).status).toBe('trusted');
    expect(store.check('10.1.2.3', 2200, k2.blob).status).toBe('trusted');
    expect(store.check('10.1.2.3', 22, k2.blob).status).toBe('unknown');
  });
});
