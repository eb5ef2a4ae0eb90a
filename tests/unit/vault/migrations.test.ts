import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../../main/services/vault';
import { MIGRATIONS, type Migration } from '../../../main/services/vault/schema';
import { PASS, SLOW, copyFixture, expectCode, makeFixture, removeTempDirs, sha256, withRaw, type Fixture } from './helpers';

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture([
    { kind: 'host', id: 'h1', value: { name: 'alpha' } },
    { kind: 'host', id: 'h2', value: { name: 'beta' } },
  ]);
}, SLOW.timeout);
afterAll(removeTempDirs);

const v2: Migration = {
  version: 2,
  description: 'test: a tags table',
  up(db) {
    db.exec('CREATE TABLE tags (kind TEXT NOT NULL, id TEXT NOT NULL, tag_mac BLOB NOT NULL, PRIMARY KEY (kind, id, tag_mac)) WITHOUT ROWID');
  },
};
const failing: Migration = {
  version: 2,
  description: 'test: fails halfway',
  up(db) {
    db.exec('CREATE TABLE half_done (x)');
    throw new Error('disk on fire');
  },
};

const userVersion = (file: string) => withRaw(file, (db) => db.pragma('user_version', { simple: true }));
const backups = (file: string) => readdirSync(dirname(file)).filter((f) => f.includes('.bak-v')).sort();

describe('schema migrations', SLOW, () => {
  it('v1 is the initial schema and marks the file as a Bulwark vault', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1]);
    withRaw(fx.file, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(db.pragma('application_id', { simple: true })).toBe(0x42574b56);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    });
  });

  it('upgrades only after the passphrase is verified, backing the old file up first', () => {
    const old = copyFixture(fx);
    const original = sha256(old.path);
    const v = new Vault({ path: old.path, migrations: [...MIGRATIONS, v2] });

    expectCode(() => v.unlock('not the passphrase, sorry'), 'WRONG_PASSPHRASE');
    expect(sha256(v.path)).toBe(original);
    expect(backups(v.path)).toEqual([]);

    v.unlock(PASS);
    expect(backups(v.path)).toEqual(['vault.db.bak-v1']);
    const bak = `${v.path}.bak-v1`;
    expect(sha256(bak)).toBe(original);
    expect(statSync(bak).mode & 0o777).toBe(0o600);
    expect(v.list('host')).toEqual([{ name: 'alpha' }, { name: 'beta' }]);
    v.put('host', 'h3', { name: 'gamma' });
    v.close();

    expect(userVersion(v.path)).toBe(2);
    withRaw(v.path, (db) => expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'tags'").get()).toBeTruthy());
    // unlocking again neither migrates nor backs up again, and the MAC now covers v2
    v.unlock(PASS);
    expect(v.list('host')).toHaveLength(3);
    v.close();
    expect(backups(v.path)).toEqual(['vault.db.bak-v1']);
    // this build (v1 only) refuses the upgraded file without touching it
    expectCode(() => new Vault({ path: v.path }).unlock(PASS), 'VAULT_TOO_NEW');
    // and the backup is a working v1 vault
    const restored = new Vault({ path: bak });
    restored.unlock(PASS);
    expect(restored.list('host')).toHaveLength(2);
    restored.close();
  });

  it('a failing migration rolls back completely; the backup is kept and never overwritten', () => {
    const old = copyFixture(fx);
    const original = sha256(old.path);
    const bad = new Vault({ path: old.path, migrations: [...MIGRATIONS, failing] });
    expectCode(() => bad.unlock(PASS), 'INTERNAL', /v1 to v2 failed and was rolled back.*disk on fire/);
    expect(bad.state()).toBe('locked');
    expect(userVersion(old.path)).toBe(1);
    withRaw(old.path, (db) => expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined());
    expect(backups(old.path)).toEqual(['vault.db.bak-v1']);
    expect(sha256(`${old.path}.bak-v1`)).toBe(original);

    // the old build still opens it; a second attempt backs up under a new name
    old.unlock(PASS);
    old.close();
    const good = new Vault({ path: old.path, migrations: [...MIGRATIONS, v2] });
    good.unlock(PASS);
    good.close();
    expect(backups(old.path)).toEqual(['vault.db.bak-v1', 'vault.db.bak-v1.1']);
  });

  it('create() applies every migration in the list', () => {
    const file = `${dirname(copyFixture(fx).path)}/fresh.db`;
    const v = new Vault({ path: file, migrations: [...MIGRATIONS, v2] });
    v.create(PASS);
    v.close();
    expect(userVersion(file)).toBe(2);
    expect(existsSync(`${file}.bak-v1`)).toBe(false);
    v.unlock(PASS);
    v.close();
  });

  it('refuses a malformed migration list', () => {
    expectCode(() => new Vault({ path: '/tmp/x.db', migrations: [v2] }), 'INTERNAL');
  });
});
