/**
 * The encrypted vault: a SQLite file whose records are AES-256-GCM ciphertext under one random
 * vault key. The key exists in memory only while unlocked; on disk it exists only wrapped (by
 * the passphrase, the recovery key and optionally the OS keychain).
 *
 * Everything is synchronous on purpose: better-sqlite3 is synchronous, and a vault call that
 * cannot interleave with another one cannot observe half-applied state.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { BulwarkError } from '../../../shared/errors';
import { MIN_ACCEPTED_SCORE, estimateStrength } from '../../../shared/passphrase';
import { KEY_BYTES, equalBytes, randomBytes, wipe } from './crypto';
import { type ExportRecord, readExport, writeExport } from './export';
import { fileExists } from './file-checks';
import { type KeychainAdapter, unwrapWithKeychain, wrapWithKeychain } from './keychain';
import { type ScryptCost, deriveKeyAsync, resolveCost, sameKdf } from './kdf';
import { DEFAULT_AUTO_LOCK_MINUTES, MAX_AUTO_LOCK_MINUTES, type VaultMeta, computeMac, readMeta, verifyMac, writeMeta } from './meta';
import { checkMigrationList } from './migrations';
import { KindCache } from './record-cache';
import { RecordCipher, type RecordRow, checkId, checkKind, deepFreeze, toJson } from './records';
import { generateRecoveryKey, parseRecoveryKey } from './recovery-key';
import { MIGRATIONS, type Migration, latestVersion } from './schema';
import { deriveSubkeys, unwrapWithKek, unwrapWithPassphrase, unwrapWithRecovery, wrapWithPassphrase, wrapWithRecovery } from './slots';
import { mapErrors, toBulwarkError } from './sqlite-errors';
import { DEFAULT_HINTS, createVaultFile, migrateVaultFile, openVaultFile, pathTaken, readLockedHints } from './vault-file';

export type VaultState = 'absent' | 'locked' | 'unlocked';
export type LockReason = 'user' | 'idle' | 'passphrase-changed';
export type VaultStateListener = (state: VaultState, reason?: LockReason) => void;

export interface VaultOptions {
  path: string;
  /** scrypt cost for new wraps. Tests only: below 64 MiB is refused outside a test run. */
  kdf?: { N: number; r: number; p: number };
  now?: () => number;
  /** Tests only: a different migration list, to exercise upgrades. */
  migrations?: readonly Migration[];
}

export function newId(): string {
  return randomUUID();
}

interface Session {
  db: Database.Database;
  vaultKey: Buffer;
  recordKey: Buffer;
  macKey: Buffer;
  meta: VaultMeta;
  schemaVersion: number;
  cipher: RecordCipher;
  stmts: ReturnType<typeof prepareStatements>;
}

function prepareStatements(db: Database.Database) {
  return {
    selectKind: db.prepare('SELECT kind, id, created_at, updated_at, data FROM records WHERE kind = ? ORDER BY created_at, id'),
    selectAll: db.prepare('SELECT kind, id, created_at, updated_at, data FROM records ORDER BY kind, created_at, id'),
    selectOne: db.prepare('SELECT kind, id, created_at, updated_at, data FROM records WHERE kind = ? AND id = ?'),
    selectIds: db.prepare('SELECT id FROM records WHERE kind = ? ORDER BY created_at, id'),
    selectStamps: db.prepare('SELECT created_at, updated_at FROM records WHERE kind = ? AND id = ?'),
    upsert: db.prepare(
      `INSERT INTO records (kind, id, created_at, updated_at, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET
         created_at = excluded.created_at, updated_at = excluded.updated_at, data = excluded.data`,
    ),
    deleteOne: db.prepare('DELETE FROM records WHERE kind = ? AND id = ?'),
  };
}

interface Stamps {
  created_at: number;
  updated_at: number;
}

const MAX_PASSPHRASE = 1024;

function checkPassphraseInput(p: unknown, field: string): asserts p is string {
  if (typeof p !== 'string' || p.length > MAX_PASSPHRASE) {
    throw new BulwarkError('VALIDATION', `${field} must be a string of at most ${MAX_PASSPHRASE} characters`, { [field]: 'invalid' });
  }
}

function requireStrong(passphrase: string, field: string): void {
  const s = estimateStrength(passphrase);
  if (s.score < MIN_ACCEPTED_SCORE) throw new BulwarkError('WEAK_PASSPHRASE', s.feedback, { [field]: s.feedback });
}

function wrongPassphrase(): BulwarkError {
  return new BulwarkError('WRONG_PASSPHRASE', 'Wrong passphrase.');
}

function isThenable(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

export class Vault {
  readonly path: string;
  private readonly cost: ScryptCost;
  private readonly now: () => number;
  private readonly migrations: readonly Migration[];
  private session: Session | null = null;
  private readonly caches = new Map<string, KindCache>();
  /** One set per open transaction level: the kinds it wrote, to invalidate on rollback. */
  private readonly txKinds: Array<Set<string>> = [];
  private readonly listeners = new Set<VaultStateListener>();
  /** Unauthenticated settings remembered for status display while locked. */
  private hints: { autoLockMinutes: number; keychainEnrolled: boolean } | null = null;

  constructor(opts: VaultOptions) {
    if (!opts || typeof opts.path !== 'string' || opts.path.length === 0) {
      throw new BulwarkError('VALIDATION', 'A vault path is required', { path: 'required' });
    }
    this.path = resolve(opts.path);
    this.cost = resolveCost(opts.kdf);
    this.now = opts.now ?? Date.now;
    this.migrations = opts.migrations ?? MIGRATIONS;
    checkMigrationList(this.migrations);
  }

  state(): VaultState {
    if (this.session) return 'unlocked';
    return fileExists(this.path) ? 'locked' : 'absent';
  }

  onStateChange(listener: VaultStateListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  create(passphrase: string): { recoveryKey: string } {
    checkPassphraseInput(passphrase, 'passphrase');
    if (this.session || pathTaken(this.path)) {
      throw new BulwarkError('VAULT_EXISTS', `A vault already exists at ${this.path}; it was left untouched.`);
    }
    requireStrong(passphrase, 'passphrase');
    mapErrors(() => mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 }));

    const vaultKey = randomBytes(KEY_BYTES);
    const vaultId = randomBytes(16);
    const recovery = generateRecoveryKey();
    try {
      const { kdf, slot } = wrapWithPassphrase(vaultKey, passphrase, this.cost);
      const meta: VaultMeta = {
        vaultId,
        createdAt: Math.trunc(this.now()),
        kdf,
        passphraseSlot: slot,
        recoverySlot: wrapWithRecovery(vaultKey, recovery.key, vaultId),
        keychainSlot: null,
        autoLockMinutes: DEFAULT_AUTO_LOCK_MINUTES,
      };
      const { macKey, recordKey } = deriveSubkeys(vaultKey, vaultId);
      wipe(recordKey);
      try {
        createVaultFile(this.path, this.migrations, meta, (version) => computeMac(macKey, meta, version));
      } finally {
        wipe(macKey);
      }
    } catch (e) {
      wipe(vaultKey);
      throw e;
    } finally {
      wipe(recovery.key);
    }
    this.openSession(() => vaultKey);
    this.emit('unlocked');
    return { recoveryKey: recovery.text };
  }

  unlock(passphrase: string): void {
    checkPassphraseInput(passphrase, 'passphrase');
    if (this.session) {
      // already open: still answer truthfully whether this passphrase is right
      this.checkCurrentPassphrase(this.session, passphrase);
      return;
    }
    this.openSession((meta) => {
      const key = unwrapWithPassphrase(meta.passphraseSlot, meta.kdf, passphrase);
      if (!key) throw wrongPassphrase();
      return key;
    });
    this.emit('unlocked');
  }

  /**
   * unlock() with scrypt (about a second of CPU at the default cost) on libuv's thread pool, so
   * the Electron main process keeps serving the window meanwhile. The KDF parameters are read
   * first without the key; if the file changed in between, the derivation is redone in place.
   */
  async unlockAsync(passphrase: string): Promise<void> {
    checkPassphraseInput(passphrase, 'passphrase');
    const kdf = this.session ? null : readLockedHints(this.path, this.migrations)?.kdf ?? null;
    const kek = kdf ? await deriveKeyAsync(passphrase, kdf) : null;
    try {
      // another call may have unlocked while this one derived: still answer for this passphrase
      if (this.session) {
        const s = this.session;
        const key = kek && kdf && sameKdf(s.meta.kdf, kdf) ? unwrapWithKek(s.meta.passphraseSlot, kek) : null;
        if (!key) return this.unlock(passphrase);
        const ok = equalBytes(key, s.vaultKey);
        wipe(key);
        if (!ok) throw wrongPassphrase();
        return;
      }
      this.openSession((meta) => {
        const key = kek && kdf && sameKdf(meta.kdf, kdf) ? unwrapWithKek(meta.passphraseSlot, kek) : unwrapWithPassphrase(meta.passphraseSlot, meta.kdf, passphrase);
        if (!key) throw wrongPassphrase();
        return key;
      });
    } finally {
      wipe(kek);
    }
    this.emit('unlocked');
  }

  recover(recoveryKey: string, newPassphrase: string): void {
    if (typeof recoveryKey !== 'string') throw new BulwarkError('VALIDATION', 'recoveryKey must be a string', { recoveryKey: 'invalid' });
    checkPassphraseInput(newPassphrase, 'newPassphrase');
    const rk = parseRecoveryKey(recoveryKey);
    try {
      requireStrong(newPassphrase, 'newPassphrase');
      const unwrap = (meta: VaultMeta): Buffer => {
        const key = unwrapWithRecovery(meta.recoverySlot, rk, meta.vaultId);
        if (!key) {
          throw new BulwarkError('WRONG_RECOVERY_KEY', 'This recovery key is correctly typed but belongs to a different vault.');
        }
        return key;
      };
      if (this.session) {
        const key = unwrap(this.session.meta);
        const same = equalBytes(key, this.session.vaultKey);
        wipe(key);
        if (!same) throw new BulwarkError('WRONG_RECOVERY_KEY', 'This recovery key belongs to a different vault.');
        this.setPassphrase(newPassphrase);
        return;
      }
      this.openSession(unwrap);
      try {
        this.setPassphrase(newPassphrase);
      } catch (e) {
        // all or nothing: do not leave it unlocked with the old passphrase still in place
        this.dropSession();
        throw e;
      }
      this.emit('unlocked');
    } finally {
      wipe(rk);
    }
  }

  unlockWithKeychain(k: KeychainAdapter): void {
    if (this.session) return;
    this.openSession((meta) => {
      if (!meta.keychainSlot) throw new BulwarkError('KEYCHAIN_NOT_ENROLLED', 'Keychain unlock is not turned on for this vault.');
      return unwrapWithKeychain(meta.keychainSlot, k);
    });
    this.emit('unlocked');
  }

  lock(reason: LockReason = 'user'): void {
    this.refuseInsideTransaction('lock');
    if (!this.session) return;
    this.dropSession();
    this.emit('locked', reason);
  }

  /** Locks (if needed) and releases the file. The instance can be unlocked again later. */
  close(): void {
    this.refuseInsideTransaction('close');
    if (!this.session) return;
    this.dropSession();
    this.emit('locked');
  }

  changePassphrase(current: string, next: string): void {
    checkPassphraseInput(current, 'current');
    checkPassphraseInput(next, 'next');
    const s = this.requireSession();
    requireStrong(next, 'next');
    this.checkCurrentPassphrase(s, current);
    // Re-wrap only: the vault key and therefore every record ciphertext stay as they are.
    this.setPassphrase(next);
  }

  /**
   * Replaces the recovery key, for a user who lost it or fears it was seen. Needs the current
   * passphrase; the old recovery key stops working at once. Shown once, like the first.
   */
  rotateRecoveryKey(passphrase: string): { recoveryKey: string } {
    checkPassphraseInput(passphrase, 'passphrase');
    const s = this.requireSession();
    this.checkCurrentPassphrase(s, passphrase);
    const recovery = generateRecoveryKey();
    try {
      this.updateMeta({ ...s.meta, recoverySlot: wrapWithRecovery(s.vaultKey, recovery.key, s.meta.vaultId) });
    } finally {
      wipe(recovery.key);
    }
    return { recoveryKey: recovery.text };
  }

  // ---- settings and keychain ------------------------------------------------------------------

  getAutoLockMinutes(): number {
    return this.session ? this.session.meta.autoLockMinutes : this.lockedHints().autoLockMinutes;
  }

  setAutoLockMinutes(n: number): void {
    const s = this.requireSession();
    if (!Number.isInteger(n) || n < 0 || n > MAX_AUTO_LOCK_MINUTES) {
      throw new BulwarkError('VALIDATION', `Auto-lock must be 0-${MAX_AUTO_LOCK_MINUTES} whole minutes`, { minutes: 'out of range' });
    }
    this.updateMeta({ ...s.meta, autoLockMinutes: n });
  }

  keychainEnrolled(): boolean {
    return this.session ? this.session.meta.keychainSlot !== null : this.lockedHints().keychainEnrolled;
  }

  enrollKeychain(k: KeychainAdapter): void {
    const s = this.requireSession();
    this.updateMeta({ ...s.meta, keychainSlot: wrapWithKeychain(s.vaultKey, k) });
  }

  removeKeychain(): void {
    const s = this.requireSession();
    if (s.meta.keychainSlot) this.updateMeta({ ...s.meta, keychainSlot: null });
  }

  // ---- records --------------------------------------------------------------------------------

  /**
   * All records of a kind, ordered by creation time then id. The array is fresh; the values are
   * shared with the cache and frozen: copy before modifying (`{ ...host, name }`).
   */
  list<T>(kind: string): T[] {
    checkKind(kind);
    return this.kindCache(kind).values() as T[];
  }

  /** The record's value (frozen, see list()), or undefined. */
  get<T>(kind: string, id: string): T | undefined {
    checkKind(kind);
    checkId(id);
    return this.kindCache(kind).get(id)?.value as T | undefined;
  }

  /**
   * One record without loading its whole kind: for kinds with large records read one at a time
   * (run history), where get() would decrypt every record of the kind into the cache first.
   * Served from the cache when the kind is already there.
   */
  readOne<T>(kind: string, id: string): T | undefined {
    checkKind(kind);
    checkId(id);
    const cached = this.caches.get(kind);
    if (cached) return cached.get(id)?.value as T | undefined;
    const s = this.requireSession();
    const row = mapErrors(() => s.stmts.selectOne.get(kind, id) as RecordRow | undefined);
    return row ? (deepFreeze(JSON.parse(s.cipher.decrypt(row)) as unknown) as T) : undefined;
  }

  /** The ids of a kind's records, oldest first, without decrypting anything (ids are stored in clear). */
  ids(kind: string): string[] {
    checkKind(kind);
    const s = this.requireSession();
    return mapErrors(() => (s.stmts.selectIds.all(kind) as Array<{ id: string }>).map((r) => r.id));
  }

  put(kind: string, id: string, value: unknown): void {
    this.putMany(kind, [{ id, value }]);
  }

  putMany(kind: string, entries: Array<{ id: string; value: unknown }>): void {
    const s = this.requireSession();
    checkKind(kind);
    if (!Array.isArray(entries)) throw new BulwarkError('VALIDATION', 'entries must be an array', { entries: 'invalid' });
    // validate everything before writing anything
    const prepared = entries.map((e) => {
      checkId(e?.id);
      return { id: e.id, json: toJson(e.value) };
    });
    this.transaction(() => {
      for (const e of prepared) this.writeRecord(s, kind, e.id, e.json);
    });
  }

  delete(kind: string, ids: string[]): number {
    const s = this.requireSession();
    checkKind(kind);
    if (!Array.isArray(ids)) throw new BulwarkError('VALIDATION', 'ids must be an array', { ids: 'invalid' });
    ids.forEach((id) => checkId(id));
    return this.transaction(() => {
      this.markWritten(kind);
      let n = 0;
      for (const id of ids) {
        n += s.stmts.deleteOne.run(kind, id).changes;
        this.caches.get(kind)?.delete(id);
      }
      return n;
    });
  }

  /**
   * Runs fn atomically: every put/putMany/delete inside commits together or not at all.
   * Nested calls become savepoints. fn must be synchronous.
   */
  transaction<T>(fn: () => T): T {
    const s = this.requireSession();
    if (typeof fn !== 'function') throw new BulwarkError('VALIDATION', 'transaction() needs a function');
    const kinds = new Set<string>();
    this.txKinds.push(kinds);
    try {
      return s.db.transaction(() => {
        const result = fn();
        if (isThenable(result)) {
          // better-sqlite3 would commit when the promise is returned, before its work is done
          throw new BulwarkError('INTERNAL', 'vault.transaction() takes a synchronous function');
        }
        return result;
      })();
    } catch (e) {
      // rolled back: the cached kinds written in this level no longer match the file
      for (const kind of kinds) this.caches.delete(kind);
      throw e instanceof Database.SqliteError ? toBulwarkError(e) : e;
    } finally {
      this.txKinds.pop();
      const parent = this.txKinds[this.txKinds.length - 1];
      if (parent) for (const kind of kinds) parent.add(kind);
    }
  }

  /**
   * Decrypts every record (without caching them) and checks the SQLite structure: a full
   * integrity check for `bulwark vault check`. Throws VAULT_TAMPERED naming the first bad record.
   */
  verify(): { records: number; counts: Record<string, number> } {
    const s = this.requireSession();
    return mapErrors(() => {
      const structure = s.db.pragma('quick_check', { simple: true });
      if (structure !== 'ok') throw new BulwarkError('VAULT_TAMPERED', 'The vault file is damaged (SQLite structure check failed).');
      const counts: Record<string, number> = {};
      let records = 0;
      for (const row of s.stmts.selectAll.iterate() as IterableIterator<RecordRow>) {
        s.cipher.decrypt(row);
        counts[row.kind] = (counts[row.kind] ?? 0) + 1;
        records++;
      }
      return { records, counts };
    });
  }

  // ---- export / import ------------------------------------------------------------------------

  exportTo(file: string, passphrase: string): { records: number } {
    checkPassphraseInput(passphrase, 'passphrase');
    const s = this.requireSession();
    requireStrong(passphrase, 'passphrase');
    const target = resolve(file);
    const own = [this.path, `${this.path}-wal`, `${this.path}-shm`, `${this.path}-journal`];
    if (own.includes(target) || target.startsWith(`${this.path}.bak-v`)) {
      throw new BulwarkError('VALIDATION', 'Choose a file other than the vault itself', { file: 'is the vault' });
    }
    const records: ExportRecord[] = mapErrors(() =>
      (s.stmts.selectAll.all() as RecordRow[]).map((r) => ({
        kind: r.kind,
        id: r.id,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        value: JSON.parse(s.cipher.decrypt(r)) as unknown,
      })),
    );
    mapErrors(() => writeExport(target, passphrase, this.cost, records));
    return { records: records.length };
  }

  /**
   * Merges an export into this vault in one transaction. A record already here is replaced only
   * when the imported copy is newer (updatedAt), so importing the same file twice changes nothing.
   */
  importFrom(file: string, passphrase: string): { added: number; updated: number } {
    checkPassphraseInput(passphrase, 'passphrase');
    const s = this.requireSession();
    const records = readExport(resolve(file), passphrase);
    let added = 0;
    let updated = 0;
    this.transaction(() => {
      for (const r of records) {
        const existing = s.stmts.selectStamps.get(r.kind, r.id) as Stamps | undefined;
        if (existing && existing.updated_at >= r.updatedAt) continue;
        const createdAt = existing ? existing.created_at : r.createdAt;
        const json = toJson(r.value);
        s.stmts.upsert.run(r.kind, r.id, createdAt, r.updatedAt, s.cipher.encrypt(r.kind, r.id, createdAt, r.updatedAt, json));
        this.markWritten(r.kind);
        this.caches.delete(r.kind);
        if (existing) updated++;
        else added++;
      }
    });
    return { added, updated };
  }

  // ---- internals ------------------------------------------------------------------------------

  private emit(state: VaultState, reason?: LockReason): void {
    for (const l of [...this.listeners]) {
      try {
        if (reason) l(state, reason);
        else l(state);
      } catch {
        // a failing listener must not stop the vault from locking or the others from hearing it
      }
    }
  }

  private requireSession(): Session {
    if (!this.session) {
      if (!fileExists(this.path)) throw new BulwarkError('VAULT_ABSENT', 'There is no vault yet.');
      throw new BulwarkError('VAULT_LOCKED', 'The vault is locked.');
    }
    return this.session;
  }

  private refuseInsideTransaction(what: string): void {
    if (this.txKinds.length > 0) throw new BulwarkError('INTERNAL', `Cannot ${what} the vault inside a transaction`);
  }

  private markWritten(kind: string): void {
    this.txKinds[this.txKinds.length - 1]?.add(kind);
  }

  private checkCurrentPassphrase(s: Session, passphrase: string): void {
    const key = unwrapWithPassphrase(s.meta.passphraseSlot, s.meta.kdf, passphrase);
    const ok = key !== null && equalBytes(key, s.vaultKey);
    wipe(key);
    if (!ok) throw wrongPassphrase();
  }

  private setPassphrase(next: string): void {
    const s = this.requireSession();
    const { kdf, slot } = wrapWithPassphrase(s.vaultKey, next, this.cost);
    this.updateMeta({ ...s.meta, kdf, passphraseSlot: slot });
  }

  /** Writes metadata with a fresh MAC; memory follows only once the file has committed. */
  private updateMeta(meta: VaultMeta): void {
    const s = this.requireSession();
    this.refuseInsideTransaction('change vault settings');
    mapErrors(() => s.db.transaction(() => writeMeta(s.db, meta, computeMac(s.macKey, meta, s.schemaVersion)))());
    s.meta = meta;
  }

  private writeRecord(s: Session, kind: string, id: string, json: string): void {
    const existing = s.stmts.selectStamps.get(kind, id) as Stamps | undefined;
    const now = Math.trunc(this.now());
    const createdAt = existing ? existing.created_at : now;
    s.stmts.upsert.run(kind, id, createdAt, now, s.cipher.encrypt(kind, id, createdAt, now, json));
    this.markWritten(kind);
    this.caches.get(kind)?.set({ id, createdAt, updatedAt: now, value: deepFreeze(JSON.parse(json) as unknown) });
  }

  private kindCache(kind: string): KindCache {
    const s = this.requireSession();
    const cached = this.caches.get(kind);
    if (cached) return cached;
    const rows = mapErrors(() => s.stmts.selectKind.all(kind) as RecordRow[]);
    const cache = new KindCache(
      rows.map((r) => ({
        id: r.id,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        value: deepFreeze(JSON.parse(s.cipher.decrypt(r)) as unknown),
      })),
    );
    this.caches.set(kind, cache);
    return cache;
  }

  private dropSession(): void {
    const s = this.session;
    if (!s) return;
    this.hints = { autoLockMinutes: s.meta.autoLockMinutes, keychainEnrolled: s.meta.keychainSlot !== null };
    this.session = null;
    this.caches.clear();
    wipe(s.vaultKey, s.recordKey, s.macKey);
    try {
      s.db.close();
    } catch {
      // the keys are gone either way
    }
  }

  private lockedHints(): { autoLockMinutes: number; keychainEnrolled: boolean } {
    if (!this.hints) this.hints = readLockedHints(this.path, this.migrations);
    return this.hints ?? DEFAULT_HINTS;
  }

  /**
   * Opens the file for a session: checks it, obtains the key from `unwrap`, verifies the
   * metadata MAC, migrates if needed. Nothing is written unless the key was right.
   */
  private openSession(unwrap: (meta: VaultMeta) => Buffer): void {
    const { db, version } = openVaultFile(this.path, this.migrations);
    let vaultKey: Buffer | null = null;
    let sub: { recordKey: Buffer; macKey: Buffer } | null = null;
    try {
      const { meta, mac } = readMeta(db);
      vaultKey = unwrap(meta);
      sub = deriveSubkeys(vaultKey, meta.vaultId);
      const macKey = sub.macKey;
      if (!verifyMac(macKey, meta, version, mac)) {
        throw new BulwarkError('VAULT_TAMPERED', 'The vault metadata was modified outside Bulwark (integrity check failed).');
      }
      const latest = latestVersion(this.migrations);
      if (version < latest) migrateVaultFile(db, this.path, version, this.migrations, meta, (v) => computeMac(macKey, meta, v));
      this.session = {
        db,
        vaultKey,
        recordKey: sub.recordKey,
        macKey,
        meta,
        schemaVersion: latest,
        cipher: new RecordCipher(sub.recordKey, meta.vaultId.toString('hex')),
        stmts: prepareStatements(db),
      };
      this.hints = null;
    } catch (e) {
      wipe(vaultKey, sub?.recordKey, sub?.macKey);
      db.close();
      throw toBulwarkError(e);
    }
  }
}
