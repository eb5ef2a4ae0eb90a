import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyStore, SSH_KEY_KIND, parsePublicKeyLine } from '../../../main/services/keys';
import { readOpenSshEnvelope } from '../../../main/services/keys/openssh-private';
import { openVault, type OpenVault } from '../inventory/vault-fixture';
import { EXPECTED, FIXTURE_PASS, HAVE_SSH_KEYGEN, expectCode, expectCodeAsync, keygenPublic, privateFixture, typeAndBlob } from './helpers';

let v: OpenVault;
let store: KeyStore;
let clock: number;

beforeEach(() => {
  clock = 1_700_000_000_000;
  v = openVault();
  store = new KeyStore(v.vault, { now: () => clock++ });
});
afterEach(() => v.close());

describe('KeyStore', () => {
  it('generates ed25519 by default, stores it, and lists views without the private key', async () => {
    const view = await store.generate({ name: 'deploy' });
    expect(view).toMatchObject({ name: 'deploy', type: 'ed25519', bits: 256, comment: 'deploy@bulwark', source: 'generated' });
    expect(view).not.toHaveProperty('privateKey');
    expect(view.fingerprintLine).toBe(`256 ${view.fingerprint} deploy@bulwark (ED25519)`);
    expect(parsePublicKeyLine(view.publicKey).fingerprint).toBe(view.fingerprint);
    expect(store.list()).toEqual([view]);
    expect(store.get(view.id)).toEqual(view);
    expect(JSON.stringify(store.list())).not.toContain('PRIVATE KEY');

    const full = store.getPrivate(view.id);
    expect(full.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const env = readOpenSshEnvelope(full.privateKey);
    expect(typeof env !== 'string' && env.cipher).toBe('none');
    expect(v.vault.get(SSH_KEY_KIND, view.id)).toEqual(full);
  });

  it('generates RSA-4096 on request, with a chosen comment', { timeout: 60_000 }, async () => {
    const view = await store.generate({ name: 'legacy', type: 'rsa', comment: 'ops@example' });
    expect(view).toMatchObject({ type: 'rsa', bits: 4096, comment: 'ops@example' });
    expect(view.publicKey).toMatch(/^ssh-rsa AAAA\S+ ops@example$/);
  });

  it('keeps private keys out of the vault file in plain text', async () => {
    const view = await store.generate({ name: 'secret' });
    const body = store.getPrivate(view.id).privateKey.split('\n').slice(1, -2).join('');
    const needles = [body.slice(0, 40), body.slice(100, 140), 'OPENSSH PRIVATE KEY', view.publicKey.split(' ')[1]!.slice(0, 40)];
    v.vault.close();
    for (const file of [v.path, `${v.path}-wal`].filter(existsSync)) {
      const raw = readFileSync(file).toString('latin1');
      for (const n of needles) expect(raw.includes(n), `${n} found in ${file}`).toBe(false);
    }
  });

  it('imports with a passphrase, stores the key decrypted, and exports it again with or without one', () => {
    const r = store.import({ name: 'laptop', text: privateFixture('openssh-ed25519-enc'), passphrase: FIXTURE_PASS });
    expect(r).toMatchObject({ format: 'openssh', warnings: [] });
    expect(r.key).toMatchObject({ name: 'laptop', source: 'imported', comment: 'fixture@bulwark-test' });
    expect(r.key.fingerprintLine).toBe(EXPECTED['openssh-ed25519-enc']!.fingerprintLine);
    expect(store.exportPublic(r.key.id)).toBe(EXPECTED['openssh-ed25519-enc']!.publicKey);

    const plain = store.exportPrivate(r.key.id);
    expect(plain).toBe(store.getPrivate(r.key.id).privateKey);
    const env = readOpenSshEnvelope(plain);
    expect(typeof env !== 'string' && env.cipher).toBe('none');

    const locked = store.exportPrivate(r.key.id, { passphrase: 'export pass' });
    const lenv = readOpenSshEnvelope(locked);
    expect(typeof lenv !== 'string' && [lenv.cipher, lenv.kdf, lenv.rounds]).toEqual(['aes256-ctr', 'bcrypt', 16]);
    if (HAVE_SSH_KEYGEN) {
      expect(keygenPublic(plain)).toBe(r.key.publicKey);
      expect(keygenPublic(locked, 'export pass')).toBe(r.key.publicKey);
      expect(keygenPublic(locked, 'nope')).toBeNull();
    }
    expectCode(() => store.exportPrivate(r.key.id, { passphrase: '' }), 'VALIDATION', /passphrase/);
  });

  it('imports PEM and PKCS#8 keys, reports format and warnings, and records where a key came from', () => {
    const a = store.import({ name: 'old-rsa', text: privateFixture('pem-rsa-2048'), comment: 'from old laptop' });
    expect(a.format).toBe('pkcs1');
    expect(a.warnings.join()).toMatch(/2048 bits/);
    expect(a.key).toMatchObject({ type: 'rsa', bits: 2048, comment: 'from old laptop' });
    const b = store.import({ name: 'cfg', text: privateFixture('pkcs8-ec-384-enc'), passphrase: FIXTURE_PASS, source: 'ssh-config' });
    expect(b.key).toMatchObject({ type: 'ecdsa', bits: 384, source: 'ssh-config', comment: '' });
    expect(typeAndBlob(b.key.publicKey)).toBe(typeAndBlob(EXPECTED['pkcs8-ec-384-enc']!.publicKey));
  });

  it('passes import errors through unchanged and stores nothing', () => {
    expectCode(() => store.import({ name: 'x', text: privateFixture('openssh-ed25519-enc') }), 'KEY_PASSPHRASE_REQUIRED');
    expectCode(() => store.import({ name: 'x', text: privateFixture('pem-ec-521-enc'), passphrase: 'bad' }), 'KEY_WRONG_PASSPHRASE');
    expectCode(() => store.import({ name: 'x', text: privateFixture('openssh-dsa') }), 'KEY_UNSUPPORTED', /DSA/);
    expectCode(() => store.import({ name: 'x', text: 'nonsense' }), 'KEY_INVALID');
    expect(store.list()).toEqual([]);
  });

  it('refuses duplicate names (case-insensitively) and the same key twice', async () => {
    await store.generate({ name: 'Deploy' });
    await expectCodeAsync(() => store.generate({ name: 'deploy' }), 'CONFLICT', /"deploy" already exists/);
    store.import({ name: 'imported', text: privateFixture('openssh-ed25519') });
    expectCode(() => store.import({ name: 'again', text: privateFixture('openssh-ed25519') }), 'CONFLICT', /already stored as "imported"/);
    expect(store.list().map((k) => k.name)).toEqual(['Deploy', 'imported']);
  });

  it('checks the name again after an asynchronous generation', async () => {
    const slow = store.generate({ name: 'race', type: 'rsa', bits: 3072 });
    store.import({ name: 'race', text: privateFixture('openssh-ecdsa-256') });
    await expectCodeAsync(() => slow, 'CONFLICT');
    expect(store.list().map((k) => k.type)).toEqual(['ecdsa']);
  }, 60_000);

  it('validates input like the inventory does', async () => {
    const e = await expectCodeAsync(() => store.generate({ name: '-bad name' }), 'VALIDATION');
    expect(e.fields).toHaveProperty('name');
    await expectCodeAsync(() => store.generate({ name: 'ok', type: 'dsa' as never }), 'VALIDATION');
    await expectCodeAsync(() => store.generate({ name: 'ok', comment: 'a\nb' }), 'VALIDATION', /comment/);
    await expectCodeAsync(() => store.generate({ name: 'ok', type: 'rsa', bits: 1024 }), 'VALIDATION', /bits/);
    expectCode(() => store.import({ name: 'ok', text: '' }), 'VALIDATION', /text/);
    expectCode(() => store.import({ name: 'ok', text: 'x', source: 'generated' as never }), 'VALIDATION', /source/);
  });

  it('renames, deletes, and answers NOT_FOUND for unknown ids', async () => {
    const a = await store.generate({ name: 'a' });
    const b = await store.generate({ name: 'b' });
    const renamed = store.rename(a.id, 'c');
    expect(renamed).toMatchObject({ id: a.id, name: 'c', fingerprint: a.fingerprint, createdAt: a.createdAt });
    expect(renamed.updatedAt).toBeGreaterThan(a.updatedAt);
    expect(store.rename(a.id, 'c')).toEqual(renamed);
    expectCode(() => store.rename(a.id, 'B'), 'CONFLICT');
    expect(store.rename(b.id, 'B').name).toBe('B');
    expect(store.findByName('C')?.id).toBe(a.id);
    expect(store.findByFingerprint(b.fingerprint)?.id).toBe(b.id);

    expect(store.delete(a.id)).toBe(1);
    expect(store.delete(a.id)).toBe(0);
    expect(store.get(a.id)).toBeUndefined();
    expectCode(() => store.getPrivate(a.id), 'NOT_FOUND');
    expectCode(() => store.exportPublic(a.id), 'NOT_FOUND');
    expectCode(() => store.rename(a.id, 'z'), 'NOT_FOUND');
  });

  it('refuses everything while the vault is locked', async () => {
    const a = await store.generate({ name: 'a' });
    v.vault.lock();
    expectCode(() => store.list(), 'VAULT_LOCKED');
    expectCode(() => store.getPrivate(a.id), 'VAULT_LOCKED');
    await expectCodeAsync(() => store.generate({ name: 'b' }), 'VAULT_LOCKED');
  });
});
