import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { Vault } from '../../../main/services/vault';
import { type ParsedKey, utils } from 'ssh2';
import { HOST_KEY_KIND, HostKeyStore, algorithms, parseHostPublicKey } from '../../../main/services/ssh';
import { testVault, makeKey, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const k1 = makeKey();
const k2 = makeKey();

describe('HostKeyStore', () => {
  it('stores pins in the real vault as opaque-id host-key records', () => {
    const vault = new Vault({ path: join(tmp.dir, 'vault.db'), kdf: { N: 1024, r: 8, p: 1 } });
    vault.create('granite-otter-velvet-97');
    const store = new HostKeyStore(vault, { now: () => 42 });
    const rec = store.trust('Web1.LAN', 2222, k1.public);
    expect(rec).toMatchObject({ host: 'web1.lan', port: 2222, keyType: 'ssh-ed25519', source: 'trusted', addedAt: 42, hashed: false });
    expect(rec.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rec.key).toBe(k1.blob.toString('base64'));
    expect(rec.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(vault.list(HOST_KEY_KIND)).toHaveLength(1);
    vault.lock();
    vault.unlock('granite-otter-velvet-97');
    expect(new HostKeyStore(vault).check('web1.lan', 2222, k1.blob).status).toBe('trusted');
    vault.close();
  });

  it('trust() accepts a blob, its base64 or a public key line, and is idempotent', () => {
    const store = new HostKeyStore(testVault());
    const a = store.trust('h', 22, k1.blob);
    expect(store.trust('h', 22, k1.blob.toString('base64')).id).toBe(a.id);
    expect(store.trust('h', 22, k1.public).id).toBe(a.id);
    expect(store.list()).toHaveLength(1);
  });

  it('refuses to replace a different pinned key unless asked to', () => {
    const store = new HostKeyStore(testVault());
    store.trust('h', 22, k1.blob);
    let err: unknown;
    try {
      store.trust('h', 22, k2.blob);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BulwarkError);
    expect((err as BulwarkError).code).toBe('HOST_KEY_CHANGED');
    expect((err as BulwarkError).fields?.oldFingerprints).toBe(parseHostPublicKey(k1.blob).fingerprint);
    const rec = store.trust('h', 22, k2.blob, { replace: true });
    expect(store.list()).toEqual([rec]);
    expect(store.check('h', 22, k1.blob).status).toBe('changed');
  });

  it('check() distinguishes trusted, unknown and changed; ports are separate hosts', () => {
    const store = new HostKeyStore(testVault());
    store.trust('h', 22, k1.blob);
    expect(store.check('h', 22, k1.blob).status).toBe('trusted');
    expect(store.check('h', 2222, k1.blob).status).toBe('unknown');
    const changed = store.check('h', 22, k2.blob);
    expect(changed.status).toBe('changed');
    if (changed.status === 'changed') expect(changed.pinned.map((p) => p.key)).toEqual([k1.blob.toString('base64')]);
  });

  it('rejects things that are not public keys', () => {
    const store = new HostKeyStore(testVault());
    expect(() => store.trust('h', 22, 'not a key')).toThrow(/not an SSH public key/);
    expect(() => store.trust('h', 22, Buffer.from('garbage'))).toThrow(BulwarkError);
    expect(() => store.trust('h', 22, k1.private)).toThrow(/not an SSH public key/);
    expect(() => store.trust('', 22, k1.blob)).toThrow(/host/);
    expect(() => store.trust('h', 0, k1.blob)).toThrow(/Port/);
  });

  it('offers pinned key types first', () => {
    const store = new HostKeyStore(testVault());
    const defaults = algorithms().offered.serverHostKey;
    expect(store.hostKeyAlgorithms('h', 22)).toEqual(defaults);
    const rsa = makeRsa();
    store.trust('h', 22, rsa);
    const offered = store.hostKeyAlgorithms('h', 22);
    expect(offered.slice(0, 2)).toEqual(['rsa-sha2-512', 'rsa-sha2-256']);
    expect([...offered].sort()).toEqual([...defaults].sort());
  });

  it('forget() and remove()', () => {
    const store = new HostKeyStore(testVault());
    const a = store.trust('h', 22, k1.blob);
    store.trust('h', 2222, k2.blob);
    expect(store.forget('h', 22)).toBe(1);
    expect(store.remove([a.id])).toBe(0);
    expect(store.list()).toHaveLength(1);
  });
});

function makeRsa(): Buffer {
  const kp = utils.generateKeyPairSync('rsa', { bits: 2048 });
  return (utils.parseKey(kp.public) as ParsedKey).getPublicSSH();
}
