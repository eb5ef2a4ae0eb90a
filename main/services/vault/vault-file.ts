/**
 * The vault file as a file: creating it atomically, opening it only after the checks say it is
 * ours and readable by this version, and migrating it with a backup. No keys are derived here.
 */
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BulwarkError } from '../../../shared/errors';
import { fsyncDir } from './atomic-write';
import { randomBytes } from './crypto';
import { fileExists, readFileHeader } from './file-checks';
import { DEFAULT_AUTO_LOCK_MINUTES, type VaultMeta, readMetaHints, writeMeta } from './meta';
import { applyMigrations, backupBeforeMigration } from './migrations';
import { APPLICATION_ID, type Migration, latestVersion } from './schema';
import { mapErrors, toBulwarkError } from './sqlite-errors';

/**
 * Something at the path (a file, even a dangling link) means "exists". So does a non-empty WAL
 * without its database: SQLite would replay its frames over a new file at that name.
 */
export function pathTaken(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    // free
  }
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

function vaultExists(path: string): BulwarkError {
  return new BulwarkError('VAULT_EXISTS', `A vault already exists at ${path}; it was left untouched.`);
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(...paths: string[]): void {
  for (const p of paths) {
    try {
      unlinkSync(p);
    } catch {
      // not there
    }
  }
}

/**
 * Builds a complete, checkpointed vault under a temporary name and links it into place, so a
 * crash mid-create never leaves a half-initialised vault at the real path, and a vault that
 * appeared meanwhile is never replaced (link() fails if the name is taken).
 * `mac` computes the metadata MAC for the given schema version.
 */
export function createVaultFile(path: string, migrations: readonly Migration[], meta: VaultMeta, mac: (version: number) => Buffer): void {
  const tmp = `${path}.creating-${randomBytes(6).toString('hex')}`;
  try {
    mapErrors(() => {
      closeSync(openSync(tmp, 'wx', 0o600)); // 0600 before SQLite ever writes to it
      const db = new Database(tmp);
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.pragma('secure_delete = ON');
        db.transaction(() => {
          applyMigrations(db, 0, migrations);
          writeMeta(db, meta, mac(latestVersion(migrations)));
        })();
      } finally {
        db.close();
      }
      fsyncFile(tmp);
      // empty sidecars of an earlier, deleted vault carry no data; SQLite must not pick them up
      if (!pathTaken(path)) removeQuietly(`${path}-wal`, `${path}-shm`);
      try {
        linkSync(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST' || pathTaken(path)) throw vaultExists(path);
        // file systems without hard links: the check above leaves only a tiny race
        renameSync(tmp, path);
      }
      fsyncDir(dirname(path));
    });
  } finally {
    removeQuietly(tmp, `${tmp}-wal`, `${tmp}-shm`);
  }
}

function checkIdentity(applicationId: number, version: number, latest: number): void {
  if (applicationId !== APPLICATION_ID || version < 1) {
    throw new BulwarkError('NOT_A_VAULT', 'This file is a SQLite database but not a Bulwark vault.');
  }
  if (version > latest) {
    throw new BulwarkError(
      'VAULT_TOO_NEW',
      `This vault was written by a newer Bulwark (format v${version}; this version reads up to v${latest}). It was not modified.`,
    );
  }
}

function truncated(detail = ''): BulwarkError {
  return new BulwarkError('VAULT_TRUNCATED', `The vault file is truncated${detail}; restore it from a backup.`);
}

/** Authoritative application_id/user_version when a WAL may hold newer pages than the header. */
function inspectReadOnly(path: string, shortFile: boolean): { applicationId: number; userVersion: number } {
  let ro: Database.Database | null = null;
  try {
    ro = new Database(path, { readonly: true, fileMustExist: true, timeout: 1000 });
    const applicationId = ro.pragma('application_id', { simple: true }) as number;
    const userVersion = ro.pragma('user_version', { simple: true }) as number;
    // A crash mid-checkpoint can leave the main file short while the WAL still holds the pages.
    if (shortFile && ro.pragma('quick_check', { simple: true }) !== 'ok') throw truncated();
    return { applicationId, userVersion };
  } catch (e) {
    if (shortFile && e instanceof Database.SqliteError) throw truncated();
    throw toBulwarkError(e);
  } finally {
    ro?.close();
  }
}

/**
 * Opens the vault read-write for a session, after checking (read-only) that it is a complete
 * Bulwark vault this version understands. A file that fails the checks is never written to.
 */
export function openVaultFile(path: string, migrations: readonly Migration[]): { db: Database.Database; version: number } {
  const latest = latestVersion(migrations);
  const header = mapErrors(() => readFileHeader(path));
  if (header.walPresent) {
    // The main file's header can be stale after a crash; ask SQLite, read-only.
    const { applicationId, userVersion } = inspectReadOnly(path, header.shortFile);
    checkIdentity(applicationId, userVersion, latest);
  } else {
    if (header.shortFile) throw truncated(` (${header.fileSize} bytes)`);
    checkIdentity(header.applicationId, header.userVersion, latest);
  }
  const db = mapErrors(() => new Database(path, { fileMustExist: true, timeout: 1000 }));
  try {
    // One process at a time: another Bulwark writing behind our back would make the cache lie.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    db.pragma('cell_size_check = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    checkIdentity(db.pragma('application_id', { simple: true }) as number, version, latest);
    return { db, version };
  } catch (e) {
    db.close();
    throw toBulwarkError(e);
  }
}

/**
 * Backs the file up, then migrates it and rewrites the metadata MAC (which covers the schema
 * version) in one transaction.
 */
export function migrateVaultFile(
  db: Database.Database,
  path: string,
  from: number,
  migrations: readonly Migration[],
  meta: VaultMeta,
  mac: (version: number) => Buffer,
): void {
  const latest = latestVersion(migrations);
  mapErrors(() => db.pragma('wal_checkpoint(TRUNCATE)')); // the copy must hold every committed page
  const backup = mapErrors(() => backupBeforeMigration(path, from));
  try {
    db.transaction(() => {
      applyMigrations(db, from, migrations);
      writeMeta(db, meta, mac(latest));
    })();
  } catch (e) {
    throw new BulwarkError(
      'INTERNAL',
      `Upgrading the vault from format v${from} to v${latest} failed and was rolled back (a copy is at ${backup}): ${(e as Error).message}`,
    );
  }
}

/** Settings for the status screen while locked: unauthenticated, best effort, never throws. */
export function readLockedHints(path: string, migrations: readonly Migration[]): ReturnType<typeof readMetaHints> | null {
  if (!fileExists(path)) return null;
  try {
    const h = readFileHeader(path);
    if (!h.walPresent && (h.applicationId !== APPLICATION_ID || h.userVersion > latestVersion(migrations))) return null;
    // timeout 0: if another process holds the vault, answer now rather than block the UI
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 0 });
    try {
      return readMetaHints(db);
    } finally {
      db.close();
    }
  } catch {
    return null; // unlock reports what is actually wrong with the file
  }
}

export const DEFAULT_HINTS = Object.freeze({ autoLockMinutes: DEFAULT_AUTO_LOCK_MINUTES, keychainEnrolled: false, kdf: null });
