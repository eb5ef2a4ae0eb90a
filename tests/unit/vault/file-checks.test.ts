import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../../main/services/vault';
import { PASS, copyFixture, expectCode, makeFixture, removeTempDirs, sha256, tempDir, withRaw, type Fixture, SLOW } from './helpers';

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture(Array.from({ length: 40 }, (_, i) => ({ kind: 'host', id: `h${i}`, value: { notes: 'n'.repeat(300), i } })));
}, SLOW.timeout);
afterAll(removeTempDirs);

function fileAt(name: string, content: Buffer | string): Vault {
  const file = join(tempDir(), name);
  writeFileSync(file, content);
  return new Vault({ path: file });
}

describe('file checks before unlock', SLOW, () => {
  it('missing file: VAULT_ABSENT', () => {
    expectCode(() => new Vault({ path: join(tempDir(), 'nope.db') }).unlock(PASS), 'VAULT_ABSENT');
  });

  it('not SQLite at all: NOT_A_VAULT, file untouched', () => {
    const v = fileAt('notes.txt', 'these are my notes, not a database\n'.repeat(100));
    const before = sha256(v.path);
    expectCode(() => v.unlock(PASS), 'NOT_A_VAULT');
    expectCode(() => fileAt('tiny', 'hello').unlock(PASS), 'NOT_A_VAULT');
    expect(sha256(v.path)).toBe(before);
    const dir = join(tempDir(), 'a-directory');
    mkdirSync(dir);
    expectCode(() => new Vault({ path: dir }).unlock(PASS), 'NOT_A_VAULT');
  });

  it('a SQLite database that is not a Bulwark vault: NOT_A_VAULT, file untouched', () => {
    const file = join(tempDir(), 'other-app.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    db.close();
    const before = sha256(file);
    expectCode(() => new Vault({ path: file }).unlock(PASS), 'NOT_A_VAULT');
    expect(sha256(file)).toBe(before);
  });

  it('truncated: VAULT_TRUNCATED for a cut-off copy, a bare header fragment or an empty file', () => {
    const size = statSync(fx.file).size;
    expect(size).toBeGreaterThanOrEqual(8 * 4096);
    for (const keep of [Math.floor(size / 2), size - 4096, size - 1, 50, 0]) {
      const v = copyFixture(fx);
      truncateSync(v.path, keep);
      const before = sha256(v.path);
      expectCode(() => v.unlock(PASS), 'VAULT_TRUNCATED');
      expect(sha256(v.path)).toBe(before);
    }
  });

  it('newer format: VAULT_TOO_NEW and the file is not modified at all', () => {
    const v = copyFixture(fx);
    withRaw(v.path, (db) => db.pragma('user_version = 99'));
    const before = sha256(v.path);
    const mtime = statSync(v.path).mtimeMs;
    const siblings = readdirSync(dirname(v.path)).sort();
    const err = expectCode(() => v.unlock(PASS), 'VAULT_TOO_NEW', /v99/);
    expect(err.message).toMatch(/not modified/);
    expectCode(() => v.recover(fx.recoveryKey, PASS), 'VAULT_TOO_NEW');
    expect(sha256(v.path)).toBe(before);
    expect(statSync(v.path).mtimeMs).toBe(mtime);
    expect(readdirSync(dirname(v.path)).sort()).toEqual(siblings); // no -wal/-shm/backup created
  });

  it('newer format committed only to the WAL (stale main-file header) is still VAULT_TOO_NEW, main file untouched', () => {
    const v = copyFixture(fx);
    // Another process upgrades the file and is killed before any checkpoint.
    const script = `
      const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new D(${JSON.stringify(v.path)});
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('wal_autocheckpoint = 0');
      db.pragma('user_version = 7');
      process.kill(process.pid, 'SIGKILL');`;
    spawnSync(process.execPath, ['-e', script]);
    expect(statSync(`${v.path}-wal`).size).toBeGreaterThan(0);
    expect(readFileSync(v.path).readUInt32BE(60)).toBe(1); // the header still says v1
    const before = sha256(v.path);
    expectCode(() => v.unlock(PASS), 'VAULT_TOO_NEW', /v7/);
    expect(sha256(v.path)).toBe(before);
  });

  it('a vault in use by another process: IO error, not a hang or corruption', () => {
    const v = copyFixture(fx);
    v.unlock(PASS);
    v.put('host', 'x', 1); // the exclusive lock is held from the first write
    const other = new Vault({ path: v.path });
    expectCode(() => other.unlock(PASS), 'IO', /in use/);
    v.close();
    other.unlock(PASS);
    expect(other.get('host', 'x')).toBe(1);
    other.close();
  });

  it('never overwrites: a fixture copied over keeps working after failed attempts', () => {
    const v = copyFixture(fx);
    expectCode(() => v.unlock('wrong passphrase, clearly'), 'WRONG_PASSPHRASE');
    expectCode(() => v.create(PASS), 'VAULT_EXISTS');
    v.unlock(PASS);
    expect(v.list('host')).toHaveLength(40);
    v.close();
    copyFileSync(v.path, `${v.path}.copy`);
  });
});
