import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../../main/services/vault';
import { gcmEncrypt, newNonce } from '../../../main/services/vault/crypto';
import { deriveKey, newKdfParams } from '../../../main/services/vault/kdf';
import { EXPORT_PASS, PASS, copyFixture, expectCode, makeFixture, removeTempDirs, tempDir, type Fixture, SLOW } from './helpers';

let fx: Fixture;
let empty: Fixture;
beforeAll(() => {
  fx = makeFixture([
    { kind: 'host', id: 'h1', value: { name: 'alpha', address: '10.1.2.3', notes: 'rack 4' } },
    { kind: 'host', id: 'h2', value: { name: 'beta', address: '10.1.2.4' } },
    { kind: 'sshKey', id: 'k1', value: { label: 'deploy', private: '-----BEGIN OPENSSH PRIVATE KEY-----' } },
  ]);
  empty = makeFixture();
}, SLOW.timeout);
afterAll(removeTempDirs);

function unlocked(f: Fixture, now?: () => number): Vault {
  const v = copyFixture(f, now ? { now } : {});
  v.unlock(PASS);
  return v;
}

/** An export file built by hand, for payloads the exporter would never write. */
function craft(file: string, header: Record<string, unknown>, payload: unknown, passphrase = EXPORT_PASS): void {
  const kdf = newKdfParams({ N: 1024, r: 8, p: 1 });
  const nonce = newNonce();
  const h = Buffer.from(JSON.stringify({ format: 'bulwark-vault-export', version: 1, kdf, nonce: nonce.toString('base64'), ...header }));
  const body = gcmEncrypt(deriveKey(passphrase, kdf), nonce, gzipSync(Buffer.from(JSON.stringify(payload))), h);
  writeFileSync(file, Buffer.concat([h, Buffer.from('\n'), body]));
}

describe('export and import', SLOW, () => {
  it('round-trips every record with timestamps into another vault; re-import changes nothing', () => {
    const a = unlocked(fx);
    const file = join(tempDir(), 'backup.bulwark');
    expect(a.exportTo(file, EXPORT_PASS)).toEqual({ records: 3 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dirname(file))).toEqual(['backup.bulwark']); // no temp file left behind

    const bytes = readFileSync(file);
    const header = JSON.parse(bytes.subarray(0, bytes.indexOf(0x0a)).toString());
    expect(header).toMatchObject({ format: 'bulwark-vault-export', version: 1, kdf: { alg: 'scrypt', N: 2 ** 17, r: 8, p: 1 } });
    expect(Object.keys(header).sort()).toEqual(['format', 'kdf', 'nonce', 'version']);
    for (const secret of ['alpha', '10.1.2.3', 'rack 4', 'deploy', 'OPENSSH']) expect(bytes.includes(secret)).toBe(false);

    const b = unlocked(empty);
    b.put('host', 'local', { name: 'local-only' });
    expect(b.list('host')).toHaveLength(1); // warm cache must be refreshed by the import
    expect(b.importFrom(file, EXPORT_PASS)).toEqual({ added: 3, updated: 0 });
    const hosts = b.list<{ name: string }>('host');
    expect(hosts.map((h) => h.name).sort()).toEqual(['alpha', 'beta', 'local-only']);
    expect(b.get('host', 'h1')).toEqual({ name: 'alpha', address: '10.1.2.3', notes: 'rack 4' });
    expect(b.get('sshKey', 'k1')).toEqual({ label: 'deploy', private: '-----BEGIN OPENSSH PRIVATE KEY-----' });
    expect(b.importFrom(file, EXPORT_PASS)).toEqual({ added: 0, updated: 0 });
    // the imported copy keeps its original timestamps: export B and compare with A's export
    const fileB = join(tempDir(), 'b.bulwark');
    b.exportTo(fileB, EXPORT_PASS);
    const c = unlocked(empty);
    c.importFrom(fileB, EXPORT_PASS);
    expect(c.list('host').map((h) => (h as { name: string }).name).sort()).toEqual(['alpha', 'beta', 'local-only']);
    a.close();
    b.close();
    c.close();
  });

  it('newer records win: an update made after the export is replaced only by a newer export', () => {
    let clock = Date.now() + 60_000;
    const a = unlocked(fx, () => clock);
    const old = join(tempDir(), 'old.bulwark');
    a.exportTo(old, EXPORT_PASS);
    clock += 1000;
    a.put('host', 'h1', { name: 'alpha-renamed' });
    expect(a.importFrom(old, EXPORT_PASS)).toEqual({ added: 0, updated: 0 }); // local is newer
    expect(a.get('host', 'h1')).toEqual({ name: 'alpha-renamed' });
    const newer = join(tempDir(), 'new.bulwark');
    a.exportTo(newer, EXPORT_PASS);

    const b = unlocked(fx);
    expect(b.importFrom(newer, EXPORT_PASS)).toEqual({ added: 0, updated: 1 });
    expect(b.get('host', 'h1')).toEqual({ name: 'alpha-renamed' });
    a.close();
    b.close();
  });

  it('wrong passphrase: WRONG_PASSPHRASE and the vault is unchanged', () => {
    const a = unlocked(fx);
    const file = join(tempDir(), 'x.bulwark');
    a.exportTo(file, EXPORT_PASS);
    a.close();
    const b = unlocked(empty);
    expectCode(() => b.importFrom(file, 'Definitely-Not-The-Export-Pass'), 'WRONG_PASSPHRASE');
    expect(b.list('host')).toEqual([]);
    expect(b.list('sshKey')).toEqual([]);
    b.close();
  });

  it('malformed files: EXPORT_INVALID; a newer format: VAULT_TOO_NEW; nothing imported', () => {
    const b = unlocked(empty);
    const dir = tempDir();
    const f = (name: string) => join(dir, name);

    writeFileSync(f('garbage'), 'this is not an export at all');
    expectCode(() => b.importFrom(f('garbage'), EXPORT_PASS), 'EXPORT_INVALID');
    writeFileSync(f('json'), '{"format":"something-else","version":1}\n....');
    expectCode(() => b.importFrom(f('json'), EXPORT_PASS), 'EXPORT_INVALID');
    writeFileSync(f('badkdf'), '{"format":"bulwark-vault-export","version":1,"kdf":{"alg":"scrypt","N":3,"r":8,"p":1,"salt":"x"},"nonce":"AAAAAAAAAAAAAAAA"}\n..');
    expectCode(() => b.importFrom(f('badkdf'), EXPORT_PASS), 'EXPORT_INVALID', /KDF/);
    writeFileSync(f('v2'), '{"format":"bulwark-vault-export","version":2}\n....');
    expectCode(() => b.importFrom(f('v2'), EXPORT_PASS), 'VAULT_TOO_NEW');
    expectCode(() => b.importFrom(f('missing'), EXPORT_PASS), 'NOT_FOUND');

    // correctly encrypted, but the records inside are not valid
    craft(f('badrec'), {}, { records: [{ kind: 'host', id: 'ok', createdAt: 1, updatedAt: 1, value: 1 }, { kind: 'bad kind!', id: 'x', createdAt: 1, updatedAt: 1, value: 1 }] });
    expectCode(() => b.importFrom(f('badrec'), EXPORT_PASS), 'EXPORT_INVALID');
    craft(f('dupe'), {}, { records: [{ kind: 'host', id: 'a', createdAt: 1, updatedAt: 1, value: 1 }, { kind: 'host', id: 'a', createdAt: 1, updatedAt: 2, value: 2 }] });
    expectCode(() => b.importFrom(f('dupe'), EXPORT_PASS), 'EXPORT_INVALID', /twice/);
    craft(f('shape'), {}, [1, 2, 3]);
    expectCode(() => b.importFrom(f('shape'), EXPORT_PASS), 'EXPORT_INVALID');
    expect(b.list('host')).toEqual([]);

    // a hand-made but valid file imports (the format is what the docs say)
    craft(f('good'), {}, { records: [{ kind: 'host', id: 'a', createdAt: 1, updatedAt: 1, value: { n: 1 } }] });
    expect(b.importFrom(f('good'), EXPORT_PASS)).toEqual({ added: 1, updated: 0 });
    b.close();
  });

  it('an edited header or a truncated body does not decrypt', () => {
    const a = unlocked(fx);
    const file = join(tempDir(), 'x.bulwark');
    a.exportTo(file, EXPORT_PASS);
    const bytes = readFileSync(file);
    const nl = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.subarray(0, nl).toString());
    const edited = Buffer.from(JSON.stringify({ ...header, extra: 1 }));
    writeFileSync(file + '.hdr', Buffer.concat([edited, bytes.subarray(nl)]));
    expectCode(() => a.importFrom(file + '.hdr', EXPORT_PASS), 'WRONG_PASSPHRASE', /damaged/);
    writeFileSync(file + '.cut', bytes.subarray(0, bytes.length - 10));
    expectCode(() => a.importFrom(file + '.cut', EXPORT_PASS), 'WRONG_PASSPHRASE');
    a.close();
  });

  it('export: weak passphrase, the vault file as target, and a locked vault are refused', () => {
    const a = unlocked(fx);
    expectCode(() => a.exportTo(join(tempDir(), 'x'), 'hunter2'), 'WEAK_PASSPHRASE');
    expectCode(() => a.exportTo(a.path, EXPORT_PASS), 'VALIDATION');
    expectCode(() => a.exportTo(`${a.path}-wal`, EXPORT_PASS), 'VALIDATION');
    a.lock();
    expectCode(() => a.exportTo(join(tempDir(), 'x'), EXPORT_PASS), 'VAULT_LOCKED');
    expectCode(() => a.importFrom(join(tempDir(), 'x'), EXPORT_PASS), 'VAULT_LOCKED');
  });

  it('export replaces an existing file atomically', () => {
    const a = unlocked(fx);
    const file = join(tempDir(), 'x.bulwark');
    writeFileSync(file, 'old contents', { mode: 0o644 });
    a.exportTo(file, EXPORT_PASS);
    expect(readFileSync(file).subarray(0, 60).toString()).toContain('bulwark-vault-export');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    a.close();
  });
});
