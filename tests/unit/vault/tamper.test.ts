import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../../main/services/vault';
import { MIGRATIONS } from '../../../main/services/vault/schema';
import { PASS, copyFixture, expectCode, makeFixture, removeTempDirs, withRaw, type Fixture, SLOW } from './helpers';

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture([
    { kind: 'host', id: 'h1', value: { name: 'alpha', address: '10.0.0.1' } },
    { kind: 'host', id: 'h2', value: { name: 'beta', address: '10.0.0.2' } },
    { kind: 'key', id: 'k1', value: { label: 'deploy' } },
  ]);
}, SLOW.timeout);
afterAll(removeTempDirs);

type Row = { kind: string; id: string; data: Buffer };
const row = (db: import('better-sqlite3').Database, kind: string, id: string) =>
  db.prepare('SELECT kind, id, data FROM records WHERE kind = ? AND id = ?').get(kind, id) as Row;

describe('tampering with records', SLOW, () => {
  it('a flipped ciphertext byte fails with VAULT_TAMPERED naming the record', () => {
    const v = copyFixture(fx);
    withRaw(v.path, (db) => {
      const r = row(db, 'host', 'h2');
      r.data[20] = r.data[20]! ^ 1;
      db.prepare('UPDATE records SET data = ? WHERE kind = ? AND id = ?').run(r.data, 'host', 'h2');
    });
    v.unlock(PASS); // metadata is fine; records are checked when read
    expectCode(() => v.list('host'), 'VAULT_TAMPERED', /host\/h2/);
    expectCode(() => v.get('host', 'h1'), 'VAULT_TAMPERED', /host\/h2/);
    expect(v.list('key')).toEqual([{ label: 'deploy' }]); // other kinds still readable
    expectCode(() => v.verify(), 'VAULT_TAMPERED', /host\/h2/);
    v.close();
  });

  it('swapping two rows\' ciphertexts is detected', () => {
    const v = copyFixture(fx);
    withRaw(v.path, (db) => {
      const a = row(db, 'host', 'h1');
      const b = row(db, 'host', 'h2');
      const upd = db.prepare('UPDATE records SET data = ? WHERE kind = ? AND id = ?');
      upd.run(b.data, 'host', 'h1');
      upd.run(a.data, 'host', 'h2');
    });
    v.unlock(PASS);
    expectCode(() => v.list('host'), 'VAULT_TAMPERED', /host\/h1/);
    v.close();
  });

  it('moving a row to another kind or id, or changing its timestamps, is detected', () => {
    const cases: Array<[string, string, RegExp]> = [
      ["UPDATE records SET kind = 'key' WHERE kind = 'host' AND id = 'h1'", 'key', /key\/h1/],
      ["UPDATE records SET id = 'h9' WHERE kind = 'host' AND id = 'h1'", 'host', /host\/h9/],
      ["UPDATE records SET created_at = created_at - 1 WHERE kind = 'key' AND id = 'k1'", 'key', /key\/k1/],
      ["UPDATE records SET updated_at = updated_at + 1 WHERE kind = 'key' AND id = 'k1'", 'key', /key\/k1/],
    ];
    for (const [sql, kind, msg] of cases) {
      const v = copyFixture(fx);
      withRaw(v.path, (db) => db.exec(sql));
      v.unlock(PASS);
      expectCode(() => v.list(kind), 'VAULT_TAMPERED', msg);
      v.close();
    }
  });

  it('a row copied in from another vault (same kind and id) is detected', () => {
    const other = copyFixture(makeFixture([{ kind: 'host', id: 'h1', value: { name: 'evil' } }]));
    const foreign = withRaw(other.path, (db) => row(db, 'host', 'h1'));
    const v = copyFixture(fx);
    withRaw(v.path, (db) => db.prepare("UPDATE records SET data = ? WHERE kind = 'host' AND id = 'h1'").run(foreign.data));
    v.unlock(PASS);
    expectCode(() => v.get('host', 'h1'), 'VAULT_TAMPERED', /host\/h1.*another vault/);
    v.close();
  });
});

describe('tampering with metadata', SLOW, () => {
  const metaCases: Array<[string, string]> = [
    ['auto-lock setting', "UPDATE meta SET value = '0' WHERE key = 'auto_lock_minutes'"],
    ['vault id', "UPDATE meta SET value = 'AAAAAAAAAAAAAAAAAAAAAA==' WHERE key = 'vault_id'"],
    ['recovery slot', "UPDATE meta SET value = (SELECT value FROM meta WHERE key = 'slot_passphrase') WHERE key = 'slot_recovery'"],
    ['added keychain slot', "INSERT INTO meta VALUES ('slot_keychain_os', 'AAAA'), ('slot_keychain_wrapped', 'AAAA')"],
    ['creation time', "UPDATE meta SET value = '1' WHERE key = 'created_at'"],
  ];
  for (const [what, sql] of metaCases) {
    it(`a changed ${what} fails unlock with VAULT_TAMPERED and keeps it locked`, () => {
      const v = copyFixture(fx);
      withRaw(v.path, (db) => db.exec(sql));
      expectCode(() => v.unlock(PASS), 'VAULT_TAMPERED');
      expect(v.state()).toBe('locked');
    });
  }

  it('a schema version (user_version) changed outside Bulwark is caught by the MAC', () => {
    // support a v2 so that a file claiming v2 is in range and gets as far as the MAC check
    const v = copyFixture(fx);
    withRaw(v.path, (db) => db.pragma('user_version = 2'));
    const v2 = new Vault({
      path: v.path,
      migrations: [
        ...MIGRATIONS,
        { version: 2, description: 'noop', up() {} },
      ],
    });
    expectCode(() => v2.unlock(PASS), 'VAULT_TAMPERED');
  });

  it('altered KDF parameters are indistinguishable from a wrong passphrase (and still refused)', () => {
    const v = copyFixture(fx);
    withRaw(v.path, (db) => {
      const kdf = JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'kdf'").get() as { value: string }).value);
      kdf.N = 2 ** 16;
      db.prepare("UPDATE meta SET value = ? WHERE key = 'kdf'").run(JSON.stringify(kdf));
    });
    expectCode(() => v.unlock(PASS), 'WRONG_PASSPHRASE');
  });

  it('absurd KDF parameters in the file are refused without running them', () => {
    const v = copyFixture(fx);
    withRaw(v.path, (db) => db.exec(`UPDATE meta SET value = '{"alg":"scrypt","N":1073741824,"r":8,"p":1,"salt":"AAAAAAAAAAAAAAAAAAAAAA=="}' WHERE key = 'kdf'`));
    expectCode(() => v.unlock(PASS), 'VAULT_TAMPERED', /KDF/);
  });
});
