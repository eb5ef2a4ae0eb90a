import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault, type VaultState } from '../../../main/services/vault';
import { DEFAULT_COST, memoryBytes, MIN_PRODUCTION_MEMORY } from '../../../main/services/vault/kdf';
import { PASS, PASS2, copyFixture, expectCode, makeFixture, removeTempDirs, sha256, tempDir, withRaw, type Fixture, SLOW } from './helpers';

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture([{ kind: 'host', id: 'h1', value: { name: 'alpha' } }]);
}, SLOW.timeout);
afterAll(removeTempDirs);

describe('vault lifecycle (real scrypt parameters)', SLOW, () => {
  it('defaults to scrypt N=2^17, r=8, p=1 (128 MiB), above the 64 MiB floor', () => {
    expect(DEFAULT_COST).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(memoryBytes(DEFAULT_COST)).toBe(128 * 1024 * 1024);
    expect(memoryBytes(DEFAULT_COST)).toBeGreaterThanOrEqual(MIN_PRODUCTION_MEMORY);
    const kdf = withRaw(fx.file, (db) => JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'kdf'").get() as { value: string }).value));
    expect(kdf).toMatchObject({ alg: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
  });

  it('creates a 0600 file in a 0700 directory, reports states, and emits state changes', () => {
    const dir = join(tempDir(), 'nested', 'deeper');
    const file = join(dir, 'vault.db');
    const v = new Vault({ path: file });
    const seen: Array<[VaultState, string | undefined]> = [];
    v.onStateChange((s, r) => seen.push([s, r]));
    expect(v.state()).toBe('absent');
    expectCode(() => v.unlock(PASS), 'VAULT_ABSENT');
    expectCode(() => v.list('host'), 'VAULT_ABSENT');

    const { recoveryKey } = v.create(PASS);
    expect(recoveryKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){13}$/);
    expect(v.state()).toBe('unlocked');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(v.getAutoLockMinutes()).toBe(15);
    // no leftovers from the build-then-link creation
    expect(readdirSync(dir).filter((f) => f.includes('creating'))).toEqual([]);

    v.put('host', 'a', { n: 1 });
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    v.lock();
    expect(v.state()).toBe('locked');
    expectCode(() => v.list('host'), 'VAULT_LOCKED');
    expectCode(() => v.put('host', 'b', {}), 'VAULT_LOCKED');
    expectCode(() => v.transaction(() => 1), 'VAULT_LOCKED');
    v.unlock(PASS);
    expect(v.get('host', 'a')).toEqual({ n: 1 });
    v.lock('idle');
    expect(seen).toEqual([
      ['unlocked', undefined],
      ['locked', 'user'],
      ['unlocked', undefined],
      ['locked', 'idle'],
    ]);
    v.close();
  });

  it('refuses create() on an existing vault or any existing file, leaving it untouched', () => {
    const v = copyFixture(fx);
    const before = sha256(v.path);
    expectCode(() => v.create(PASS2), 'VAULT_EXISTS');
    expect(sha256(v.path)).toBe(before);

    const other = join(tempDir(), 'notes.txt');
    writeFileSync(other, 'my notes');
    expectCode(() => new Vault({ path: other }).create(PASS), 'VAULT_EXISTS');
  });

  it('create(): empty leftovers of a deleted vault are ignored, a WAL with data is not', () => {
    const dir = tempDir();
    const file = join(dir, 'vault.db');
    writeFileSync(`${file}-wal`, '');
    writeFileSync(`${file}-shm`, Buffer.alloc(32768));
    const v = new Vault({ path: file });
    expect(v.state()).toBe('absent');
    v.create(PASS);
    v.put('host', 'x', 1);
    v.close();
    v.unlock(PASS);
    expect(v.get('host', 'x')).toBe(1);
    v.close();

    const other = join(dir, 'other.db');
    writeFileSync(`${other}-wal`, Buffer.alloc(4096, 1));
    expectCode(() => new Vault({ path: other }).create(PASS), 'VAULT_EXISTS');
  });

  it('rejects weak passphrases on create with the strength feedback', () => {
    const file = join(tempDir(), 'v.db');
    const v = new Vault({ path: file });
    expectCode(() => v.create('hunter2'), 'WEAK_PASSPHRASE', /easy to guess/);
    expectCode(() => v.create('password123'), 'WEAK_PASSPHRASE', /password/);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dirname(file))).toEqual([]);
  });

  it('wrong passphrase: WRONG_PASSPHRASE, the file is unchanged and the vault stays locked', () => {
    const v = copyFixture(fx);
    const before = sha256(v.path);
    expectCode(() => v.unlock('not the passphrase at all'), 'WRONG_PASSPHRASE');
    expectCode(() => v.unlock(''), 'WRONG_PASSPHRASE');
    expect(v.state()).toBe('locked');
    expect(sha256(v.path)).toBe(before);
    v.unlock(PASS);
    expect(v.get('host', 'h1')).toEqual({ name: 'alpha' });
    // unlock() while unlocked still checks the passphrase
    expectCode(() => v.unlock(PASS2), 'WRONG_PASSPHRASE');
    expect(v.state()).toBe('unlocked');
    v.close();
  });

  it('changePassphrase re-wraps the key only: record ciphertext bytes are unchanged', () => {
    const v = copyFixture(fx);
    const rows = () => withRaw(v.path, (db) => db.prepare('SELECT kind, id, data FROM records ORDER BY kind, id').all());
    const before = rows();
    const events: string[] = [];
    v.onStateChange((s) => events.push(s));
    v.unlock(PASS);
    expectCode(() => v.changePassphrase('wrong current passphrase', PASS2), 'WRONG_PASSPHRASE');
    expectCode(() => v.changePassphrase(PASS, 'hunter2'), 'WEAK_PASSPHRASE');
    v.changePassphrase(PASS, PASS2);
    expect(v.state()).toBe('unlocked');
    v.close();
    expect(rows()).toEqual(before);
    expectCode(() => v.unlock(PASS), 'WRONG_PASSPHRASE');
    v.unlock(PASS2);
    expect(v.get('host', 'h1')).toEqual({ name: 'alpha' });
    v.close();
    expect(events).toEqual(['unlocked', 'locked', 'unlocked', 'locked']);
  });

  it('a failed changePassphrase changes nothing in the file', () => {
    const v = copyFixture(fx);
    v.unlock(PASS);
    v.close();
    const before = sha256(v.path);
    v.unlock(PASS);
    expectCode(() => v.changePassphrase(PASS2, 'Another-Strong-Phrase-42'), 'WRONG_PASSPHRASE');
    v.close();
    expect(sha256(v.path)).toBe(before);
    expectCode(() => v.changePassphrase(PASS, PASS2), 'VAULT_LOCKED');
  });

  it('recover() with the recovery key unlocks and sets the new passphrase', () => {
    const v = copyFixture(fx);
    const seen: string[] = [];
    v.onStateChange((s) => seen.push(s));
    v.recover(fx.recoveryKey.toLowerCase().replace(/-/g, ' '), PASS2);
    expect(v.state()).toBe('unlocked');
    expect(seen).toEqual(['unlocked']);
    expect(v.get('host', 'h1')).toEqual({ name: 'alpha' });
    v.close();
    expectCode(() => v.unlock(PASS), 'WRONG_PASSPHRASE');
    v.unlock(PASS2);
    v.close();
  });

  it('rotateRecoveryKey() needs the passphrase, issues a new key and retires the old one', () => {
    const v = copyFixture(fx);
    expectCode(() => v.rotateRecoveryKey(PASS), 'VAULT_LOCKED');
    v.unlock(PASS);
    const before = sha256(v.path);
    expectCode(() => v.rotateRecoveryKey(PASS2), 'WRONG_PASSPHRASE');
    v.close();
    expect(sha256(v.path)).toBe(before);
    v.unlock(PASS);
    const { recoveryKey } = v.rotateRecoveryKey(PASS);
    expect(recoveryKey).not.toBe(fx.recoveryKey);
    v.close();
    expectCode(() => v.recover(fx.recoveryKey, PASS2), 'WRONG_RECOVERY_KEY', /different vault/);
    v.recover(recoveryKey, PASS2);
    expect(v.get('host', 'h1')).toEqual({ name: 'alpha' });
    v.close();
  });

  it('recover() distinguishes a mistyped key from one of another vault, changing nothing', () => {
    const v = copyFixture(fx);
    const before = sha256(v.path);
    const k = fx.recoveryKey;
    const typo = k.slice(0, 3) + (k[3] === 'X' ? 'Y' : 'X') + k.slice(4);
    expectCode(() => v.recover(typo, PASS2), 'WRONG_RECOVERY_KEY', /mistyped/);
    const other = new Vault({ path: join(tempDir(), 'other.db') });
    const { recoveryKey: otherKey } = other.create(PASS);
    other.close();
    expectCode(() => v.recover(otherKey, PASS2), 'WRONG_RECOVERY_KEY', /different vault/);
    expectCode(() => v.recover(k, 'hunter2'), 'WEAK_PASSPHRASE');
    expect(v.state()).toBe('locked');
    expect(sha256(v.path)).toBe(before);
  });

  it('the lock drops the key buffers and the decrypted cache', () => {
    const v = copyFixture(fx);
    v.unlock(PASS);
    expect(v.list('host')).toHaveLength(1);
    const session = (v as unknown as { session: { vaultKey: Buffer; recordKey: Buffer; macKey: Buffer } }).session;
    const keys = [session.vaultKey, session.recordKey, session.macKey];
    expect(keys.every((k) => k.some((b) => b !== 0))).toBe(true);
    v.lock();
    expect(keys.every((k) => k.every((b) => b === 0))).toBe(true);
    expect((v as unknown as { caches: Map<string, unknown> }).caches.size).toBe(0);
    expect((v as unknown as { session: unknown }).session).toBeNull();
  });

  it('auto-lock minutes: default 15, persisted, readable while locked, validated', () => {
    const v = copyFixture(fx);
    expect(v.getAutoLockMinutes()).toBe(15);
    expectCode(() => v.setAutoLockMinutes(5), 'VAULT_LOCKED');
    v.unlock(PASS);
    v.setAutoLockMinutes(0);
    expect(v.getAutoLockMinutes()).toBe(0);
    expectCode(() => v.setAutoLockMinutes(-1), 'VALIDATION');
    expectCode(() => v.setAutoLockMinutes(1.5), 'VALIDATION');
    expectCode(() => v.setAutoLockMinutes(24 * 60 + 1), 'VALIDATION');
    v.setAutoLockMinutes(30);
    v.close();
    expect(v.getAutoLockMinutes()).toBe(30);
    expect(new Vault({ path: v.path }).getAutoLockMinutes()).toBe(30);
  });

  it('a weak kdf override is a test-only affordance', async () => {
    const { resolveCost } = await import('../../../main/services/vault/kdf');
    const saved = { VITEST: process.env['VITEST'], NODE_ENV: process.env['NODE_ENV'] };
    try {
      delete process.env['VITEST'];
      process.env['NODE_ENV'] = 'production';
      expectCode(() => resolveCost({ N: 1024, r: 8, p: 1 }), 'INTERNAL', /64 MiB/);
      expect(resolveCost({ N: 2 ** 16, r: 8, p: 1 })).toEqual({ N: 2 ** 16, r: 8, p: 1 });
    } finally {
      for (const [k, val] of Object.entries(saved)) {
        if (val === undefined) delete process.env[k];
        else process.env[k] = val;
      }
    }
    expect(resolveCost({ N: 1024, r: 8, p: 1 })).toEqual({ N: 1024, r: 8, p: 1 });
    expectCode(() => resolveCost({ N: 1000, r: 8, p: 1 }), 'INTERNAL');
  });
});
